/* "Show my location": the browser's position on the map, or a word when it has none. */

import { button, el } from "./util.js";

// A line of text over the map for a few seconds, read out by screen readers.
function statusLine(container) {
  var statusBox = el("div", { className: "atlas-status", role: "status", "aria-live": "polite" });
  container.appendChild(statusBox);
  function status(text) {
    statusBox.textContent = text;
    statusBox.hidden = !text;
    if (text) setTimeout(function () { if (statusBox.textContent === text) status(""); }, 6000);
  }
  status("");
  return status;
}

export function addLocate(atlas) {
  var map = atlas.map, ui = atlas.ui;
  var LocateControl = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var box = el("div", { className: "leaflet-bar atlas-locate" });
      var b = button("", "atlas-locate-button", ui.locate);
      b.appendChild(el("img", { src: atlas.options.iconBase + "marker.svg", alt: "",
                                width: "15", height: "15" }));
      L.DomEvent.disableClickPropagation(box);
      b.addEventListener("click", function () {
        b.classList.add("atlas-busy");
        map.locate({ setView: true, maxZoom: 14, timeout: 10000 });
      });
      box.appendChild(b);
      this.button = b;
      return box;
    }
  });

  var locate = null, here = null;
  map.on("locationfound", function (e) {
    locate.button.classList.remove("atlas-busy");
    if (here) map.removeLayer(here);
    here = L.layerGroup([
      L.circle(e.latlng, { radius: e.accuracy, weight: 1, color: "#1a5276", fillOpacity: 0.1,
                           interactive: false }),
      L.circleMarker(e.latlng, { radius: 7, color: "#fff", weight: 3, fillColor: "#1a5276",
                                 fillOpacity: 1, className: "atlas-here" })
        .bindTooltip(el("span", {}, ui.youAreHere))
    ]).addTo(map);
  });
  var status = statusLine(atlas.container);
  map.on("locationerror", function () {
    locate.button.classList.remove("atlas-busy");
    status(ui.locateFailed);
  });
  locate = new LocateControl().addTo(map);
  return locate;
}
