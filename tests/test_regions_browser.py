"""The region switch in a real Chromium, on the frozen site served by a plain static server."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE, PageWatch, run_cli, wait_until
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WHOLE = "/en/privacy/"
#: The region blocks the example privacy policy in force on the test date shows in each view.
SECTIONS = {"eea": ["eea uk"], "uk": ["eea uk"], "california": ["california"], "prc": ["prc"]}
NAMES = {"eea": "European Economic Area", "uk": "United Kingdom", "california": "California"}
NAMES["prc"] = "People's Republic of China"
#: Records every CSP violation the page sees (init scripts are not subject to the page's CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _watch(page) -> PageWatch:  # type: ignore[no-untyped-def]
    page.add_init_script(RECORD_VIOLATIONS)
    return PageWatch(page)


@pytest.fixture
def watch(watched_page) -> PageWatch:
    watched_page.page.add_init_script(RECORD_VIOLATIONS)
    return watched_page


def assert_clean(watch: PageWatch, origin: str) -> None:
    """No console errors, no CSP violations, no request to another origin."""
    assert watch.console_errors == []
    assert watch.csp_violations() == []
    assert watch.page.evaluate("window.__cspViolations") == []
    assert [url for url in watch.requests if not url.startswith(origin + "/")] == []
    assert [url for url in watch.requests if "?" in url] == []


def picker_link(page, region: str):  # type: ignore[no-untyped-def]
    return page.locator(f".region-picker a[data-region-choice='{region}']")


def expect_view(page, origin: str, region: str) -> None:  # type: ignore[no-untyped-def]
    """The page shows the view of ``region`` ('' for the whole policy), and says so."""
    url = f"{origin}/en/privacy/{region}/" if region else origin + WHOLE
    expect(page).to_have_url(url)
    expect(page.locator("#policy-content")).to_have_attribute("data-region", region)
    expect(picker_link(page, region)).to_have_attribute("aria-current", "page")
    expect(page.locator(".region-picker a[aria-current]")).to_have_count(1)
    sections = page.locator("#policy-body section.region").evaluate_all("els => els.map(e => e.dataset.region)")
    assert sections == (SECTIONS[region] if region else ["eea uk", "california", "prc"])
    toc = page.locator(".toc a").evaluate_all("els => els.map(a => a.getAttribute('href').slice(1))")
    headings = page.locator("#policy-body :is(h2, h3)").evaluate_all("els => els.map(h => h.id)")
    assert toc == headings


def test_switching_to_each_region_swaps_only_the_main_content(static_site, watch):
    page = watch.page
    page.goto(static_site + WHOLE)
    page.evaluate("window.__sameDocument = true; document.querySelector('h1').dataset.kept = 'yes'")
    for region in [*SECTIONS, ""]:
        before = len(watch.requests)
        picker_link(page, region).click()
        expect_view(page, static_site, region)
        assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"
        assert page.locator("h1[data-kept='yes']").count() == 1, "more than the main content was replaced"
        fragment = f"/en/privacy/{region}/content.html" if region else "/en/privacy/content.html"
        fetched = [url for url in watch.requests[before:] if "/assets/" not in url]  # the favicon may come late
        assert fetched == [static_site + fragment]
        title = f"Privacy Policy ({NAMES[region]})" if region else "Privacy Policy"
        assert page.title() == f"{title} · Fernwood Notes"
    assert_clean(watch, static_site)


def head_and_language_links(page) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the page says of itself around its content: head links, language links, translation notice."""
    return page.evaluate(
        """() => ({
          canonical: document.querySelector("link[rel=canonical]").getAttribute("href"),
          alternates: [...document.querySelectorAll("link[rel=alternate][hreflang]")].map(
            (link) => [link.hreflang, link.getAttribute("href")]),
          languages: [...document.querySelectorAll("#language-switcher a")].map(
            (link) => [link.hreflang, link.getAttribute("href"), link.getAttribute("aria-current")]),
          notice: document.querySelector(".translation-notice")?.outerHTML ?? null,
        })"""
    )


