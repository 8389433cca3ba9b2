/* Presentation mode of the comparison.
 *
 * Without this script the page still works: the previous/next links change the
 * cluster and a reload shows what was recorded. With it, the arrow keys and Page
 * Up/Down follow those links, and the panel "Recorded so far" is refreshed from
 * the server (already rendered and escaped there) whenever the session's version
 * changes, without reloading the page; on the positions slide, the positions. The request names the version on the
 * screen (?version=); the server sends the panel only when it is not the latest,
 * as the Quick Scan's projector does (quickscan-live.js).
 */
(function () {
  "use strict";

  var root = document.getElementById("present");
  if (!root) {
    return;
  }

  if (window.smsSlideKeys) {
    window.smsSlideKeys("present-prev", "present-next");
  }

  // The live part of this slide: the panel "Recorded so far", or the positions slide.
  var positions = document.getElementById("present-positions");
  var panel = positions || document.getElementById("present-panel");
  var slide = positions ? "&slide=positions" : "";
  var status = document.getElementById("present-status");
  var url = root.getAttribute("data-state-url");
  var seconds = parseInt(root.getAttribute("data-poll-seconds"), 10) || 5;
  if (!panel || !url || !window.smsLiveState) {
    return;
  }

  window.smsLiveState({
    url: function () {
      return (
        url + "?version=" + encodeURIComponent(root.getAttribute("data-version") || "") + slide
      );
    },
    seconds: seconds,
    onState: function (state) {
      var version = String(state.version);
      if (typeof state.html === "string" && version !== root.getAttribute("data-version")) {
        panel.innerHTML = state.html;
        root.setAttribute("data-version", version);
        if (status) {
          status.textContent = root.getAttribute("data-updated-text") || "";
        }
      }
    },
  });
})();
