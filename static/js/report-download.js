// The PDF download: the report is prepared by a background task. A click asks for
// its state (format=json) every second, shows the progress in the button and the
// status line, and starts the download once the report is ready. Without this
// script the link leads to a page that refreshes itself until the file is ready.
(function () {
  "use strict";

  document.querySelectorAll("[data-report-download]").forEach(function (link) {
    var label = link.innerHTML;
    var status = document.getElementById("report-status");

    function say(text) {
      if (status) { status.textContent = text; }
    }

    function done(text) {
      link.removeAttribute("aria-busy");
      link.classList.remove("disabled");
      link.innerHTML = label;
      say(text);
    }

    link.addEventListener("click", function (event) {
      event.preventDefault();
      if (link.getAttribute("aria-busy") === "true") { return; }
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("format", "json");
      link.setAttribute("aria-busy", "true");
      link.classList.add("disabled");
      link.innerHTML = '<span class="spinner-border spinner-border-sm" aria-hidden="true"></span> ' +
        link.dataset.busyText;
      say(link.dataset.busyText);
      var started = Date.now();

      function poll() {
        fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            if (!response.ok) { throw new Error(String(response.status)); }
            return response.json();
          })
          .then(function (state) {
            if (state.status === "ready") {
              done(link.dataset.doneText);
              window.location.assign(state.url);
            } else if (state.status === "failed") {
              done(state.label);
            } else if (Date.now() - started > 600000) {
              done(link.dataset.failedText || state.label);
            } else {
              link.innerHTML = '<span class="spinner-border spinner-border-sm" aria-hidden="true"></span> ' +
                link.dataset.busyText + " " + state.percent + "%";
              say(state.label);
              window.setTimeout(poll, 1000);
            }
          })
          .catch(function () {
            done(link.dataset.failedText || "");
          });
      }
      poll();
    });
  });
})();
