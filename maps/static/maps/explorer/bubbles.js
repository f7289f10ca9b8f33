/* Dense cells: a cell holding more than CELL_LIMIT features is drawn as one counted
 * bubble, at the middle of a sample of its features, until the view is close enough
 * for its smaller cells to come complete. A bubble counts what the layer panel shows. */

import { getJSON, query } from "./api.js";
import { fmt } from "./util.js";
import { PROBE_LIMIT, cellZoom } from "./grid.js";

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

export function makeBubble(atlas, key, bounds, bbox, fc) {
  var map = atlas.map;
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
  atlas.bubbles.set(key, marker);
  showBubbles(atlas);
}

// The API's filters for what the layer panel shows: null when it shows every kind
// of feature of every partner, so that a bubble's first count serves.
function bubbleFilter(state) {
  var all = ["attraction", "trail", "route", "service", "practice"];
  var kinds = all.filter(function (k) { return state.kinds[k]; });
  if (kinds.length === all.length && state.partners === null) return null;
  var f = {};
  if (kinds.length < all.length) f.kind = kinds.join(",");
  if (state.partners !== null) f.partner = state.partners.slice().sort().join(",");
  return f;
}

function drawBubble(atlas, m, count, at) {
  var text = count.toLocaleString(atlas.options.lang);
  var title = fmt(atlas.ui.dense, { count: text });
  m.setLatLng(at);
  m.setIcon(L.divIcon({ className: "marker-cluster marker-cluster-large atlas-dense",
                        html: "<div><span>" + text + "</span></div>", iconSize: [48, 48] }));
  m.options.title = title;
  if (m.getElement()) m.getElement().title = title;
}

// A bubble counts only the kinds and partners switched on: the count for another
// choice is asked for once (a first page of the cell with the same filters).
function countBubble(atlas, m, filter, fkey) {
  m.counts[fkey] = "loading";
  var q = { bbox: m.bbox, limit: PROBE_LIMIT };
  Object.keys(filter).forEach(function (k) { q[k] = filter[k]; });
  getJSON(atlas, query(atlas, q)).then(function (fc) {
    m.counts[fkey] = { count: fc.numberMatched, at: sampleCentre(fc, m.cellBounds) };
    showBubbles(atlas);
  }).catch(function (err) {
    delete m.counts[fkey];
    console.error("Atlas: could not count features", err);
  });
}

// The bubbles of the present grid, with the counts of what the layer panel shows.
export function showBubbles(atlas) {
  var state = atlas.state, denseLayer = atlas.denseLayer;
  var z = cellZoom(atlas.map);
  var filter = bubbleFilter(state);
  var none = !(state.kinds.attraction || state.kinds.trail || state.kinds.route
               || state.kinds.service || state.kinds.practice)
    || (state.partners !== null && state.partners.length === 0);
  var fkey = filter ? new URLSearchParams(filter).toString() : "";
  atlas.bubbles.forEach(function (m) {
    var want = !none && m.cellZoom === z;
    var known = want ? m.counts[fkey] : null;
    if (want && known === undefined) countBubble(atlas, m, filter, fkey);
    want = want && known && known !== "loading" && known.count > 0;
    if (want && m.shownFor !== fkey) {
      drawBubble(atlas, m, known.count, known.at);
      m.shownFor = fkey;
    }
    if (want && !denseLayer.hasLayer(m)) denseLayer.addLayer(m);
    if (!want && denseLayer.hasLayer(m)) denseLayer.removeLayer(m);
  });
}
