/* An import's report page while the background worker runs it: asks the run's state
   every second and shows its stage; once it has ended, loads the page again for the
   report. Without scripts the page says to reload it. */
(function () {
  "use strict";
  var box = document.querySelector("[data-run-state]");
  if (!box) return;
  var url = box.getAttribute("data-run-state");
  var text = box.querySelector("[data-stage]");
  var hint = box.querySelector("[data-reload-hint]");
  if (hint) hint.hidden = true;
  var delay = 1000;

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        if (state.finished) {
          window.location.reload();
          return;
        }
        text.textContent = state.stage;
        delay = 1000;
        window.setTimeout(ask, delay);
      })
      .catch(function () {
        // A server that is busy or restarting: ask again, less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(ask, delay);
      });
  }
  window.setTimeout(ask, delay);
})();
