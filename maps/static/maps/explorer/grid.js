/* The fixed grid features are asked for by: web-map tiles, two zoom levels coarser
 * than the view (main.js says why). Pure arithmetic on Leaflet's types. */

export var CELL_LIMIT = 2000;       // a cell holding more is "dense": drawn as one bubble
export var PROBE_LIMIT = 64;        // the first page of a large cell, to count it
export var PROBE_BELOW_ZOOM = 11;   // cells of zoom 11 are about 20 km wide
var MAX_CELL_ZOOM = 14;

function lon2x(lon, z) { return Math.floor((lon + 180) / 360 * Math.pow(2, z)); }
function lat2y(lat, z) {
  var r = lat * Math.PI / 180;
  return Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * Math.pow(2, z));
}
function x2lon(x, z) { return x / Math.pow(2, z) * 360 - 180; }
function y2lat(y, z) {
  var n = Math.PI - 2 * Math.PI * y / Math.pow(2, z);
  return 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
}

export function cellBounds(z, x, y) {
  return L.latLngBounds([y2lat(y + 1, z), x2lon(x, z)], [y2lat(y, z), x2lon(x + 1, z)]);
}

export function cellsCovering(bounds, z) {
  var n = Math.pow(2, z), out = [];
  var south = Math.max(bounds.getSouth(), -85), north = Math.min(bounds.getNorth(), 85);
  var x0 = Math.max(0, lon2x(Math.max(bounds.getWest(), -180), z));
  var x1 = Math.min(n - 1, lon2x(Math.min(bounds.getEast(), 179.9999), z));
  var y0 = Math.max(0, lat2y(north, z)), y1 = Math.min(n - 1, lat2y(south, z));
  for (var x = x0; x <= x1; x++) for (var y = y0; y <= y1; y++) out.push([z, x, y]);
  return out;
}

// The zoom of the grid's cells for the map's present view.
export function cellZoom(map) {
  return Math.max(2, Math.min(MAX_CELL_ZOOM, Math.floor(map.getZoom()) - 2));
}
