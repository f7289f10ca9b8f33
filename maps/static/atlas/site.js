/* Behaviour every page shares. Loaded by the site shell; no inline handlers (the pages'
   Content-Security-Policy runs only the platform's own files). */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-print]") : null;
    if (button) window.print();
  });
})();
