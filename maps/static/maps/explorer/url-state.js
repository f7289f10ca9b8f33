/* The view (centre, zoom, kinds and partners shown, category, trail colouring, language) lives
 * in the page's query string, so a link shows what its sender saw. */

var KINDS = ["boundary", "attraction", "trail", "route", "service", "practice"];

// The view the URL asks for; kinds default to those the page shows (defaults.kinds).
export function readState(defaults) {
  var q = new URLSearchParams(window.location.search);
  var state = { view: null, kinds: {}, partners: null, colour: q.get("colour") || "activity",
                category: q.get("category") || null };
  var m = /^(\d{1,2}(?:\.5)?)\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(q.get("map") || "");
  if (m) state.view = { zoom: +m[1], center: [+m[2], +m[3]] };
  var kinds = q.get("kinds");
  KINDS.forEach(function (k) {
    state.kinds[k] = kinds === null ? defaults.kinds[k] !== false
      : kinds.split(",").indexOf(k) >= 0;
  });
  // Which type of listing the services show (?type=event), all when absent.
  state.serviceType = q.get("type") || "";
  // Only the listings open on that day (?open_on=2026-04-13) or on a day of that period
  // (?open_on=2026-04-13/2026-04-19), every one when absent.
  var day = q.get("open_on") || "";
  state.openOn = /^\d{4}-\d{2}-\d{2}(\/\d{4}-\d{2}-\d{2})?$/.test(day) ? day : "";
  if (q.get("partners") !== null) {
    state.partners = q.get("partners").split(",").filter(Boolean);
  }
  return state;
}

function stateQuery(atlas) {
  var map = atlas.map, state = atlas.state;
  var q = new URLSearchParams(window.location.search);
  var c = map.getCenter(), z = map.getZoom();
  var digits = Math.max(2, Math.ceil(Math.log(Math.pow(2, z)) / Math.LN10));
  q.set("map", Math.round(z * 2) / 2 + "/" + c.lat.toFixed(digits) + "/"
    + c.lng.toFixed(digits));
  q.set("lang", atlas.options.lang);
  var kinds = KINDS.filter(function (k) { return state.kinds[k]; });
  if (kinds.length === KINDS.length) q.delete("kinds"); else q.set("kinds", kinds.join(","));
  if (state.partners === null) q.delete("partners");
  else q.set("partners", state.partners.join(","));
  if (state.colour === "activity") q.delete("colour"); else q.set("colour", state.colour);
  if (state.category) q.set("category", state.category); else q.delete("category");
  if (state.serviceType) q.set("type", state.serviceType); else q.delete("type");
  if (state.openOn) q.set("open_on", state.openOn); else q.delete("open_on");
  return q;
}

export function writeState(atlas) {
  if (!atlas.options.syncUrl) return;
  var q = stateQuery(atlas);
  window.history.replaceState(null, "", window.location.pathname + "?" + q.toString());
  // The language switcher keeps the view: each of its links is this URL in its language.
  document.querySelectorAll("a[data-lang-switch]").forEach(function (a) {
    q.set("lang", a.getAttribute("data-lang-switch"));
    a.href = window.location.pathname + "?" + q.toString();
  });
}
