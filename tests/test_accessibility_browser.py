"""Accessibility: axe-core, run in Chromium, finds no WCAG 2.1 A or AA violation on any
type of page (in English, Simplified Chinese and the right-to-left fixture), nor in the
states scripts reveal; every such page reflows to 320 px without scrolling sideways; and
the site works by keyboard, with a skip link and a visible focus indicator on everything
that takes focus.

axe is injected with ``page.evaluate(source)``: Playwright evaluates it through the
DevTools protocol, which the page's Content Security Policy does not govern. So the site
is tested with exactly the CSP its readers get, without ``bypass_csp`` or any exception.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT, RTL_FIXTURE, TODAY, PageWatch, run_cli, serve_folder, wait_until
from playwright.sync_api import expect
from sitefiles import pages, url_of

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = PROJECT / "node_modules" / "axe-core"

#: The page types every site has, and those the example site must have, by URL shape
#: (see :func:`shape`). Every other shape found in a build is checked as well.
PAGE_TYPES = {
    "root": "/",
    "404": "/404.html",
    "policy list": "/<locale>/",
    "policy": "/<locale>/<policy>/",
    "region view": "/<locale>/<policy>/<region>/",
    "archived version": "/<locale>/<policy>/<date>/",
    "changelog": "/<locale>/<policy>/changes/",
    "comparison list": "/<locale>/<policy>/compare/",
    "comparison": "/<locale>/<policy>/compare/<date>/<date>/",
    "Do Not Sell": "/<locale>/do-not-sell/",
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's source, from the version package.json pins (``npm ci`` installs it)."""
    wanted = json.loads((PROJECT / "package.json").read_text())["devDependencies"]["axe-core"]
    installed = AXE / "package.json"
    if not installed.is_file() or json.loads(installed.read_text())["version"] != wanted:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PROJECT, check=True)
    return (AXE / "axe.min.js").read_text(encoding="utf-8")


def site_names(content: Path) -> tuple[set[str], set[str], set[str]]:
    """The locale slugs, policy slugs and region ids of a content folder."""
    from policypress import create_app

    site = create_app({"CONTENT_DIR": content, "TODAY": TODAY}).extensions["policypress"].library.site
    return (
        {locale.slug for locale in site.config.locales},
        {policy.slug for policy in site.policies},
        set(site.config.region_ids),
    )


def shape(url: str, names: tuple[set[str], set[str], set[str]]) -> str:
    """The type of page a URL is: ``/en/privacy/2024-03-01/`` is ``/<locale>/<policy>/<date>/``."""
    locales, policies, regions = names
    parts = url.strip("/").split("/") if url != "/" else []
    out = []
    for index, part in enumerate(parts):
        if index == 0 and part in locales:
            part = "<locale>"
        elif index == 1 and part in policies:
            part = "<policy>"
        elif index == 2 and part in regions:
            part = "<region>"
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
            part = "<date>"
        out.append(part)
    return "/" + "/".join(out) + ("/" if url.endswith("/") and out else "")


def one_of_each_type(root: Path, names, locale: str, *, shared: bool = True) -> dict[str, str]:
    """{shape: URL} for every type of page in ``root`` in ``locale``, plus the pages outside any
    locale (the root, 404) when ``shared``. Of each type the largest page is taken: it has the
    most markup to check (the privacy policy over the shorter cookie policy, say)."""
    found: dict[str, tuple[int, str]] = {}
    for path in pages(root):
        url = url_of(root, path)
        first = url.strip("/").split("/")[0]
        if (first in names[0] and first != locale) or (first not in names[0] and not shared):
            continue
        size = path.stat().st_size
        kind = shape(url, names)
        if kind not in found or size > found[kind][0]:
            found[kind] = (size, url)
    return {kind: url for kind, (_size, url) in sorted(found.items())}


