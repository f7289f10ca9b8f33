/* What is on the map: the Leaflet layers features are drawn in, each feature's marker
 * or line (made once, kept in atlas.registry by id), partners' boundaries, and which
 * of them the layer panel's choices show. */

import { showBubbles } from "./bubbles.js";
import { ClearPopup } from "./clear-popup.js";
import { eachPart, keyboardLine, markersInView } from "./keyboard.js";
import { partnerPopupContent, popupContent } from "./popup.js";
import { iconFor, lineStyle } from "./style.js";
import { writeState } from "./url-state.js";
import { escapeAttr, fmt } from "./util.js";

// The groups, in the order they are drawn: boundaries under lines, clusters under bubbles.
export function addLayers(atlas) {
  var map = atlas.map, options = atlas.options;
  atlas.boundaries = L.featureGroup().addTo(map);
  atlas.cluster = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 50, chunkedLoading: true,
    // markercluster's own icon, with words a screen reader can say: the number alone,
    // read out as "16", says nothing.
    iconCreateFunction: function (c) {
      var n = c.getChildCount();
      var count = n.toLocaleString(options.lang);
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      return L.divIcon({
        html: '<div><span aria-hidden="true">' + count + '</span><span class="atlas-sr">'
          + escapeAttr(fmt(atlas.ui.dense, { count: count })) + "</span></div>",
        className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40)
      });
    }
  }).addTo(map);
  // markercluster moves markers in and out of clusters after a zoom, with a transition.
  atlas.cluster.on("animationend", function () { markersInView(atlas); });
  atlas.lines = L.featureGroup().addTo(map);
  atlas.denseLayer = L.layerGroup().addTo(map);
}

export function partnerShown(atlas, slug) {
  var partners = atlas.state.partners;
  return partners === null || partners.indexOf(slug) >= 0;
}

function shown(atlas, rec) {
  var type = atlas.state.serviceType;
  if (rec.kind === "service" && type && rec.feature.properties.type !== type) return false;
  if (rec.kind === "service" && atlas.openIds && !atlas.openIds.has(rec.feature.id)) {
    return false;
  }
  return atlas.state.kinds[rec.kind] && partnerShown(atlas, rec.partner);
}

// Points with an icon, clustered: attractions and listings.
function isMarker(kind) { return kind === "attraction" || kind === "service"; }

// A partner's boundary, in the partner's own colour (from its data), not interactive.
export function partnerBoundary(slug, feature, colour) {
  return L.geoJSON(feature, {
    style: { color: colour, weight: 2, fillOpacity: 0.03,
             className: "atlas-boundary atlas-boundary-" + slug },
    interactive: false
  });
}

// The feature's marker or line with its popup, made once; not yet on the map (show).
export function addFeature(atlas, f) {
  if (atlas.registry.has(f.id)) return;
  var p = f.properties, layer;
  if (isMarker(p.kind)) {
    var c = f.geometry.coordinates;
    layer = L.marker([c[1], c[0]], {
      icon: iconFor(atlas, p), keyboard: true, title: p.name || "", riseOnHover: true
    });
  } else {
    layer = L.geoJSON(f, {
      style: function () { return lineStyle(atlas, p); },
      // A practice is a point on each of its places (a line's or an area's on its surface).
      pointToLayer: function (_f, latlng) { return L.circleMarker(latlng, { radius: 7 }); }
    });
    eachPart(layer, function (part) {
      // Leaflet draws a new <path> each time a line is added to the map.
      part.on("add", function () { keyboardLine(atlas, part, layer, p); });
    });
  }
  // Popups open clear of the search box, the buttons and the panels, never under them.
  layer.bindPopup(new ClearPopup({}, layer).setContent(function () {
    return popupContent(atlas, f, layer);
  }));
  var rec = { id: f.id, kind: p.kind, partner: p.partner, layer: layer, feature: f,
              shown: false };
  atlas.registry.set(f.id, rec);
  return rec;
}

