"""A site served under a path, on a plain static server, in a real Chromium: the region switch, the language
links and the compare picker stay under the path, and nothing the pages ask for is missing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import TODAY, run_cli, serve_folder
from playwright.sync_api import expect
from test_base_path import BASE, ORIGIN, example_under_a_path

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served_under_a_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The origin of a static server whose folder holds the example's build at :data:`BASE`."""
    folder = tmp_path_factory.mktemp("served")
    content = example_under_a_path(folder)
    result = run_cli("build", "--content", content, "--out", folder / "root" / BASE.strip("/"), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    process, origin = serve_folder(folder / "root")
    yield origin
    process.terminate()
    process.wait(timeout=10)


def test_the_site_works_under_its_path(served_under_a_path, watched_page):
    origin, page = served_under_a_path, watched_page.page
    failed: list[str] = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(f"{origin}{BASE}/en/privacy/")
    for stylesheet in page.locator("link[rel=stylesheet]").all():  # style.css and site.css
        expect(stylesheet).to_have_attribute("href", re.compile(f"^{BASE}/assets/"))
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
    # The region switch: an htmx swap of a fragment under the path, and the view's URL pushed.
    page.locator(".region-picker a[data-region-choice='california']").click()
    page.wait_for_url(f"{origin}{BASE}/en/privacy/california/")
    expect(page.locator("#policy-content")).to_have_attribute("data-region", "california")
    assert any(url.endswith(f"{BASE}/en/privacy/california/content.html") for url in watched_page.requests)
    # The language links lead to the same view in another language.
    page.locator("nav.language-switcher a[lang=fr]").click()
    page.wait_for_url(f"{origin}{BASE}/fr/privacy/california/")
    # The compare picker asks for the pair's page under the path.
    page.goto(f"{origin}{BASE}/en/privacy/compare/2025-06-15/2026-09-01/")
    page.select_option("#compare-old", "2024-03-01")
    page.click(".compare-picker button[type=submit]")
    page.wait_for_url(f"{origin}{BASE}/en/privacy/compare/2024-03-01/2026-09-01/")
    expect(page.locator("#compare-title")).to_contain_text("2024")
    assert failed == []
    assert [url for url in watched_page.requests if not url.startswith(f"{origin}{BASE}/")] == []
    assert watched_page.console_errors == []


def test_printed_links_within_the_site_show_the_address_under_the_path(served_under_a_path, watched_page):
    page = watched_page.page
    page.goto(f"{served_under_a_path}{BASE}/en/privacy/")
    page.emulate_media(media="print")
    link = page.locator(f"#policy-body a[href='{BASE}/en/cookies/']")
    content = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert content == f'" <{ORIGIN}{BASE}/en/cookies/>"'
