/* Presentation mode of the comparison.
 *
 * Without this script the page still works: the previous/next links change the
 * cluster and a reload shows what was recorded. With it, the arrow keys and Page
 * Up/Down follow those links, and the panel "Recorded so far" is refreshed from
 * the server (already rendered and escaped there) whenever the session's version
 * changes, without reloading the page.
 */
(function () {
  "use strict";

  var root = document.getElementById("present");
  if (!root) {
    return;
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link && link.href) {
      window.location.assign(link.href);
      return true;
    }
    return false;
  }

  function typingIn(target) {
    if (!target || !target.tagName) {
      return false;
    }
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName);
  }

  function scrollsSideways(target) {
    // In a wide matrix that has the focus, the arrow keys keep scrolling it.
    var region = target && target.closest ? target.closest(".cmp-scroll") : null;
    return region !== null && region.scrollWidth > region.clientWidth;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (typingIn(event.target)) {
      return;
    }
    var arrow = event.key === "ArrowLeft" || event.key === "ArrowRight";
    if (arrow && scrollsSideways(event.target)) {
      return;
    }
    var moved = false;
    if (event.key === "ArrowLeft" || event.key === "PageUp") {
      moved = follow("present-prev");
    } else if (event.key === "ArrowRight" || event.key === "PageDown") {
      moved = follow("present-next");
    }
    if (moved) {
      event.preventDefault();
    }
  });

  var panel = document.getElementById("present-panel");
  var status = document.getElementById("present-status");
  var url = root.getAttribute("data-state-url");
  var seconds = parseInt(root.getAttribute("data-poll-seconds"), 10) || 5;
  if (!panel || !url || !window.fetch) {
    return;
  }

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
    window
      .fetch(url, {
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
        if (!state || typeof state.html !== "string") {
          return;
        }
        var version = String(state.version);
        if (version !== root.getAttribute("data-version")) {
          panel.innerHTML = state.html;
          root.setAttribute("data-version", version);
          if (status) {
            status.textContent = root.getAttribute("data-updated-text") || "";
          }
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