def test_after_a_switch_the_page_says_what_a_full_load_of_the_view_says(static_site, watch):
    """The language links, the head's canonical and hreflang links, and the untranslated-sections
    notice (which lists only the sections the view shows) follow the swap."""
    page = watch.page
    for start, region in (("/en/privacy/", "california"), ("/fr/privacy/eea/", "prc"), ("/fr/privacy/prc/", "")):
        page.goto(static_site + start)
        picker_link(page, region).click()
        view = f"{start.split('/')[1]}/privacy/{region + '/' if region else ''}"
        expect(page).to_have_url(f"{static_site}/{view}")
        expect(page.locator("#policy-content")).to_have_attribute("data-region", region)
        swapped = head_and_language_links(page)
        page.goto(f"{static_site}/{view}")
        assert swapped == head_and_language_links(page), view
    assert swapped["notice"] is not None  # the French text of the policy in force is not translated yet
    assert ["es", "/es/privacy/", None] in swapped["languages"]
    assert_clean(watch, static_site)


#: Records which elements a ResizeObserver watches (tables.js is the site's only user of one).
RECORD_OBSERVED = """
window.__observed = new Set();
const observe = ResizeObserver.prototype.observe;
const unobserve = ResizeObserver.prototype.unobserve;
ResizeObserver.prototype.observe = function (element, options) {
  window.__observed.add(element);
  return observe.call(this, element, options);
};
ResizeObserver.prototype.unobserve = function (element) {
  window.__observed.delete(element);
  return unobserve.call(this, element);
};
"""
#: How many elements watched are out of the page, and how many boxes and tables in it are not watched.
OBSERVED = """() => {
  const inPage = [...document.querySelectorAll(".table-scroll")].flatMap((box) => [box, box.querySelector("table")]);
  return [[...window.__observed].filter((element) => !element.isConnected).length,
          inPage.filter((element) => !window.__observed.has(element)).length, inPage.length];
}"""
#: True once every box and table of the page is watched, and nothing else.
ALL_OBSERVED = f"() => {{ const [removed, unwatched, _] = ({OBSERVED})(); return removed === 0 && unwatched === 0; }}"


def test_tables_swapped_out_are_no_longer_observed(static_site, watch):
    """tables.js watches each table box and its table for a new size: a box the region switch takes out of
    the page is no longer watched (which would keep it alive), and every box swapped in is."""
    page = watch.page
    page.add_init_script(RECORD_OBSERVED)
    page.goto(static_site + WHOLE)
    wait_until(page, "() => window.__observed.size > 0")
    assert page.evaluate(OBSERVED)[2] > 0, "the privacy policy has tables"
    wait_until(page, ALL_OBSERVED)
    for region in ("california", "eea", ""):
        picker_link(page, region).click()
        expect_view(page, static_site, region)
        wait_until(page, ALL_OBSERVED)
    assert_clean(watch, static_site)


def test_url_is_pushed_and_back_and_forward_restore_the_view(static_site, watch):
    page = watch.page
    page.goto(static_site + WHOLE)
    entries = page.evaluate("history.length")
    picker_link(page, "california").click()
    expect_view(page, static_site, "california")
    picker_link(page, "eea").click()
    expect_view(page, static_site, "eea")
    assert page.evaluate("history.length") == entries + 2
    page.go_back()
    expect_view(page, static_site, "california")
    page.go_back()
    expect_view(page, static_site, "")
    page.go_forward()
    expect_view(page, static_site, "california")
    assert_clean(watch, static_site)


@pytest.mark.parametrize("modifier", ["ControlOrMeta", "Shift"])
def test_a_click_with_a_modifier_key_opens_the_view_as_a_plain_link_would(static_site, watch, modifier):
    """Ctrl/Cmd-click opens a new tab and Shift-click a new window: the page itself stays as it was."""
    page = watch.page
    page.goto(static_site + WHOLE)
    with page.context.expect_page() as opened:
        picker_link(page, "california").click(modifiers=[modifier])
    other = opened.value
    other.wait_for_load_state()
    expect_view(other, static_site, "california")
    expect_view(page, static_site, "")  # not swapped here
    assert page.evaluate("localStorage.getItem('policypress.region')") is None  # nothing remembered
    assert_clean(watch, static_site)


