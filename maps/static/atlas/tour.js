/* The page's first-visit tour (driver.js). The site shell hands over the steps, already in
   the page's language (maps/tours.py), in <script id="atlas-tour" type="application/json">.
   The tour starts by itself once per browser and page — closed, finished or skipped, it
   is remembered (localStorage) — and again from the header's "Tour of this page". A step
   whose element is not on the screen (the header's menu, folded on a phone) is left out;
   elements that a page's script makes (the explorer's search and panels) are waited for. */
(function () {
  "use strict";
  var data = document.getElementById("atlas-tour");
  if (!data || !window.driver || !window.driver.js) return;
  var tour = JSON.parse(data.textContent);
  var key = "atlas-tour:" + tour.id;

  // A page without the site's header (the guides' home, which MkDocs builds) is given its
  // own "Tour of this page" button: in the header the page has, or on a narrow screen,
  // where that header has no room for words, at the top of its content.
  var narrow = window.matchMedia && window.matchMedia("(max-width: 60em)").matches;
  var into = tour.replayInto && (narrow ? tour.replayInto.narrow : tour.replayInto.wide);
  var place = into && document.querySelector(into);
  if (place) {
    var replay = document.createElement("button");
    replay.type = "button";
    replay.className = narrow ? "md-button atlas-tour-replay" : "md-header__button atlas-tour-replay";
    replay.setAttribute("data-tour-replay", "");
    replay.textContent = tour.labels.replay;
    replay.style.width = "auto";
    replay.style.whiteSpace = "nowrap";
    replay.style.fontSize = ".7rem";
    if (!narrow) replay.style.textDecoration = "underline";
    // Above the page's title on a phone: apart from it, not touching it.
    else replay.style.marginBottom = "1rem";
    place.insertBefore(replay, narrow ? place.firstChild : place.querySelector(".md-header__option"));
  }

  function seen() {
    try { return window.localStorage.getItem(key) === "done"; } catch (e) { return false; }
  }
  function remember() {
    try { window.localStorage.setItem(key, "done"); } catch (e) { /* private mode */ }
  }
  // Gone through to its last step: counted on the server too (who was trained,
  // maps/pages/training.py) — a signed-in user by name, a visitor once per browser and
  // without a name; the browser's memory stays the one for "seen".
  var posted = false;
  var countedKey = "atlas-tour-counted:" + tour.id;
  function countedHere() {
    try { return window.localStorage.getItem(countedKey) === "yes"; } catch (e) { return false; }
  }
  function completed() {
    if (posted || !tour.record || !window.fetch) return;
    if (tour.visitor && countedHere()) return;
    posted = true;
    var body = new FormData();
    if (tour.token) body.append("csrfmiddlewaretoken", tour.token);
    window.fetch(tour.record, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) return;
        if (tour.visitor) {
          try { window.localStorage.setItem(countedKey, "yes"); } catch (e) { /* private */ }
        }
        document.documentElement.setAttribute("data-tour-recorded", tour.id);
      }, function () { /* offline: the tour still counts as seen here */ });
  }
  function shown(selector) {
    var el = document.querySelector(selector);
    if (!el) return null;
    // Laid out, of some size (the guides' search box on a phone is folded to nothing) and
    // not hidden (the phone's folded menu is visibility: hidden).
    var box = el.getBoundingClientRect();
    return el.getClientRects().length > 0 && box.width > 0 && box.height > 0 &&
      window.getComputedStyle(el).visibility !== "hidden" ? el : null;
  }

  function start() {
    var steps = tour.steps.filter(function (s) { return shown(s.element); }).map(function (s) {
      return { element: s.element, popover: { title: s.title, description: s.text } };
    });
    if (!steps.length) return;
    var header = document.querySelector("header.site.menu-open");
    if (header) {  // the tour shows the page, not the opened menu
      header.classList.remove("menu-open");
      var toggle = header.querySelector("[data-menu-toggle]");
      if (toggle) toggle.setAttribute("aria-expanded", "false");
    }
    var driver = window.driver.js.driver({
      steps: steps,
      // Without its animation for those who ask for less motion; and then a close at
      // once is a close (animated, one in the first moments could be lost).
      animate: !(window.matchMedia &&
                 window.matchMedia("(prefers-reduced-motion: reduce)").matches),
      showProgress: true,
      nextBtnText: tour.labels.next,
      prevBtnText: tour.labels.previous,
      doneBtnText: tour.labels.done,
      progressText: tour.labels.progress,
      popoverClass: "atlas-tour",
      // Seen as soon as it ends, however it ends (closed, done, Escape): driver.js's
      // hook after the end can be missed when it ends during the popover's animation.
      onDestroyStarted: function () {
        if (!driver.hasNextStep()) completed();
        remember();
        driver.destroy();
      },
      onDestroyed: function () {
        remember();
        document.documentElement.removeAttribute("data-tour");
      }
    });
    document.documentElement.setAttribute("data-tour", "running");
    driver.drive();
  }

  // Wait (at most 10 s) until the first step's element is on the page.
  function whenReady(then) {
    var waited = 0;
    (function check() {
      if (shown(tour.steps[0].element) || waited >= 10000) return then();
      waited += 100;
      window.setTimeout(check, 100);
    })();
  }

  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-tour-replay]")) start();
  });
  if (!seen()) whenReady(start);
})();
