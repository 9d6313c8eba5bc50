"""Zero third-party requests: Chromium loads every page of the frozen example site from
a plain static server and records every request it makes. All of them go to the site's
own origin and succeed, with no console error and no CSP violation on any page."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitefiles import pages, url_of

pytestmark = pytest.mark.browser

#: Records CSP violations as events too, not only as console text (init scripts are not
#: subject to the page's CSP, so this needs no exception in the policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_every_page_makes_only_same_origin_requests(
    frozen_example: Path, static_site: str, watched_page, browser
) -> None:
    origin = urlsplit(static_site)
    urls = [url_of(frozen_example, path) for path in pages(frozen_example)]
    assert len(urls) > 100 and "/" in urls and "/404.html" in urls
    page = watched_page.page  # one page in one context for the whole crawl: fast
    page.add_init_script(RECORD_VIOLATIONS)
    failed: list[str] = []
    # ERR_ABORTED is the crawl itself moving on (the favicon loads after the load event).
    page.on(
        "requestfailed",
        lambda request: request.failure != "net::ERR_ABORTED" and failed.append(f"{request.url} ({request.failure})"),
    )
    page.on(
        "response", lambda response: response.status >= 400 and failed.append(f"{response.url} ({response.status})")
    )
    seen: dict[str, list[str]] = {}
    for url in urls:
        before_requests, before_errors = len(watched_page.requests), len(watched_page.console_errors)
        response = page.goto(static_site + url, wait_until="load")
        assert response is not None and response.ok, url
        seen[url] = watched_page.requests[before_requests:]
        assert page.evaluate("window.__cspViolations") == [], url
        assert watched_page.console_errors[before_errors:] == [], (url, watched_page.console_errors[before_errors:])
    page.goto("about:blank")  # let the last page finish anything it started
    assert not watched_page.csp_violations() and not watched_page.console_errors
    assert not failed, failed
    requested = [request for found in seen.values() for request in found]
    elsewhere = [r for r in requested if urlsplit(r)[:2] != origin[:2] and not r.startswith("about:")]
    assert not elsewhere, elsewhere
    # The scripts and stylesheet really loaded on the pages that use them.
    assets = {urlsplit(r).path.split("/")[-1].split(".")[0] for r in requested if "/assets/" in r}
    assert {"style", "htmx", "regions", "language", "tables", "optout"} <= assets, assets
    assert any("/assets/optout." in r for r in seen["/en/do-not-sell/"])
    # Chromium asks for the favicon after the load event, which a busy machine's crawl has moved on from:
    # wait for it on a page of its own, in a context that has not cached it.
    context = browser.new_context()
    try:
        icon_page = context.new_page()
        with icon_page.expect_request(re.compile(r"/assets/favicon\.[^/]+\.svg$")) as icon:
            icon_page.goto(static_site + "/en/privacy/")
        assert urlsplit(icon.value.url)[:2] == origin[:2]
        assert icon.value.response() is not None and icon.value.response().ok
    finally:
        context.close()
