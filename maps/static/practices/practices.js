/* Good practice pages: the list's map (a point on each place of each practice), a
   practice's map (its places whole), and the form's place picker and evidence rows.
   Partners' texts reach the page as text nodes only, never as HTML. */
(function () {
  "use strict";
  var COLOUR = "#7d3c98";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node[k] = attrs[k]; });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function point(latlng, name) {
    return L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2, fillColor: COLOUR,
      fillOpacity: 1, className: "atlas-practice" }).bindTooltip(el("span", {}, name));
  }

  function fit(map, group) {
    var b = group.getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [24, 24], maxZoom: 13 });
  }

  function list(map, o) {
    var group = L.featureGroup().addTo(map);
    getJSON(o.url).then(function (fc) {
      fc.features.forEach(function (f) {
        if (!f.geometry) return;
        var link = el("a", { href: f.properties.url }, f.properties.title);
        f.geometry.coordinates.forEach(function (c) {
          var m = point([c[1], c[0]], f.properties.title).bindPopup(link);
          m.on("click", function () { m.openPopup(); });
          m.addTo(group);
        });
      });
      fit(map, group);
    });
  }

  function detail(map, o) {
    var group = L.featureGroup().addTo(map);
    getJSON(o.url).then(function (f) {
      // A practice comes as a GeoJSON Feature, a study visit as plain JSON.
      (f.properties || f).places.forEach(function (p) {
        if (!p.geometry) return;
        L.geoJSON(p.geometry, {
          style: { color: COLOUR, weight: 4, opacity: 0.9, fillOpacity: 0.15 },
          pointToLayer: function (_f, latlng) { return point(latlng, p.name || ""); }
        }).bindTooltip(el("span", {}, p.name || "")).addTo(group);
      });
      fit(map, group);
    });
  }

  // The form: places chosen from the partner's attractions, trails and routes, or shapes drawn
  // on the map (a point by a click; a line or an area with leaflet-geoman); kept as JSON in a
  // hidden field the form sends.
  function editor(map, o) {
    var field = document.getElementById("f-places");
    var chosen = JSON.parse(field.value || "[]");
    var names = {};
    var options = [];
    var drawn = L.featureGroup().addTo(map);
    var shown = L.featureGroup().addTo(map);
    var listBox = document.getElementById("place-choices");
    var chosenBox = document.getElementById("chosen-places");
    var filter = document.getElementById("place-filter");
    var partnerSelect = document.querySelector("[data-partner]");

    function key(p) { return p.attraction || p.trail || p.route || JSON.stringify(p.geometry); }

    function save() { field.value = JSON.stringify(chosen); }

    function renderChosen() {
      chosenBox.textContent = "";
      drawn.clearLayers();
      if (!chosen.length) chosenBox.appendChild(el("li", { className: "help" }, o.labels.noPlace));
      chosen.forEach(function (p, i) {
        var name = p.label || names[key(p)] || (p.geometry ? drawnName(p.geometry) : key(p));
        var li = el("li", {}, name + " ");
        var shape = null;
        if (p.geometry) {
          shape = L.geoJSON(p.geometry, {
            pointToLayer: function (_f, ll) { return point(ll, name); },
            style: function () { return { color: COLOUR, weight: 4 }; }
          }).addTo(drawn).getLayers()[0];
          var edit = el("button", { type: "button", className: "link" }, o.labels.edit);
          edit.setAttribute("data-edit-shape", "");
          // Geoman moves the vertices in place; the place keeps what they became.
          shape.on("pm:edit", function () {
            p.geometry = shape.toGeoJSON(6).geometry; save();
          });
          edit.addEventListener("click", function () {
            if (shape.pm.enabled()) { shape.pm.disable(); renderChosen(); return; }
            shape.pm.enable({ allowSelfIntersection: false });
            edit.textContent = o.labels.done;
          });
          li.appendChild(edit);
          li.appendChild(document.createTextNode(" "));
        }
        var remove = el("button", { type: "button", className: "link" }, o.labels.remove);
        remove.addEventListener("click", function () {
          chosen.splice(i, 1); save(); renderChosen();
        });
        li.appendChild(remove);
        chosenBox.appendChild(li);
      });
      save();
    }

    function renderOptions() {
      var words = (filter.value || "").toLowerCase();
      listBox.textContent = "";
      options.filter(function (x) { return !words || x.name.toLowerCase().indexOf(words) >= 0; })
        .slice(0, 30).forEach(function (x) {
          var li = el("li", {}, x.name + " ");
          var add = el("button", { type: "button" }, o.labels.add);
          add.setAttribute("aria-label", o.labels.add + ": " + x.name);
          add.addEventListener("click", function () {
            var p = {}; p[x.type] = x.id;
            if (!chosen.some(function (c) { return key(c) === x.id; })) chosen.push(p);
            renderChosen();
          });
          li.appendChild(add);
          listBox.appendChild(li);
        });
    }

    function load(partner) {
      options = []; shown.clearLayers();
      if (!partner) { renderOptions(); return; }
      var kinds = ["attraction", "trail", "route"];
      var asked = [getJSON(o.attractionsUrl + partner), getJSON(o.trailsUrl + partner)];
      if (o.routesUrl) asked.push(getJSON(o.routesUrl + partner));
      Promise.all(asked)
        .then(function (all) {
          all.forEach(function (fc, n) {
            fc.features.forEach(function (f) {
              // A route is named by its slug (what the place keeps), the others by id.
              var id = n === 2 ? f.properties.slug : f.id;
              var x = { id: id, type: kinds[n], name: f.properties.name || id };
              names[id] = x.name;
              options.push(x);
              if (!n && f.geometry) {
                var c = f.geometry.coordinates;
                L.circleMarker([c[1], c[0]], { radius: 4, color: "#555", weight: 1 })
                  .bindTooltip(el("span", {}, x.name)).addTo(shown);
              }
            });
          });
          options.sort(function (a, b) { return a.name.localeCompare(b.name); });
          renderOptions(); renderChosen(); fit(map, shown);
        });
    }

    function drawnName(g) {
      if (/LineString/.test(g.type)) return o.labels.drawnLine;
      if (/Polygon/.test(g.type)) return o.labels.drawnArea;
      return o.labels.drawn;
    }

    // Lines and areas: our own buttons (translated) start geoman's drawing, without its
    // toolbar or its English tooltips.
    var drawing = null;
    var drawButtons = document.querySelectorAll("[data-draw]");
    function stopDrawing() {
      drawing = null;
      map.pm.disableDraw();
      Array.prototype.forEach.call(drawButtons, function (b) {
        b.textContent = o.labels[b.getAttribute("data-draw")];
        b.setAttribute("aria-pressed", "false");
      });
    }
    Array.prototype.forEach.call(drawButtons, function (b) {
      b.addEventListener("click", function () {
        var kind = b.getAttribute("data-draw");
        var again = drawing === kind;
        stopDrawing();
        if (again) return;
        drawing = kind;
        map.pm.enableDraw(kind === "drawLine" ? "Line" : "Polygon",
                          { tooltips: false, allowSelfIntersection: false });
        b.textContent = o.labels.stop;
        b.setAttribute("aria-pressed", "true");
      });
    });
    map.on("pm:create", function (e) {
      chosen.push({ geometry: e.layer.toGeoJSON(6).geometry });
      e.layer.remove();
      stopDrawing();
      renderChosen();
    });

    map.on("click", function (e) {
      // While geoman draws or edits, a click is a vertex, not a new point.
      if (drawing || map.pm.globalDrawModeEnabled()) return;
      if (drawn.getLayers().some(function (l) { return l.pm && l.pm.enabled(); })) return;
      chosen.push({ geometry: { type: "Point", coordinates: [
        Math.round(e.latlng.lng * 1e6) / 1e6, Math.round(e.latlng.lat * 1e6) / 1e6] } });
      renderChosen();
    });
    filter.addEventListener("input", renderOptions);
    if (partnerSelect) {
      partnerSelect.addEventListener("change", function () { load(partnerSelect.value); });
      load(partnerSelect.value);
    } else {
      load(o.partner);
    }
    renderChosen();
    indicators();
  }

  var INDICATOR_KEYS = ["name", "measure", "unit", "value_before", "date_before",
                        "value_after", "date_after", "source"];
  // With a planner indicator, the server takes these from the planner's analyses.
  var FROM_PLANNER = ["unit", "value_before", "value_after", "source"];

  function indicators() {
    var field = document.getElementById("f-indicators");
    var table = document.getElementById("indicator-table");
    if (!field || !table) return;
    var body = table.tBodies[0];
    var heads = table.tHead.rows[0].cells;
    var measures = document.getElementById("indicator-measures");

    function row(values) {
      var tr = document.createElement("tr");
      var given = function (k) {
        return values[k] === null || values[k] === undefined ? "" : values[k];
      };
      INDICATOR_KEYS.forEach(function (k, i) {
        var td = document.createElement("td");
        var input;
        if (k === "measure") {
          input = measures.cloneNode(true);
          input.hidden = false;
          input.removeAttribute("id");
          input.removeAttribute("aria-hidden");
          input.removeAttribute("tabindex");
          input.value = given(k);
          input.setAttribute("aria-describedby", "indicator-help");
        } else {
          var type = k.indexOf("date") === 0 ? "date" : k.indexOf("value") === 0 ? "number" : "text";
          input = el("input", { type: type, value: given(k) });
          if (type === "number") input.step = "any";
        }
        input.setAttribute("aria-label", heads[i].textContent);
        input.dataset.key = k;
        td.appendChild(input); tr.appendChild(td);
      });
      var measure = tr.querySelector("[data-key=measure]");
      var planned = function () {
        FROM_PLANNER.forEach(function (k) {
          tr.querySelector("[data-key=" + k + "]").disabled = !!measure.value;
        });
      };
      measure.addEventListener("change", planned);
      planned();
      var td = document.createElement("td");
      var remove = el("button", { type: "button", className: "link" }, "×");
      remove.setAttribute("aria-label", "−");
      remove.addEventListener("click", function () { tr.remove(); });
      td.appendChild(remove); tr.appendChild(td);
      body.appendChild(tr);
    }

    JSON.parse(field.value || "[]").forEach(row);
    document.querySelector("[data-add-indicator]").addEventListener("click", function () {
      row({});
    });
    field.form.addEventListener("submit", function () {
      var rows = [];
      Array.prototype.forEach.call(body.rows, function (tr) {
        var v = {};
        tr.querySelectorAll("[data-key]").forEach(function (i) {
          if (!i.disabled) v[i.dataset.key] = i.value;
        });
        if (v.name) rows.push(v);
      });
      field.value = JSON.stringify(rows);
    });
  }

  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });

  window.AtlasPractices = { list: list, detail: detail, editor: editor };
})();
