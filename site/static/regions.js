/* Policypress region switch: what htmx does not do by itself.
 *
 * htmx swaps a view's pre-rendered content in and pushes its URL.  This file
 * moves focus to the new content, announces it, marks the current region,
 * remembers the reader's choice in localStorage (never sent anywhere) and, on
 * the whole policy, offers that choice back as a suggestion, never a redirect.
 * Without JavaScript every switch is a plain link to a full page.
 * No eval, no inline styles: the site's Content Security Policy forbids both.
 */
(function () {
  "use strict";

  var KEY = "policypress.region";
  var CONTENT_ID = "policy-content";

  function store() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage disabled: the switch still works, it just forgets
    }
  }

  function remembered() {
    var storage = store();
    try {
      return (storage && storage.getItem(KEY)) || "";
    } catch (error) {
      return "";
    }
  }

  function remember(region) {
    var storage = store();
    if (!storage) {
      return;
    }
    try {
      if (region) {
        storage.setItem(KEY, region);
      } else {
        storage.removeItem(KEY);
      }
    } catch (error) {
      // quota or privacy mode: nothing to remember with
    }
  }

  function markCurrent(region) {
    var links = document.querySelectorAll(".region-picker a[data-region-choice]");
    Array.prototype.forEach.call(links, function (link) {
      if (link.getAttribute("data-region-choice") === region) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  function announce(text) {
    var status = document.getElementById("region-status");
    if (!status) {
      return;
    }
    // Empty first, so that the same text twice is still announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function offerRemembered(content) {
    var box = content.querySelector(".region-suggestion");
    var region = remembered();
    if (!box || content.getAttribute("data-region") || !region) {
      return;
    }
    var offers = box.querySelectorAll("[data-suggest]");
    var offer = Array.prototype.filter.call(offers, function (item) {
      return item.getAttribute("data-suggest") === region;
    })[0];
    if (!offer) {
      return; // a region this site no longer has
    }
    offer.hidden = false;
    box.hidden = false;
  }

  function swappedIn(content) {
    var region = content.getAttribute("data-region") || "";
    markCurrent(region);
    document.title = content.getAttribute("data-title") || document.title;
    offerRemembered(content);
    // Keep the switch the reader just used in view; scroll only if the content starts above it.
    content.focus({ preventScroll: true });
    if (content.getBoundingClientRect().top < 0) {
      content.scrollIntoView();
    }
    announce(content.getAttribute("data-announce") || "");
  }

  // A click with a modifier key (a new tab, a new window, a download) is the browser's, not a
  // switch: stop it before it reaches htmx (which swaps on any click of its links, and only leaves
  // boosted ones alone), so the link opens as a plain link would and nothing is remembered.
  document.addEventListener(
    "click",
    function (event) {
      var target = event.target instanceof Element ? event.target : null;
      var modified = event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0;
      if (modified && target && target.closest("a[data-hx-get]")) {
        event.stopPropagation();
      }
    },
    true
  );

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var link = target && target.closest("a[data-region-choice]");
    if (link) {
      remember(link.getAttribute("data-region-choice"));
      return;
    }
    var dismiss = target && target.closest(".region-suggestion-dismiss");
    if (dismiss) {
      var box = dismiss.closest(".region-suggestion");
      box.hidden = true;
      var content = document.getElementById(CONTENT_ID);
      if (content) {
        content.focus({ preventScroll: true });
      }
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target instanceof Element && event.target.id === CONTENT_ID) {
      swappedIn(event.target);
    }
  });

  // A view of another version than the page shows (a new version took effect, and the site was
  // rebuilt, since this page loaded) would put its text under this page's "Last updated" date and
  // notices: load the whole page of the view instead.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt; // detail.elt is the target
    var current = document.getElementById(CONTENT_ID);
    if (!(elt instanceof HTMLAnchorElement) || !elt.hasAttribute("data-region-choice") || !current) {
      return;
    }
    var response = new DOMParser().parseFromString(event.detail.serverResponse, "text/html");
    var arriving = response.getElementById(CONTENT_ID);
    if (arriving && arriving.getAttribute("data-version") !== current.getAttribute("data-version")) {
      event.detail.shouldSwap = false;
      window.location.assign(elt.href);
    }
  });

  // If a fragment cannot be fetched, fall back to the plain link: a full page load.
  function followLink(event) {
    var elt = event.detail && event.detail.elt;
    if (elt instanceof HTMLAnchorElement && elt.hasAttribute("data-region-choice")) {
      window.location.assign(elt.href);
    }
  }
  document.addEventListener("htmx:responseError", followLink);
  document.addEventListener("htmx:sendError", followLink);

  var content = document.getElementById(CONTENT_ID);
  if (content) {
    offerRemembered(content);
  }
})();
