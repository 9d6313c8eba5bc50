"""The compare picker in a real Chromium, on the frozen example site served as plain files."""

import re

import pytest
from conftest import EXAMPLE, TODAY, PageWatch, run_cli, serve_folder
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

START = "/en/privacy/compare/2025-06-15/2026-09-01/"


def head_alternates(page) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The head's hreflang links, in order, as [hreflang, href]."""
    return page.locator("link[rel=alternate][hreflang]").evaluate_all(
        "links => links.map(link => [link.hreflang, link.getAttribute('href')])"
    )


def test_picker_loads_a_comparison_with_htmx_and_updates_the_url(static_site, watched_page):
    page = watched_page.page
    page.goto(static_site + START)
    assert page.evaluate("window.htmx !== undefined")
    page.evaluate("window.sameDocument = true")
    # The heading names the newer version's title, which a version may change: it is swapped too.
    page.evaluate("document.querySelector('h1').dataset.before = 'swap'")
    page.select_option("#compare-old", "2027-02-01")  # picked in the wrong order on purpose
    page.select_option("#compare-new", "2024-03-01")
    page.click(".compare-picker button[type=submit]")
    page.wait_for_url(static_site + "/en/privacy/compare/2024-03-01/2027-02-01/")
    heading = page.locator("#compare-title")
    assert heading.inner_text() == "Changes from March 1, 2024 to February 1, 2027"
    assert page.evaluate("window.sameDocument") is True  # swapped in place, not a page load
    # compare.js moves focus, and copies the head's links, once htmx has settled (after the URL and the text).
    expect(heading).to_be_focused()
    assert (page.input_value("#compare-old"), page.input_value("#compare-new")) == ("2024-03-01", "2027-02-01")
    assert page.title().startswith("Changes from March 1, 2024 to February 1, 2027")
    assert static_site + "/en/privacy/compare/2024-03-01/2027-02-01/" in watched_page.requests
    # The result is swapped for the one selected from the fetched page, not nested in it.
    assert page.locator("#compare-result").count() == 1 and page.locator("h1").count() == 1
    assert page.locator("h1[data-before]").count() == 0
    # The language links lead to the pair now shown, not to the one the page was loaded with.
    french = page.locator("#language-switcher a[lang='fr']")
    assert french.get_attribute("href") == "/fr/privacy/compare/2024-03-01/2027-02-01/"
    assert french.get_attribute("hreflang") == "en"  # 2027-02-01 is not translated: the French page compares originals
    # So do the head's canonical and hreflang links, which sharing and bookmarking read: only the languages
    # the new pair is translated into (here none but the original's), none left over from the first pair.
    base = "https://privacy.fernwood.example"
    pair = "/privacy/compare/2024-03-01/2027-02-01/"
    assert page.locator("link[rel=canonical]").get_attribute("href") == f"{base}/en{pair}"
    assert head_alternates(page) == [["en", f"{base}/en{pair}"], ["x-default", f"{base}/en{pair}"]]
    assert page.locator(".diff-body ins").count() > 0
    assert page.locator(".diff-counts li").all_inner_texts() == [
        "5 sections added",
        "0 sections removed",
        "2 sections changed",
    ]

    contact = page.locator(".diff-body #contact-us")
    assert contact.is_visible()
    page.check("#changed-only")
    assert contact.is_hidden() and page.locator(".diff-body ins").first.is_visible()
    page.select_option("#compare-old", "2025-06-15")
    page.click(".compare-picker button[type=submit]")
    page.wait_for_url(static_site + "/en/privacy/compare/2025-06-15/2027-02-01/")
    assert page.evaluate("window.sameDocument") is True
    # The box is outside the swapped part: the new pair is shown changed sections only too.
    assert page.is_checked("#changed-only") and contact.is_hidden()

    page.select_option("#compare-new", "2025-06-15")
    page.click(".compare-picker button[type=submit]")
    assert page.locator(".picker-status").inner_text() == "Choose two different versions."

    # A pair chosen newest first is put in order, and the reader is told.
    page.select_option("#compare-old", "2026-09-01")
    page.select_option("#compare-new", "2024-03-01")
    page.click(".compare-picker button[type=submit]")
    page.wait_for_url(static_site + "/en/privacy/compare/2024-03-01/2026-09-01/")
    assert page.locator(".picker-status").inner_text() == "Put in order: the older version first."
    assert page.input_value("#compare-old") == "2024-03-01" and page.input_value("#compare-new") == "2026-09-01"
    # Spanish and Chinese translate both versions of this pair: their hreflang links come back, in order.
    # compare.js copies them at htmx's settle, after the URL changes: wait for the focus it moves next.
    expect(heading).to_be_focused()
    pair = "/privacy/compare/2024-03-01/2026-09-01/"
    languages = (("en", "en"), ("es", "es"), ("zh-Hans", "zh-hans"), ("x-default", "en"))
    assert head_alternates(page) == [[tag, f"{base}/{slug}{pair}"] for tag, slug in languages]
    assert watched_page.console_errors == []
    assert watched_page.csp_violations() == []
    assert all(url.startswith(static_site) for url in watched_page.requests)


