/* Regional explorer: loads partners and features from the API as the map moves.
 *
 * The page never embeds a layer: it asks /api/regional-layer/ for the current
 * view (padded, so small pans need no request) in the chosen language.
 */
(function (global) {
  "use strict";

  var PARTNER_COLOURS = {
    "stara-zagora": "#c0392b",
    "sliven": "#2471a3",
    "larissa": "#1e8449",
    "drome": "#8e44ad"
  };
  var ACTIVITY_COLOURS = {
    walking: "#d35400", hiking: "#a04000", running: "#b9770e", cycling: "#1f618d",
    mountain_biking: "#117864", horse_riding: "#7d6608"
  };

  function colourFor(partner) {
    return PARTNER_COLOURS[partner] || "#555";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function popupContent(props, labels, partnerNames) {
    var box = el("div", "atlas-popup");
    box.setAttribute("lang", props.lang || "");
    box.appendChild(el("strong", "atlas-popup-name", props.name || "—"));
    var kindLabel = props.kind === "trail"
      ? (labels.activities[props.activity] || props.activity)
      : (labels.categories[props.category] || props.category);
    box.appendChild(el("div", "atlas-popup-kind", kindLabel));
    if (props.kind === "trail" && props.length_m !== null && props.length_m !== undefined) {
      var facts = (props.length_m / 1000).toFixed(1) + " km";
      if (props.ascent_m !== null && props.ascent_m !== undefined) {
        facts += " · ↗ " + Math.round(props.ascent_m) + " m";
      }
      box.appendChild(el("div", "atlas-popup-facts", facts));
    }
    box.appendChild(el("div", "atlas-popup-partner", partnerNames[props.partner] || props.partner));
    return box;
  }

  function bboxParam(bounds) {
    return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (v) { return v.toFixed(5); }).join(",");
  }

  function clampBounds(bounds) {
    var sw = bounds.getSouthWest(), ne = bounds.getNorthEast();
    return L.latLngBounds(
      [Math.max(sw.lat, -90), Math.max(sw.lng, -180)],
      [Math.min(ne.lat, 90), Math.min(ne.lng, 180)]);
  }

  function attach(map, options) {
    var labels = options.labels;
    var partnerNames = {};
    var boundaries = L.geoJSON(null, {
      style: function (f) {
        return { color: colourFor(f.properties.slug), weight: 2, fillOpacity: 0.04 };
      },
      interactive: false
    }).addTo(map);
    var attractions = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
    var trails = L.geoJSON(null, {
      style: function (f) {
        return { color: ACTIVITY_COLOURS[f.properties.activity] || "#884400", weight: 4,
                 opacity: 0.85, className: "atlas-trail" };
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(function () { return popupContent(f.properties, labels, partnerNames); });
      }
    });
    attractions.addTo(map);
    trails.addTo(map);
    L.control.layers(null, (function () {
      var o = {};
      o[labels.ui.partners] = boundaries;
      o[labels.ui.attractions] = attractions;
      o[labels.ui.trails] = trails;
      return o;
    })(), { collapsed: false }).addTo(map);

    var loaded = null;   // bounds covered by the last successful request
    var pending = null;

    function load() {
      var view = map.getBounds();
      if (loaded && loaded.contains(view)) return;
      var want = clampBounds(view.pad(0.5));
      if (pending) pending.abort();
      pending = new AbortController();
      var url = options.featuresUrl + "?limit=10000&lang=" + encodeURIComponent(options.lang)
        + "&bbox=" + bboxParam(want);
      fetch(url, { signal: pending.signal })
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .then(function (fc) {
          pending = null;
          loaded = want;
          attractions.clearLayers();
          trails.clearLayers();
          var markers = [];
          fc.features.forEach(function (f) {
            if (f.properties.kind === "attraction") {
              var c = f.geometry.coordinates;
              var m = L.circleMarker([c[1], c[0]], {
                radius: 7, weight: 2, color: "#fff", fillColor: colourFor(f.properties.partner),
                fillOpacity: 0.95, className: "atlas-attraction"
              });
              m.feature = f;
              m.bindPopup(function () { return popupContent(f.properties, labels, partnerNames); });
              m.bindTooltip(f.properties.name || "", { direction: "top" });
              m.on("popupopen", function () { m.closeTooltip(); });
              markers.push(m);
            } else {
              trails.addData(f);
            }
          });
          attractions.addLayers(markers);
          map.getContainer().setAttribute("data-features-loaded", String(fc.features.length));
        })
        .catch(function (err) {
          if (err.name !== "AbortError") console.error("Atlas: could not load features", err);
        });
    }

    fetch(options.partnersUrl + "?lang=" + encodeURIComponent(options.lang))
      .then(function (r) { return r.json(); })
      .then(function (fc) {
        fc.features.forEach(function (f) { partnerNames[f.properties.slug] = f.properties.name; });
        boundaries.addData(fc);
        if (fc.features.length) map.fitBounds(boundaries.getBounds(), { padding: [10, 10] });
        map.on("moveend", load);
        load();
      });

    global.atlasMap = map;
  }

  global.AtlasExplorer = { attach: attach };
})(window);
