/* Popups that open clear of the map's controls (the search row, the zoom and locate
 * buttons, the layers panel, the legend, the credits), measured as they stand when the
 * popup opens: on a phone the layers button sits below the search row, and a fixed
 * margin (175 px) let a popup open under it. */

var GAP = 10;  // px between a popup and the controls or the map's edge

// The controls' reach into the map, above and below the band the popup will occupy
// once Leaflet has panned it across into the map (left, right: px from the map's left).
function clearance(container, left, right) {
  var frame = container.getBoundingClientRect();
  var top = GAP, bottom = GAP;
  container.querySelectorAll(".leaflet-control").forEach(function (control) {
    var r = control.getBoundingClientRect();
    if (!r.width || !r.height) return;  // hidden
    if (r.right - frame.left <= left || r.left - frame.left >= right) return;  // beside it
    if (control.closest(".leaflet-top")) {
      top = Math.max(top, Math.ceil(r.bottom - frame.top) + GAP);
    } else if (control.closest(".leaflet-bottom")) {
      bottom = Math.max(bottom, Math.ceil(frame.bottom - r.top) + GAP);
    }
  });
  // An opened panel may reach far down: the popup keeps at least half the map.
  var most = frame.height / 2;
  return { top: Math.min(top, most), bottom: Math.min(bottom, most) };
}

export var ClearPopup = L.Popup.extend({
  options: { maxWidth: 280 },

  // Leaflet reads its padding only here, while the popup is added (before any event a
  // page could answer): the padding is measured here, then Leaflet pans as before.
  _adjustPan: function () {
    var map = this._map;
    if (map && this._container && this.options.autoPan) {
      var container = map.getContainer(), width = container.clientWidth;
      var box = this._container.getBoundingClientRect();
      var left = box.left - container.getBoundingClientRect().left, right = left + box.width;
      // Where the popup stands across the map after Leaflet's sideways pan.
      var shift = right + GAP > width ? right + GAP - width : 0;
      if (left - shift < GAP) shift = left - GAP;
      var room = clearance(container, left - shift, right - shift);
      this.options.autoPanPaddingTopLeft = L.point(GAP, room.top);
      this.options.autoPanPaddingBottomRight = L.point(GAP, room.bottom);
    }
    return L.Popup.prototype._adjustPan.apply(this, arguments);
  }
});
