/* The layers panel (kinds and partners shown), the legend (trail colours, attraction
 * icons), and where they stand on a narrow map so that they hide nothing. */

import { getJSON } from "./api.js";
import { reload } from "./cells.js";
import { applyVisibility, partnerShown } from "./draw.js";
import { ACTIVITY_COLOURS, CATEGORY_ICONS, DIFFICULTY_COLOURS, lineStyle } from "./style.js";
import { writeState } from "./url-state.js";
import { button, checkbox, el, roomy } from "./util.js";

// A panel's button and the body it folds and unfolds; open at first on a large map.
function foldingPanel(className, title, bodyId, open) {
  var box = el("div", { className: "leaflet-bar atlas-panel " + className });
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);
  var toggle = button(title, "atlas-panel-toggle");
  toggle.setAttribute("aria-expanded", String(open));
  toggle.setAttribute("aria-controls", bodyId);
  var body = el("div", { className: "atlas-panel-body", id: bodyId });
  body.hidden = !open;
  toggle.addEventListener("click", function () {
    body.hidden = !body.hidden;
    toggle.setAttribute("aria-expanded", String(!body.hidden));
  });
  box.appendChild(toggle);
  box.appendChild(body);
  return { box: box, body: body };
}

export function addLayersPanel(atlas) {
  var state = atlas.state, ui = atlas.ui;
  var LayersControl = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      // Open on a large map; on a phone or a small map the panel would hide the map.
      var panel = foldingPanel("atlas-layers", ui.layers, "atlas-layers-body",
                               roomy(atlas.container));
      var kinds = el("fieldset", {});
      kinds.appendChild(el("legend", {}, ui.show));
      [["boundary", ui.boundaries], ["attraction", ui.attractions], ["trail", ui.trails],
       ["route", ui.routes], ["service", ui.services], ["practice", ui.practices]].forEach(function (k) {
        kinds.appendChild(checkbox("atlas-kind-" + k[0], k[1], state.kinds[k[0]],
          function (on) { state.kinds[k[0]] = on; applyVisibility(atlas); }));
      });
      // Which type of listing the services show: every type, or one.
      var typeLabel = el("label", { "for": "atlas-service-type" }, ui.serviceType + " ");
      var typeSelect = el("select", { id: "atlas-service-type" });
      typeSelect.appendChild(el("option", { value: "" }, ui.allTypes));
      Object.keys(atlas.labels.listingTypes).forEach(function (t) {
        var opt = el("option", { value: t }, atlas.labels.listingTypes[t]);
        if (state.serviceType === t) opt.selected = true;
        typeSelect.appendChild(opt);
      });
      typeSelect.addEventListener("change", function () {
        state.serviceType = typeSelect.value;
        applyVisibility(atlas);
      });
      var typeRow = el("div", { className: "atlas-service-type" });
      typeRow.appendChild(typeLabel);
      typeRow.appendChild(typeSelect);
      kinds.appendChild(typeRow);
      // Only the listings open on a day, or on some day of a period (an event on then):
      // their hours, season, dates and public holidays, as /api/services/?open_on= says.
      // The ids are asked once per choice.
      var openRow = el("div", { className: "atlas-open-on" });
      openRow.appendChild(el("label", { "for": "atlas-open-on" }, ui.openOn + " "));
      var limits = atlas.options.openOn;
      var openInput = el("input", { id: "atlas-open-on", type: "date", min: limits.first,
                                    max: limits.last });
      var untilInput = el("input", { id: "atlas-open-until", type: "date" });
      // Why the map shows every listing although days are chosen (the API refused them,
      // or could not be reached); empty while the filter holds.
      var status = el("div", { id: "atlas-open-on-status", className: "atlas-open-on-status",
                             role: "alert" });
      status.hidden = true;
      var chosen = (state.openOn || "").split("/");
      openInput.value = chosen[0] || "";
      untilInput.value = chosen[1] || "";
      untilBounds(openInput, untilInput, limits);
      function openChosen() {
        var first = openInput.value, last = untilInput.value;
        untilBounds(openInput, untilInput, limits);
        state.openOn = !first ? "" : last && last > first ? first + "/" + last : first;
        loadOpenOn(atlas);
      }
      openInput.addEventListener("change", openChosen);
      untilInput.addEventListener("change", openChosen);
      openRow.appendChild(openInput);
      openRow.appendChild(el("label", { "for": "atlas-open-until" }, " " + ui.openUntil + " "));
      openRow.appendChild(untilInput);
      openRow.appendChild(status);
      kinds.appendChild(openRow);
      atlas.openOnStatus = { status: status, inputs: [openInput, untilInput] };
      if (state.openOn) loadOpenOn(atlas);
      var partners = el("fieldset", { className: "atlas-partners" });
      partners.appendChild(el("legend", {}, ui.partners));
      panel.body.appendChild(kinds);
      var categories = categoryFilter(atlas);
      if (categories) panel.body.appendChild(categories);
      panel.body.appendChild(partners);
      this.partnersBox = partners;
      return panel.box;
    },
    // A partner's box, with a swatch of its colour (its boundary's on the map).
    addPartner: function (slug, name, colour) {
      var sw = el("span", { className: "atlas-swatch", "aria-hidden": "true" });
      sw.style.borderColor = colour;
      this.partnersBox.appendChild(checkbox("atlas-partner-" + slug, name,
        partnerShown(atlas, slug), function (on) {
          var all = Object.keys(atlas.partners);
          var current = state.partners === null ? all.slice() : state.partners.slice();
          current = current.filter(function (s) { return s !== slug; });
          if (on) current.push(slug);
          state.partners = current.length === all.length ? null : current;
          applyVisibility(atlas);
        }, sw));
    }
  });
  return new LayersControl().addTo(atlas.map);
}

