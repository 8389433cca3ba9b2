/* The Quick Scan's results for the projector, kept up to date without a reload.
 *
 * Without this script the page still works: a reload shows the latest counts.
 * With it, the state URL is asked every few seconds; when the scan's version
 * changed, the results (rendered and escaped on the server) replace the old ones.
 * Polling stops once the scan is closed, when the page is no longer allowed
 * (signed out), and pauses while the tab is hidden. The poll names the view on the
 * screen (overview, the two sides, the words), so the results come for that view; the
 * arrow keys follow the links to the previous and next view.
 */
(function () {
  "use strict";

  var root = document.getElementById("qs-results");
  var results = document.getElementById("qs-live");
  if (!root || !results || !window.smsLiveState) {
    return;
  }
  var status = document.getElementById("qs-status");
  var url = root.getAttribute("data-state-url");
  var seconds = parseInt(root.getAttribute("data-poll-seconds"), 10) || 3;

  // The arrow keys and Page Up/Down go to the previous and next view.
  window.smsSlideKeys("qs-prev", "qs-next");

  window.smsLiveState({
    url: function () {
      return (
        url +
        "?version=" +
        encodeURIComponent(root.getAttribute("data-version") || "") +
        "&view=" +
        encodeURIComponent(root.getAttribute("data-view") || "")
      );
    },
    seconds: seconds,
    onState: function (state, poller) {
      var version = root.getAttribute("data-version") || "";
      if (String(state.version) !== version && typeof state.html === "string") {
        results.innerHTML = state.html;
        root.setAttribute("data-version", String(state.version));
        if (status) {
          // announce the new total, which differs each time (a repeated text is not read)
          var total = results.querySelector("#qs-total");
          var updated = root.getAttribute("data-updated-text") || "";
          status.textContent = total ? updated + " " + total.textContent.trim() : updated;
        }
      }
      if (state.open === false) {
        poller.stop(); // closed: nothing changes any more
      }
    },
  });
})();
