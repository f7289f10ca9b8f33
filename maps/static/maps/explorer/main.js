/* The regional explorer: partners, attractions, trails and routes from the API.
 *
 * The page embeds no feature. The map asks /api/regional-layer/ for the cells
 * of a fixed grid (web-map tiles, two zoom levels coarser than the view) that
 * cover the view and have not been asked for yet, so panning fetches only what
 * is new, and a cell a coarser cell already brought complete is never asked
 * for again. A cell holding more than CELL_LIMIT features is "dense": it is
 * drawn as one counted bubble until the view is close enough for its smaller
 * cells to come complete.
 *
 * The view (centre, zoom, layers, trail colouring, language) lives in the
 * page's query string, so a link shows what its sender saw.
 */
(function (global) {
  "use strict";

  var CELL_LIMIT = 2000;
  var PROBE_LIMIT = 64;
  var PROBE_BELOW_ZOOM = 11;  // cells of zoom 11 are about 20 km wide
  var MAX_CELL_ZOOM = 14;
  var PARTNER_COLOURS = {
    "stara-zagora": "#b03a2e", "sliven": "#1f618d", "larissa": "#1e8449", "drome": "#7d3c98"
  };
  var ACTIVITY_COLOURS = {
    walking: "#e67e22", hiking: "#a04000", running: "#c0392b", cycling: "#2471a3",
    mountain_biking: "#117864", horse_riding: "#7d6608", cross_country_skiing: "#5b2c6f",
    snowshoeing: "#566573"
  };
  var DIFFICULTY_COLOURS = {
    easy: "#27ae60", moderate: "#d4ac0d", hard: "#cb4335", very_hard: "#1b2631", "": "#839192"
  };
  var ROUTE_COLOUR = "#c2185b";
  // Maki icon (node_modules/@mapbox/maki) and family of each attraction category.
  var CATEGORY_ICONS = {
    museum: ["museum", "culture"], gallery: ["art-gallery", "culture"],
    attraction: ["attraction", "culture"], viewpoint: ["viewpoint", "leisure"],
    artwork: ["paint", "culture"], theme_park: ["amusement-park", "leisure"],
    zoo: ["zoo", "leisure"], picnic_site: ["picnic-site", "leisure"],
    camp_site: ["campsite", "leisure"], alpine_hut: ["shelter", "leisure"],
    information: ["information", "service"],
    archaeological_site: ["historic", "history"], castle: ["castle", "history"],
    monument: ["monument", "history"], memorial: ["landmark", "history"],
    ruins: ["monument-JP", "history"], monastery: ["place-of-worship", "religion"],
    church: ["religious-christian", "religion"], tomb: ["cemetery", "history"],
    fort: ["castle-JP", "history"], city_gate: ["gate", "history"],
    manor: ["building-alt1", "history"], bridge: ["bridge", "history"],
    peak: ["mountain", "nature"], cave_entrance: ["entrance-alt1", "nature"],
    waterfall: ["waterfall", "water"], spring: ["drinking-water", "water"],
    rock: ["natural", "nature"], gorge: ["triangle-stroked", "nature"],
    hot_spring: ["hot-spring", "water"], valley: ["landuse", "nature"],
    park: ["park", "leisure"], nature_reserve: ["park-alt1", "nature"],
    garden: ["garden", "leisure"], winery: ["alcohol-shop", "wine"]
  };
  var KINDS = ["boundary", "attraction", "trail", "route"];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; });
  }

  // --- grid cells (web-map tiles) ---------------------------------------------------------

  function lon2x(lon, z) { return Math.floor((lon + 180) / 360 * Math.pow(2, z)); }
  function lat2y(lat, z) {
    var r = lat * Math.PI / 180;
    return Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * Math.pow(2, z));
  }
  function x2lon(x, z) { return x / Math.pow(2, z) * 360 - 180; }
  function y2lat(y, z) {
    var n = Math.PI - 2 * Math.PI * y / Math.pow(2, z);
    return 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
  }
  function cellBounds(z, x, y) {
    return L.latLngBounds([y2lat(y + 1, z), x2lon(x, z)], [y2lat(y, z), x2lon(x + 1, z)]);
  }
  function cellsCovering(bounds, z) {
    var n = Math.pow(2, z), out = [];
    var south = Math.max(bounds.getSouth(), -85), north = Math.min(bounds.getNorth(), 85);
    var x0 = Math.max(0, lon2x(Math.max(bounds.getWest(), -180), z));
    var x1 = Math.min(n - 1, lon2x(Math.min(bounds.getEast(), 179.9999), z));
    var y0 = Math.max(0, lat2y(north, z)), y1 = Math.min(n - 1, lat2y(south, z));
    for (var x = x0; x <= x1; x++) for (var y = y0; y <= y1; y++) out.push([z, x, y]);
    return out;
  }

  // --- query string state -----------------------------------------------------------------

  function readState(defaults) {
    var q = new URLSearchParams(global.location.search);
    var state = { view: null, kinds: {}, partners: null, colour: q.get("colour") || "activity" };
    var m = /^(\d{1,2}(?:\.5)?)\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(q.get("map") || "");
    if (m) state.view = { zoom: +m[1], center: [+m[2], +m[3]] };
    var kinds = q.get("kinds");
    KINDS.forEach(function (k) {
      state.kinds[k] = kinds === null ? defaults.kinds[k] !== false
        : kinds.split(",").indexOf(k) >= 0;
    });
    if (q.get("partners") !== null) {
      state.partners = q.get("partners").split(",").filter(Boolean);
    }
    return state;
  }

  // --- the explorer -----------------------------------------------------------------------

  function attach(map, options) {
    var labels = options.labels, ui = labels.ui;
    var base = options.filters || {};           // server-side filters: partner, layer
    var state = readState({ kinds: options.kinds || {} });
    var partnerInfo = {};                       // slug -> {name, names, layer, shown}
    var registry = new Map();                   // feature id -> record
    var cells = new Map();                      // "z/x/y" -> "loading" | "done" | "dense"
    var bubbles = new Map();                    // "z/x/y" -> marker of a dense cell
    var container = map.getContainer();
    var requests = 0;

    var boundaries = L.featureGroup().addTo(map);
    var cluster = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 50, chunkedLoading: true,
      // markercluster's own icon, with words a screen reader can say: the number alone,
      // read out as "16", says nothing.
      iconCreateFunction: function (c) {
        var n = c.getChildCount();
        var count = n.toLocaleString(options.lang);
        var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
        return L.divIcon({
          html: '<div><span aria-hidden="true">' + count + '</span><span class="atlas-sr">'
            + escapeAttr(fmt(ui.dense, { count: count })) + "</span></div>",
          className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40)
        });
      }
    }).addTo(map);
    // markercluster moves markers in and out of clusters after a zoom, with a transition.
    cluster.on("animationend", function () { markersInView(); });
    var lines = L.featureGroup().addTo(map);
    var denseLayer = L.layerGroup().addTo(map);

    function roomy() { return container.clientWidth > 700 && container.clientHeight > 560; }

    function partnerShown(slug) {
      return state.partners === null || state.partners.indexOf(slug) >= 0;
    }
    function shown(rec) { return state.kinds[rec.kind] && partnerShown(rec.partner); }

    function detailUrl(f) {
      if (f.properties.url) return f.properties.url;
      var t = options.detailUrls[f.properties.kind];
      return t ? t.replace("00000000-0000-0000-0000-000000000000", f.id) : null;
    }

    function kindLabel(p) {
      if (p.kind === "attraction") return labels.categories[p.category] || p.category;
      if (p.kind === "trail") {
        var a = labels.activities[p.activity] || p.activity;
        return p.difficulty ? a + " · " + (labels.difficulties[p.difficulty] || p.difficulty) : a;
      }
      return ui.route;
    }

    function popupContent(f) {
      var p = f.properties;
      var box = el("div", { className: "atlas-popup", lang: options.lang });
      box.appendChild(el("strong", { className: "atlas-popup-name" }, p.name || "—"));
      box.appendChild(el("div", { className: "atlas-popup-kind" }, kindLabel(p)));
      if (p.kind !== "attraction" && p.length_m !== null && p.length_m !== undefined) {
        var facts = (p.length_m / 1000).toFixed(1) + " km";
        if (p.ascent_m !== null && p.ascent_m !== undefined) {
          facts += " · ↗ " + Math.round(p.ascent_m) + " m";
        }
        if (p.duration_min) {
          facts += " · " + Math.floor(p.duration_min / 60) + " h "
            + String(p.duration_min % 60).padStart(2, "0") + " min";
        }
        box.appendChild(el("div", { className: "atlas-popup-facts" }, facts));
      }
      if (p.description) {
        var text = p.description.length > 180
          ? p.description.slice(0, 177).replace(/\s+\S*$/, "") + " …" : p.description;
        box.appendChild(el("p", { className: "atlas-popup-description" }, text));
      }
      var info = partnerInfo[p.partner];
      box.appendChild(el("div", { className: "atlas-popup-partner" },
                         info ? info.name : p.partner));
      var href = detailUrl(f);
      if (href) {
        var a = el("a", { className: "atlas-popup-link", href: href }, ui.details);
        if (options.embed) { a.target = "_blank"; a.rel = "noopener"; }
        box.appendChild(a);
      }
      return box;
    }

    function iconFor(p) {
      var spec = CATEGORY_ICONS[p.category] || ["marker", "culture"];
      var label = labels.categories[p.category] || p.category;
      return L.divIcon({
        className: "atlas-marker atlas-family-" + spec[1],
        html: '<img src="' + options.iconBase + spec[0] + '.svg" alt="' + escapeAttr(label)
          + '" width="15" height="15">',
        iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -12]
      });
    }

    function escapeAttr(s) {
      return String(s).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    }

    function lineStyle(p) {
      if (p.kind === "route") {
        return { color: ROUTE_COLOUR, weight: 5, opacity: 0.9, dashArray: "10 6",
                 className: "atlas-route" };
      }
      var colour = state.colour === "difficulty"
        ? DIFFICULTY_COLOURS[p.difficulty || ""] : ACTIVITY_COLOURS[p.activity];
      return { color: colour || "#884400", weight: 4, opacity: 0.9,
               className: "atlas-trail atlas-trail-" + (p.activity || "") };
    }

    function addFeature(f) {
      if (registry.has(f.id)) return;
      var p = f.properties, layer;
      if (p.kind === "attraction") {
        var c = f.geometry.coordinates;
        layer = L.marker([c[1], c[0]], {
          icon: iconFor(p), keyboard: true, title: p.name || "", riseOnHover: true
        });
      } else {
        layer = L.geoJSON(f, { style: function () { return lineStyle(p); } });
        layer.eachLayer(function (part) {
          // Leaflet draws a new <path> each time a line is added to the map.
          part.on("add", function () { keyboardLine(part, layer, p); });
        });
      }
      // Popups open below the search box and the buttons at the top, never under them.
      layer.bindPopup(function () { return popupContent(f); }, {
        maxWidth: 280, autoPanPaddingTopLeft: L.point(10, 175),
        autoPanPaddingBottomRight: L.point(10, 40)
      });
      var rec = { id: f.id, kind: p.kind, partner: p.partner, layer: layer, feature: f,
                  shown: false };
      registry.set(f.id, rec);
      return rec;
    }

    // --- keyboard ---

    // Trails and routes are SVG paths: those in view are in the tab order (the rest
    // are not, so that Tab does not walk a whole region's lines), named for screen
    // readers, and Enter or Space opens the popup a click opens.
    function keyboardLine(part, group, p) {
      var path = part.getElement();
      if (!path) return;
      path.setAttribute("role", "button");
      path.setAttribute("aria-label", p.name || kindLabel(p));
      path.atlasOpen = function () {
        // Where the line comes nearest the middle of the view, so the popup is in view.
        var centre = map.latLngToLayerPoint(map.getCenter());
        var near = part.closestLayerPoint(centre);
        group.openPopup(near ? map.layerPointToLatLng(near) : map.getCenter());
      };
      lineFocusable(part, map.getBounds());
    }

    function lineFocusable(part, view) {
      var path = part.getElement();
      if (!path) return;
      if (view.intersects(part.getBounds())) path.setAttribute("tabindex", "0");
      else path.removeAttribute("tabindex");
    }

    function linesInView() {
      var view = map.getBounds();
      lines.eachLayer(function (group) {
        group.eachLayer(function (part) { lineFocusable(part, view); });
      });
    }

    // Markers, clusters and bubbles likewise: markercluster draws a screen's worth beyond
    // each edge, and Leaflet makes every one a tab stop. Focusing one out of view would
    // make the browser scroll the map's container and Leaflet pan to it, so that Tab
    // walked the view away; only icons wholly inside the view are tab stops. Leaflet sets
    // tabindex again whenever it redraws an icon (markercluster does on every count
    // change), so the marker pane is watched, not only the map's moves.
    var markerPane = map.getPane("markerPane");
    function iconFocusable(icon) {
      if (!icon.classList.contains("leaflet-marker-icon")) return;
      var size = map.getSize();
      // Where Leaflet puts it, not where a transition shows it now.
      var at = map.layerPointToContainerPoint(L.DomUtil.getPosition(icon));
      var left = at.x + (parseFloat(icon.style.marginLeft) || 0);
      var top = at.y + (parseFloat(icon.style.marginTop) || 0);
      var inside = left >= 0 && top >= 0 && left + icon.offsetWidth <= size.x
        && top + icon.offsetHeight <= size.y;
      if (inside && icon.getAttribute("tabindex") !== "0") icon.setAttribute("tabindex", "0");
      if (!inside && icon.hasAttribute("tabindex")) icon.removeAttribute("tabindex");
    }
    function markersInView() {
      Array.prototype.forEach.call(markerPane.children, iconFocusable);
    }
    new MutationObserver(function (changes) {
      changes.forEach(function (c) {
        if (c.type === "attributes") iconFocusable(c.target);
        else Array.prototype.forEach.call(c.addedNodes, iconFocusable);
      });
    }).observe(markerPane, { childList: true, attributes: true, attributeFilter: ["tabindex"] });

    // A popup opened from the keyboard takes the focus (its link, else its close button),
    // Escape closes it, and the focus goes back to the feature it belongs to.
    var keyboardOpener = null;
    container.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key !== "Enter" && e.key !== " ") return;
      // Forgotten if no popup follows (a bubble's Enter zooms instead).
      setTimeout(function () { keyboardOpener = null; }, 300);
      if (t.atlasOpen) {
        e.preventDefault();
        keyboardOpener = t;
        t.atlasOpen();
      } else if (t.classList && t.classList.contains("leaflet-marker-icon")) {
        keyboardOpener = t;
        if (e.key === " ") { e.preventDefault(); t.click(); }  // Leaflet answers Enter only
      }
    });
    map.on("popupopen", function (e) {
      var opener = keyboardOpener, box = e.popup.getElement();
      keyboardOpener = null;
      if (!opener || !box) return;
      var target = box.querySelector(".atlas-popup-link")
        || box.querySelector(".leaflet-popup-close-button");
      if (target) target.focus({ preventScroll: true });
      box.addEventListener("keydown", function (k) {
        if (k.key === "Escape") { k.preventDefault(); map.closePopup(e.popup); }
      });
      e.popup.once("remove", function () {
        var now = document.activeElement;
        if (opener.isConnected && (!now || now === document.body || box.contains(now))) {
          opener.focus({ preventScroll: true });
        }
      });
    });

    function show(recs) {
      var markers = [];
      recs.forEach(function (rec) {
        if (!rec || !shown(rec)) return;
        rec.shown = true;
        if (rec.kind === "attraction") markers.push(rec.layer);
        else lines.addLayer(rec.layer);
      });
      if (markers.length) cluster.addLayers(markers);
    }

    function applyVisibility() {
      var add = [], remove = [];
      registry.forEach(function (rec) {
        var want = shown(rec);
        if (want === rec.shown) return;
        rec.shown = want;
        if (rec.kind === "attraction") (want ? add : remove).push(rec.layer);
        else if (want) lines.addLayer(rec.layer);
        else lines.removeLayer(rec.layer);
      });
      if (remove.length) cluster.removeLayers(remove);
      if (add.length) cluster.addLayers(add);
      Object.keys(partnerInfo).forEach(function (slug) {
        var info = partnerInfo[slug];
        var want = state.kinds.boundary && partnerShown(slug);
        if (want && !boundaries.hasLayer(info.layer)) boundaries.addLayer(info.layer);
        if (!want && boundaries.hasLayer(info.layer)) boundaries.removeLayer(info.layer);
      });
      showBubbles();
      writeState();
    }

    // --- loading ---

    function cellZoom() {
      return Math.max(2, Math.min(MAX_CELL_ZOOM, Math.floor(map.getZoom()) - 2));
    }

    function covered(z, x, y) {
      for (var k = z; k >= 0; k--) {
        var s = cells.get(k + "/" + (x >> (z - k)) + "/" + (y >> (z - k)));
        if (s === "done" || (k === z && s)) return true;
      }
      return false;
    }

    function query(extra) {
      var q = new URLSearchParams({ lang: options.lang });
      Object.keys(base).forEach(function (k) { if (base[k]) q.set(k, base[k]); });
      Object.keys(extra).forEach(function (k) { q.set(k, extra[k]); });
      return options.featuresUrl + "?" + q.toString();
    }

    var pending = 0;
    function busy(delta) {
      pending += delta;
      container.setAttribute("data-pending", String(pending));
    }

    function getJSON(url) {
      requests += 1;
      container.setAttribute("data-requests", String(requests));
      busy(1);
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status + " for " + url);
        return r.json();
      }).finally(function () { busy(-1); });
    }

    function loadCell(z, x, y) {
      var key = z + "/" + x + "/" + y, b = cellBounds(z, x, y);
      cells.set(key, "loading");
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (v) { return v.toFixed(6); }).join(",");
      // A small first page says how many a large cell holds: a dense cell costs no more
      // than that, a sparse one is often complete with it. Small cells are rarely dense:
      // they are asked for whole at once.
      var first = z < PROBE_BELOW_ZOOM ? PROBE_LIMIT : CELL_LIMIT;
      busy(1);  // the cell, until its features are drawn
      return getJSON(query({ bbox: bbox, limit: first })).then(function (fc) {
        if (fc.numberMatched <= fc.numberReturned || fc.numberMatched > CELL_LIMIT) return fc;
        return getJSON(query({ bbox: bbox, limit: CELL_LIMIT }));
      }).then(function (fc) {
        if (fc.numberMatched > fc.numberReturned) {
          cells.set(key, "dense");
          makeBubble(key, b, bbox, fc);
        } else {
          cells.set(key, "done");
          show(fc.features.map(addFeature));
        }
        container.setAttribute("data-features-loaded", String(registry.size));
      }).catch(function (err) {
        cells.delete(key);
        console.error("Atlas: could not load features", err);
      }).finally(function () { busy(-1); });
    }

    // Where a sample of features lies: the middle of its points, else of the cell.
    function sampleCentre(fc, bounds) {
      var lat = 0, lon = 0, n = 0;
      fc.features.forEach(function (f) {
        if (f.geometry && f.geometry.type === "Point") {
          lon += f.geometry.coordinates[0]; lat += f.geometry.coordinates[1]; n++;
        }
      });
      return n ? L.latLng(lat / n, lon / n) : bounds.getCenter();
    }

    function makeBubble(key, bounds, bbox, fc) {
      var marker = L.marker(sampleCentre(fc, bounds), { keyboard: true });
      marker.cellZoom = +key.split("/")[0];
      marker.bbox = bbox;
      marker.cellBounds = bounds;
      // What the bubble shows for each choice of the layer panel ("" = everything):
      // {count, at}, or "loading" while the API counts it.
      marker.counts = { "": { count: fc.numberMatched, at: marker.getLatLng() } };
      // Four zoom levels in, the grid is two levels finer than the dense cell: its
      // sixteen children come one by one, each likely small enough to come complete.
      function zoomIn() {
        map.setView(marker.getLatLng(), Math.min(map.getMaxZoom(), marker.cellZoom + 4));
      }
      marker.on("click", zoomIn);
      marker.on("keypress", function (e) { if (e.originalEvent.key === "Enter") zoomIn(); });
      bubbles.set(key, marker);
      showBubbles();
    }

    // The API's filters for what the layer panel shows: null when it shows every kind
    // of feature of every partner, so that a bubble's first count serves.
    function bubbleFilter() {
      var kinds = ["attraction", "trail", "route"].filter(function (k) { return state.kinds[k]; });
      if (kinds.length === 3 && state.partners === null) return null;
      var f = {};
      if (kinds.length < 3) f.kind = kinds.join(",");
      if (state.partners !== null) f.partner = state.partners.slice().sort().join(",");
      return f;
    }

    function drawBubble(m, count, at) {
      var text = count.toLocaleString(options.lang);
      var title = fmt(ui.dense, { count: text });
      m.setLatLng(at);
      m.setIcon(L.divIcon({ className: "marker-cluster marker-cluster-large atlas-dense",
                            html: "<div><span>" + text + "</span></div>", iconSize: [48, 48] }));
      m.options.title = title;
      if (m.getElement()) m.getElement().title = title;
    }

    // A bubble counts only the kinds and partners switched on: the count for another
    // choice is asked for once (a first page of the cell with the same filters).
    function countBubble(m, filter, fkey) {
      m.counts[fkey] = "loading";
      var q = { bbox: m.bbox, limit: PROBE_LIMIT };
      Object.keys(filter).forEach(function (k) { q[k] = filter[k]; });
      getJSON(query(q)).then(function (fc) {
        m.counts[fkey] = { count: fc.numberMatched, at: sampleCentre(fc, m.cellBounds) };
        showBubbles();
      }).catch(function (err) {
        delete m.counts[fkey];
        console.error("Atlas: could not count features", err);
      });
    }

    function showBubbles() {
      var z = cellZoom();
      var filter = bubbleFilter();
      var none = !(state.kinds.attraction || state.kinds.trail || state.kinds.route)
        || (state.partners !== null && state.partners.length === 0);
      var fkey = filter ? new URLSearchParams(filter).toString() : "";
      bubbles.forEach(function (m) {
        var want = !none && m.cellZoom === z;
        var known = want ? m.counts[fkey] : null;
        if (want && known === undefined) countBubble(m, filter, fkey);
        want = want && known && known !== "loading" && known.count > 0;
        if (want && m.shownFor !== fkey) {
          drawBubble(m, known.count, known.at);
          m.shownFor = fkey;
        }
        if (want && !denseLayer.hasLayer(m)) denseLayer.addLayer(m);
        if (!want && denseLayer.hasLayer(m)) denseLayer.removeLayer(m);
      });
    }

    function load() {
      var z = cellZoom();
      showBubbles();
      var want = cellsCovering(map.getBounds().pad(0.2), z).filter(function (c) {
        return !covered(c[0], c[1], c[2]);
      });
      var centre = map.getCenter();
      // Nearest first: what is in the middle of the screen appears first.
      want.sort(function (a, b) {
        return cellBounds(a[0], a[1], a[2]).getCenter().distanceTo(centre)
          - cellBounds(b[0], b[1], b[2]).getCenter().distanceTo(centre);
      });
      return Promise.all(want.map(function (c) { return loadCell(c[0], c[1], c[2]); }));
    }

    // --- the URL ---

    function stateQuery() {
      var q = new URLSearchParams(global.location.search);
      var c = map.getCenter(), z = map.getZoom();
      var digits = Math.max(2, Math.ceil(Math.log(Math.pow(2, z)) / Math.LN10));
      q.set("map", Math.round(z * 2) / 2 + "/" + c.lat.toFixed(digits) + "/"
        + c.lng.toFixed(digits));
      q.set("lang", options.lang);
      var kinds = KINDS.filter(function (k) { return state.kinds[k]; });
      if (kinds.length === KINDS.length) q.delete("kinds"); else q.set("kinds", kinds.join(","));
      if (state.partners === null) q.delete("partners");
      else q.set("partners", state.partners.join(","));
      if (state.colour === "activity") q.delete("colour"); else q.set("colour", state.colour);
      return q;
    }

    function writeState() {
      if (!options.syncUrl) return;
      var q = stateQuery();
      global.history.replaceState(null, "", global.location.pathname + "?" + q.toString());
      // The language switcher keeps the view: each of its links is this URL in its language.
      document.querySelectorAll("a[data-lang-switch]").forEach(function (a) {
        q.set("lang", a.getAttribute("data-lang-switch"));
        a.href = global.location.pathname + "?" + q.toString();
      });
    }

    // --- controls ---

    function button(text, className, title) {
      var b = el("button", { type: "button", className: className }, text);
      if (title) { b.title = title; b.setAttribute("aria-label", title); }
      return b;
    }

    function checkbox(id, text, checked, onChange, swatch) {
      var row = el("div", { className: "atlas-check" });
      var input = el("input", { type: "checkbox", id: id });
      input.checked = checked;
      input.addEventListener("change", function () { onChange(input.checked); });
      var label = el("label", { "for": id });
      if (swatch) label.appendChild(swatch);
      label.appendChild(document.createTextNode(text));
      row.appendChild(input);
      row.appendChild(label);
      return row;
    }

    var LayersControl = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var box = el("div", { className: "leaflet-bar atlas-panel atlas-layers" });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var toggle = button(ui.layers, "atlas-panel-toggle");
        toggle.setAttribute("aria-expanded", "false");
        toggle.setAttribute("aria-controls", "atlas-layers-body");
        var body = el("div", { className: "atlas-panel-body", id: "atlas-layers-body" });
        body.hidden = true;
        toggle.addEventListener("click", function () {
          body.hidden = !body.hidden;
          toggle.setAttribute("aria-expanded", String(!body.hidden));
        });
        // Open on a large map; on a phone or a small map the panel would hide the map.
        if (roomy()) {
          body.hidden = false; toggle.setAttribute("aria-expanded", "true");
        }
        var kinds = el("fieldset", {});
        kinds.appendChild(el("legend", {}, ui.show));
        [["boundary", ui.boundaries], ["attraction", ui.attractions], ["trail", ui.trails],
         ["route", ui.routes]].forEach(function (k) {
          kinds.appendChild(checkbox("atlas-kind-" + k[0], k[1], state.kinds[k[0]],
            function (on) { state.kinds[k[0]] = on; applyVisibility(); }));
        });
        var partners = el("fieldset", { className: "atlas-partners" });
        partners.appendChild(el("legend", {}, ui.partners));
        body.appendChild(kinds);
        body.appendChild(partners);
        box.appendChild(toggle);
        box.appendChild(body);
        this.partnersBox = partners;
        return box;
      },
      addPartner: function (slug, name) {
        var sw = el("span", { className: "atlas-swatch", "aria-hidden": "true" });
        sw.style.borderColor = PARTNER_COLOURS[slug] || "#555";
        this.partnersBox.appendChild(checkbox("atlas-partner-" + slug, name, partnerShown(slug),
          function (on) {
            var all = Object.keys(partnerInfo);
            var current = state.partners === null ? all.slice() : state.partners.slice();
            current = current.filter(function (s) { return s !== slug; });
            if (on) current.push(slug);
            state.partners = current.length === all.length ? null : current;
            applyVisibility();
          }, sw));
      }
    });

    var LegendControl = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = el("div", { className: "leaflet-bar atlas-panel atlas-legend" });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var toggle = button(ui.legend, "atlas-panel-toggle");
        toggle.setAttribute("aria-expanded", "false");
        toggle.setAttribute("aria-controls", "atlas-legend-body");
        var body = el("div", { className: "atlas-panel-body", id: "atlas-legend-body" });
        body.hidden = !roomy();
        toggle.setAttribute("aria-expanded", String(!body.hidden));
        toggle.addEventListener("click", function () {
          body.hidden = !body.hidden;
          toggle.setAttribute("aria-expanded", String(!body.hidden));
        });
        var pick = el("label", { "for": "atlas-colour-by" }, ui.colourBy + " ");
        var select = el("select", { id: "atlas-colour-by" });
        [["activity", ui.activity], ["difficulty", ui.difficulty]].forEach(function (o) {
          var opt = el("option", { value: o[0] }, o[1]);
          if (state.colour === o[0]) opt.selected = true;
          select.appendChild(opt);
        });
        var list = el("ul", { className: "atlas-legend-lines" });
        function fill() {
          list.textContent = "";
          var colours = state.colour === "difficulty" ? DIFFICULTY_COLOURS : ACTIVITY_COLOURS;
          var names = state.colour === "difficulty" ? labels.difficulties : labels.activities;
          Object.keys(colours).forEach(function (k) {
            var li = el("li", { "data-value": k });
            var line = el("span", { className: "atlas-legend-line", "aria-hidden": "true" });
            line.style.background = colours[k];
            li.appendChild(line);
            li.appendChild(document.createTextNode(k ? names[k] : ui.unknown));
            list.appendChild(li);
          });
          var li = el("li", {});
          var line = el("span", { className: "atlas-legend-line atlas-legend-route",
                                  "aria-hidden": "true" });
          li.appendChild(line);
          li.appendChild(document.createTextNode(ui.routes));
          list.appendChild(li);
        }
        select.addEventListener("change", function () {
          state.colour = select.value;
          fill();
          lines.eachLayer(function (l) {
            l.eachLayer(function (part) { part.setStyle(lineStyle(part.feature.properties)); });
          });
          writeState();
        });
        fill();
        var icons = el("details", { className: "atlas-legend-icons" });
        icons.appendChild(el("summary", {}, ui.attractions));
        var ul = el("ul", {});
        Object.keys(CATEGORY_ICONS).forEach(function (c) {
          var li = el("li", {});
          var mark = el("span", { className: "atlas-marker atlas-family-" + CATEGORY_ICONS[c][1] });
          // Lazy: inside the closed list, the icons load only when someone opens it.
          mark.appendChild(el("img", { src: options.iconBase + CATEGORY_ICONS[c][0] + ".svg",
                                       alt: "", width: "15", height: "15", loading: "lazy" }));
          li.appendChild(mark);
          li.appendChild(document.createTextNode(labels.categories[c] || c));
          ul.appendChild(li);
        });
        icons.appendChild(ul);
        body.appendChild(pick);
        body.appendChild(select);
        body.appendChild(list);
        body.appendChild(icons);
        box.appendChild(toggle);
        box.appendChild(body);
        return box;
      }
    });

    var LocateControl = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = el("div", { className: "leaflet-bar atlas-locate" });
        var b = button("", "atlas-locate-button", ui.locate);
        b.appendChild(el("img", { src: options.iconBase + "marker.svg", alt: "",
                                  width: "15", height: "15" }));
        L.DomEvent.disableClickPropagation(box);
        b.addEventListener("click", function () {
          b.classList.add("atlas-busy");
          map.locate({ setView: true, maxZoom: 14, timeout: 10000 });
        });
        box.appendChild(b);
        this.button = b;
        return box;
      }
    });

    var here = null;
    map.on("locationfound", function (e) {
      locate.button.classList.remove("atlas-busy");
      if (here) map.removeLayer(here);
      here = L.layerGroup([
        L.circle(e.latlng, { radius: e.accuracy, weight: 1, color: "#1a5276", fillOpacity: 0.1,
                             interactive: false }),
        L.circleMarker(e.latlng, { radius: 7, color: "#fff", weight: 3, fillColor: "#1a5276",
                                   fillOpacity: 1, className: "atlas-here" })
          .bindTooltip(el("span", {}, ui.youAreHere))
      ]).addTo(map);
    });
    map.on("locationerror", function () {
      locate.button.classList.remove("atlas-busy");
      status(ui.locateFailed);
    });

    var statusBox = el("div", { className: "atlas-status", role: "status", "aria-live": "polite" });
    container.appendChild(statusBox);
    function status(text) {
      statusBox.textContent = text;
      statusBox.hidden = !text;
      if (text) setTimeout(function () { if (statusBox.textContent === text) status(""); }, 6000);
    }
    status("");

    // --- search ---

    // Partner names are matched here (they come once, with the boundaries) as the API's
    // ?q= matches features (layers/search.py): folded to lower-case Latin by the same
    // table (so "Стара" finds Stara Zagora and "larisa" Λάρισα), cut into words as
    // PostgreSQL's to_tsvector cuts them, and each word of the query must start a word of
    // the name: "zag" finds Stara Zagora, "agora" does not.
    var FOLD = options.fold, FOLD_TO = {}, folded = Array.from(FOLD.to);
    Array.from(FOLD.from).forEach(function (ch, i) { FOLD_TO[ch] = folded[i]; });
    function fold(s) {
      // As PostgreSQL's lower(): one letter for one (JavaScript makes İ two).
      var t = String(s || "").replace(/İ/g, "i").toLowerCase();
      FOLD.replace.forEach(function (r) { t = t.split(r[0]).join(r[1]); });
      t = Array.from(t, function (ch) { return FOLD_TO[ch] || ch; }).join("");
      return t.replace(/(.)\1+/gsu, "$1");
    }
    // Runs of letters and digits, and a hyphenated run whole as well as its parts
    // ("saint-vallier": saint-vallier, saint, vallier), as to_tsvector('simple', …).
    function searchWords(s) {
      var out = [];
      fold(s).split(/[^\p{L}\p{N}-]+/u).forEach(function (run) {
        var parts = run.split("-").filter(Boolean);
        out.push.apply(out, parts);
        if (parts.length > 1) out.push(parts.join("-"));
      });
      return out;
    }
    // Every word of the query starts a word of the text (a query without a letter or
    // digit, like the API's, rules nothing out).
    function startsWords(textWords, queryWords) {
      return queryWords.every(function (w) {
        return textWords.some(function (t) { return t.lastIndexOf(w, 0) === 0; });
      });
    }

    var SearchControl = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var form = el("form", { className: "atlas-search", role: "search" });
        L.DomEvent.disableClickPropagation(form);
        L.DomEvent.disableScrollPropagation(form);
        var label = el("label", { "for": "atlas-search-input", className: "atlas-sr" }, ui.search);
        var input = el("input", { type: "search", id: "atlas-search-input",
                                  placeholder: ui.searchPlaceholder, autocomplete: "off",
                                  "aria-controls": "atlas-search-results" });
        var go = button(ui.search, "atlas-search-go");
        go.type = "submit";
        var results = el("ul", { id: "atlas-search-results", className: "atlas-results",
                                 "aria-live": "polite" });
        form.appendChild(label);
        form.appendChild(input);
        form.appendChild(go);
        form.appendChild(results);
        var timer = null, last = null;

        function run() {
          var text = input.value.trim();
          if (text === last) return;
          last = text;
          results.textContent = "";
          if (text.length < 2) return;
          var words = searchWords(text);
          var found = Object.keys(partnerInfo).filter(function (slug) {
            return startsWords(partnerInfo[slug].words, words);
          }).map(function (slug) {
            return { partner: slug, name: partnerInfo[slug].name, kind: ui.partner };
          });
          getJSON(query({ q: text, limit: 10 })).then(function (fc) {
            if (input.value.trim() !== text) return;
            fc.features.forEach(function (f) {
              found.push({ feature: f, name: f.properties.name, kind: kindLabel(f.properties),
                           partner: f.properties.partner });
            });
            results.textContent = "";
            if (!found.length) {
              results.appendChild(el("li", { className: "atlas-no-result" }, ui.noResults));
              return;
            }
            found.forEach(function (r) {
              var li = el("li", {});
              var b = button("", "atlas-result");
              b.appendChild(el("span", { className: "atlas-result-name" }, r.name || "—"));
              var where = r.feature && partnerInfo[r.partner] ? " · " + partnerInfo[r.partner].name : "";
              b.appendChild(el("span", { className: "atlas-result-kind" }, r.kind + where));
              b.addEventListener("click", function () {
                results.textContent = "";
                last = null;
                if (r.feature) focus(r.feature);
                else map.fitBounds(partnerInfo[r.partner].layer.getBounds());
              });
              li.appendChild(b);
              results.appendChild(li);
            });
          }).catch(function (err) { console.error("Atlas: search failed", err); });
        }
        input.addEventListener("input", function () {
          clearTimeout(timer);
          timer = setTimeout(run, 250);
        });
        input.addEventListener("keydown", function (e) {
          if (e.key === "Escape") { results.textContent = ""; last = null; }
        });
        form.addEventListener("submit", function (e) { e.preventDefault(); last = null; run(); });
        return form;
      }
    });

    // Shows a feature (from search or a table) and opens its popup.
    function focus(f) {
      if (!state.kinds[f.properties.kind]) {
        state.kinds[f.properties.kind] = true;
        var box = document.getElementById("atlas-kind-" + f.properties.kind);
        if (box) box.checked = true;
      }
      if (!partnerShown(f.properties.partner)) {
        state.partners.push(f.properties.partner);
        var pbox = document.getElementById("atlas-partner-" + f.properties.partner);
        if (pbox) pbox.checked = true;
      }
      applyVisibility();
      var rec = registry.get(f.id) || addFeature(f);
      show([rec]);
      if (rec.kind === "attraction") {
        cluster.zoomToShowLayer(rec.layer, function () { rec.layer.openPopup(); });
      } else {
        map.fitBounds(rec.layer.getBounds(), { maxZoom: 15 });
        rec.layer.eachLayer(function (part) { part.openPopup(); });
      }
    }

    L.control.scale({ imperial: false }).addTo(map);
    if (options.embed && options.fullUrl) {
      map.attributionControl.addAttribution('<a href="' + escapeAttr(options.fullUrl)
        + '" target="_blank" rel="noopener">' + escapeAttr(ui.openAtlas) + "</a>");
    }
    var search = options.search !== false ? new SearchControl().addTo(map) : null;
    var locate = new LocateControl().addTo(map);
    var layersControl = new LayersControl().addTo(map);
    var legend = new LegendControl().addTo(map);
    // Leaflet puts its controls after the map's panes: Tab would pass every marker and
    // line before reaching the search or the layer panel. Placed first in the page, they
    // come first; on screen they stay where they are (positioned, above the panes).
    var controls = container.querySelector(".leaflet-control-container");
    if (controls) container.insertBefore(controls, container.firstChild);

    // On a narrow map (a phone) the search row takes nearly the map's width, and the layer
    // panel, opened from the top-right corner beside the zoom buttons, hung over it. There
    // that corner starts below the search row instead, whatever width the page's language
    // gives the panel, and the panel's list scrolls before it reaches the folded legend.
    function layersClearOfSearch() {
      var panel = layersControl.getContainer(), corner = panel.parentNode;
      var body = panel.querySelector(".atlas-panel-body");
      corner.style.top = "";
      body.style.maxHeight = "";
      if (!search) return;
      var frame = container.getBoundingClientRect();
      var form = search.getContainer();
      var style = getComputedStyle(panel), margin = parseFloat(style.marginRight) || 0;
      // As wide as the open panel may grow, not as its folded button.
      var widest = parseFloat(style.maxWidth) || panel.offsetWidth;
      if (frame.right - margin - widest >= form.getBoundingClientRect().right + margin) return;
      // The row of the field and its button, not the list of results below them.
      var row = Math.max(form.querySelector("input").getBoundingClientRect().bottom,
                         form.querySelector(".atlas-search-go").getBoundingClientRect().bottom);
      corner.style.top = Math.ceil(row - frame.top) + "px";
      var legendButton = legend.getContainer().querySelector(".atlas-panel-toggle");
      var floor = legendButton.getBoundingClientRect().top - 2 * margin;
      var top = panel.querySelector(".atlas-panel-toggle").getBoundingClientRect().bottom;
      body.style.maxHeight = Math.max(120, Math.min(0.6 * global.innerHeight, floor - top))
        + "px";
    }
    // On a narrow map the credits (OpenStreetMap's, and in an embed the way to the full
    // atlas) wrap across the whole width, over the folded legend: the bottom-left corner
    // then stands on them.
    function legendClearOfCredits() {
      var corner = legend.getContainer().parentNode;
      corner.style.bottom = "";
      var credits = map.attributionControl && map.attributionControl.getContainer();
      if (!credits) return;
      var c = credits.getBoundingClientRect(), l = corner.getBoundingClientRect();
      if (c.left < l.right && c.top < l.bottom) {
        corner.style.bottom = Math.ceil(container.getBoundingClientRect().bottom - c.top)
          + "px";
      }
    }
    function clearOfEachOther() { legendClearOfCredits(); layersClearOfSearch(); }
    clearOfEachOther();
    map.on("resize", clearOfEachOther);

    // --- start ---

    // The first view: the URL's, else the layer's extent, else the partners' (both given
    // by the page), so features are asked for at once, alongside the boundaries.
    function extentBounds(e) { return L.latLngBounds([e[1], e[0]], [e[3], e[2]]); }
    if (state.view) {
      map.setView(state.view.center, state.view.zoom, { animate: false });
    } else if (options.extent || options.partnersExtent) {
      var wide = roomy();
      // The extent is the boundaries'; clusters of 40 px sit on features near them, so
      // each edge keeps more than half a cluster, or a partner's cluster is cut in half.
      map.fitBounds(extentBounds(options.extent || options.partnersExtent), {
        paddingTopLeft: wide ? [60, 30] : [30, 60], paddingBottomRight: wide ? [240, 30] : [30, 30],
        maxZoom: 15, animate: false
      });
    }
    map.on("moveend", function () { load(); linesInView(); markersInView(); writeState(); });
    map.on("zoomend", showBubbles);
    writeState();

    var partnersUrl = options.partnersUrl + "?lang=" + encodeURIComponent(options.lang);
    var partnersLoaded = getJSON(partnersUrl).then(function (fc) {
      fc.features.forEach(function (f) {
        var slug = f.properties.slug;
        if (base.partner && base.partner.split(",").indexOf(slug) < 0) return;
        var layer = L.geoJSON(f, {
          style: { color: PARTNER_COLOURS[slug] || "#555", weight: 2, fillOpacity: 0.03,
                   className: "atlas-boundary atlas-boundary-" + slug },
          interactive: false
        });
        partnerInfo[slug] = { name: f.properties.name, layer: layer,
                              words: searchWords(Object.values(f.properties.names).join(" ")) };
        layersControl.addPartner(slug, f.properties.name);
      });
      applyVisibility();
    });
    Promise.all([partnersLoaded, load()]).then(function () {
      container.setAttribute("data-ready", "true");
    }).catch(function (err) { console.error("Atlas: could not start", err); });

    var api = { map: map, focus: focus, load: load, registry: registry, cells: cells,
                fold: fold, searchWords: searchWords, startsWords: startsWords };
    global.atlasMap = map;
    global.atlasExplorer = api;
    return api;
  }

  global.AtlasExplorer = { attach: attach };
})(window);