def run_axe(page, axe_source: str, rules: list[str] | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    """axe's violations of WCAG 2.1 A and AA, or of only ``rules`` when given (best practices, say)."""
    page.evaluate(axe_source)
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("(only) => axe.run(document, {runOnly: only, resultTypes: ['violations']})", only)
    return result["violations"]


def describe(url: str, violations: list[dict]) -> list[str]:
    return [
        f"{url}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        + f" {v['nodes'][0].get('failureSummary', '')[:200]!r}"
        for v in violations
    ]


WIDE = {"width": 1280, "height": 800}
#: WCAG 1.4.10 Reflow: content fits 320 CSS px without scrolling sideways (axe cannot see this).
NARROW = {"width": 320, "height": 640}


def check_every_type(base: str, urls: dict[str, str], browser, axe_source: str) -> list[str]:  # type: ignore[no-untyped-def]
    """axe on each page, then the same page at 320 px wide: it must not scroll sideways."""
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    problems: list[str] = []
    for url in urls.values():
        page.goto(base + url)
        problems += describe(url, run_axe(page, axe_source))
        page.set_viewport_size(NARROW)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            problems.append(f"{url}: at {NARROW['width']} px wide the page is {width} px wide (WCAG 1.4.10 reflow)")
        page.set_viewport_size(WIDE)
    context.close()
    return problems


@pytest.fixture(scope="module")
def example_names():
    from conftest import EXAMPLE

    return site_names(EXAMPLE)


@pytest.mark.parametrize("locale", ["en", "zh-hans"])
def test_every_page_type_of_the_example_has_no_wcag_violations(
    locale, frozen_example, static_site, browser, axe_source, example_names
) -> None:
    # The root and the 404 page belong to no locale: checked once, with English.
    urls = one_of_each_type(frozen_example, example_names, locale, shared=locale == "en")
    expected = {name: kind for name, kind in PAGE_TYPES.items() if locale == "en" or kind.startswith("/<locale>/")}
    missing = [name for name, wanted in expected.items() if wanted not in urls]
    assert not missing, f"the example site has no page of type {missing}; found {sorted(urls)}"
    problems = check_every_type(static_site, urls, browser, axe_source)
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def rtl_site(rtl_build):
    """The right-to-left fixture (Arabic), built once per session and served statically."""
    process, base = serve_folder(rtl_build)
    yield rtl_build, base, site_names(RTL_FIXTURE / "content")
    process.terminate()
    process.wait(timeout=10)


def test_every_page_type_of_the_right_to_left_fixture_has_no_wcag_violations(rtl_site, browser, axe_source) -> None:
    out, base, names = rtl_site
    urls = one_of_each_type(out, names, "ar")
    assert {"/<locale>/<policy>/", "/<locale>/<policy>/<region>/", "/<locale>/<policy>/changes/"} <= set(urls)
    problems = check_every_type(base, urls, browser, axe_source)
    assert not problems, "\n".join(problems)


def test_states_revealed_by_scripts_have_no_wcag_violations(frozen_example, static_site, browser, axe_source) -> None:
    """What JavaScript shows: the GPC notice, form errors, the region suggestion, a swapped view;
    what CSS hides: the unchanged text of a comparison; and the translation fallback notice,
    which only outdated translations show."""
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})")
    page = context.new_page()
    problems: list[str] = []

    page.goto(static_site + "/en/do-not-sell/")
    assert page.locator("[data-gpc-notice]").is_visible()
    page.locator(".request-submit").click()  # empty: every field shows its error
    assert page.locator(".field-error:not([hidden])").count() == 3
    problems += describe("do-not-sell (GPC, form errors)", run_axe(page, axe_source))

    page.goto(static_site + "/en/privacy/")
    page.locator(".region-picker a[data-region-choice='california']").click()
    page.wait_for_url("**/en/privacy/california/")
    page.locator("#policy-content[data-region='california']").wait_for()
    problems += describe("policy switched to California by htmx", run_axe(page, axe_source))
    page.goto(static_site + "/en/privacy/")  # the remembered region is now suggested
    assert page.locator("#region-suggestion").is_visible()
    problems += describe("policy with a region suggestion", run_axe(page, axe_source))

    page.goto(static_site + "/en/privacy/compare/2024-03-01/2027-02-01/")
    page.check("#changed-only")
    assert page.locator(".diff-body .diff-unchanged").first.is_hidden()
    problems += describe("comparison, changed sections only", run_axe(page, axe_source))

    fallback = [p for p in pages(frozen_example) if b"translation-notice" in p.read_bytes()]
    assert fallback, "the example shows the translation fallback notice somewhere"
    url = url_of(frozen_example, max(fallback, key=lambda p: p.stat().st_size))
    page.goto(static_site + url)
    problems += describe(f"{url} (translation fallback notice)", run_axe(page, axe_source))
    context.close()
    assert not problems, "\n".join(problems)


