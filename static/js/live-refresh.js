// Reloads a projector page every few seconds (data-refresh on <main> or any element),
// so votes and positions from the partners' own devices appear without a click.
// Paused while the page is hidden or a form field has focus.
(function () {
  "use strict";
  var holder = document.querySelector("[data-refresh]");
  if (!holder) return;
  var seconds = parseInt(holder.getAttribute("data-refresh"), 10);
  if (!(seconds > 0)) return;
  window.setInterval(function () {
    var active = document.activeElement;
    var typing = active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
    if (!document.hidden && !typing) window.location.reload();
  }, seconds * 1000);
})();