def test_focus_moves_to_the_content_and_the_change_is_announced(static_site, watch):
    page = watch.page
    page.goto(static_site + WHOLE)
    status = page.locator("#region-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("")
    picker_link(page, "california").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Region: California. Showing only the sections that apply there.")
    assert page.evaluate("document.activeElement.id") == "policy-content"
    expect(picker_link(page, "california")).to_be_in_viewport()  # focus did not scroll the switch away
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Read the whole policy"
    expect(page.locator(".region-note")).to_contain_text(
        "Region: California. Showing only the sections that apply there."
    )
    page.locator(".region-note a").click()
    expect(status).to_have_text("Showing the whole policy.")
    assert page.evaluate("document.activeElement.id") == "policy-content"
    expect_view(page, static_site, "")
    assert_clean(watch, static_site)


def test_remembered_region_is_suggested_on_the_next_visit_never_redirected(static_site, watch):
    page = watch.page
    page.goto(static_site + WHOLE)
    expect(page.locator("#region-suggestion")).to_be_hidden()
    picker_link(page, "california").click()
    expect_view(page, static_site, "california")
    assert page.evaluate("localStorage.getItem('policypress.region')") == "california"

    later = _watch(page.context.new_page())
    later.page.goto(static_site + WHOLE)
    suggestion = later.page.locator("#region-suggestion")
    expect(suggestion).to_be_visible()
    expect(suggestion.locator("p:visible")).to_have_count(1)
    expect(suggestion.locator("p:visible")).to_contain_text(
        "The region you chose last time: California. Show only the sections that apply there?"
    )
    later.page.wait_for_timeout(300)  # a redirect, if there were one, would have happened by now
    expect_view(later.page, static_site, "")
    assert later.page.evaluate("document.cookie") == ""
    suggestion.get_by_role("link", name="Yes, show them").click()
    expect_view(later.page, static_site, "california")
    expect(later.page.locator("#region-status")).to_have_text(
        "Region: California. Showing only the sections that apply there."
    )

    later.page.goto(static_site + WHOLE)
    later.page.get_by_role("button", name="No, thanks").click()
    expect(suggestion).to_be_hidden()
    assert later.page.evaluate("document.activeElement.id") == "policy-content"
    assert later.page.evaluate("localStorage.getItem('policypress.region')") == "california"

    picker_link(later.page, "").click()  # choosing the whole policy forgets the region
    expect(later.page.locator("#region-status")).to_have_text("Showing the whole policy.")
    assert later.page.evaluate("localStorage.getItem('policypress.region')") is None
    later.page.reload()
    expect(later.page.locator("#policy-content")).to_have_attribute("data-region", "")
    expect(suggestion).to_be_hidden()
    assert_clean(watch, static_site)
    assert_clean(later, static_site)


def test_without_javascript_the_links_reach_every_region_view(static_site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        watch = PageWatch(context.new_page())
        page = watch.page
        page.goto(static_site + WHOLE)
        for region in SECTIONS:
            picker_link(page, region).click()
            page.wait_for_url(f"{static_site}/en/privacy/{region}/")
            expect_view(page, static_site, region)
            expect(page.locator(".region-note")).to_contain_text(
                f"Region: {NAMES[region]}. Showing only the sections that apply there."
            )
        page.locator(".region-note a").click()
        page.wait_for_url(static_site + WHOLE)
        expect_view(page, static_site, "")
        expect(page.locator("#region-suggestion")).to_be_hidden()
        assert not [url for url in watch.requests if url.endswith("content.html")]
        assert watch.console_errors == []
    finally:
        context.close()


def test_heading_anchor_in_a_region_block_works_from_the_whole_policy_and_its_view(static_site, watch):
    page = watch.page
    anchor = "your-california-privacy-rights"
    for url in (WHOLE, "/en/privacy/california/"):
        page.goto(f"{static_site}{url}#{anchor}")
        expect(page.locator(f"#{anchor}")).to_be_in_viewport()
        assert page.evaluate("document.querySelector(':target').id") == anchor
    page.goto(f"{static_site}/en/privacy/eea/")
    picker_link(page, "california").click()
    expect_view(page, static_site, "california")
    page.locator(f".toc a[href='#{anchor}']").click()
    expect(page).to_have_url(f"{static_site}/en/privacy/california/#{anchor}")
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    assert_clean(watch, static_site)


def test_a_fragment_that_cannot_load_falls_back_to_the_plain_link(static_site, watched_page):
    page = watched_page.page
    page.route("**/content.html", lambda route: route.abort())
    page.goto(static_site + WHOLE)
    picker_link(page, "prc").click()
    page.wait_for_url(f"{static_site}/en/privacy/prc/")
    expect_view(page, static_site, "prc")


def test_a_switch_to_a_view_of_a_newer_version_loads_its_whole_page(static_site, watched_page, tmp_path):
    """After a new version takes effect and the site is rebuilt, a page loaded before must not show the
    new text under its own "Last updated" date: the switch loads the view's whole page."""
    later = tmp_path / "later"
    result = run_cli("build", "--content", EXAMPLE, "--out", later, "--today", "2027-02-01", "--no-cache")
    assert result.returncode == 0, result.stderr
    page = watched_page.page
    page.goto(static_site + WHOLE)
    expect(page.locator("#policy-content")).to_have_attribute("data-version", "2026-09-01")
    # The deploy of the rebuilt site, as this open page meets it: the California view's page and fragment.
    view = later / "en/privacy/california"
    page.route(
        f"{static_site}/en/privacy/california/**",
        lambda route: route.fulfill(
            path=view / ("content.html" if route.request.url.endswith("content.html") else "index.html")
        ),
    )
    picker_link(page, "california").click()
    page.wait_for_url(f"{static_site}/en/privacy/california/")
    expect(page.locator("#policy-content")).to_have_attribute("data-version", "2027-02-01")
    expect(page.locator(".last-updated time")).to_have_attribute("datetime", "2027-02-01")
    assert page.evaluate("performance.getEntriesByType('navigation')[0].name").endswith("/en/privacy/california/")


#: How each region link is marked, other than by colour or weight (forced colours override colours).
MARKS = """links => links.map(a => {
  const s = getComputedStyle(a);
  return {
    current: a.getAttribute("aria-current") === "page",
    mark: [s.textDecorationLine, s.outlineStyle, s.outlineWidth, s.borderTopStyle, s.borderTopWidth].join(" "),
  };
})"""


@pytest.mark.parametrize("forced", ["active", "none"])
def test_the_current_region_is_marked_by_more_than_colour(static_site, watched_page, forced):
    # WCAG 1.4.1: in forced colours (Windows High Contrast) the current region's colours are gone.
    page = watched_page.page
    page.emulate_media(forced_colors=forced)
    page.goto(static_site + "/en/privacy/california/")
    assert page.evaluate("matchMedia('(forced-colors: active)').matches") is (forced == "active")
    marks = page.locator(".region-picker a").evaluate_all(MARKS)
    current = [m["mark"] for m in marks if m["current"]]
    others = {m["mark"] for m in marks if not m["current"]}
    assert len(current) == 1 and len(marks) > 2
    assert current[0] not in others, marks
    # Underlined in both modes; in forced colours also a border thicker than the others' (in Highlight).
    assert current[0].startswith("underline"), marks
    widths = {mark.split()[-1] for mark in others}
    assert (current[0].split()[-1] == "2px" and widths == {"1px"}) is (forced == "active"), marks
    # The mark follows the reader's choice when htmx swaps another view in.
    picker_link(page, "eea").click()
    expect(picker_link(page, "eea")).to_have_attribute("aria-current", "page")
    marks = page.locator(".region-picker a").evaluate_all(MARKS)
    assert [m["mark"] for m in marks if m["current"]] == current
    assert {m["mark"] for m in marks if not m["current"]} == others
