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

  // The arrow keys and Page Up/Down go to the previous and next view (its links are in
  // the results, so they are looked up at the moment of the key press).
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    // A region that scrolls sideways (the chart on a phone, a wide table) keeps its arrows.
    if (target && target.scrollWidth > target.clientWidth && target.getAttribute("role") === "region") {
      return;
    }
    var id = null;
    if (event.key === "ArrowLeft" || event.key === "PageUp") {
      id = "qs-prev";
    } else if (event.key === "ArrowRight" || event.key === "PageDown") {
      id = "qs-next";
    }
    var link = id ? document.getElementById(id) : null;
    if (link && link.href) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });

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
