/* The coverage planner: draws the analysis the coverage API returns, and asks again
 * whenever the planner changes a parameter.
 *
 * Three requests per question: the areas with their statistics (the choropleth), the
 * gaps with the reach of each territory, and the tables (HTML the server writes, so
 * that the page and the printed report show the same tables in the same words).
 */
(function (global) {
  "use strict";

  // ColorBrewer BuGn: more is better for every measure the map shows.
  var RAMP = ["#edf8fb", "#b2e2e2", "#66c2a4", "#2ca25f", "#006d2c"];
  // Gaps are hatched (planner.css) so that the choropleth still shows through them.
  var GAP_STYLE = { color: "#922b21", weight: 1.5, fillColor: "#c0392b", fillOpacity: 1,
                    className: "planner-gap" };
  var REACH_STYLE = { color: "#b7950b", weight: 1, dashArray: "3 3", fillColor: "#f4d03f",
                      fillOpacity: 0.35, interactive: false, className: "planner-reach" };
  var HATCH = '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" aria-hidden="true" ' +
    'style="position:absolute"><defs><pattern id="planner-hatch" width="9" height="9" ' +
    'patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="9" height="9" ' +
    'fill="#c0392b" fill-opacity="0.18"/><rect width="3.5" height="9" fill="#922b21" ' +
    'fill-opacity="0.85"/></pattern></defs></svg>';
  var LIST_PARAMS = ["partner", "kinds", "categories"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function value(props, measure) {
    if (measure === "trails") return props.trail_km_per_100km2;
    if (measure === "reach") return props.covered_share * 100;
    return props.attractions_per_100km2;
  }

  // Five classes: fixed steps of 20 % for the share within reach, else equal steps from
  // zero to a round number above the largest value.
  function breaks(values, measure) {
    if (measure === "reach") return [20, 40, 60, 80];
    var max = Math.max.apply(null, values.concat([0]));
    if (max <= 0) return [0, 0, 0, 0];
    var step = max / 5;
    var magnitude = Math.pow(10, Math.floor(Math.log10(step)));
    step = Math.ceil(step / magnitude * 2) / 2 * magnitude;
    return [step, 2 * step, 3 * step, 4 * step];
  }

  function classOf(v, bounds) {
    for (var i = 0; i < bounds.length; i++) if (v < bounds[i]) return i;
    return bounds.length;
  }

  function queryFromForm(form) {
    var params = new URLSearchParams();
    var data = new FormData(form);
    var lists = {};
    data.forEach(function (v, k) {
      if (LIST_PARAMS.indexOf(k) >= 0) {
        if (v !== "") (lists[k] = lists[k] || []).push(v);
      } else if (k !== "measure" && v !== "") {
        params.set(k, v);
      }
    });
    Object.keys(lists).forEach(function (k) { params.set(k, lists[k].join(",")); });
    // Every kind unticked is a question too: the API answers that it needs one.
    if (!lists.kinds) params.set("kinds", "");
    return params;
  }

  function decimals(step) {
    // Enough decimals to tell the class limits apart: 0.05 → 2, 2.5 → 1, 20 → 0.
    for (var d = 0; d < 6; d++) {
      if (Math.abs(Math.round(step * Math.pow(10, d)) - step * Math.pow(10, d)) < 1e-9) return d;
    }
    return 6;
  }

  function attach(map, options) {
    var labels = options.labels;
    if (!document.getElementById("planner-hatch")) {
      document.body.insertAdjacentHTML("beforeend", HATCH);
    }
    var container = map.getContainer();
    // Leaflet puts its controls after the map's panes: Tab would pass every area and gap
    // before the zoom buttons and the layer panel. First in the page, they come first; on
    // screen they stay where they are.
    var controlBox = container.querySelector(".leaflet-control-container");
    if (controlBox) container.insertBefore(controlBox, container.firstChild);
    var form = document.getElementById("planner-form");
    var tables = document.getElementById("planner-tables");
    var status = document.getElementById("planner-status");
    var reportLink = document.getElementById("planner-report-link");
    var number = new Intl.NumberFormat(options.lang, { maximumFractionDigits: 1 });
    var measure = options.measure;
    var lastAreas = null;
    var pending = null;

    var level = "partner";  // which areas carry the colours
    var bounds = [0, 0, 0, 0];

    // Leaflet sets a path's class when it draws it: the style decides it from the level.
    function areaStyle(f) {
      if (f.properties.level !== level) {
        return { color: "#1d2731", weight: 2.5, fill: false, className: "planner-outline" };
      }
      return { color: "#1d2731", weight: 1, fillOpacity: 0.75,
               fillColor: RAMP[classOf(value(f.properties, measure), bounds)],
               className: "planner-area" };
    }

    // Leaflet 1.9 puts a path with a tooltip in the tab order (the tooltip opens on
    // focus): the path is named with its tooltip's text, or a screen reader meets an
    // empty stop.
    function named(layer, tip) {
      layer.on("add", function () {
        var path = layer.getElement();
        if (!path) return;
        var lines = Array.prototype.map.call(tip().childNodes, function (n) {
          return n.textContent;
        });
        path.setAttribute("aria-label", lines.join(", "));
        path.setAttribute("role", "img");
      });
    }

    var areas = L.geoJSON(null, {
      style: areaStyle,
      onEachFeature: function (f, layer) {
        var tip = function () { return areaTooltip(f.properties); };
        layer.bindTooltip(tip, { sticky: true });
        named(layer, tip);
      }
    }).addTo(map);
    // The reach is the territory less its gaps: shown on demand, off at first.
    var reach = L.geoJSON(null, { style: REACH_STYLE });
    var gaps = L.geoJSON(null, {
      style: GAP_STYLE,
      onEachFeature: function (f, layer) {
        var tip = function () { return gapTooltip(f.properties); };
        layer.bindTooltip(tip, { sticky: true });
        named(layer, tip);
      }
    }).addTo(map);
    var overlays = {};
    overlays[labels.layers.areas] = areas;
    overlays[labels.layers.reach] = reach;
    overlays[labels.layers.gaps] = gaps;
    // Open beside a wide map; on a phone folded into its button, or it hides the map.
    var layersControl = L.control.layers(null, overlays, {
      collapsed: container.clientWidth < 600, position: "topright" }).addTo(map);
    // Leaflet names its folded button "Layers" in English whatever the page's language;
    // the map carries the words for Leaflet's controls (maps/elements.py).
    var layersToggle = layersControl.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (layersToggle && map.atlasWords) {
      layersToggle.title = map.atlasWords.layers;
      layersToggle.setAttribute("aria-label", map.atlasWords.layers);
    }

    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = el("div", "planner-legend leaflet-bar");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", labels.legend);
      return box;
    };
    legend.addTo(map);

    function areaTooltip(p) {
      var box = el("div", "planner-tip");
      box.appendChild(el("strong", null, p.name));
      box.appendChild(el("div", null, labels.measures.density + ": " +
                                      number.format(p.attractions_per_100km2)));
      box.appendChild(el("div", null, labels.measures.trails + ": " +
                                      number.format(p.trail_km_per_100km2)));
      box.appendChild(el("div", null, labels.measures.reach + ": " +
                                      number.format(p.covered_share * 100) + " %"));
      return box;
    }

    // Each partner's gaps are numbered from 1: the partner's name tells them apart.
    function partnerName(slug) {
      var hit = (lastAreas ? lastAreas.features : []).filter(function (f) {
        return f.properties.level === "partner" && f.properties.key === slug;
      })[0];
      return hit ? hit.properties.name : slug;
    }

    function gapTooltip(p) {
      var box = el("div", "planner-tip");
      box.appendChild(el("strong", null, labels.gap + " " + p.rank + " · " +
                                         partnerName(p.partner)));
      box.appendChild(el("div", null, number.format(p.area_km2) + " km²"));
      if (p.touches && p.touches.length) {
        box.appendChild(el("div", null, labels.touches + ": " +
                                        p.touches.map(function (s) { return s.name; }).join(", ")));
      }
      return box;
    }

    function drawLegend() {
      var box = legend.getContainer();
      box.textContent = "";
      box.appendChild(el("strong", null, labels.measures[measure]));
      var list = el("ul");
      var suffix = measure === "reach" ? " %" : "";
      var limits = new Intl.NumberFormat(options.lang, {
        minimumFractionDigits: decimals(bounds[0]), maximumFractionDigits: decimals(bounds[0]) });
      RAMP.forEach(function (colour, i) {
        var from = i === 0 ? 0 : bounds[i - 1];
        var text = i < bounds.length
          ? limits.format(from) + " – " + limits.format(bounds[i]) + suffix
          : "≥ " + limits.format(from) + suffix;
        var item = el("li");
        var swatch = el("span", "planner-swatch");
        swatch.style.background = colour;
        item.appendChild(swatch);
        item.appendChild(el("span", null, text));
        list.appendChild(item);
      });
      [[REACH_STYLE.fillColor, labels.reach, "planner-swatch planner-swatch-reach"],
       [GAP_STYLE.fillColor, labels.gaps, "planner-swatch planner-swatch-gap"]].forEach(function (s) {
        var item = el("li");
        var swatch = el("span", s[2]);
        swatch.style.background = s[0];
        item.appendChild(swatch);
        item.appendChild(el("span", null, s[1]));
        list.appendChild(item);
      });
      box.appendChild(list);
    }

    // Sub-areas carry the colours when the analysed partners have them; the partners'
    // territories are then outlines.
    function classify() {
      level = lastAreas.features.some(function (f) {
        return f.properties.level === "sub_area";
      }) ? "sub_area" : "partner";
      bounds = breaks(lastAreas.features.filter(function (f) {
        return f.properties.level === level;
      }).map(function (f) { return value(f.properties, measure); }), measure);
    }

    function paint() {
      if (!lastAreas) return;
      classify();
      areas.setStyle(areaStyle);
      drawLegend();
      container.setAttribute("data-measure", measure);
    }

    function getJson(url) {
      return fetch(url, { signal: pending.signal }).then(function (r) {
        if (!r.ok) {
          return r.json().then(function (body) { throw new Error(body.error || r.status); });
        }
        return r.json();
      });
    }

    // What the planner typed is checked here, in the page's language, before asking: the
    // API's refusal names its parameter (radius_km), not the field the planner sees.
    function invalidField() {
      // The range only: the step (0.5) is the spinner's, any reach in range is fine.
      var field = form && Array.prototype.find.call(form.querySelectorAll("input[type=number]"),
        function (input) {
          var v = input.validity;
          return v.rangeUnderflow || v.rangeOverflow || v.valueMissing || v.badInput;
        });
      if (!field) return null;
      var label = form.querySelector("label[for='" + field.id + "']");
      var number = new Intl.NumberFormat(options.lang);
      return labels.outOfRange
        .replace("%(field)s", label ? label.textContent : field.name)
        .replace("%(min)s", number.format(Number(field.min)))
        .replace("%(max)s", number.format(Number(field.max)));
    }

    function failed(message) {
      container.setAttribute("data-state", "failed");
      if (tables) {
        tables.setAttribute("aria-busy", "false");
        tables.setAttribute("data-stale", "true");
      }
      if (status) status.textContent = message + " " + labels.stale;
    }

    function load(fit) {
      var invalid = invalidField();
      if (invalid) {
        if (pending) pending.abort();
        pending = null;
        failed(invalid);
        return;
      }
      var query = form ? queryFromForm(form) : new URLSearchParams(options.query);
      query.set("lang", options.lang);
      var q = query.toString();
      if (pending) pending.abort();
      pending = new AbortController();
      container.setAttribute("data-state", "loading");
      if (tables) tables.setAttribute("aria-busy", "true");
      if (status) status.textContent = labels.loading;
      var withMeasure = new URLSearchParams(query);
      withMeasure.set("measure", measure);
      var requests = [getJson(options.areasUrl + "?" + q),
                      getJson(options.gapsUrl + "?" + q + "&reach=true")];
      if (form && tables) {
        requests.push(fetch(options.tablesUrl + "?" + withMeasure.toString(),
                            { signal: pending.signal })
          .then(function (r) { return r.text(); }));
      }
      Promise.all(requests).then(function (answers) {
        pending = null;
        lastAreas = answers[0];
        classify();
        areas.clearLayers();
        areas.addData(lastAreas);
        reach.clearLayers();
        gaps.clearLayers();
        answers[1].features.forEach(function (f) {
          (f.properties.kind === "reach" ? reach : gaps).addData(f);
        });
        paint();
        if (answers[2] !== undefined) tables.innerHTML = answers[2];
        if (fit && areas.getLayers().length) {
          map.fitBounds(areas.getBounds(), { padding: [10, 10] });
        }
        container.setAttribute("data-areas", String(lastAreas.features.length));
        container.setAttribute("data-gaps", String(gaps.getLayers().length));
        container.setAttribute("data-query", q);
        container.setAttribute("data-state", "ready");
        if (tables) {
          tables.setAttribute("aria-busy", "false");
          tables.removeAttribute("data-stale");
        }
        if (status) status.textContent = "";
        if (form) {
          var page = options.plannerUrl + "?" + withMeasure.toString();
          global.history.replaceState(null, "", page);
          if (reportLink) reportLink.href = options.reportUrl + "?" + withMeasure.toString();
        }
      }).catch(function (err) {
        if (err.name === "AbortError") return;
        failed(labels.failed);
      });
    }

    if (form) {
      var timer = null;
      form.addEventListener("change", function (event) {
        if (event.target.name === "measure") {
          measure = event.target.value;
          paint();
          var url = new URL(global.location.href);
          url.searchParams.set("measure", measure);
          global.history.replaceState(null, "", url.toString());
          if (reportLink) {
            var report = new URL(reportLink.href, global.location.href);
            report.searchParams.set("measure", measure);
            reportLink.href = report.toString();
          }
          return;
        }
        if (event.target.name === "categories") {
          var ticked = form.querySelectorAll("input[name=categories]:checked").length;
          var count = document.getElementById("planner-category-count");
          if (count) count.textContent = "(" + (ticked || labels.all) + ")";
        }
        // Typing a radius fires one change; ticking several boxes fires several.
        clearTimeout(timer);
        timer = setTimeout(function () { load(event.target.name === "partner"); }, 250);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        load(false);
      });
    }
    if (tables) {
      tables.addEventListener("click", function (event) {
        var button = event.target.closest("button.show-gap");
        if (!button) return;
        var id = button.getAttribute("data-gap");
        gaps.eachLayer(function (layer) {
          if (layer.feature.id === id) {
            map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 12 });
            layer.openTooltip(layer.getBounds().getCenter());
            // On a phone the tables come below the map: bring the map back into view.
            var box = container.getBoundingClientRect();
            if (box.top < 0 || box.bottom > global.innerHeight) {
              container.scrollIntoView({ block: "start" });
            }
          }
        });
      });
    }

    load(true);
    global.plannerMap = map;
  }

  global.AtlasPlanner = { attach: attach };
})(window);