def test_axe_reports_violations_it_is_given(static_site, browser, axe_source) -> None:
    """The checks above can fail: the same harness flags a broken page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(static_site + "/en/privacy/")
    page.evaluate(
        """() => {
            document.querySelector('main').insertAdjacentHTML('beforeend', '<input type="text">');
            document.documentElement.removeAttribute('lang');
        }"""
    )
    found = {v["id"] for v in run_axe(page, axe_source)}
    context.close()
    assert {"label", "html-has-lang"} <= found, found


#: A snapshot of what can show focus, taken for every element before anything is focused.
SNAPSHOT = """
window.__look = (el) => {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color,
          s.textDecorationLine, s.borderColor].join("|");
};
window.__unfocused = new Map();
for (const el of document.querySelectorAll("*")) window.__unfocused.set(el, window.__look(el));
"""

#: What the element that has focus looks like now, next to how it looked without focus.
FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  return {
    name: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " "
          + (el.textContent || el.value || "").trim().slice(0, 40),
    inMain: !!el.closest("main"),
    isBody: el === document.body,
    changed: window.__look(el) !== window.__unfocused.get(el),
    outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
    shown: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
           && box.top < window.innerHeight && box.left < window.innerWidth,
  };
}"""


def test_skip_link_comes_first_and_moves_focus_to_main(static_site, watched_page) -> None:
    page = watched_page.page
    page.goto(static_site + "/en/privacy/")
    skip = page.locator("a.skip-link")
    assert skip.bounding_box()["y"] < 0, "the skip link is out of sight until it gets focus"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0 and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")  # the next stop is inside the main content, past the header
    assert page.evaluate("!!document.activeElement.closest('main')")


@pytest.mark.parametrize("url", ["/", "/en/privacy/", "/en/do-not-sell/", "/en/privacy/compare/", "/404.html"])
def test_everything_that_takes_focus_shows_it(static_site, watched_page, url) -> None:
    page = watched_page.page
    page.goto(static_site + url)
    page.evaluate(SNAPSHOT)
    stops: list[dict] = []
    for _ in range(300):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["isBody"] or (stops and stop["name"] == stops[0]["name"]):
            break  # back at the start: every stop was visited
        stops.append(stop)
    assert len(stops) > 5, stops
    assert stops[0]["name"].startswith("a Skip"), stops[0]
    hidden = [s["name"] for s in stops if not s["shown"]]
    unmarked = [s["name"] for s in stops if not (s["changed"] and s["outline"])]
    assert not hidden, f"focus went to something out of sight: {hidden}"
    assert not unmarked, f"no visible focus indicator on: {unmarked}"


def test_region_switch_and_compare_picker_work_from_the_keyboard(static_site, watched_page) -> None:
    page = watched_page.page
    page.goto(static_site + "/en/privacy/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches(\".region-picker a[data-region-choice='california']\")"):
            break
    else:
        pytest.fail("Tab never reached the California link of the region picker")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/privacy/california/")
    expect(page.locator("#policy-content")).to_be_focused()
    assert page.locator("#policy-content").get_attribute("data-region") == "california"

    page.goto(static_site + "/en/privacy/compare/2025-06-15/2026-09-01/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id === 'compare-old'"):
            break
    else:
        pytest.fail("Tab never reached the compare picker")
    page.keyboard.press("End")  # the last option: the versions are listed newest first
    chosen = sorted(page.evaluate("[...document.querySelectorAll('.compare-picker select')].map(s => s.value)"))
    assert chosen == ["2024-03-01", "2026-09-01"]
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the newer version, to the button
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    expect(page.locator("#compare-title")).to_be_focused()
    assert page.url.endswith("/en/privacy/compare/2024-03-01/2026-09-01/")
    assert watched_page.console_errors == []


