/* The Quick Scan's results for the projector, kept up to date without a reload.
 *
 * Without this script the page still works: a reload shows the latest counts.
 * With it, the state URL is asked every few seconds; when the scan's version
 * changed, the results (rendered and escaped on the server) replace the old ones.
 * Polling stops once the scan is closed, when the page is no longer allowed
 * (signed out), and pauses while the tab is hidden.
 */
(function () {
  "use strict";

  var root = document.getElementById("qs-results");
  var live = document.getElementById("qs-live");
  if (!root || !live || !window.fetch) {
    return;
  }
  var status = document.getElementById("qs-status");
  var url = root.getAttribute("data-state-url");
  var seconds = parseInt(root.getAttribute("data-poll-seconds"), 10) || 3;
  var timer = null;
  var busy = false;

  function stop() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  function poll() {
    if (busy || document.hidden) {
      return;
    }
    busy = true;
    var version = root.getAttribute("data-version") || "";
    window
      .fetch(url + "?version=" + encodeURIComponent(version), {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        if (response.status === 404 || response.status === 403 || response.redirected) {
          stop(); // signed out, or no longer allowed: keep what is on the screen
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (!state) {
          return;
        }
        if (String(state.version) !== version && typeof state.html === "string") {
          live.innerHTML = state.html;
          root.setAttribute("data-version", String(state.version));
          if (status) {
            // announce the new total, which differs each time (a repeated text is not read)
            var total = live.querySelector("#qs-total");
            var updated = root.getAttribute("data-updated-text") || "";
            status.textContent = total ? updated + " " + total.textContent.trim() : updated;
          }
        }
        if (state.open === false) {
          stop(); // closed: nothing changes any more
        }
      })
      .catch(function () {
        /* a network hiccup: try again at the next tick */
      })
      .then(function () {
        busy = false;
      });
  }

  timer = window.setInterval(poll, seconds * 1000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer !== null) {
      poll();
    }
  });
})();
