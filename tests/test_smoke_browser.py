"""The frozen example site opens in a real browser from a plain static server."""

import pytest

pytestmark = pytest.mark.browser


def test_policy_page_opens_from_static_server_without_errors(static_site, watched_page):
    page = watched_page.page
    page.goto(f"{static_site}/en/privacy/")
    assert page.locator("h1").first.inner_text() == "Privacy Policy"
    assert page.locator("section.region[data-region='california']").count() == 1
    assert watched_page.console_errors == []
    assert all(url.startswith(static_site) for url in watched_page.requests)
