// Busy state for the PDF download: the link shows that the report is being prepared
// until the server's response sets a cookie carrying this click's token.
(function () {
  "use strict";
  var COOKIE = "sms_report_ready";

  function cookieValue(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  document.querySelectorAll("[data-report-download]").forEach(function (link) {
    var label = link.innerHTML;
    var status = document.getElementById("report-status");
    link.addEventListener("click", function (event) {
      if (link.getAttribute("aria-busy") === "true") {
        event.preventDefault();
        return;
      }
      var token = Math.random().toString(36).slice(2, 12);
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("token", token);
      link.href = url.toString();
      link.setAttribute("aria-busy", "true");
      link.classList.add("disabled");
      link.innerHTML = '<span class="spinner-border spinner-border-sm" aria-hidden="true"></span> ' +
        link.dataset.busyText;
      if (status) { status.textContent = link.dataset.busyText; }
      var started = Date.now();
      var timer = window.setInterval(function () {
        if (cookieValue(COOKIE) === token || Date.now() - started > 120000) {
          window.clearInterval(timer);
          link.removeAttribute("aria-busy");
          link.classList.remove("disabled");
          link.innerHTML = label;
          if (status) { status.textContent = link.dataset.doneText; }
        }
      }, 300);
    });
  });
})();
