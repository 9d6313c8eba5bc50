"""A right-to-left locale (the `ar` fixture in tests/fixtures/rtl) renders right to left."""

from __future__ import annotations

import pytest
from conftest import serve_folder
from selectolax.lexbor import LexborHTMLParser


def test_every_arabic_page_is_right_to_left(rtl_build):
    pages = sorted((rtl_build / "ar").rglob("index.html"))
    names = {str(p.relative_to(rtl_build)) for p in pages}
    assert {"ar/index.html", "ar/cookies/index.html"} <= names and len(pages) >= 3
    for path in pages:
        html = LexborHTMLParser(path.read_text(encoding="utf-8")).css_first("html")
        assert (html.attributes["lang"], html.attributes["dir"]) == ("ar", "rtl"), path
    for path in sorted((rtl_build / "en").rglob("index.html")):
        assert 'dir="ltr"' in path.read_text(encoding="utf-8")


def test_english_text_standing_in_for_arabic_keeps_left_to_right(rtl_build):
    tree = LexborHTMLParser((rtl_build / "ar" / "cookies" / "index.html").read_text(encoding="utf-8"))
    assert tree.css_first("html").attributes["dir"] == "rtl"
    assert tree.css_first("#policy-body").attributes["dir"] == "ltr"
    assert tree.css_first("aside.translation-notice h2").text() == "لم تُترجم بعد"


def test_an_english_comparison_on_an_arabic_page_keeps_left_to_right(rtl_build):
    compare = next((rtl_build / "ar" / "cookies" / "compare").glob("*/*/index.html"))
    tree = LexborHTMLParser(compare.read_text(encoding="utf-8"))
    assert tree.css_first("html").attributes["dir"] == "rtl"
    body = tree.css_first(".diff-body").attributes
    assert (body["lang"], body["dir"]) == ("en", "ltr")
    assert [dd.attributes for dd in tree.css(".change-notes dd")] == [{"lang": "en", "dir": "ltr"}]


@pytest.mark.browser
def test_arabic_pages_lay_out_right_to_left_in_chromium(rtl_build, watched_page, tmp_path):
    process, base = serve_folder(rtl_build)
    try:
        page = watched_page.page
        page.set_viewport_size({"width": 900, "height": 900})
        page.goto(f"{base}/ar/privacy/")
        page.screenshot(path=str(tmp_path / "ar-privacy.png"), full_page=True)
        assert (tmp_path / "ar-privacy.png").stat().st_size > 10_000
        layout = page.evaluate(
            """() => {
                const box = (selector) => document.querySelector(selector).getBoundingClientRect();
                const region = getComputedStyle(document.querySelector('section.region'));
                const text = document.createRange();
                text.selectNodeContents(document.querySelector('h1'));
                const main = box('main'), title = text.getBoundingClientRect(), name = box('.site-name');
                return {
                    direction: getComputedStyle(document.body).direction,
                    regionBorderRight: region.borderRightWidth,
                    regionBorderLeft: region.borderLeftWidth,
                    titleHugsRight: Math.abs(main.right - title.right) < 40 && title.left - main.left > 100,
                    siteNameOnRight: name.left > main.left + main.width / 2,
                };
            }"""
        )
        assert layout == {
            "direction": "rtl",
            "regionBorderRight": "4px",  # border-inline-start: the reading side
            "regionBorderLeft": "0px",
            "titleHugsRight": True,
            "siteNameOnRight": True,
        }
        page.goto(f"{base}/ar/cookies/")
        page.screenshot(path=str(tmp_path / "ar-cookies.png"), full_page=True)
        notice = page.evaluate(
            "() => getComputedStyle(document.querySelector('aside.translation-notice')).borderRightWidth"
        )
        assert notice == "6px"
        assert watched_page.console_errors == []
        assert all(url.startswith(base) for url in watched_page.requests)
    finally:
        process.terminate()
        process.wait(timeout=10)
