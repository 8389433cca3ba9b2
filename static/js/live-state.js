/* Shared by the live pages (presentation mode, Quick Scan projector): asks a JSON
 * state URL every few seconds and hands each answer to the page.
 *
 * One request at a time; none while the tab is hidden, and one at once when it
 * shows again. A 403, a 404 or a redirect (signed out, no longer allowed) stops
 * the polling and keeps what is on the screen; a network hiccup waits for the
 * next tick. The page's own script decides what an answer changes.
 *
 *   var poller = window.smsLiveState({
 *     url: function () { return "/state/"; },   // asked afresh on every tick
 *     seconds: 5,
 *     onState: function (state, poller) { ... }  // poller.stop() ends it
 *   });
 *
 * Also shared: the live pages' slides or views are links, and the arrow keys and Page
 * Up/Down follow the previous and next one:
 *
 *   window.smsSlideKeys("present-prev", "present-next");  // the links' ids
 */
(function () {
  "use strict";

  window.smsLiveState = function (options) {
    var timer = null;
    var busy = false;
    var poller = { stop: stop };

    function stop() {
      if (timer !== null) {
        window.clearInterval(timer);
        timer = null;
      }
    }

    function poll() {
      if (busy || document.hidden || timer === null) {
        return;
      }
      busy = true;
      window
        .fetch(options.url(), {
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
          if (state) {
            options.onState(state, poller);
          }
        })
        .catch(function () {
          /* a network hiccup: try again at the next tick */
        })
        .then(function () {
          busy = false;
        });
    }

    if (window.fetch) {
      timer = window.setInterval(poll, options.seconds * 1000);
      document.addEventListener("visibilitychange", function () {
        if (!document.hidden) {
          poll();
        }
      });
    }
    return poller;
  };

  function typingIn(target) {
    if (!target || !target.tagName) {
      return false;
    }
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName);
  }

  function scrollsSideways(target) {
    // In a wide region that has the focus (a matrix, a chart on a phone), the arrow keys
    // keep scrolling it.
    var region = target && target.closest ? target.closest("[role=region]") : null;
    return region !== null && region.scrollWidth > region.clientWidth;
  }

  window.smsSlideKeys = function (previousId, nextId) {
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
      var id = null;
      if (event.key === "ArrowLeft" || event.key === "PageUp") {
        id = previousId;
      } else if (event.key === "ArrowRight" || event.key === "PageDown") {
        id = nextId;
      }
      // Looked up at the key press: a live page may have replaced the links meanwhile.
      var link = id ? document.getElementById(id) : null;
      if (link && link.href) {
        event.preventDefault();
        window.location.assign(link.href);
      }
    });
  };
})();
