/* Starts Django's OpenLayers map widget (OLMapWidget.js) from the data attributes of
   templates/gis/atlas-map-widget.html, as Django's own template does with an inline
   script, which the pages' Content-Security-Policy would not run. */
(function () {
  "use strict";
  function start() {
    document.querySelectorAll("[data-atlas-map-widget]").forEach(function (div) {
      var d = div.dataset;
      // A class declaration of a classic script: global, but not a property of window.
      var widget = new MapWidget({  // eslint-disable-line no-undef
        id: d.atlasMapWidget, map_id: div.id, geom_name: d.geomName, name: d.name,
        map_srid: Number(d.mapSrid), default_lon: Number(d.defaultLon),
        default_lat: Number(d.defaultLat), default_zoom: Number(d.defaultZoom)
      });
      // Django's template names the widget geodjango_<field> for other scripts to find.
      window["geodjango_" + d.name.replace(/-/g, "_")] = widget;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
