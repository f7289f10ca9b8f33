/* What a feature's popup says: its name, kind, length and climb, whether a listing or an
 * attraction is open now (and on the day the "open on" filter chose) with its week's hours,
 * the start of its description, its partner and a link to its page. All of it is text. */

import { el } from "./util.js";

var NO_UID = "00000000-0000-0000-0000-000000000000";

function detailUrl(atlas, f) {
  if (f.properties.url) return f.properties.url;
  var t = atlas.options.detailUrls[f.properties.kind];
  return t ? t.replace(NO_UID, f.id) : null;
}

// A feature's kind in words: an attraction's category, a trail's activity and difficulty.
export function kindLabel(atlas, p) {
  var labels = atlas.labels;
  if (p.kind === "attraction") return labels.categories[p.category] || p.category;
  if (p.kind === "service") return labels.listingTypes[p.type] || p.type;
  if (p.kind === "trail") {
    var a = labels.activities[p.activity] || p.activity;
    return p.difficulty ? a + " · " + (labels.difficulties[p.difficulty] || p.difficulty) : a;
  }
  if (p.kind === "practice") return atlas.ui.practice;
  return atlas.ui.route;
}

// A listing's or an attraction's hours, as the server read them at opening
// (/api/services/<uid>/hours/, /api/attractions/<uid>/hours/):
// feature id -> {url, body, weekOpen}, kept while its popup stays open.
var hoursKept = new Map();

function hoursUrl(atlas, f) {
  var t = (atlas.options.hoursUrls || {})[f.properties.kind];
  if (!t) return null;
  var q = new URLSearchParams({ lang: atlas.options.lang });
  // A day chosen (not a period): the popup says its hours that day.
  if (atlas.state.openOn && atlas.state.openOn.indexOf("/") < 0) q.set("on", atlas.state.openOn);
  return t.replace(NO_UID, f.id) + "?" + q.toString();
}

// The popup made anew (update() calls popupContent again), fitted and kept in view; the
// element a keyboard user was on is made anew too, and the focus follows it.
function remake(layer, box) {
  var popup = layer.getPopup(), map = layer._map;
  var active = document.activeElement;
  var focused = box.contains(active) && active.className ? active.className.split(" ")[0] : "";
  function redo() {
    popup.update();
    var again = focused && popup.getElement().querySelector("." + focused);
    if (again) again.focus();
  }
  // Leaflet's update() stops a pan in progress (in its _adjustPan) and leaves the popup
  // where that pan had reached, under a control: the hours that come while the map pans
  // for the popup (or the week unfolded then) wait for the move's end.
  if (map && map._panAnim && map._panAnim._inProgress) {
    map.once("moveend", function () {
      if (popup.isOpen()) redo();
    });
  } else {
    redo();
  }
}

function fillHours(atlas, holder, kept, layer, box) {
  var body = kept.body;
  // Nothing at all when the hours say nothing (no hours, or none known now).
  if (body.summary) {
    holder.appendChild(el("div", { className: "atlas-popup-open open-state open-state-"
                                     + body.state, "data-state": body.state }, body.summary));
  }
  if (body.on && body.on.summary) {
    holder.appendChild(el("div", { className: "atlas-popup-on", "data-state": body.on.state },
                          body.on.summary));
  }
  if (body.week.length) {
    var details = el("details", { className: "atlas-popup-week" });
    details.open = !!kept.weekOpen;
    details.appendChild(el("summary", { className: "atlas-popup-week-toggle" }, atlas.ui.hours));
    // Unfolded, the popup grows upwards: made again, it is moved back into view.
    details.addEventListener("toggle", function () {
      if (kept.weekOpen === details.open) return;
      kept.weekOpen = details.open;
      remake(layer, box);
    });
    var table = el("table", {});
    body.week.forEach(function (d, i) {
      var row = el("tr", { className: i === 0 ? "today" : "" });
      row.appendChild(el("th", { scope: "row" }, d.name));
      row.appendChild(el("td", {}, d.hours));
      table.appendChild(row);
    });
    details.appendChild(table);
    holder.appendChild(details);
  } else if (body.opening_hours) {
    // Hours kept as the partner wrote them (not OpenStreetMap's syntax): shown as given.
    holder.appendChild(el("div", { className: "atlas-popup-hours-text" }, body.opening_hours));
  }
}

// Asked when the popup opens, so that "open now" is the server's now; the popup is then
// made again from the answer, kept while it stays open.
function addHours(atlas, f, box, holder, layer) {
  var url = hoursUrl(atlas, f);
  if (!url) return;
  box.appendChild(holder);
  var kept = hoursKept.get(f.id);
  if (kept && kept.url === url) {
    fillHours(atlas, holder, kept, layer, box);
    box.setAttribute("data-hours", "ready");
    return;
  }
  box.setAttribute("data-hours", "loading");
  fetch(url).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status + " for " + url);
    return r.json();
  }).then(function (body) {
    var popup = layer && layer.getPopup();
    if (!popup || !popup.isOpen()) return;
    hoursKept.set(f.id, { url: url, body: body, weekOpen: false });
    layer.once("popupclose", function () { hoursKept.delete(f.id); });
    remake(layer, box);
  }).catch(function (err) {
    box.setAttribute("data-hours", "failed");
    console.error("Atlas: no hours", err);
  });
}

export function popupContent(atlas, f, layer) {
  var p = f.properties;
  var box = el("div", { className: "atlas-popup", lang: atlas.options.lang });
  // The first photo's small rendition, served by the platform (a path of our own).
  if (p.photo && p.photo.indexOf("/media/") === 0) {
    box.appendChild(el("img", { className: "atlas-popup-photo", src: p.photo, alt: "",
                                width: 160, loading: "lazy" }));
  }
  box.appendChild(el("strong", { className: "atlas-popup-name" }, p.name || "—"));
  box.appendChild(el("div", { className: "atlas-popup-kind" }, kindLabel(atlas, p)));
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
  addHours(atlas, f, box, el("div", { className: "atlas-popup-hours" }), layer);
  if (p.description) {
    var text = p.description.length > 180
      ? p.description.slice(0, 177).replace(/\s+\S*$/, "") + " …" : p.description;
    box.appendChild(el("p", { className: "atlas-popup-description" }, text));
  }
  var info = atlas.partners[p.partner];
  box.appendChild(el("div", { className: "atlas-popup-partner" },
                     info ? info.name : p.partner));
  var href = detailUrl(atlas, f);
  if (href) {
    var a = el("a", { className: "atlas-popup-link", href: href }, atlas.ui.details);
    if (atlas.options.embed) { a.target = "_blank"; a.rel = "noopener"; }
    box.appendChild(a);
  }
  return box;
}

// A partner territory's popup: its name, what it is, and its routes.
export function partnerPopupContent(atlas, slug) {
  var box = el("div", { className: "atlas-popup atlas-popup-partner-territory",
                        lang: atlas.options.lang });
  box.appendChild(el("strong", { className: "atlas-popup-name" }, atlas.partners[slug].name));
  box.appendChild(el("div", { className: "atlas-popup-kind" }, atlas.ui.partner));
  var routes = atlas.options.routeListUrl;
  if (routes) {
    var a = el("a", { className: "atlas-popup-link",
                      href: routes + "?partner=" + encodeURIComponent(slug) },
               atlas.ui.partnerRoutes);
    if (atlas.options.embed) { a.target = "_blank"; a.rel = "noopener"; }
    box.appendChild(a);
  }
  return box;
}
