/* Policypress: point the compare picker's htmx request at the pre-rendered pair it names.
 *
 * A static host cannot route "?old=...&new=...", so the form's own action is only the
 * no-JavaScript fallback (the list of every comparison). With htmx, this file turns the two
 * chosen versions into the URL of the pre-rendered page, which htmx fetches and pushes; the form's
 * hx-select takes the comparison (and the title) from it. It also keeps the reader's "changed
 * sections only" choice through Back, Forward and reloads in the same tab.
 * Loaded with <script src defer>; no inline code, no eval.
 */
(function () {
  "use strict";

  var RESULT = "#compare-result";

  function fill(template, older, newer) {
    return template.replace("OLD", older).replace("NEW", newer);
  }

  // ``link``: also offer the list of every comparison (the form's own action, its no-JavaScript fallback).
  function say(form, message, link) {
    var status = form.querySelector(".picker-status");
    if (!status) {
      return;
    }
    status.textContent = message;
    if (link) {
      var list = document.createElement("a");
      list.href = form.getAttribute("action");
      list.textContent = form.dataset.messageList;
      status.appendChild(document.createTextNode(" "));
      status.appendChild(list);
    }
  }

  function isPicker(element) {
    return element && element.matches && element.matches("form[data-compare-picker]");
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!isPicker(form)) {
      return;
    }
    var older = form.elements.old.value;
    var newer = form.elements["new"].value;
    if (older === newer) {
      say(form, form.dataset.messageSame);
      event.preventDefault();
      return;
    }
    var swapped = older > newer;
    if (swapped) {
      // ISO dates sort as text: put the pair in order rather than refuse it, and say so.
      var swap = older;
      older = newer;
      newer = swap;
      form.elements.old.value = older;
      form.elements["new"].value = newer;
    }
    var page = fill(form.dataset.page, older, newer);
    event.detail.path = page;
    // htmx reads (data-)hx-push-url once the response arrives, so it can be set here.
    form.setAttribute("data-hx-push-url", page);
    say(form, swapped ? form.dataset.messageSwapped : "");
  });

  document.addEventListener("htmx:responseError", function (event) {
    var form = event.detail.elt;
    if (isPicker(form)) {
      say(form, form.dataset.messageMissing, true);
    }
  });

  // htmx swaps parts of the body only: the head's canonical and hreflang links (ids "head-...") would
  // still name the pair first loaded, which sharing and bookmarking use. Take the new page's, and only
  // those: a language the new pair's text is not translated into has no hreflang link there.
  function followHead(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var links = fresh.head.querySelectorAll("link[id^='head-']");
    var kept = {};
    Array.prototype.forEach.call(links, function (link) {
      kept[link.id] = true;
    });
    Array.prototype.forEach.call(document.head.querySelectorAll("link[id^='head-']"), function (own) {
      if (!kept[own.id]) {
        own.remove();
      }
    });
    var previous = null;
    Array.prototype.forEach.call(links, function (link) {
      var own = document.getElementById(link.id);
      if (own) {
        own.setAttribute("href", link.getAttribute("href"));
      } else {
        own = document.importNode(link, true);
        if (previous) {
          previous.after(own);
        } else {
          document.head.appendChild(own);
        }
      }
      previous = own;
    });
    // A pair with tables brings the script for them (tables.js), which a page without tables did not load:
    // load it as the new page would, from the same address with the same integrity hash.
    Array.prototype.forEach.call(fresh.head.querySelectorAll("script[src]"), function (script) {
      var src = script.getAttribute("src");
      var loaded = Array.prototype.some.call(document.scripts, function (own) {
        return own.getAttribute("src") === src;
      });
      if (!loaded) {
        var added = document.createElement("script");
        added.src = src;
        added.integrity = script.getAttribute("integrity") || "";
        document.head.appendChild(added);
      }
    });
  }

  // "Show changed sections only" is pure CSS and outside the part htmx swaps, but Back and Forward load
  // the page afresh (the htmx config keeps no history cache), which unticked it. Keep the reader's choice
  // for this tab in sessionStorage (never sent anywhere) and put it back on every load. Without
  // JavaScript the box works as before and is not remembered.
  var TOGGLE = "changed-only";
  var TOGGLE_KEY = "policypress.changed-only";

  function tabStore() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null; // storage disabled: the box still works, it just forgets
    }
  }

  document.addEventListener("change", function (event) {
    var storage = tabStore();
    if (!storage || !event.target || event.target.id !== TOGGLE) {
      return;
    }
    try {
      storage.setItem(TOGGLE_KEY, event.target.checked ? "on" : "off");
    } catch (error) {
      // quota or privacy mode: nothing to remember with
    }
  });

  function restoreToggle() {
    var toggle = document.getElementById(TOGGLE);
    var storage = tabStore();
    var chosen = null;
    try {
      chosen = storage && storage.getItem(TOGGLE_KEY);
    } catch (error) {
      return;
    }
    if (toggle && (chosen === "on" || chosen === "off")) {
      toggle.checked = chosen === "on";
    }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    // Move focus to the new comparison's heading so keyboard and screen reader users land on it.
    if (event.detail.target && event.detail.target.matches(RESULT)) {
      followHead(event.detail.xhr.responseText);
      var heading = document.getElementById("compare-title");
      if (heading) {
        heading.focus();
      }
    }
  });

  restoreToggle();
})();