// The last day the "until" field offers: a period of at most limits.maxDays days from
// the first day, as /api/services/?open_on= accepts (and never before the first day).
function untilBounds(openInput, untilInput, limits) {
  var first = openInput.value;
  if (!first) {
    untilInput.min = limits.first;
    untilInput.max = limits.last;
    return;
  }
  var last = new Date(first + "T00:00:00Z");
  last.setUTCDate(last.getUTCDate() + limits.maxDays - 1);
  var lastDay = last.toISOString().slice(0, 10);
  untilInput.min = first;
  untilInput.max = lastDay < limits.last ? lastDay : limits.last;
}

// Say why the choice of days does not filter the map (reason, then what the map shows),
// or that it does (no note).
function openOnRefused(atlas, note, reason) {
  var box = atlas.openOnStatus;
  if (!box) return;
  box.status.textContent = "";
  if (reason) box.status.appendChild(el("span", { className: "atlas-open-on-reason" }, reason));
  if (note) box.status.appendChild(el("span", {}, note));
  var message = note || reason;
  box.status.hidden = !message;
  box.inputs.forEach(function (input) {
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  });
  if (message) atlas.container.setAttribute("data-open-on", "refused");
  else atlas.container.removeAttribute("data-open-on");
}

// The ids of the listings open on state.openOn, a day or a period first/last (none
// chosen: every listing shows). When the API refuses the days (a period too long, a day
// out of its range, typed past the fields' limits or given in the URL), the panel says
// its reason and that every listing shows: the map never looks filtered when it is not.
function loadOpenOn(atlas) {
  var day = atlas.state.openOn;
  if (!day) {
    atlas.openIds = null;
    openOnRefused(atlas, null, null);
    applyVisibility(atlas);
    return;
  }
  var url = atlas.options.servicesUrl + "?" + new URLSearchParams(
    { open_on: day, limit: "10000", lang: atlas.options.lang }).toString();
  getJSON(atlas, url).then(function (body) {
    if (atlas.state.openOn !== day) return;  // another day was chosen meanwhile
    atlas.openIds = new Set(body.features.map(function (f) { return f.id; }));
    openOnRefused(atlas, null, null);
    applyVisibility(atlas);
  }).catch(function (error) {
    if (atlas.state.openOn !== day) return;
    atlas.openIds = null;
    var ui = atlas.ui, reason = error && error.status === 400 && error.body
      && error.body.error;
    openOnRefused(atlas, reason ? ui.openOnNotApplied : ui.openOnFailed, reason);
    applyVisibility(atlas);
  });
}

