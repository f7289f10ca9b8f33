/* Route editor: pick stops on the map, order them, choose each leg's mode, preview the
   metrics computed by the server, save. Plain Leaflet; data from the platform's API. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function km(m) { return (m / 1000).toFixed(1) + " km"; }
  function hours(min) {
    var h = Math.floor(min / 60), m = Math.round(min % 60);
    return h ? h + " h " + String(m).padStart(2, "0") : m + " min";
  }

  function attach(map, o) {
    var stops = o.stops.slice();
    var modes = o.modes.slice();
    var L_ = window.L;
    var list = document.getElementById("route-stops");
    var message = document.getElementById("route-message");
    var metrics = document.getElementById("route-metrics");
    var line = L_.geoJSON(null, { style: { color: "#a93226", weight: 5, opacity: 0.85 } })
      .addTo(map);
    var numbers = L_.layerGroup().addTo(map);
    var known = {};

    function say(text, isError) {
      message.textContent = text;
      message.className = isError ? "error" : "";
    }

    function normaliseModes() {
      while (modes.length < stops.length - 1) modes.push(modes[modes.length - 1] || "walk");
      modes.length = Math.max(stops.length - 1, 0);
    }

    function render() {
      normaliseModes();
      list.innerHTML = "";
      numbers.clearLayers();
      stops.forEach(function (stop, i) {
        var li = el("li", { "class": "stop", "data-id": stop.id });
        li.appendChild(el("span", { "class": "num" }, String(i + 1)));
        var body = el("div");
        body.appendChild(el("div", { "class": "name" }, stop.name));
        var minutes = el("input", { type: "number", min: "0", max: "1440", step: "5",
          "class": "minutes", "aria-label": stop.name + ": " + o.labels.minutes });
        minutes.value = stop.suggested_min;
        minutes.addEventListener("change", function () {
          stop.suggested_min = parseInt(minutes.value, 10) || 0;
        });
        body.appendChild(minutes);
        body.appendChild(document.createTextNode(" " + o.labels.minutes));
        li.appendChild(body);
        var tools = el("div");
        [["up", "↑", -1], ["down", "↓", 1]].forEach(function (b) {
          var btn = el("button", { type: "button", title: o.labels[b[0]],
            "aria-label": o.labels[b[0]] + ": " + stop.name }, b[1]);
          btn.disabled = (b[2] < 0 && i === 0) || (b[2] > 0 && i === stops.length - 1);
          btn.addEventListener("click", function () { move(i, b[2]); });
          tools.appendChild(btn);
        });
        var del = el("button", { type: "button", title: o.labels.remove,
          "aria-label": o.labels.remove + ": " + stop.name }, "✕");
        del.addEventListener("click", function () { stops.splice(i, 1); changed(); });
        tools.appendChild(del);
        li.appendChild(tools);
        list.appendChild(li);
        var a = known[stop.id];
        if (a) {
          L_.marker([a.lat, a.lon], { icon: L_.divIcon({ className: "",
            html: '<span class="num">' + (i + 1) + "</span>", iconSize: [26, 26] }),
            title: (i + 1) + ". " + stop.name, keyboard: false }).addTo(numbers);
        }
        if (i < stops.length - 1) {
          var leg = el("li", { "class": "leg" });
          var select = el("select", { "aria-label": (i + 1) + " → " + (i + 2) });
          Object.keys(o.modeLabels).forEach(function (m) {
            var opt = el("option", { value: m }, o.modeLabels[m]);
            if (modes[i] === m) opt.selected = true;
            select.appendChild(opt);
          });
          select.addEventListener("change", function () { modes[i] = select.value; changed(); });
          leg.appendChild(document.createTextNode("↓ "));
          leg.appendChild(select);
          leg.appendChild(el("span", { "class": "leg-info", "data-leg": String(i + 1) }));
          list.appendChild(leg);
        }
      });
    }

    function move(i, step) {
      var j = i + step;
      var tmp = stops[i]; stops[i] = stops[j]; stops[j] = tmp;
      changed();
    }

    function changed() {
      render();
      line.clearLayers();
      metrics.innerHTML = "";
      say("");
    }

    function add(feature) {
      var p = feature.properties;
      stops.push({ id: feature.id, name: p.name, suggested_min: 30 });
      changed();
      map.closePopup();
    }

    function show(body) {
      line.clearLayers();
      if (body.geometry) {
        line.addData(body.geometry);
        if (line.getBounds().isValid()) map.fitBounds(line.getBounds(), { padding: [30, 30] });
      }
      metrics.innerHTML = "";
      [[o.labels.length, km(body.length_m)],
       [o.labels.ascent, body.ascent_m === null ? "–" : body.ascent_m + " m"],
       [o.labels.duration, hours(body.duration_min)],
       [o.labels.difficulty, body.difficulty_reason]].forEach(function (r) {
        metrics.appendChild(el("dt", {}, r[0]));
        metrics.appendChild(el("dd", { "data-metric": r[0] }, r[1]));
      });
      body.legs.forEach(function (leg) {
        var info = list.querySelector('[data-leg="' + leg.order + '"]');
        if (info) {
          info.textContent = " " + km(leg.length_m) + ", " + hours(leg.duration_min) + " — " +
            (o.labels[leg.source] || leg.source) + (leg.why_straight ? ": " + leg.why_straight : "");
        }
      });
    }

    function send(url, method) {
      if (stops.length < 2) { say(o.labels.needTwo, true); return; }
      var payload = { stops: stops.map(function (s) {
        return { id: s.id, suggested_min: s.suggested_min }; }), modes: modes,
        partners: o.partners };
      fetch(url, { method: method, credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(payload) })
        .then(function (r) { return r.json().then(function (b) { return [r.ok, b]; }); })
        .then(function (res) {
          if (!res[0]) { say(o.labels.error + (res[1].error || res[1].detail), true); return; }
          show(res[1]);
          say(res[1].saved ? o.labels.saved : "");
        })
        .catch(function (e) { say(o.labels.error + e, true); });
    }

    document.getElementById("route-preview").addEventListener("click", function () {
      send(o.previewUrl, "POST");
    });
    document.getElementById("route-save").addEventListener("click", function () {
      send(o.saveUrl, "PUT");
    });

    fetch(o.trailsUrl).then(function (r) { return r.json(); }).then(function (fc) {
      L_.geoJSON(fc, { style: { color: "#2e7d32", weight: 2, opacity: 0.7, dashArray: "4 4" },
        interactive: false }).addTo(map);
    });
    fetch(o.attractionsUrl).then(function (r) { return r.json(); }).then(function (fc) {
      var layer = L_.geoJSON(fc, {
        pointToLayer: function (f, latlng) {
          known[f.id] = { lat: latlng.lat, lon: latlng.lng };
          return L_.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2,
            fillColor: "#1f4e79", fillOpacity: 0.9 });
        },
        onEachFeature: function (f, lyr) {
          var box = el("div");
          box.appendChild(el("strong", {}, f.properties.name));
          box.appendChild(el("br"));
          var btn = el("button", { type: "button", "class": "add-stop" }, o.labels.add);
          btn.addEventListener("click", function () { add(f); });
          box.appendChild(btn);
          lyr.bindPopup(box);
          lyr.bindTooltip(el("span", {}, f.properties.name));
        }
      }).addTo(map);
      if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [20, 20] });
      render();
    });
    render();
  }

  window.AtlasRouteEditor = { attach: attach };
})();
