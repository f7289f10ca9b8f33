/* The listing form's small map: a click puts the listing's point there (the longitude and
   latitude fields follow), and typing in the fields moves the marker. The fields stay the
   form's truth: without scripts they are filled by hand. */
(function () {
  "use strict";

  function point(map, options) {
    var lon = document.getElementById("id_lon");
    var lat = document.getElementById("id_lat");
    if (!lon || !lat) return;
    var marker = null;

    function place(latlng, pan) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, { radius: 9, color: "#fff", weight: 3,
        fillColor: "#a04000", fillOpacity: 0.95 }).addTo(map);
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 13));
    }

    function fromFields(pan) {
      var x = parseFloat(lon.value), y = parseFloat(lat.value);
      if (isFinite(x) && isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90) {
        place([y, x], pan);
      }
    }

    map.on("click", function (e) {
      lon.value = (Math.round(e.latlng.lng * 1e6) / 1e6).toString();
      lat.value = (Math.round(e.latlng.lat * 1e6) / 1e6).toString();
      place(e.latlng, false);
    });
    lon.addEventListener("change", function () { fromFields(true); });
    lat.addEventListener("change", function () { fromFields(true); });
    fromFields(true);
    if (options && options.label) map.getContainer().setAttribute("aria-label", options.label);
  }

  window.AtlasActors = { point: point };
})();