#: The words of table cells that the browser split across lines (a hyphen in a word may end a line).
SPLIT_WORDS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll("main :is(td, th)")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter((box) => box.width > 0).map((box) => box.top));
        if (lines.size > 1) split.push(word[0]);
      }
    }
  }
  return split;
}"""

#: Each table's box: scrolls sideways, takes focus, and is a region named by a heading (or the title).
TABLE_BOXES = """() => [...document.querySelectorAll("main table")].map((table) => {
  const box = table.parentElement;
  const label = box.getAttribute("aria-labelledby");
  return {
    scrolls: getComputedStyle(box).overflowX === "auto",
    role: box.getAttribute("role"),
    tabindex: box.getAttribute("tabindex"),
    name: label ? document.getElementById(label)?.textContent.trim() : box.getAttribute("aria-label"),
    wider: box.scrollWidth > box.clientWidth,
  };
})"""


#: Pages with a table: the cookie list in three languages, the privacy policy's, and a comparison.
TABLE_PAGES = [
    "/en/cookies/",
    "/fr/cookies/",
    "/es/cookies/",
    "/en/privacy/",
    "/en/cookies/compare/2025-01-10/2026-05-04/",
]


@pytest.mark.parametrize("url", TABLE_PAGES)
def test_tables_reflow_at_320_px_without_splitting_words(static_site, browser, url) -> None:
    """WCAG 1.4.10: a table may scroll sideways in its own focusable box; the page may not, and no
    word is broken between two letters to make it fit."""
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    page.goto(static_site + url)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    assert page.evaluate(SPLIT_WORDS) == []
    boxes = page.evaluate(TABLE_BOXES)
    assert boxes, "the page has a table"
    for box in boxes:
        # A box is a named region and a tab stop while its table is wider than it (tables.js).
        named = box["role"] == "region" and box["tabindex"] == "0" and bool(box["name"])
        assert box["scrolls"] and named == box["wider"], box
    # A word too long for the screen (an address, say) makes the table's box scroll, not the page, and
    # the keyboard scrolls it once the box has focus.
    first = page.locator("main .table-scroll").first
    first.locator("td").first.evaluate("cell => { cell.textContent = 'fernwood.example/account/settings/cookies'; }")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    assert first.evaluate("box => box.scrollWidth > box.clientWidth && box.scrollLeft === 0")
    assert page.evaluate(SPLIT_WORDS) == []
    wait_until(page, "(box) => box.tabIndex === 0 && box.getAttribute('role') === 'region'", first.element_handle())
    first.focus()
    page.keyboard.press("ArrowRight")
    wait_until(page, "(box) => box.scrollLeft > 0", first.element_handle())
    context.close()


#: WCAG 1.4.12 Text Spacing, the values its test uses, set on every element through the CSSOM (which the
#: page's Content Security Policy allows, unlike a <style> element).
TEXT_SPACING = """() => {
  for (const el of document.querySelectorAll("body *")) {
    el.style.setProperty("line-height", "1.5", "important");
    el.style.setProperty("letter-spacing", "0.12em", "important");
    el.style.setProperty("word-spacing", "0.16em", "important");
    if (el.tagName === "P") el.style.setProperty("margin-bottom", "2em", "important");
  }
}"""


def test_every_page_type_reflows_at_320_px_with_wider_text_spacing(frozen_example, static_site, browser, example_names):
    """A reader who widens letters and words (WCAG 1.4.12) on a narrow screen still reads without scrolling
    sideways: the Do Not Sell page's list held an email address that then no longer fit its line."""
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    wide = []
    for url in one_of_each_type(frozen_example, example_names, "en").values():
        page.goto(static_site + url)
        page.evaluate(TEXT_SPACING)
        assert page.evaluate("getComputedStyle(document.querySelector('main')).wordSpacing") != "0px"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            wide.append(f"{url}: {width} px")
    context.close()
    assert not wide, wide


