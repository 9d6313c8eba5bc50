/* Policypress: the Do Not Sell or Share opt-out, kept in the visitor's browser.
 *
 * A static site has no server to remember a choice, so it lives in a
 * first-party cookie (which the operator's tags can read) mirrored in
 * localStorage (which outlives cookie clean-ups that spare storage).  Global
 * Privacy Control counts as an opt-out; losing the signal later never opts the
 * visitor back in.  Every change dispatches a "policypress:optout" event on
 * document and, when a tag manager is present, pushes to window.dataLayer.
 * The page's interface text comes from data attributes, already translated.
 */
(function () {
  "use strict";

  var OPTED_OUT = "1";
  var DAY = 86400;

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i += 1) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) {
        return decodeURIComponent(parts[i].slice(eq + 1));
      }
    }
    return null;
  }

  function cookieAttributes(maxAge, domain) {
    var attributes = "; Path=/; Max-Age=" + maxAge + "; SameSite=Lax";
    var host = location.hostname;
    // A Domain the page's host is not part of would make the browser drop the
    // cookie (as on a local preview), so it is only sent where it applies.
    if (domain && (host === domain || host.slice(-domain.length - 1) === "." + domain)) {
      attributes += "; Domain=" + domain;
    }
    if (location.protocol === "https:") {
      attributes += "; Secure";
    }
    return attributes;
  }

  function storage(action, name, value) {
    // Storage can be switched off or full; the cookie still carries the choice.
    try {
      if (action === "get") {
        return window.localStorage.getItem(name);
      }
      if (action === "set") {
        window.localStorage.setItem(name, value);
      } else {
        window.localStorage.removeItem(name);
      }
    } catch (error) {
      return null;
    }
    return null;
  }

  function initControl(root) {
    var name = root.getAttribute("data-cookie-name");
    var maxAge = parseInt(root.getAttribute("data-cookie-days"), 10) * DAY;
    var domain = root.getAttribute("data-cookie-domain");
    var usprivacy = root.hasAttribute("data-usprivacy");
    var button = root.querySelector("[data-optout-button]");
    var gpcNotice = root.querySelector("[data-gpc-notice]");
    var gpcLock = root.querySelector("[data-gpc-lock]");
    var gpc = navigator.globalPrivacyControl === true || root.hasAttribute("data-gpc-header");
    var optedOut = gpc || readCookie(name) === OPTED_OUT || storage("get", name) === OPTED_OUT;

    function save() {
      if (optedOut) {
        document.cookie = name + "=" + OPTED_OUT + cookieAttributes(maxAge, domain);
        storage("set", name, OPTED_OUT);
      } else {
        document.cookie = name + "=" + cookieAttributes(0, domain);
        storage("remove", name);
      }
      if (usprivacy) {
        // IAB US Privacy string: version 1, notice given, opted out (Y/N), not an LSPA signatory.
        document.cookie = "usprivacy=" + (optedOut ? "1YYN" : "1YNN") + cookieAttributes(maxAge, domain);
      }
    }

    function render() {
      var locked = gpc && optedOut;
      var states = root.querySelectorAll("[data-state]");
      for (var i = 0; i < states.length; i += 1) {
        states[i].hidden = states[i].getAttribute("data-state") !== (optedOut ? "opted-out" : "not-opted-out");
      }
      root.setAttribute("data-optout-state", optedOut ? "opted-out" : "not-opted-out");
      button.textContent = root.getAttribute(optedOut ? "data-label-opt-in" : "data-label-opt-out");
      button.disabled = locked;
      if (locked) {
        button.setAttribute("aria-describedby", gpcLock.id);
      } else {
        button.removeAttribute("aria-describedby");
      }
      gpcNotice.hidden = !gpc;
      gpcLock.hidden = !locked;
      button.hidden = false;
    }

    function announce(cause) {
      var detail = { optedOut: optedOut, gpc: gpc, cause: cause };
      document.dispatchEvent(new CustomEvent("policypress:optout", { detail: detail }));
      if (window.dataLayer && typeof window.dataLayer.push === "function") {
        window.dataLayer.push({
          event: "policypress.optout",
          policypressOptedOut: optedOut,
          policypressGpc: gpc,
          policypressCause: cause
        });
      }
    }

    if (optedOut) {
      // Re-sync: a GPC opt-out is recorded, and a cookie or storage entry lost
      // on its own is restored from the other.
      save();
    }
    render();
    announce("load");

    button.addEventListener("click", function () {
      if (gpc && optedOut) {
        return;
      }
      optedOut = !optedOut;
      save();
      render();
      announce("user");
    });
  }

  function fieldError(field) {
    var validity = field.validity;
    if (validity.valueMissing || validity.patternMismatch) {
      return field.getAttribute("data-error-missing");
    }
    if (validity.typeMismatch) {
      return field.getAttribute("data-error-format");
    }
    return "";
  }

  function showError(field) {
    var message = fieldError(field);
    var error = document.getElementById(field.id + "-error");
    error.textContent = message;
    error.hidden = !message;
    if (message) {
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
    return !message;
  }

  function mailtoUrl(form) {
    // Without this script the browser writes the body form-encoded (Chromium
    // garbles every non-ASCII character of a text/plain one, whatwg/html#3228).
    // This writes readable "name=value" lines in UTF-8, each named in the page's
    // language (data-mail-name) for the person who reads the email.
    var lines = "";
    for (var i = 0; i < form.elements.length; i += 1) {
      var element = form.elements[i];
      if (element.name && element.tagName === "INPUT") {
        lines += (element.getAttribute("data-mail-name") || element.name) + "=" +
          (element.getAttribute("data-mail-value") || element.value) + "\r\n";
      }
    }
    var action = form.getAttribute("action");
    return action + (action.indexOf("?") === -1 ? "?" : "&") + "body=" + encodeURIComponent(lines);
  }

  function initForm(form) {
    var fields = form.querySelectorAll("input[required]");
    var byEmail = form.getAttribute("action").indexOf("mailto:") === 0;
    // The browser's own bubbles vanish and are not tied to the field for
    // screen readers; our messages stay next to the field, linked by
    // aria-describedby.  Without this script the browser still validates.
    form.noValidate = true;
    form.addEventListener("submit", function (event) {
      var firstInvalid = null;
      for (var i = 0; i < fields.length; i += 1) {
        if (!showError(fields[i]) && !firstInvalid) {
          firstInvalid = fields[i];
        }
      }
      if (firstInvalid) {
        event.preventDefault();
        firstInvalid.focus();
      } else if (byEmail) {
        event.preventDefault();
        window.location.href = mailtoUrl(form);
      }
    });
    for (var i = 0; i < fields.length; i += 1) {
      fields[i].addEventListener("input", function (event) {
        if (event.target.getAttribute("aria-invalid") === "true") {
          showError(event.target);
        }
      });
    }
  }

  var control = document.querySelector("[data-optout]");
  if (control) {
    initControl(control);
  }
  var form = document.querySelector("[data-request-form]");
  if (form) {
    initForm(form);
  }
})();
