/* Policypress: language helpers. Everything works without this file; it only adds comfort.
 *
 * 1. On the language picker, reveal "Continue in <language>" for the first of the browser's
 *    preferred languages (navigator.languages) that the site offers. Nobody is redirected:
 *    the full list of languages stays on the page.
 * 2. When the reader switches language, keep the section they were reading (#anchor):
 *    every translation uses the same heading anchors as the original.
 */
(function () {
  "use strict";

  // Chinese tags often name a region, not a script: map them to the script readers expect.
  var CHINESE_SCRIPT = { cn: "hans", sg: "hans", my: "hans", tw: "hant", hk: "hant", mo: "hant" };

  function normalise(tag) {
    var parts = String(tag).toLowerCase().split(/[-_]/);
    if (parts[0] === "zh" && parts.length > 1 && CHINESE_SCRIPT[parts[1]]) {
      parts.splice(1, 0, CHINESE_SCRIPT[parts[1]]);
    }
    return parts.join("-");
  }

  // The offered tag that best serves one wanted tag: exact, then more general, then same language.
  function bestMatch(wanted, offered) {
    var want = normalise(wanted);
    var candidates = offered.map(normalise);
    var exact = candidates.indexOf(want);
    if (exact >= 0) return exact;
    for (var i = 0; i < candidates.length; i++) {
      if (want.indexOf(candidates[i] + "-") === 0) return i;
    }
    if (want.indexOf("-") < 0) {
      for (var j = 0; j < candidates.length; j++) {
        if (candidates[j].split("-")[0] === want) return j;
      }
    }
    return -1;
  }

  function suggestLanguage() {
    var suggestions = Array.prototype.slice.call(document.querySelectorAll("[data-suggest-locale]"));
    if (!suggestions.length) return;
    var offered = suggestions.map(function (el) { return el.getAttribute("data-suggest-locale"); });
    var preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
    for (var i = 0; i < preferred.length; i++) {
      var found = bestMatch(preferred[i], offered);
      if (found >= 0) {
        suggestions[found].hidden = false;
        return;
      }
    }
  }

  // On every way of following or copying a link (click, middle click, the context menu), the link
  // carries the section being read now, or none: not one a reader has since left.
  function keepFragment(event) {
    var link = event.target.closest ? event.target.closest("a[data-keep-fragment]") : null;
    if (link) {
      link.hash = window.location.hash;
    }
  }
  ["click", "auxclick", "contextmenu"].forEach(function (type) {
    document.addEventListener(type, keepFragment);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", suggestLanguage);
  } else {
    suggestLanguage();
  }
})();
