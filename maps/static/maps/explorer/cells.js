/* Loading by cells: the view's cells of the grid (grid.js) that no cell already
 * brought, nearest the middle first; each complete cell's features drawn, each dense
 * one a bubble (bubbles.js). */

import { busy, getJSON, query } from "./api.js";
import { makeBubble, showBubbles } from "./bubbles.js";
import { addFeature, show } from "./draw.js";
import { CELL_LIMIT, PROBE_BELOW_ZOOM, PROBE_LIMIT, cellBounds, cellZoom,
         cellsCovering } from "./grid.js";

// Asked for already: this cell (loading, dense or done), or a coarser one brought complete.
function covered(cells, z, x, y) {
  for (var k = z; k >= 0; k--) {
    var s = cells.get(k + "/" + (x >> (z - k)) + "/" + (y >> (z - k)));
    if (s === "done" || (k === z && s)) return true;
  }
  return false;
}

function loadCell(atlas, z, x, y) {
  var cells = atlas.cells, container = atlas.container, generation = atlas.generation;
  var key = z + "/" + x + "/" + y, b = cellBounds(z, x, y);
  cells.set(key, "loading");
  var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
    .map(function (v) { return v.toFixed(6); }).join(",");
  // A small first page says how many a large cell holds: a dense cell costs no more
  // than that, a sparse one is often complete with it. Small cells are rarely dense:
  // they are asked for whole at once.
  var first = z < PROBE_BELOW_ZOOM ? PROBE_LIMIT : CELL_LIMIT;
  busy(atlas, 1);  // the cell, until its features are drawn
  return getJSON(atlas, query(atlas, { bbox: bbox, limit: first })).then(function (fc) {
    if (fc.numberMatched <= fc.numberReturned || fc.numberMatched > CELL_LIMIT) return fc;
    return getJSON(atlas, query(atlas, { bbox: bbox, limit: CELL_LIMIT }));
  }).then(function (fc) {
    if (generation !== atlas.generation) return;  // asked for before a new filter
    if (fc.numberMatched > fc.numberReturned) {
      cells.set(key, "dense");
      makeBubble(atlas, key, b, bbox, fc);
    } else {
      cells.set(key, "done");
      show(atlas, fc.features.map(function (f) { return addFeature(atlas, f); }));
    }
    container.setAttribute("data-features-loaded", String(atlas.registry.size));
  }).catch(function (err) {
    if (generation === atlas.generation) cells.delete(key);
    console.error("Atlas: could not load features", err);
  }).finally(function () { busy(atlas, -1); });
}

// The features of the view (and a fifth of it around), resolved once they are drawn.
export function load(atlas) {
  var map = atlas.map;
  var z = cellZoom(map);
  showBubbles(atlas);
  var want = cellsCovering(map.getBounds().pad(0.2), z).filter(function (c) {
    return !covered(atlas.cells, c[0], c[1], c[2]);
  });
  var centre = map.getCenter();
  // Nearest first: what is in the middle of the screen appears first.
  want.sort(function (a, b) {
    return cellBounds(a[0], a[1], a[2]).getCenter().distanceTo(centre)
      - cellBounds(b[0], b[1], b[2]).getCenter().distanceTo(centre);
  });
  return Promise.all(want.map(function (c) { return loadCell(atlas, c[0], c[1], c[2]); }));
}

// After the page's filters changed (a category chosen): everything drawn goes, and the
// view's cells are asked for again with the new filters.
export function reload(atlas) {
  atlas.generation += 1;
  atlas.cluster.clearLayers();
  atlas.lines.clearLayers();
  atlas.denseLayer.clearLayers();
  atlas.registry.clear();
  atlas.cells.clear();
  atlas.bubbles.clear();
  return load(atlas);
}
