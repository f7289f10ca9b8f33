/* The search box: partners matched here by name (they came with their boundaries),
 * features by the API's ?q=; choosing a result shows it on the map. */

import { getJSON, query } from "./api.js";
import { focus, focusPartner } from "./draw.js";
import { startsWords } from "./fold.js";
import { kindLabel } from "./popup.js";
import { button, el } from "./util.js";

export function addSearch(atlas) {
  var map = atlas.map, ui = atlas.ui, partnerInfo = atlas.partners;  // eslint-disable-line no-unused-vars
  var SearchControl = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var form = el("form", { className: "atlas-search", role: "search" });
      L.DomEvent.disableClickPropagation(form);
      L.DomEvent.disableScrollPropagation(form);
      var label = el("label", { "for": "atlas-search-input", className: "atlas-sr" }, ui.search);
      var input = el("input", { type: "search", id: "atlas-search-input",
                                placeholder: ui.searchPlaceholder, autocomplete: "off",
                                "aria-controls": "atlas-search-results" });
      var go = button(ui.search, "atlas-search-go");
      go.type = "submit";
      var results = el("ul", { id: "atlas-search-results", className: "atlas-results",
                               "aria-live": "polite" });
      form.appendChild(label);
      form.appendChild(input);
      form.appendChild(go);
      form.appendChild(results);
      var timer = null, last = null;

      function run() {
        var text = input.value.trim();
        if (text === last) return;
        last = text;
        results.textContent = "";
        if (text.length < 2) return;
        var words = atlas.folding.searchWords(text);
        var found = Object.keys(partnerInfo).filter(function (slug) {
          return startsWords(partnerInfo[slug].words, words);
        }).map(function (slug) {
          return { partner: slug, name: partnerInfo[slug].name, kind: ui.partner };
        });
        // The category chosen for the map does not narrow the search.
        getJSON(atlas, query(atlas, { q: text, limit: 10, category: null })).then(function (fc) {
          if (input.value.trim() !== text) return;
          fc.features.forEach(function (f) {
            found.push({ feature: f, name: f.properties.name,
                         kind: kindLabel(atlas, f.properties), partner: f.properties.partner });
          });
          results.textContent = "";
          if (!found.length) {
            results.appendChild(el("li", { className: "atlas-no-result" }, ui.noResults));
            return;
          }
          found.forEach(function (r) {
            var li = el("li", {});
            var b = button("", "atlas-result");
            b.appendChild(el("span", { className: "atlas-result-name" }, r.name || "—"));
            var where = r.feature && partnerInfo[r.partner]
              ? " · " + partnerInfo[r.partner].name : "";
            b.appendChild(el("span", { className: "atlas-result-kind" }, r.kind + where));
            b.addEventListener("click", function (e) {
              // Leaflet 1.9 lets a click through the search box and asks, on the map,
              // whether it came from inside a control by walking up from its target:
              // the result, taken out of the list just below, is in no control any
              // more, so the map took the click as one on itself and closed the popup
              // just opened (a trail's, a route's, a partner's: 8 of 8 picks).
              L.DomEvent.stopPropagation(e);
              results.textContent = "";
              last = null;
              if (r.feature) focus(atlas, r.feature);
              else focusPartner(atlas, r.partner);
            });
            li.appendChild(b);
            results.appendChild(li);
          });
        }).catch(function (err) { console.error("Atlas: search failed", err); });
      }
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(run, 250);
      });
      input.addEventListener("keydown", function (e) {
        if (e.key === "Escape") { results.textContent = ""; last = null; }
      });
      form.addEventListener("submit", function (e) { e.preventDefault(); last = null; run(); });
      return form;
    }
  });
  return new SearchControl().addTo(map);
}