// The categories of the attractions the page has (options.categories, by name in the
// page's language): choosing one shows only its attractions, and no trail or route.
function categoryFilter(atlas) {
  var present = atlas.options.categories || [], labels = atlas.labels, ui = atlas.ui;
  if (present.length < 2) return null;
  var row = el("div", { className: "atlas-category" });
  row.appendChild(el("label", { "for": "atlas-category" }, ui.category));
  var select = el("select", { id: "atlas-category" });
  select.appendChild(el("option", { value: "" }, ui.allCategories));
  present.map(function (c) { return [c, labels.categories[c] || c]; })
    .sort(function (a, b) { return a[1].localeCompare(b[1], atlas.options.lang); })
    .forEach(function (c) {
      var opt = el("option", { value: c[0] }, c[1]);
      if (atlas.state.category === c[0]) opt.selected = true;
      select.appendChild(opt);
    });
  select.addEventListener("change", function () {
    atlas.state.category = select.value || null;
    if (select.value) atlas.base.category = select.value; else delete atlas.base.category;
    writeState(atlas);
    reload(atlas);
  });
  row.appendChild(select);
  return row;
}

export function addLegend(atlas) {
  var state = atlas.state, ui = atlas.ui, labels = atlas.labels, options = atlas.options;
  var LegendControl = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function () {
      var panel = foldingPanel("atlas-legend", ui.legend, "atlas-legend-body",
                               roomy(atlas.container));
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
        atlas.lines.eachLayer(function (l) {
          l.eachLayer(function (part) {
            part.setStyle(lineStyle(atlas, part.feature.properties));
          });
        });
        writeState(atlas);
      });
      fill();
      var icons = el("details", { className: "atlas-legend-icons" });
      icons.appendChild(el("summary", {}, ui.attractions));
      var ul = el("ul", {});
      // Only the categories the page has (all of them if the page does not say).
      var present = options.categories || Object.keys(CATEGORY_ICONS);
      Object.keys(CATEGORY_ICONS).filter(function (c) {
        return present.indexOf(c) >= 0;
      }).forEach(function (c) {
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
      panel.body.appendChild(pick);
      panel.body.appendChild(select);
      panel.body.appendChild(list);
      panel.body.appendChild(icons);
      return panel.box;
    }
  });
  return new LegendControl().addTo(atlas.map);
}

// On a narrow map (a phone) the search row takes nearly the map's width, and the layer
// panel, opened from the top-right corner beside the zoom buttons, hung over it. There
// that corner starts below the search row instead, whatever width the page's language
// gives the panel, and the panel's list scrolls before it reaches the folded legend.
function layersClearOfSearch(atlas, search, layersControl, legend) {
  var panel = layersControl.getContainer(), corner = panel.parentNode;
  var body = panel.querySelector(".atlas-panel-body");
  corner.style.top = "";
  body.style.maxHeight = "";
  if (!search) return;
  var frame = atlas.container.getBoundingClientRect();
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
  body.style.maxHeight = Math.max(120, Math.min(0.6 * window.innerHeight, floor - top))
    + "px";
}

// On a narrow map the credits (OpenStreetMap's, and in an embed the way to the full
// atlas) wrap across the whole width, over the folded legend: the bottom-left corner
// then stands on them.
function legendClearOfCredits(atlas, legend) {
  var map = atlas.map, corner = legend.getContainer().parentNode;
  corner.style.bottom = "";
  var credits = map.attributionControl && map.attributionControl.getContainer();
  if (!credits) return;
  var c = credits.getBoundingClientRect(), l = corner.getBoundingClientRect();
  if (c.left < l.right && c.top < l.bottom) {
    corner.style.bottom = Math.ceil(atlas.container.getBoundingClientRect().bottom - c.top)
      + "px";
  }
}

// Now and whenever the map changes size. search is null on a map without a search box.
export function keepPanelsClear(atlas, search, layersControl, legend) {
  function clearOfEachOther() {
    legendClearOfCredits(atlas, legend);
    layersClearOfSearch(atlas, search, layersControl, legend);
  }
  clearOfEachOther();
  atlas.map.on("resize", clearOfEachOther);
}
