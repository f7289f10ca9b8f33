/* Behaviour every page shares. Loaded by the site shell; no inline handlers (the pages'
   Content-Security-Policy runs only the platform's own files). */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-print]") : null;
    if (button) window.print();
  });

  // The installable app (decision 0012): the service worker at the site's root keeps the
  // offline page and answers from saved routes without a network. It is told the page's
  // language, in which it shows the offline page.
  // At the app's start it asks the worker to re-sync the saved routes not checked for a
  // day, and all of them when the device comes back online (static/offline/sync.js);
  // where the browser lets an installed app sync periodically, once a day as well.
  if ("serviceWorker" in navigator && document.querySelector("link[rel='manifest']")) {
    var resync = function (which) {
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.active) reg.active.postMessage({ resync: which });
      });
    };
    // Listened for at once: the device may come back online before the worker is ready.
    window.addEventListener("online", function () { resync("all"); });
    navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      if (!reg.active) return;
      reg.active.postMessage({ lang: document.documentElement.lang });
      if (navigator.onLine) resync("stale");
      if (reg.periodicSync && navigator.permissions) {
        navigator.permissions.query({ name: "periodic-background-sync" }).then(function (p) {
          if (p.state === "granted") {
            return reg.periodicSync.register("atlas-resync", { minInterval: 86400000 });
          }
        }).catch(function () {});
      }
    }).catch(function () {});
  }

  // The header's menu on a narrow screen (site.css folds it there): the button opens and
  // closes it; Escape, or a tap outside the header, closes it.
  var toggle = document.querySelector("[data-menu-toggle]");
  if (!toggle) return;
  var header = toggle.closest("header");

  function setOpen(open) {
    header.classList.toggle("menu-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", function (e) {
    if (toggle.getAttribute("aria-expanded") === "true" && !header.contains(e.target)) {
      setOpen(false);
    }
  });
  // Back from another page (the browser's page cache), the menu starts closed.
  window.addEventListener("pageshow", function () { setOpen(false); });
})();