export function show(atlas, recs) {
  var markers = [];
  recs.forEach(function (rec) {
    if (!rec || !shown(atlas, rec)) return;
    rec.shown = true;
    if (isMarker(rec.kind)) markers.push(rec.layer);
    else atlas.lines.addLayer(rec.layer);
  });
  if (markers.length) atlas.cluster.addLayers(markers);
}

// After a choice in the layer panel: each feature, boundary and bubble shown or not.
export function applyVisibility(atlas) {
  var add = [], remove = [], boundaries = atlas.boundaries;
  atlas.registry.forEach(function (rec) {
    var want = shown(atlas, rec);
    if (want === rec.shown) return;
    rec.shown = want;
    if (isMarker(rec.kind)) (want ? add : remove).push(rec.layer);
    else if (want) atlas.lines.addLayer(rec.layer);
    else atlas.lines.removeLayer(rec.layer);
  });
  if (remove.length) atlas.cluster.removeLayers(remove);
  if (add.length) atlas.cluster.addLayers(add);
  Object.keys(atlas.partners).forEach(function (slug) {
    var info = atlas.partners[slug];
    var want = atlas.state.kinds.boundary && partnerShown(atlas, slug);
    if (want && !boundaries.hasLayer(info.layer)) boundaries.addLayer(info.layer);
    if (!want && boundaries.hasLayer(info.layer)) boundaries.removeLayer(info.layer);
  });
  showBubbles(atlas);
  writeState(atlas);
}

// Shows a feature (from search or a table) and opens its popup.
export function focus(atlas, f) {
  var state = atlas.state, map = atlas.map;
  if (!state.kinds[f.properties.kind]) {
    state.kinds[f.properties.kind] = true;
    var box = document.getElementById("atlas-kind-" + f.properties.kind);
    if (box) box.checked = true;
  }
  if (!partnerShown(atlas, f.properties.partner)) {
    state.partners.push(f.properties.partner);
    var pbox = document.getElementById("atlas-partner-" + f.properties.partner);
    if (pbox) pbox.checked = true;
  }
  applyVisibility(atlas);
  var rec = atlas.registry.get(f.id) || addFeature(atlas, f);
  show(atlas, [rec]);
  if (isMarker(rec.kind)) {
    var opened = false;
    var open = function () { opened = true; rec.layer.openPopup(); };
    atlas.cluster.zoomToShowLayer(rec.layer, open);
    // Leaflet.markercluster may miss the end of its own zoom and never call back (its
    // issue 1114; seen here on a loaded machine): once the map stands still, it is asked
    // again, and with the marker shown by then it calls back at once.
    if (!opened) {
      map.once("moveend", function () {
        setTimeout(function () {
          if (!opened) atlas.cluster.zoomToShowLayer(rec.layer, open);
        }, 300);
      });
    }
  } else {
    // The popup is the line's group's (addFeature), not its parts': opened at the
    // middle vertex of the line's longest part, once the map stands still (a popup
    // opened during the move's animation is closed by it).
    map.fitBounds(rec.layer.getBounds(), { maxZoom: 15, animate: false });
    rec.layer.openPopup(middleOf(rec.layer));
  }
}

function middleOf(group) {
  var best = [];
  eachPart(group, function (part) {
    if (!part.getLatLngs) return;  // a practice's point: the group's centre below
    var lls = part.getLatLngs();
    (Array.isArray(lls[0]) ? lls : [lls]).forEach(function (line) {
      if (line.length > best.length) best = line;
    });
  });
  return best.length ? best[Math.floor(best.length / 2)] : group.getBounds().getCenter();
}

// A partner's territory chosen in the search: the map fits it and opens its popup.
export function focusPartner(atlas, slug) {
  var info = atlas.partners[slug], map = atlas.map, bounds = info.layer.getBounds();
  map.fitBounds(bounds, { animate: false });
  // Not panned: the territory stays where fitting it put it.
  L.popup({ maxWidth: 280, autoPan: false })
    .setLatLng(bounds.getCenter())
    .setContent(partnerPopupContent(atlas, slug))
    .openOn(map);
}
