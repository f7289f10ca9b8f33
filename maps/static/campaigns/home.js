/* The home panel of the map at "/": folds and unfolds, remembers a fold (localStorage),
 * and tells the map its room changed. On a phone it starts folded: the map comes first.
 * Run before the map is made (a deferred script would come too late): see _home.html. */
(function () {
  var KEY = "atlas-home-folded";
  var panel = document.querySelector("[data-home-panel]");
  if (!panel) return;
  var button = panel.querySelector("[data-home-toggle]");
  var phone = window.matchMedia("(max-width: 700px)").matches;
  function remembered() { try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; } }
  function fold(folded, keep) {
    panel.classList.toggle("folded", folded);
    button.setAttribute("aria-expanded", folded ? "false" : "true");
    if (keep) { try { localStorage.setItem(KEY, folded ? "1" : "0"); } catch (e) { /* private mode */ } }
    if (window.atlasMap) window.atlasMap.invalidateSize();
  }
  fold(phone || remembered(), false);
  button.addEventListener("click", function () {
    fold(!panel.classList.contains("folded"), !phone);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && phone && !panel.classList.contains("folded")) fold(true, false);
  });
})();
