/* The Fase 1 format saves itself: about three seconds after typing stops, the form
 * goes to the autosave URL (the same service and merge rules as the Save button).
 *
 * - The status line (an aria-live region) says "Saved at 14:32", or why not. When a
 *   colleague changed the same field, or the format closed, autosaving stops and the
 *   person is asked to press Save, which shows the conflict page without JavaScript.
 * - Leaving the page with unsaved changes asks first (beforeunload); pressing Save or
 *   Submit does not. A Save pressed while an autosave is on its way waits for it, so
 *   the form carries the newest version.
 * - A copy of unsaved text stays in this tab's sessionStorage until it is saved. If a
 *   save failed (the server or the database was down) and the person comes back, the
 *   text that is not in the saved version is put back, marked "restored". A field a
 *   colleague saved meanwhile is not overwritten: the unsaved text is shown next to it.
 *   A copy older than the person's own last save (data-my-last-version) was saved, and
 *   is dropped.
 *
 * The page gives what is stored for its version (#preparation-stored, JSON), so typed
 * text is told apart from saved text, also when the browser restored the form itself.
 * Without JavaScript the form is a plain form with a Save button.
 */
(function () {
  "use strict";

  var DELAY = 3000;
  var RETRY = 15000;
  var form = document.getElementById("preparation-form");
  var storedNode = document.getElementById("preparation-stored");
  var status = document.getElementById("autosave-status");
  if (!form || !storedNode || !status || !window.fetch || !window.FormData) {
    return;
  }
  var notice = document.getElementById("restore-notice");
  var url = form.getAttribute("data-autosave-url");
  var copyKey = "sms-tool:unsaved:" + url;
  var saved = JSON.parse(storedNode.textContent); // field name -> what the server holds
  var names = Object.keys(saved);
  var timer = null;
  var inFlight = null;
  var stopped = false;
  var submitting = false;
  var resubmitting = false;

  function text(name) {
    return status.getAttribute("data-" + name) || "";
  }

  function say(message) {
    if (status.textContent !== message) {
      status.textContent = message;
    }
  }

  function norm(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/\r\n/g, "\n")
      .trim();
  }

  function control(name) {
    return form.elements.namedItem(name);
  }

  function read(name) {
    var element = control(name);
    return element ? element.value || "" : "";
  }

  function write(name, value) {
    var element = control(name);
    if (!element) {
      return;
    }
    if (typeof RadioNodeList !== "undefined" && element instanceof RadioNodeList) {
      Array.prototype.forEach.call(element, function (radio) {
        radio.checked = radio.value === value;
      });
    } else {
      element.value = value;
    }
  }

  function current() {
    var values = {};
    names.forEach(function (name) {
      values[name] = read(name);
    });
    return values;
  }

  function differs(a, b) {
    return names.some(function (name) {
      return norm(a[name]) !== norm(b[name]);
    });
  }

  function dirty() {
    return differs(current(), saved);
  }

  // --- the copy in this tab -------------------------------------------------

  function readCopy() {
    try {
      return JSON.parse(window.sessionStorage.getItem(copyKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function keepCopy() {
    try {
      if (dirty()) {
        window.sessionStorage.setItem(
          copyKey,
          JSON.stringify({
            version: Number(control("version").value),
            stored: saved,
            values: current(),
          })
        );
      } else {
        window.sessionStorage.removeItem(copyKey);
      }
    } catch (error) {
      /* storage full or switched off: the autosave still works */
    }
  }

  function place(name) {
    var element = control(name);
    if (!element) {
      return null;
    }
    if (typeof RadioNodeList !== "undefined" && element instanceof RadioNodeList) {
      element = element[0];
      return element ? element.closest(".mb-2") || element.parentNode : null;
    }
    return element.closest(".mb-3") || element.parentNode;
  }

  function mark(name, className, label, body) {
    var where = place(name);
    if (!where) {
      return;
    }
    var note = document.createElement("p");
    note.className = "small mb-2 " + className;
    var strong = document.createElement("strong");
    strong.textContent = label;
    note.appendChild(strong);
    if (body) {
      note.appendChild(document.createTextNode(" " + body));
    }
    where.parentNode.insertBefore(note, where.nextSibling);
  }

  function restore() {
    var copy = readCopy();
    if (!copy || !copy.values || !copy.stored) {
      return;
    }
    if (Number(form.getAttribute("data-my-last-version")) > copy.version) {
      return; // this person saved a newer version since the copy was made
    }
    var restored = 0;
    names.forEach(function (name) {
      var mine = norm(copy.values[name]);
      var base = norm(copy.stored[name]);
      var server = norm(saved[name]);
      if (mine === base || norm(read(name)) === mine) {
        return; // not an unsaved change, or it is in the form already
      }
      if (server === base && norm(read(name)) === server) {
        write(name, copy.values[name]);
        mark(name, "restored-mark", text("restored"));
        restored += 1;
      } else {
        mark(name, "not-restored", text("not-restored"), copy.values[name]);
        restored += 1;
      }
    });
    if (restored && notice) {
      notice.hidden = false;
    }
  }

  // --- saving ---------------------------------------------------------------

  function schedule(delay) {
    window.clearTimeout(timer);
    if (!stopped && !submitting) {
      timer = window.setTimeout(autosave, delay === undefined ? DELAY : delay);
    }
  }

  function stop(message) {
    stopped = true;
    window.clearTimeout(timer);
    say(message);
  }

  function saveDone(answer, sent) {
    var taken = answer.taken || [];
    var typedMeanwhile = taken.filter(function (name) {
      return norm(read(name)) !== norm(sent[name]);
    });
    if (typedMeanwhile.length) {
      // A colleague's value was kept in a field typed in while this save was on its
      // way: keep the older version in the form, so that Save shows both texts.
      stop(text("conflict") || answer.message);
      return;
    }
    control("version").value = String(answer.version);
    saved = answer.values;
    taken.forEach(function (name) {
      write(name, answer.values[name]);
    });
    say(answer.message);
    keepCopy();
    if (dirty()) {
      schedule();
    }
  }

  function autosave() {
    if (stopped || submitting || !dirty()) {
      return;
    }
    if (inFlight) {
      schedule();
      return;
    }
    var sent = current();
    say(text("saving"));
    inFlight = window
      .fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected) {
          say(text("signed-out"));
          return;
        }
        if (type.indexOf("application/json") === -1) {
          say(text("failed"));
          return;
        }
        return response.json().then(function (answer) {
          if (answer.status === "saved") {
            saveDone(answer, sent);
          } else if (answer.status === "conflict" || answer.status === "closed") {
            stop(answer.message);
          } else {
            say(answer.message || text("failed"));
          }
        });
      })
      .catch(function () {
        say(text("offline"));
        schedule(RETRY);
      })
      .then(function () {
        inFlight = null;
      });
  }

  // --- the page -------------------------------------------------------------

  if (form.getAttribute("data-bound") !== "1") {
    restore(); // a fresh page: put back what this tab typed and never saved
  }
  keepCopy();
  if (dirty()) {
    say(text("unsaved"));
  }

  function changed() {
    keepCopy();
    if (!stopped) {
      say(text("unsaved"));
      schedule();
    }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  form.addEventListener("submit", function (event) {
    keepCopy(); // if this save fails, the text is still here when the person comes back
    window.clearTimeout(timer);
    submitting = true;
    if (inFlight && !resubmitting) {
      event.preventDefault();
      var submitter = event.submitter || null;
      inFlight.then(function () {
        resubmitting = true;
        if (form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      });
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && dirty()) {
      event.preventDefault();
      event.returnValue = "";
      return "";
    }
    return undefined;
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      submitting = false; // back from the page cache after a failed submit
      resubmitting = false;
    }
  });
})();
