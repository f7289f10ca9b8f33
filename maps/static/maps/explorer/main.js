/* The regional explorer: partners, attractions, trails and routes from the API.
 *
 * The page embeds no feature. The map asks /api/regional-layer/ for the cells
 * of a fixed grid (web-map tiles, two zoom levels coarser than the view) that
 * cover the view and have not been asked for yet, so panning fetches only what
 * is new, and a cell a coarser cell already brought complete is never asked
 * for again. A cell holding more than CELL_LIMIT features is "dense": it is
 * drawn as one counted bubble until the view is close enough for its smaller
 * cells to come complete.
 *
 * The view (centre, zoom, layers, trail colouring, language) lives in the
 * page's query string, so a link shows what its sender saw.
 *
 * ES modules, served as they are (no build step): this one starts the rest —
 * cells.js (loading by cells) with grid.js, api.js and bubbles.js; draw.js (what is
 * on the map) with style.js and popup.js; keyboard.js; search.js with fold.js;
 * panels.js (layers, legend); locate.js; url-state.js; util.js. Each takes the
 * explorer's shared state, `atlas`, made here.
 *
 * The entry point is one function on window, AtlasExplorer.attach(map, options),
 * which the page's inline start (maps/elements.py, RegionalFeatures) calls. The map
 * is made by folium's inline script and the options are the page's data, rendered
 * beside it: the inline start hands both over, so this module needs to know no
 * name of folium's. A module runs once the page is parsed, after the inline
 * start: that is why the start waits for DOMContentLoaded, which comes only after
 * every module (deferred) script has run.
 */

import { getJSON } from "./api.js";
import { showBubbles } from "./bubbles.js";
import { load } from "./cells.js";
import { addLayers, applyVisibility, focus, partnerBoundary } from "./draw.js";
import { folding, startsWords } from "./fold.js";
import { linesInView, markersInView, watchKeyboard } from "./keyboard.js";
import { addLocate } from "./locate.js";
import { addLayersPanel, addLegend, keepPanelsClear } from "./panels.js";
import { addSearch } from "./search.js";
import { readState, writeState } from "./url-state.js";
import { escapeAttr, roomy } from "./util.js";

function attach(map, options) {
  var atlas = {
    map: map, options: options, labels: options.labels, ui: options.labels.ui,
    container: map.getContainer(),
    base: Object.assign({}, options.filters),   // server-side filters: partner, layer,
    state: readState({ kinds: options.kinds || {} }),  // and the category chosen
    partners: {},                               // slug -> {name, layer, words}
    registry: new Map(),                        // feature id -> record
    cells: new Map(),                           // "z/x/y" -> "loading" | "done" | "dense"
    bubbles: new Map(),                         // "z/x/y" -> marker of a dense cell
    requests: 0, pending: 0,                    // API requests made, not yet drawn
    generation: 0,                              // bumped when the filters change
    folding: folding(options.fold)              // the search's fold() and searchWords()
  };
  var ui = atlas.ui, container = atlas.container;
  // Only a category the page has (options.categories) filters it.
  if ((options.categories || []).indexOf(atlas.state.category) < 0) atlas.state.category = null;
  if (atlas.state.category) atlas.base.category = atlas.state.category;
  addLayers(atlas);
  watchKeyboard(atlas);

  L.control.scale({ imperial: false }).addTo(map);
  if (options.embed && options.fullUrl) {
    map.attributionControl.addAttribution('<a href="' + escapeAttr(options.fullUrl)
      + '" target="_blank" rel="noopener">' + escapeAttr(ui.openAtlas) + "</a>");
  }
  var search = options.search !== false ? addSearch(atlas) : null;
  addLocate(atlas);
  var layersControl = addLayersPanel(atlas);
  var legend = addLegend(atlas);
  // Leaflet puts its controls after the map's panes: Tab would pass every marker and
  // line before reaching the search or the layer panel. Placed first in the page, they
  // come first; on screen they stay where they are (positioned, above the panes).
  var controls = container.querySelector(".leaflet-control-container");
  if (controls) container.insertBefore(controls, container.firstChild);
  keepPanelsClear(atlas, search, layersControl, legend);

  // The first view: the URL's, else the layer's extent, else the partners' (both given
  // by the page), so features are asked for at once, alongside the boundaries.
  function extentBounds(e) { return L.latLngBounds([e[1], e[0]], [e[3], e[2]]); }
  if (atlas.state.view) {
    map.setView(atlas.state.view.center, atlas.state.view.zoom, { animate: false });
  } else if (options.extent || options.partnersExtent) {
    var wide = roomy(container);
    // The extent is the boundaries'; clusters of 40 px sit on features near them, so
    // each edge keeps more than half a cluster, or a partner's cluster is cut in half.
    // The Layers panel, open on a large map, covers the map's right side as wide as its
    // labels make it: the view is fitted to the map beside it.
    var right = wide ? 240 : 30;
    var layersBox = container.querySelector(".atlas-layers");
    if (layersBox && !layersBox.querySelector(".atlas-panel-body").hidden) {
      right = Math.max(right, container.getBoundingClientRect().right
                              - layersBox.getBoundingClientRect().left + 30);
    }
    map.fitBounds(extentBounds(options.extent || options.partnersExtent), {
      paddingTopLeft: wide ? [60, 30] : [30, 60], paddingBottomRight: [right, 30],
      maxZoom: 15, animate: false
    });
  }
  map.on("moveend", function () {
    load(atlas); linesInView(atlas); markersInView(atlas); writeState(atlas);
  });
  map.on("zoomend", function () { showBubbles(atlas); });
  writeState(atlas);

  var partnersUrl = options.partnersUrl + "?lang=" + encodeURIComponent(options.lang);
  var partnersLoaded = getJSON(atlas, partnersUrl).then(function (fc) {
    fc.features.forEach(function (f) {
      var slug = f.properties.slug, base = atlas.base;
      if (base.partner && base.partner.split(",").indexOf(slug) < 0) return;
      // The partner's own colour, as its data gives it (Partner.colour).
      var colour = f.properties.colour;
      atlas.partners[slug] = {
        name: f.properties.name, layer: partnerBoundary(slug, f, colour),
        words: atlas.folding.searchWords(Object.values(f.properties.names).join(" "))
      };
      layersControl.addPartner(slug, f.properties.name, colour);
    });
    applyVisibility(atlas);
  });
  Promise.all([partnersLoaded, load(atlas)]).then(function () {
    container.setAttribute("data-ready", "true");
  }).catch(function (err) { console.error("Atlas: could not start", err); });

  // For the layer page's table (focus) and the tests and benchmarks (the rest).
  var api = {
    map: map, load: function () { return load(atlas); }, registry: atlas.registry,
    cells: atlas.cells, fold: atlas.folding.fold, searchWords: atlas.folding.searchWords,
    startsWords: startsWords, focus: function (f) { focus(atlas, f); }
  };
  window.atlasMap = map;
  window.atlasExplorer = api;
  return api;
}

window.AtlasExplorer = { attach: attach };
