/* What a feature's popup says: its name, kind, length and climb, the start of its
 * description, its partner and a link to its page. All of it is text. */

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

export function popupContent(atlas, f) {
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
