"""Print: Chromium's print-to-PDF of a policy page holds the whole text, with the title, the
version and its effective date, every section heading and every region's sections, and
none of the site's navigation. The PDF's text is read back with pypdf."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from selectolax.lexbor import LexborHTMLParser

pytestmark = pytest.mark.browser


def squash(text: str) -> str:
    """Text without its layout: ligatures undone (NFKC), whitespace and soft breaks removed."""
    return re.sub(r"[\s\u00ad]+", "", unicodedata.normalize("NFKC", text)).casefold()


def printed(page, url: str) -> tuple[str, LexborHTMLParser]:  # type: ignore[no-untyped-def]
    """The text of the PDF Chromium prints for ``url``, and the page's HTML as loaded."""
    import pypdf

    page.goto(url)
    html = LexborHTMLParser(page.content())
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(reader.pages) >= 1
    return "\n".join(p.extract_text() for p in reader.pages), html


def texts(tree: LexborHTMLParser, selector: str) -> list[str]:
    return [node.text(separator=" ").strip() for node in tree.css(selector)]


#: What the screen shows around the policy and paper must not: navigation and controls.
CHROME = [
    "Skip to content",
    "Français",  # the language switcher
    "Show the sections that apply in:",  # the region picker
    "Every region (whole policy)",
    "Contents",  # the table of contents
    "All versions and what changed",
    "All policies",  # the footer links
    "Your Privacy Choices",
    "Fernwood Notes home",
]


def test_printed_policy_holds_its_whole_text_and_no_navigation(static_site, watched_page) -> None:
    text, html = printed(watched_page.page, static_site + "/en/privacy/")
    flat = squash(text)
    headings = texts(html, "#policy-body h2, #policy-body h3, #policy-body h4")
    assert len(headings) >= 8
    missing = [heading for heading in headings if squash(heading) not in flat]
    assert not missing, f"headings missing from the printed policy: {missing}"
    # Every region's sections: print shows the whole policy, whatever the screen reader picked.
    labels = texts(html, "#policy-body .region-label")
    assert len(labels) >= 3 and all(squash(label) in flat for label in labels)
    # The title, the version and its date, and where that version stays online.
    assert squash(html.css_first("h1").text()) in flat
    permanent = "https://privacy.fernwood.example/en/privacy/2026-09-01/"
    assert squash(f"Last updated: September 1, 2026 · {permanent}") in flat
    # Paragraph text too, not only headings: the last paragraph of the policy is on paper.
    last = texts(html, "#policy-body p")[-1]
    assert squash(last) in flat
    for chrome in CHROME:
        assert squash(chrome) not in flat, chrome
    # The organisation behind the policy stays: name and postal address.
    assert squash("Fernwood Labs, Inc.") in flat and squash("1200 Alder Street") in flat


def test_printed_region_view_says_it_shows_one_region(static_site, watched_page) -> None:
    text, html = printed(watched_page.page, static_site + "/en/privacy/california/")
    flat = squash(text)
    assert squash("Region: California. Showing only the sections that apply there.") in flat
    for heading in texts(html, "#policy-body h2, #policy-body h3"):
        assert squash(heading) in flat, heading
    assert squash("Your rights in the EEA") not in flat  # another region's section is not in this view
    assert squash("Show the sections that apply in:") not in flat


def test_printed_archived_version_and_comparison_keep_their_banner_and_marks(static_site, watched_page) -> None:
    text, html = printed(watched_page.page, static_site + "/en/privacy/2024-03-01/")
    flat = squash(text)
    assert squash(html.css_first("#version-banner-title").text()) in flat  # "Past version of March 1, 2024"
    assert squash("Effective: March 1, 2024") in flat
    text, html = printed(watched_page.page, static_site + "/en/privacy/compare/2024-03-01/2026-09-01/")
    flat = squash(text)
    for heading in texts(html, ".comparison h2, .comparison h3"):
        assert squash(heading) in flat, heading
    assert html.css_first(".compare-picker legend").text() == "Choose two versions to compare"
    assert squash("Choose two versions to compare") not in flat  # the picker is a control, not text
    for hidden in html.css(".visually-hidden"):  # "inserted:" and the like are for screen readers
        hidden.decompose()
    for mark in ("ins", "del"):  # insertions and deletions print too (underlined, struck through)
        assert squash(html.css_first(mark).text())[:40] in flat, mark
    # ... and shaded, as the legend says: the shading is kept on paper, where browsers drop backgrounds.
    page = watched_page.page
    page.emulate_media(media="print")
    for mark in ("ins", "del", ".legend-ins", ".legend-del"):
        style = page.eval_on_selector(
            mark, "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).printColorAdjust]"
        )
        assert style[0] not in ("rgba(0, 0, 0, 0)", "transparent") and style[1] == "exact", (mark, style)


def test_a_wide_table_wraps_on_paper_rather_than_shrinking_every_page(static_site, watched_page) -> None:
    """On screen a wide table scrolls in its box; paper cannot scroll, and Chromium would scale every page
    down to fit the widest table. So in print its cells wrap even inside long words."""
    page = watched_page.page
    page.set_viewport_size({"width": 673, "height": 1000})  # A4's printable width at 96 dpi
    page.emulate_media(media="print")
    page.goto(static_site + "/en/cookies/")
    cells = page.locator("#policy-body table td")
    long_words = "fernwood_session_identifier_for_the_account_settings_page fernwood.example/account/settings/cookies"
    for index in range(3):
        cells.nth(index).evaluate(f"cell => {{ cell.textContent = '{long_words}'; }}")
    widest = page.evaluate("Math.max(...[...document.querySelectorAll('table')].map(t => t.scrollWidth))")
    assert widest <= 673
    assert page.evaluate("document.documentElement.scrollWidth") <= 673


def test_printed_links_within_the_site_show_their_whole_address_but_anchors_do_not(static_site, watched_page) -> None:
    """Paper has nothing to click: a link to another page of the site prints its absolute address (from
    base_url, as external links print theirs), an in-page anchor prints nothing, and hidden navigation none."""
    page = watched_page.page
    text, _html = printed(page, static_site + "/en/privacy/")
    flat = squash(text)
    base = "https://privacy.fernwood.example"
    assert squash(f"Cookie Policy <{base}/en/cookies/>") in flat  # a link in the text
    assert squash(f"Read the updated policy <{base}/en/privacy/2027-02-01/>") in flat  # one in a notice
    assert squash("<#") not in flat and squash(f"<{base}/en/privacy/eea/>") not in flat  # anchors; the region picker
    page.emulate_media(media="print")

    def after(selector: str) -> str:
        return page.eval_on_selector(selector, "a => getComputedStyle(a, '::after').content")

    assert after("#policy-body a[href='/en/cookies/']") == f'" <{base}/en/cookies/>"'
    assert after("#policy-body a[href^='#']") == "none"
    assert after("footer a[href='/en/']") == "none"  # the footer's links are navigation
    text, _html = printed(page, static_site + "/en/do-not-sell/")
    assert squash(f"<{base}/en/privacy/#your-california-privacy-rights>") in squash(text)
