/* Policypress: a table's box is a tab stop, and a named region, only while it scrolls.
 *
 * The pages write every table's box focusable and named (site/tables.py), so that
 * without JavaScript a keyboard can still scroll a table too wide for the screen.
 * A box whose table fits has nothing to scroll: this takes it out of the tab order
 * and out of the landmarks, and puts it back as soon as its table overflows again
 * (a narrower window, larger text), watching each box and table for a new size.
 * Only pages with tables load it (a policy's views when any region's text has one, since
 * the region switch may swap it in; comparisons with one, and compare.js loads it for a
 * pair with tables swapped into a page without).
 * No eval, no inline styles: the site's Content Security Policy forbids both.
 */
(function () {
  "use strict";

  if (!("ResizeObserver" in window)) {
    return; // every box stays a tab stop, as without JavaScript
  }

  var NAMING = ["role", "tabindex", "aria-labelledby", "aria-label"];
  var written = new WeakMap(); // box -> its NAMING attributes as the page wrote them
  var watched = []; // the boxes observed, and each box's table: to stop observing them once htmx removes them

  function update(box) {
    var attributes = written.get(box);
    if (!attributes) {
      return;
    }
    var scrolls = box.scrollWidth > box.clientWidth;
    if (!scrolls && box === document.activeElement) {
      // Taking the tab stop away now would drop the reader's focus: wait until they leave the box.
      box.addEventListener("blur", function () { update(box); }, { once: true });
      return;
    }
    NAMING.forEach(function (name) {
      if (scrolls && attributes[name] !== null) {
        box.setAttribute(name, attributes[name]);
      } else {
        box.removeAttribute(name);
      }
    });
  }

  var observer = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      update(entry.target.closest(".table-scroll"));
    });
  });

  // The box changes size with the window, the table with its text: either can make the table overflow.
  function watch(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".table-scroll"), function (box) {
      if (written.has(box)) {
        return;
      }
      var attributes = {};
      NAMING.forEach(function (name) {
        attributes[name] = box.getAttribute(name);
      });
      written.set(box, attributes);
      var table = box.querySelector("table");
      [box, table].forEach(function (element) {
        if (element) {
          observer.observe(element);
          watched.push(element);
        }
      });
    });
  }

  // A swap takes boxes out of the page: observing them would keep them, and their text, alive for nothing.
  function forgetRemoved() {
    watched = watched.filter(function (element) {
      if (element.isConnected) {
        return true;
      }
      observer.unobserve(element);
      return false;
    });
  }

  // A region view swapped in by htmx brings tables of its own, in place of others.
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element) {
      forgetRemoved();
      watch(event.target);
    }
  });
  document.addEventListener("htmx:afterSettle", forgetRemoved);
  watch(document);
})();