def test_without_javascript_the_picker_falls_back_to_plain_links(static_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(static_site + START)
        page.select_option("#compare-old", "2024-03-01")
        page.click(".compare-picker button[type=submit]")
        page.wait_for_url(re.compile(re.escape(static_site) + r"/en/privacy/compare/\?old=2024-03-01&new=2026-09-01"))
        assert page.locator("h1").inner_text() == "Compare versions of Privacy Policy"
        page.click("a[href='/en/privacy/compare/2024-03-01/2026-09-01/']")
        page.wait_for_url(static_site + "/en/privacy/compare/2024-03-01/2026-09-01/")
        assert page.locator("#compare-title").inner_text() == "Changes from March 1, 2024 to September 1, 2026"
        # "Changed sections only" is a plain checkbox and CSS: it works without JavaScript too.
        assert page.locator(".diff-body #contact-us").is_visible()
        page.check("#changed-only")
        assert page.locator(".diff-body #contact-us").is_hidden()
    finally:
        context.close()


def test_picker_says_so_when_a_pair_is_not_pre_rendered(tmp_path, browser):
    out = tmp_path / "build"
    args = ("build", "--content", EXAMPLE, "--out", out, "--today", TODAY.isoformat(), "--quiet")
    result = run_cli(*args, "--compare-all-pairs-up-to", "2")
    assert result.returncode == 0, result.stderr
    server, base = serve_folder(out)
    context = browser.new_context()
    page = context.new_page()
    try:
        watch = PageWatch(page)
        page.goto(base + START)
        assert page.evaluate("window.htmx !== undefined")
        page.select_option("#compare-old", "2024-03-01")
        page.select_option("#compare-new", "2027-02-01")
        page.click(".compare-picker button[type=submit]")
        status = page.locator(".picker-status")
        status.wait_for(state="visible")
        assert status.inner_text().startswith("This comparison is not published.")
        assert status.locator("a").get_attribute("href") == "/en/privacy/compare/"  # the list of them all
        assert page.url == base + START
        assert page.locator("#compare-title").inner_text() == "Changes from June 15, 2025 to September 1, 2026"
        assert watch.csp_violations() == []
        assert all("404" in error for error in watch.console_errors), watch.console_errors
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=10)


#: True on a page loaded afresh (the mark set before the navigation is gone) once it has loaded. Asked with
#: evaluate() once the page's load event has come: wait_for_function() compiles its predicate in the page,
#: which the site's CSP (no 'unsafe-eval') forbids, logging a violation while it polls.
FRESH_LOAD = "window.sameDocument === undefined && document.readyState === 'complete'"


def test_changed_sections_only_survives_back_forward_and_reload(static_site, watched_page):
    page = watched_page.page
    page.goto(static_site + START)
    assert page.evaluate("window.htmx !== undefined")
    unchanged = page.locator(".diff-body .diff-unchanged").first
    page.check("#changed-only")
    assert unchanged.is_hidden()
    page.select_option("#compare-old", "2024-03-01")
    page.click(".compare-picker button[type=submit]")
    page.wait_for_url(static_site + "/en/privacy/compare/2024-03-01/2026-09-01/")
    assert page.is_checked("#changed-only")

    # htmx keeps no copy of the page (historyCacheSize 0): Back loads the first pair's page again.
    page.evaluate("window.sameDocument = true")
    with page.expect_event("load"):  # Back pops htmx's entry, and htmx reloads the page
        page.go_back()
    assert page.evaluate(FRESH_LOAD)
    assert page.url == static_site + START
    assert page.locator("#compare-title").inner_text() == "Changes from June 15, 2025 to September 1, 2026"
    assert page.is_checked("#changed-only") and unchanged.is_hidden()

    page.evaluate("window.sameDocument = true")
    with page.expect_event("load"):
        page.go_forward()
    assert page.evaluate(FRESH_LOAD)
    assert page.url == static_site + "/en/privacy/compare/2024-03-01/2026-09-01/"
    assert page.is_checked("#changed-only") and unchanged.is_hidden()

    # Unticking it is a choice too.
    page.uncheck("#changed-only")
    page.reload(wait_until="load")
    assert page.evaluate(FRESH_LOAD)
    assert not page.is_checked("#changed-only") and unchanged.is_visible()
    assert watched_page.console_errors == []
    assert watched_page.csp_violations() == []


