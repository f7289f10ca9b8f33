/* The map by keyboard: which lines and icons are tab stops, Enter or Space on a line,
 * and the focus in and out of a popup opened from the keyboard. */

import { kindLabel } from "./popup.js";

// Trails and routes are SVG paths: those in view are in the tab order (the rest
// are not, so that Tab does not walk a whole region's lines), named for screen
// readers, and Enter or Space opens the popup a click opens.
export function keyboardLine(atlas, part, group, p) {
  var map = atlas.map, path = part.getElement();
  if (!path) return;
  path.setAttribute("role", "button");
  path.setAttribute("aria-label", p.name || kindLabel(atlas, p));
  path.atlasOpen = function () {
    // A practice's point opens at itself; a line where it comes nearest the middle of
    // the view, so the popup is in view.
    if (part.getLatLng) { group.openPopup(part.getLatLng()); return; }
    var centre = map.latLngToLayerPoint(map.getCenter());
    var near = part.closestLayerPoint(centre);
    group.openPopup(near ? map.layerPointToLatLng(near) : map.getCenter());
  };
  lineFocusable(part, map.getBounds());
}

// The drawn parts of a feature: a practice on several places is a group of points
// (a MultiPoint), the others one line or several.
export function eachPart(group, fn) {
  group.eachLayer(function (part) {
    if (part.getElement) fn(part);
    else if (part.eachLayer) eachPart(part, fn);
  });
}

function lineFocusable(part, view) {
  var path = part.getElement();
  if (!path) return;
  var inView = part.getLatLng ? view.contains(part.getLatLng())
    : view.intersects(part.getBounds());
  if (inView) path.setAttribute("tabindex", "0");
  else path.removeAttribute("tabindex");
}

export function linesInView(atlas) {
  var view = atlas.map.getBounds();
  atlas.lines.eachLayer(function (group) {
    eachPart(group, function (part) { lineFocusable(part, view); });
  });
}

// Markers, clusters and bubbles likewise: markercluster draws a screen's worth beyond
// each edge, and Leaflet makes every one a tab stop. Focusing one out of view would
// make the browser scroll the map's container and Leaflet pan to it, so that Tab
// walked the view away; only icons wholly inside the view are tab stops. Leaflet sets
// tabindex again whenever it redraws an icon (markercluster does on every count
// change), so the marker pane is watched (watchKeyboard), not only the map's moves.
function iconFocusable(map, icon) {
  if (!icon.classList.contains("leaflet-marker-icon")) return;
  var size = map.getSize();
  // Where Leaflet puts it, not where a transition shows it now.
  var at = map.layerPointToContainerPoint(L.DomUtil.getPosition(icon));
  var left = at.x + (parseFloat(icon.style.marginLeft) || 0);
  var top = at.y + (parseFloat(icon.style.marginTop) || 0);
  var inside = left >= 0 && top >= 0 && left + icon.offsetWidth <= size.x
    && top + icon.offsetHeight <= size.y;
  if (inside && icon.getAttribute("tabindex") !== "0") icon.setAttribute("tabindex", "0");
  if (!inside && icon.hasAttribute("tabindex")) icon.removeAttribute("tabindex");
}

export function markersInView(atlas) {
  var map = atlas.map;
  Array.prototype.forEach.call(map.getPane("markerPane").children, function (icon) {
    iconFocusable(map, icon);
  });
}

export function watchKeyboard(atlas) {
  var map = atlas.map, container = atlas.container;
  new MutationObserver(function (changes) {
    changes.forEach(function (c) {
      if (c.type === "attributes") iconFocusable(map, c.target);
      else Array.prototype.forEach.call(c.addedNodes, function (n) { iconFocusable(map, n); });
    });
  }).observe(map.getPane("markerPane"),
             { childList: true, attributes: true, attributeFilter: ["tabindex"] });

  // A popup opened from the keyboard takes the focus (its link, else its close button),
  // Escape closes it, and the focus goes back to the feature it belongs to.
  var keyboardOpener = null;
  container.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "Enter" && e.key !== " ") return;
    // Forgotten if no popup follows (a bubble's Enter zooms instead).
    setTimeout(function () { keyboardOpener = null; }, 300);
    if (t.atlasOpen) {
      e.preventDefault();
      keyboardOpener = t;
      t.atlasOpen();
    } else if (t.classList && t.classList.contains("leaflet-marker-icon")) {
      keyboardOpener = t;
      if (e.key === " ") { e.preventDefault(); t.click(); }  // Leaflet answers Enter only
    }
  });
  map.on("popupopen", function (e) {
    var opener = keyboardOpener, box = e.popup.getElement();
    keyboardOpener = null;
    if (!opener || !box) return;
    var target = box.querySelector(".atlas-popup-link")
      || box.querySelector(".leaflet-popup-close-button");
    if (target) target.focus({ preventScroll: true });
    box.addEventListener("keydown", function (k) {
      if (k.key === "Escape") { k.preventDefault(); map.closePopup(e.popup); }
    });
    e.popup.once("remove", function () {
      var now = document.activeElement;
      if (opener.isConnected && (!now || now === document.body || box.contains(now))) {
        opener.focus({ preventScroll: true });
      }
    });
  });
}