#: An address of the kind policies give, longer than a line of a narrow screen.
LONG_ADDRESS = "https://fernwood.example/account/settings/privacy-requests"


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("/en/privacy/", ".policy-body p"),
        ("/en/privacy/", ".notice p"),
        ("/en/do-not-sell/", ".page-body li"),
        ("/en/privacy/compare/2025-06-15/2026-09-01/", ".diff-body p"),
    ],
)
def test_a_long_address_in_the_text_wraps_at_320_px_rather_than_widen_the_page(static_site, browser, url, where):
    """WCAG 1.4.10: outside tables (whose box scrolls, see above) a word too long for the line breaks."""
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    page.goto(static_site + url)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    text = page.locator(f"main {where}").first
    text.evaluate("(node, address) => { node.append(' Write to ', address, '.'); }", LONG_ADDRESS)
    assert LONG_ADDRESS in text.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    context.close()


#: A table too wide for any window: each word of its row is longer than a narrow column.
WIDE_HEAD = ["Cookie", "Set by", "Purpose", "Lifetime", "Category", "Shared with", "Where to change it"]
WIDE_ROW = [
    "fw_analytics_identifier",
    "analytics.fernwood.example",
    "measurement_of_visits",
    "thirteen_months",
    "statistics_and_analytics",
    "measurement.partner.example",
    "fernwood.example/account/settings/cookies",
]
#: A policy with two tables under one heading: one that fits a wide window but not 320 px, and one wider
#: than any window.
TWO_TABLES = f"""\
---
title: Cookie Policy
---
## Cookies we set

| Cookie | Where to change it |
|---|---|
| fw_session | fernwood.example/account/settings/cookies |

| {" | ".join(WIDE_HEAD)} |
|{"---|" * len(WIDE_HEAD)}
| {" | ".join(WIDE_ROW)} |
"""


#: Two tables above every heading: named by the page's title.
UNDER_THE_TITLE = f"""\
---
title: Privacy Policy
---
| {" | ".join(WIDE_HEAD)} |
|{"---|" * len(WIDE_HEAD)}
| {" | ".join(WIDE_ROW)} |

| {" | ".join(WIDE_HEAD)} |
|{"---|" * len(WIDE_HEAD)}
| {" | ".join(reversed(WIDE_ROW))} |

## General

Text.
"""