@pytest.mark.parametrize("javascript", [True, False])
def test_a_link_to_a_section_that_changed_sections_only_hides_shows_the_text(static_site, browser, javascript):
    """With the box ticked, a link in the text to an unchanged section, or a shared address of one opened in a
    tab where the box was ticked before (the script ticks it again), led nowhere: the page did not move.  Every
    section shows while the link's target is unchanged text (a region box cuts a section in parts, and the
    rule cannot tell which parts are the target's)."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1000, "height": 700})
    page = context.new_page()
    try:
        page.goto(static_site + "/en/privacy/compare/2026-09-01/2027-02-01/")
        page.check("#changed-only")
        target = page.locator(".diff-body #information-we-collect")
        assert target.is_hidden()
        page.locator(".diff-body a[href='#information-we-collect']").click()  # in the California section's text
        expect(target).to_be_visible()
        expect(target).to_be_in_viewport()
        assert page.is_checked("#changed-only")
        # The whole section, its California box too, and the text around it.
        expect(page.locator(".diff-body .diff-unchanged").first).to_be_visible()
        assert page.locator(".diff-body section.region.diff-unchanged:visible").count() > 0
        page.go_back()
        expect(target).to_be_hidden()
        assert page.locator(".diff-body .diff-unchanged:visible").count() == 0
        if javascript:
            page.goto(static_site + START + "#sharing")
            assert page.is_checked("#changed-only")
            expect(page.locator(".diff-body #sharing")).to_be_in_viewport()
    finally:
        context.close()


NO_TABLE = "---\ntitle: Privacy Policy\n{summary}---\n## General\n\n{text}\n"
WITH_TABLE = NO_TABLE + "\n## Cookies\n\n| Name | Purpose |\n|---|---|\n| fw_session | Keeps you signed in |\n"


def test_a_pair_with_tables_swapped_into_a_page_without_brings_the_script_for_them(tmp_path, browser):
    """A comparison without tables does not load tables.js; picking a pair with one swaps its result in and
    loads the script (with its integrity hash), which then takes the box of a table that fits out of the
    tab order, as on a page loaded with it."""
    from conftest import write_content

    later = {"summary": "summary: Changed.\n"}
    files = {
        "policies/privacy/2025-01-01.en.md": NO_TABLE.format(summary="", text="First."),
        "policies/privacy/2025-02-01.en.md": NO_TABLE.format(**later, text="Second."),
        "policies/privacy/2025-03-01.en.md": WITH_TABLE.format(**later, text="Third."),
    }
    content = write_content(tmp_path / "content", files)
    out = tmp_path / "build"
    result = run_cli("build", "--content", content, "--out", out, "--today", TODAY.isoformat(), "--quiet")
    assert result.returncode == 0, result.stderr
    server, base = serve_folder(out)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        watch = PageWatch(context.new_page())
        page = watch.page
        page.goto(base + "/en/privacy/compare/2025-01-01/2025-02-01/")
        assert page.evaluate("window.htmx !== undefined")
        assert page.locator("script[src*='/tables.']").count() == 0 and page.locator(".table-scroll").count() == 0
        page.select_option("#compare-new", "2025-03-01")
        page.click(".compare-picker button[type=submit]")
        page.wait_for_url(base + "/en/privacy/compare/2025-01-01/2025-03-01/")
        box = page.locator(".diff-body .table-scroll")
        expect(box).to_have_count(1)
        expect(box).not_to_have_attribute("tabindex", "0")  # tables.js ran: the table fits, nothing to scroll
        script = page.locator("script[src*='/tables.']")
        assert script.count() == 1 and script.get_attribute("integrity").startswith("sha384-")
        assert watch.csp_violations() == [] and watch.console_errors == []
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=10)


def test_an_inserted_or_deleted_block_of_any_kind_is_marked_by_more_than_colour(tmp_path, browser):
    """WCAG 1.4.1: a whole block inserted or deleted is underlined or struck through, whatever its kind (a
    small heading and a code block here, which had the colour and the border alone)."""
    from conftest import write_content

    text = "---\ntitle: Privacy Policy\n{summary}---\n## General\n\nFirst.\n\n{heading}\n\n```\n{code}\n```\n"
    files = {
        "policies/privacy/2025-01-01.en.md": text.format(summary="", heading="##### Old small heading", code="old"),
        "policies/privacy/2025-02-01.en.md": text.format(
            summary="summary: Changed.\n", heading="###### New smallest heading", code="new code"
        ),
    }
    content = write_content(tmp_path / "content", files)
    out = tmp_path / "build"
    result = run_cli("build", "--content", content, "--out", out, "--today", TODAY.isoformat(), "--quiet")
    assert result.returncode == 0, result.stderr
    server, base = serve_folder(out)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "/en/privacy/compare/2025-01-01/2025-02-01/")
        lines = page.locator(".diff-body .diff-block > :not(.visually-hidden)").evaluate_all(
            "blocks => blocks.map(b => [b.parentElement.localName, b.localName,"
            " getComputedStyle(b).textDecorationLine])"
        )
        assert sorted(lines) == [
            ["del", "h5", "line-through"],
            ["del", "pre", "line-through"],
            ["ins", "h6", "underline"],
            ["ins", "pre", "underline"],
        ], lines
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=10)
