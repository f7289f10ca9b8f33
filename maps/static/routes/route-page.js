/* Route pages: the list's map, and a route's map with numbered stops, attractions along the
   way and an elevation profile linked to the map (hovering the chart marks the place). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  // Names are partners' data: Leaflet reads a string as HTML, so they go in as text nodes.
  function text(s) {
    var span = document.createElement("span");
    span.textContent = s;
    return span;
  }

  function stopIcon(n) {
    return L.divIcon({ className: "", html: '<span class="stop-number">' + n + "</span>",
      iconSize: [28, 28], iconAnchor: [14, 14] });
  }

  // Leaflet 1.9 puts every path with a tooltip in the tab order (the tooltip opens on
  // focus): such a path needs a name, or a screen reader meets an empty stop.
  function nameWhenDrawn(layer, name, role) {
    layer.on("add", function () {
      var el = layer.getElement();
      if (!el) return;
      el.setAttribute("aria-label", name);
      el.setAttribute("role", role);
    });
  }

  function list(map, o) {
    var group = L.featureGroup().addTo(map);
    getJSON(o.routesUrl).then(function (fc) {
      fc.features.forEach(function (f) {
        var line = L.geoJSON(f, { style: { color: "#a93226", weight: 4, opacity: 0.85 } });
        var link = document.createElement("a");
        link.href = "/routes/" + f.properties.slug + "/";
        link.textContent = f.properties.name;
        line.bindPopup(link);
        line.bindTooltip(text(f.properties.name), { sticky: true });
        var card = document.querySelector('.route-card[data-slug="' + f.properties.slug + '"]');
        line.on("mouseover", function () { if (card) card.classList.add("hover"); });
        line.on("mouseout", function () { if (card) card.classList.remove("hover"); });
        if (card) {
          card.addEventListener("mouseenter", function () {
            line.setStyle({ color: "#1f618d", weight: 7 });
          });
          card.addEventListener("mouseleave", function () {
            line.setStyle({ color: "#a93226", weight: 4 });
          });
        }
        // Keyboards reach each route once, by its start (below): the line leaves the tab
        // order, as the list beside the map links every route too.
        line.eachLayer(function (part) {
          part.on("add", function () {
            var el = part.getElement();
            if (el) el.setAttribute("tabindex", "-1");
          });
        });
        line.addTo(group);
        // The start, so that short routes are visible on the whole region's map; a link
        // to the route's page for the mouse and the keyboard alike.
        var first = f.geometry.coordinates[0][0];
        var start = L.circleMarker([first[1], first[0]], { radius: 6, color: "#fff", weight: 2,
          fillColor: "#a93226", fillOpacity: 1, className: "atlas-route-start" })
          .bindTooltip(text(f.properties.name)).on("click", function () {
            window.location.href = link.href;
          });
        nameWhenDrawn(start, f.properties.name, "link");
        start.on("add", function () {
          var el = start.getElement();
          el.setAttribute("tabindex", "0");
          el.addEventListener("keydown", function (e) {
            if (e.key === "Enter") window.location.href = link.href;
          });
        });
        start.addTo(group);
      });
      if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [20, 20] });
      map.getContainer().setAttribute("data-routes-loaded", String(fc.features.length));
    });
  }

  function detail(map, o) {
    var marker = L.circleMarker([0, 0], { radius: 8, color: "#fff", weight: 3,
      fillColor: "#1f618d", fillOpacity: 1, interactive: false });
    getJSON(o.detailUrl).then(function (f) {
      var line = L.geoJSON(f, { style: { color: "#a93226", weight: 5, opacity: 0.9 } })
        .addTo(map);
      map.fitBounds(line.getBounds(), { padding: [25, 25] });
      var along = L.layerGroup().addTo(map);
      f.properties.along_the_way.forEach(function (a) {
        if (a.is_stop) return;
        var near = L.circleMarker([a.location[1], a.location[0]], { radius: 6, color: "#fff",
          weight: 2, fillColor: "#1f4e79", fillOpacity: 0.9, className: "atlas-along" })
          .bindTooltip(text(a.name));
        nameWhenDrawn(near, a.name, "img");
        near.addTo(along);
      });
      f.properties.stops.forEach(function (s) {
        var label = document.createElement("span");
        label.textContent = s.order + ". " + s.name;
        L.marker([s.location[1], s.location[0]], { icon: stopIcon(s.order),
          title: label.textContent, alt: label.textContent })
          .bindPopup(label).addTo(map);
      });
      map.getContainer().setAttribute("data-route-loaded", "1");
    });
    getJSON(o.profileUrl).then(function (p) { profile(map, marker, p, o.labels); });
  }

  function profile(map, marker, p, labels) {
    var box = document.getElementById("route-profile-chart");
    if (!box) return;
    var pts = p.points;
    var withZ = pts.filter(function (r) { return r[1] !== null; });
    if (!withZ.length) {
      box.textContent = labels.noElevation;
      return;
    }
    // Numbers as the rest of the page writes them ("6,4 km" in bg, el and fr).
    var formats = {};
    function num(digits) {
      if (!formats[digits]) {
        formats[digits] = new Intl.NumberFormat(document.documentElement.lang || "en",
          { minimumFractionDigits: digits, maximumFractionDigits: digits });
      }
      return formats[digits];
    }
    var maxD = pts[pts.length - 1][0] || 1;
    var zs = withZ.map(function (r) { return r[1]; });
    var zlow = Math.min.apply(null, zs), zhigh = Math.max.apply(null, zs);
    var pad = Math.max(10, (zhigh - zlow) * 0.1);
    var zmin = zlow - pad, zmax = zhigh + pad;
    // The chart is drawn in CSS pixels at the box's own width (one unit of the viewBox is
    // one pixel, drawn again when the box changes width): a fixed viewBox stretched to
    // the box squeezed the text to half its width on a phone and widened it on a desktop.
    // Its labels' size is the stylesheet's (routes.css), the same at any width.
    // The top strip is the readout's (routes.css): over the plot, on a phone it hid the
    // line where the finger was.
    var W, H, left, right, top = 30, bottom = 26, chart, cursor;
    function x(d) { return left + (W - left - right) * d / maxD; }
    function y(z) { return top + (H - top - bottom) * (1 - (z - zmin) / (zmax - zmin)); }
    function label(text, at, baseline, anchor) {
      var t = svg("text", { x: at, y: baseline, "text-anchor": anchor,
                            "class": "profile-label" });
      t.textContent = text;
      chart.appendChild(t);
      return t;
    }
    function textWidth(text) {
      var probe = label(text, 0, 0, "start"), wide = probe.getComputedTextLength();
      chart.removeChild(probe);
      return wide;
    }
    // Distances every 0.1, 0.2, 0.5, 1, 2, 5, 10 … km: the shortest step whose labels
    // keep a gap between them at this width.
    function distanceStep(plotWidth) {
      for (var e = 100; ; e *= 10) {
        var steps = [e, 2 * e, 5 * e];
        for (var i = 0; i < steps.length; i++) {
          var step = steps[i], wide = textWidth(kmText(Math.floor(maxD / step) * step, step));
          if (plotWidth * step / maxD >= wide + 16 || step >= maxD) return step;
        }
      }
    }
    function kmText(d, step) { return num(step < 1000 ? 1 : 0).format(d / 1000) + " km"; }

    var readout = document.createElement("div");
    readout.className = "readout";
    readout.setAttribute("aria-live", "polite");
    box.innerHTML = "";
    box.appendChild(readout);

    function draw() {
      W = Math.max(200, Math.round(box.clientWidth || 800));
      H = Math.round(box.clientHeight || 180);
      var old = chart;
      chart = svg("svg", { viewBox: "0 0 " + W + " " + H, preserveAspectRatio: "none" });
      if (old) box.replaceChild(chart, old); else box.insertBefore(chart, readout);
      var defs = svg("defs", {});
      var hatch = svg("pattern", { id: "no-elevation", width: 8, height: 8,
        patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
      hatch.appendChild(svg("rect", { width: 8, height: 8, fill: "#f2f3f4" }));
      hatch.appendChild(svg("line", { x1: 0, y1: 0, x2: 0, y2: 8, stroke: "#c8cccf",
        "stroke-width": 3 }));
      defs.appendChild(hatch);
      chart.appendChild(defs);
      // The margins the labels need: the elevations' on the left, half the last
      // distance's on the right (it stands centred on the end of the axis).
      var heights = [zlow, zhigh].map(function (z) {
        return num(0).format(Math.round(z)) + " m";
      });
      if (heights[1] === heights[0]) heights.pop();
      left = 8 + Math.max.apply(null, heights.map(textWidth));
      right = Math.max(12, textWidth(kmText(maxD, 100)) / 2 + 2);
      var step = distanceStep(W - left - right);

      // One path per run of points with elevation: legs without it leave a gap.
      var runs = [], run = [];
      pts.forEach(function (r) {
        if (r[1] === null) { if (run.length) runs.push(run); run = []; } else { run.push(r); }
      });
      if (run.length) runs.push(run);
      runs.forEach(function (seg) {
        var d = seg.map(function (r, i) { return (i ? "L" : "M") + x(r[0]).toFixed(1) + "," +
          y(r[1]).toFixed(1); }).join("");
        var area = d + "L" + x(seg[seg.length - 1][0]).toFixed(1) + "," + (H - bottom) +
          "L" + x(seg[0][0]).toFixed(1) + "," + (H - bottom) + "Z";
        chart.appendChild(svg("path", { d: area, fill: "#a9322622", stroke: "none" }));
        chart.appendChild(svg("path", { d: d, fill: "none", stroke: "#a93226",
          "stroke-width": 2, "class": "profile-line" }));
      });
      // The stretches without elevation, shaded and named: a gap in the line alone reads
      // as a flat or a fault of the chart.
      (p.no_elevation || []).forEach(function (g) {
        var x0 = x(g.from_m), x1 = x(g.to_m);
        chart.appendChild(svg("rect", { x: x0.toFixed(1), y: top, width: Math.max(1, x1 - x0).toFixed(1),
          height: H - top - bottom, fill: "url(#no-elevation)", "class": "profile-gap",
          "data-from": g.from_m, "data-to": g.to_m }));
        if (x1 - x0 > textWidth(labels.noneHere) + 8) {
          label(labels.noneHere, (x0 + x1) / 2, top + (H - top - bottom) / 2, "middle")
            .setAttribute("class", "profile-label profile-gap-label");
        }
      });
      chart.appendChild(svg("line", { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom,
        stroke: "#888" }));
      // The lowest and highest points, unless one label would sit on the other.
      var ys = [y(zlow), y(zhigh)];
      heights.forEach(function (text, i) {
        if (i && ys[0] - ys[1] < 14) return;
        label(text, left - 6, ys[i] + 4, "end");
      });
      for (var k = 0; k * step <= maxD; k++) {
        chart.appendChild(svg("line", { x1: x(k * step), x2: x(k * step), y1: H - bottom,
          y2: H - bottom + 4, stroke: "#888" }));
        label(kmText(k * step, step), x(k * step), H - 8, "middle");
      }
      cursor = svg("line", { y1: top, y2: H - bottom, stroke: "#1f618d", "stroke-width": 1.5,
        visibility: "hidden", "class": "profile-cursor" });
      chart.appendChild(cursor);
      chart.addEventListener("mousemove", function (e) { at(e.clientX); });
      chart.addEventListener("touchmove", function (e) { at(e.touches[0].clientX); },
        { passive: true });
      chart.addEventListener("mouseleave", function () {
        cursor.setAttribute("visibility", "hidden");
        map.removeLayer(marker);
      });
      box.setAttribute("data-plot", left.toFixed(1) + "," + (W - right).toFixed(1));
    }

    // The place at distance d, between the two rows around it: a leg without elevation
    // may be one straight line of kilometres with a row at each end only, and snapping to
    // the nearer row would jump the cursor and the map's dot back to a stop.
    function placeAt(d) {
      var lo = 0, hi = pts.length - 1;
      while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (pts[mid][0] < d) lo = mid; else hi = mid; }
      var a = pts[lo], b = pts[hi];
      var f = b[0] > a[0] ? Math.max(0, Math.min(1, (d - a[0]) / (b[0] - a[0]))) : 1;
      function mix(i) { return a[i] + (b[i] - a[i]) * f; }
      // An altitude only where both rows have one: between them the leg has none.
      return [d, (a[1] === null || b[1] === null) ? null : mix(1), mix(2), mix(3)];
    }
    function at(clientX) {
      var rect = chart.getBoundingClientRect();
      var vx = (clientX - rect.left) / rect.width * W;
      var r = placeAt(Math.max(0, Math.min(maxD, (vx - left) / (W - left - right) * maxD)));
      cursor.setAttribute("x1", x(r[0])); cursor.setAttribute("x2", x(r[0]));
      cursor.setAttribute("visibility", "visible");
      marker.setLatLng([r[3], r[2]]);
      if (!map.hasLayer(marker)) marker.addTo(map);
      readout.textContent = labels.distance + " " + num(2).format(r[0] / 1000) + " km · " +
        labels.elevation + " " + (r[1] === null ? "–" : num(0).format(Math.round(r[1])) + " m");
      box.setAttribute("data-position", r[3].toFixed(6) + "," + r[2].toFixed(6));
    }

    draw();
    gapsList(box, p, labels, kmText);
    var drawnWidth = box.clientWidth;
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (box.clientWidth === drawnWidth) return;
        drawnWidth = box.clientWidth;
        draw();
      }).observe(box);
    }
    box.setAttribute("data-points", String(pts.length));
  }

  // Under the chart, in words: where there is no elevation, and why.
  function gapsList(box, p, labels, kmText) {
    var gaps = p.no_elevation || [];
    if (!gaps.length) return;
    var section = document.createElement("div");
    section.className = "profile-gaps";
    section.setAttribute("data-gaps", String(gaps.length));
    var title = document.createElement("p");
    title.className = "help";
    title.textContent = labels.gapsTitle;
    var ul = document.createElement("ul");
    gaps.forEach(function (g) {
      var li = document.createElement("li");
      li.textContent = labels.gap.replace("%(from)s", kmText(g.from_m, 100).replace(" km", ""))
        .replace("%(to)s", kmText(g.to_m, 100).replace(" km", ""))
        .replace("%(leg)s", g.leg)
        .replace("%(why)s", (labels.why || {})[g.mode === "bus" || g.mode === "train"
          ? "transit" : g.source] || "");
      ul.appendChild(li);
    });
    section.append(title, ul);
    box.parentNode.insertBefore(section, box.nextSibling);
  }

  window.AtlasRoutePage = { list: list, detail: detail };
})();