@pytest.fixture(scope="module")
def two_tables_site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A site whose cookie policy has two tables under one heading (and its privacy policy two above every
    heading), built by the CLI and served statically: the cookie policy's URL."""
    from conftest import write_content

    root = tmp_path_factory.mktemp("two-tables")
    files = {"policies/cookies/2025-01-01.en.md": TWO_TABLES, "policies/privacy/2025-01-01.en.md": UNDER_THE_TITLE}
    content = write_content(root / "content", files)
    result = run_cli("build", "--content", content, "--out", root / "build", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    process, base = serve_folder(root / "build")
    yield base + "/en/cookies/"
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.parametrize(("policy", "name"), [("cookies", "Cookies we set"), ("privacy", "Privacy Policy")])
def test_tables_of_one_name_are_regions_of_distinct_names(two_tables_site, browser, axe_source, policy, name) -> None:
    """Two region landmarks of one name cannot be told apart in a screen reader's list (axe's
    best-practice rule landmark-unique): each table's name, the heading's or the title above every
    heading, goes on with "table 1 of 2"."""
    context = browser.new_context(viewport=NARROW)  # both tables are wider than the screen: both are regions
    page = context.new_page()
    page.goto(two_tables_site.replace("/cookies/", f"/{policy}/"))
    wait_until(page, "() => document.querySelectorAll('.table-scroll[role=region]').length === 2")
    problems = describe(policy, run_axe(page, axe_source))
    problems += describe(policy, run_axe(page, axe_source, ["landmark-unique"]))
    assert not problems, "\n".join(problems)
    for number in (1, 2):
        expect(page.get_by_role("region", name=f"{name} table {number} of 2", exact=True)).to_have_count(1)
    context.close()


#: The index of each table box that Tab reaches from the start of the main content, in order.
BOX_STOPS = """() => [...document.querySelectorAll(".table-scroll")].indexOf(document.activeElement)"""


def box_tab_stops(page) -> list[int]:  # type: ignore[no-untyped-def]
    """Which table boxes (by index) the keyboard stops at, tabbing through the main content."""
    page.locator("#main").focus()
    stops = []
    for _ in range(100):
        page.keyboard.press("Tab")
        if not page.evaluate("!!document.activeElement.closest('main')"):
            return stops
        box = page.evaluate(BOX_STOPS)
        if box >= 0:
            stops.append(box)
    raise AssertionError("Tab never left the main content")


#: The box of the table that fits a wide window, as a keyboard and a screen reader find it.
FIRST_BOX = """() => {
  const box = document.querySelector(".table-scroll");
  return {
    wider: box.scrollWidth > box.clientWidth,
    role: box.getAttribute("role"),
    tabindex: box.getAttribute("tabindex"),
    named: box.hasAttribute("aria-labelledby") || box.hasAttribute("aria-label"),
  };
}"""


def test_a_table_box_is_a_tab_stop_only_while_its_table_overflows(two_tables_site, browser) -> None:
    """With JavaScript, a box whose table fits is neither a tab stop nor a region, and becomes both again
    when the window narrows until the table overflows (and the reverse); the table wider than any window
    stays a tab stop."""
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(two_tables_site)
    wait_until(page, "() => !document.querySelector('.table-scroll').hasAttribute('tabindex')")
    assert page.evaluate(FIRST_BOX) == {"wider": False, "role": None, "tabindex": None, "named": False}
    assert box_tab_stops(page) == [1]

    page.set_viewport_size(NARROW)
    wait_until(page, "() => document.querySelector('.table-scroll').getAttribute('tabindex') === '0'")
    assert page.evaluate(FIRST_BOX) == {"wider": True, "role": "region", "tabindex": "0", "named": True}
    assert box_tab_stops(page) == [0, 1]

    # Widened while the reader is in the box: it keeps its tab stop (and the focus) until they leave it.
    page.locator(".table-scroll").first.focus()
    page.set_viewport_size(WIDE)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate("document.activeElement === document.querySelector('.table-scroll')")
    assert page.evaluate(FIRST_BOX) == {"wider": False, "role": "region", "tabindex": "0", "named": True}
    page.keyboard.press("Tab")
    wait_until(page, "() => !document.querySelector('.table-scroll').hasAttribute('tabindex')")
    assert page.evaluate(FIRST_BOX) == {"wider": False, "role": None, "tabindex": None, "named": False}
    assert box_tab_stops(page) == [1]
    context.close()
    assert watch.console_errors == []


def test_without_javascript_every_table_box_is_a_tab_stop(two_tables_site, browser) -> None:
    """Without JavaScript nothing can tell whether a table fits: every box stays a tab stop, even the one
    whose table fits the window."""
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(two_tables_site)
    assert page.evaluate(FIRST_BOX) == {"wider": False, "role": "region", "tabindex": "0", "named": True}
    assert box_tab_stops(page) == [0, 1]
    context.close()


def test_a_table_swapped_in_by_htmx_is_a_tab_stop_only_while_it_overflows(static_site, watched_page) -> None:
    """A region view brings its own table boxes, written focusable: tables.js watches them too."""
    page = watched_page.page
    page.set_viewport_size(WIDE)
    page.goto(static_site + "/en/privacy/")
    page.locator(".region-picker a[data-region-choice='california']").click()
    page.locator("#policy-content[data-region='california']").wait_for()
    box = page.locator("#policy-content .table-scroll").first.element_handle()
    wait_until(page, "(box) => box.isConnected && !box.hasAttribute('tabindex')", box)
    page.set_viewport_size(NARROW)
    box.evaluate("box => { box.querySelector('td').textContent = 'fernwood.example/account/settings/cookies'; }")
    wait_until(page, "(box) => box.tabIndex === 0 && box.getAttribute('role') === 'region'", box)
    assert watched_page.console_errors == []


def test_a_code_block_with_a_long_line_wraps_at_320_px_rather_than_widen_the_page(static_site, browser):
    """WCAG 1.4.10: a code block in the text (a configuration line, an address) wraps its lines on a narrow
    screen instead of making the whole page scroll sideways."""
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    page.goto(static_site + "/en/privacy/")
    page.locator("main .policy-body p").first.evaluate(
        "(node, line) => { const pre = document.createElement('pre'); pre.append(document.createElement('code'));"
        " pre.firstChild.textContent = line; node.after(pre); }",
        f"curl --data 'request=delete' {LONG_ADDRESS}?confirm=yes",
    )
    assert page.locator("main .policy-body pre").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    context.close()
