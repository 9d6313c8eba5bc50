"""The frozen example site in every locale: interface strings, dates, notices, hreflang, switcher."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLE, TODAY
from selectolax.lexbor import LexborHTMLParser as HTMLParser

BASE = "https://privacy.fernwood.example"
LOCALES = {"en": "en", "fr": "fr", "es": "es", "zh-hans": "zh-Hans"}


def frozen_pages(root: Path) -> dict[str, HTMLParser]:
    """Every page of a frozen site by URL path ("/fr/privacy/"), except the 404 page."""
    pages = {}
    for path in sorted(root.rglob("index.html")):
        folder = path.parent.relative_to(root).as_posix()
        url = "/" if folder == "." else f"/{folder}/"
        pages[url] = HTMLParser(path.read_text(encoding="utf-8"))
    return pages


def alternates(tree: HTMLParser) -> dict[str, str]:
    links = tree.css('link[rel="alternate"][hreflang]')
    found = {node.attributes["hreflang"]: node.attributes["href"] for node in links}
    assert len(found) == len(links), "an hreflang appears twice"
    return found


@pytest.fixture(scope="module")
def pages(frozen_example: Path) -> dict[str, HTMLParser]:
    return frozen_pages(frozen_example)


def text(tree: HTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    assert node is not None, selector
    return node.text(strip=True)


@pytest.mark.parametrize(
    ("slug", "skip", "contents", "updated", "policies_meta"),
    [
        ("en", "Skip to content", "Contents", "September 1, 2026", "Last updated May 4, 2026"),
        ("fr", "Aller au contenu", "Sommaire", "1er septembre 2026", "Dernière mise à jour le 4 mai 2026"),
        ("es", "Ir al contenido", "Índice", "1 de septiembre de 2026", "Última actualización: 4 de mayo de 2026"),
        ("zh-hans", "跳至正文", "目录", "2026年9月1日", "最后更新：2026年5月4日"),
    ],
)
def test_frozen_pages_carry_translated_strings_and_localized_dates(pages, slug, skip, contents, updated, policies_meta):
    policy = pages[f"/{slug}/privacy/"]
    assert policy.css_first("html").attributes["lang"] == LOCALES[slug]
    assert text(policy, "a.skip-link") == skip
    assert text(policy, "#toc-title") == contents
    assert text(policy, ".last-updated time") == updated
    listing = pages[f"/{slug}/"]
    metas = [node.text(strip=True) for node in listing.css(".policy-list .meta")]
    assert policies_meta in metas


def test_the_list_of_policies_says_which_are_not_translated_yet(pages):
    """A reader learns before following the link that a policy is not in their language yet."""
    items = {
        node.css_first("a").attributes["href"]: " ".join(node.text().split())
        for node in pages["/fr/"].css(".policy-list li")
    }
    assert "Pas encore traduit : en anglais" in items["/fr/privacy/"]  # its current version has no French text
    assert "Pas encore traduit" not in items["/fr/cookies/"]
    assert not [item for item in pages["/en/"].css(".policy-list li") if "Not translated" in item.text()]


def test_french_date_survives_freezing_after_other_locales(pages):
    """Frozen-Flask renders every page in one app context: the locale must not stick to the first page."""
    assert text(pages["/fr/cookies/"], ".last-updated time") == "4 mai 2026"
    assert text(pages["/en/cookies/"], ".last-updated time") == "May 4, 2026"
    assert text(pages["/zh-hans/cookies/"], ".last-updated time") == "2026年5月4日"


FRENCH_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def test_french_dates_write_the_first_of_the_month_as_an_ordinal(pages, frozen_example):
    """French reads "1er septembre 2026": the first of the month is an ordinal, every other day a number."""
    policy = pages["/fr/privacy/"]
    assert text(policy, ".last-updated time") == "1er septembre 2026"
    assert text(policy, ".notice-title") == "Une politique mise à jour entre en vigueur le 1er février 2027"
    compare = pages["/fr/privacy/compare/2024-03-01/2027-02-01/"]
    assert text(compare, "#compare-title") == (
        "Modifications entre la version du 1er mars 2024 et celle du 1er février 2027"
    )
    options = {node.text(strip=True) for node in compare.css("option")}
    assert {"1er mars 2024", "15 juin 2025", "1er septembre 2026", "1er février 2027 (à venir)"} <= options
    assert "En vigueur du 1er mars 2024 au 14 juin 2025." in pages["/fr/privacy/2024-03-01/"].text()
    # Nowhere in French (pages, fragments, the feed) a cardinal first of the month.
    cardinal = re.compile(rf"(?<!\d)1\s(?:{FRENCH_MONTHS})\b")
    for path in sorted((frozen_example / "fr").rglob("*")):
        if path.suffix in {".html", ".xml"}:
            assert not cardinal.search(path.read_text(encoding="utf-8")), path
    # Other languages keep their own forms.
    assert text(pages["/en/privacy/2024-03-01/"], ".last-updated time") == "March 1, 2024"
    assert text(pages["/es/privacy/2024-03-01/"], ".last-updated time") == "1 de marzo de 2024"
    assert text(pages["/zh-hans/privacy/2024-03-01/"], ".last-updated time") == "2024年3月1日"


@pytest.mark.parametrize(
    ("tag", "format", "expected"),
    [
        ("fr", "long", "1er septembre 2026"),
        ("fr", "full", "mardi 1er septembre 2026"),
        ("fr", "medium", "1er sept. 2026"),
        ("fr-CA", "long", "1er septembre 2026"),
        ("fr-CH", "full", "mardi, 1er septembre 2026"),
        # Numeric dates keep their digits.
        ("fr", "short", "01/09/2026"),
        ("fr-BE", "short", "1/09/26"),
        ("fr", "dd MMMM y", "01 septembre 2026"),
        ("en", "long", "September 1, 2026"),
        ("es", "long", "1 de septiembre de 2026"),
    ],
)
def test_only_french_long_and_medium_dates_take_the_ordinal_first(tag, format, expected):
    from babel import Locale
    from policypress.i18n import format_day

    locale = Locale.parse(tag, sep="-")
    assert format_day(date(2026, 9, 1), format, locale) == expected
    assert "1er" not in format_day(date(2026, 9, 2), format, locale)


def test_region_names_and_footer_links_are_translated(pages):
    labels = [node.text(strip=True) for node in pages["/fr/privacy/"].css(".region-label")]
    assert "S’applique à\u00a0: Espace économique européen, Royaume-Uni" in labels
    assert "S’applique à\u00a0: République populaire de Chine" in labels
    footer = [node.text(strip=True) for node in pages["/es/privacy/"].css(".footer-links a")]
    assert footer == ["Todas las políticas", "Tus opciones de privacidad", "Página principal de Fernwood Notes"]


@pytest.mark.parametrize(
    ("slug", "title", "button"),
    [
        ("fr", "Ne pas vendre ni partager mes informations personnelles", "M’opposer à la vente et au partage"),
        ("es", "No vender ni compartir mi información personal", "Oponerme a la venta y al intercambio"),
        ("zh-hans", "请勿出售或共享我的个人信息", "选择退出出售和共享"),
    ],
)
def test_do_not_sell_page_is_translated_with_the_original_anchors(pages, slug, title, button):
    """`check` aligns policy translations only, so the page's anchors and links are held here."""
    original, page = pages["/en/do-not-sell/"], pages[f"/{slug}/do-not-sell/"]
    assert text(page, "h1") == title and page.css_first("h1").attributes["lang"] == LOCALES[slug]
    assert page.css_first("[data-optout]").attributes["data-label-opt-out"] == button

    def ids(tree: HTMLParser) -> list[str | None]:
        return [node.attributes.get("id") for node in tree.css(".page-body h2")]

    assert ids(page) == ids(original) == ["what-we-share", "how-to-opt-out", "after-you-opt-out"]
    links = [node.attributes["href"] for node in page.css(".page-body a")]
    assert links == [f"/{slug}/privacy/#your-california-privacy-rights"]


def test_outdated_translation_shows_fallback_notice_with_last_translation_and_changed_sections(pages):
    page = pages["/fr/privacy/"]
    notice = page.css_first("aside.translation-notice")
    assert notice is not None
    assert "Cette version n’a pas encore été traduite en français" in notice.text()
    assert "Le texte original en anglais est affiché ci-dessous" in notice.text()
    assert "La dernière version disponible en français est celle du 15 juin 2025." in notice.text()
    items = [
        (li.attributes["data-change"], li.css_first("a").text(), li.css_first("a").attributes["href"])
        for li in notice.css(".changed-sections li")
    ]
    assert items == [
        ("changed", "Utilisation des informations", "#how-we-use-information"),
        ("added", "International transfers", "#international-transfers"),
        ("added", "Users in the People's Republic of China", "#users-in-the-peoples-republic-of-china"),
        ("added", "Your rights under the PIPL", "#your-rights-under-the-pipl"),
    ]
    # Every listed anchor exists on the page the reader is on.
    for _change, _title, href in items:
        assert page.css_first(href) is not None, href
    # The English text is marked as English, the notice around it as French.
    assert page.css_first("#policy-body").attributes["lang"] == "en"
    assert page.css_first("h1").attributes["lang"] == "en"


@pytest.mark.parametrize("url", ["/es/privacy/", "/zh-hans/privacy/", "/fr/cookies/", "/en/privacy/"])
def test_up_to_date_translations_show_no_fallback_notice(pages, url):
    assert pages[url].css_first("aside.translation-notice") is None
    assert pages[url].css_first("#policy-body").attributes["lang"] == LOCALES[url.split("/")[1]]


def test_binding_language_notice_on_translations_only(pages):
    assert text(pages["/es/privacy/"], ".binding-notice") == "En caso de discrepancia, prevalecerá el texto en inglés."
    assert text(pages["/zh-hans/cookies/"], ".binding-notice") == "如各语言版本之间存在歧义，以英语文本为准。"
    # The English original, and the English text standing in for French, need no such notice.
    assert pages["/en/privacy/"].css_first(".binding-notice") is None
    assert pages["/fr/privacy/"].css_first(".binding-notice") is None


def text_language(tree: HTMLParser) -> str:
    """The language of what a page is for: its policy text or comparison where it has one, else its interface."""
    node = tree.css_first(".policy-body[lang], .diff-body[lang], .page-body[lang]") or tree.css_first("html")
    return node.attributes["lang"]


def inherited(node, attribute: str) -> str:  # type: ignore[no-untyped-def]
    """What a node inherits of ``lang`` or ``dir``: the value on the nearest element that has one."""
    while attribute not in node.attributes:
        node = node.parent
    return node.attributes[attribute]


def test_words_a_comparison_adds_for_screen_readers_are_in_the_language_they_are_written_in(pages):
    """/fr/privacy/compare/... shows the English text (French is a version behind) with French interface words:
    "ajout :" before an insertion is French inside English text, and a screen reader must speak it as French
    (WCAG 3.1.2), as the region labels and section statuses beside it are."""
    comparison = pages["/fr/privacy/compare/2024-03-01/2026-09-01/"]
    assert text_language(comparison) == "en"
    words_added = ".diff-body :is(ins, del) > .visually-hidden"
    words = comparison.css(words_added)
    assert {node.text() for node in words} == {"ajout\u00a0: ", "suppression\u00a0: "}
    for url, tree in pages.items():
        page = tree.css_first("html")
        for node in tree.css(f"{words_added}, .diff-body :is(.diff-status, .region-label)"):
            assert inherited(node, "lang") == page.attributes["lang"], f"{url}: {node.html}"
            assert inherited(node, "dir") == page.attributes["dir"], f"{url}: {node.html}"


def test_hreflang_sets_are_reciprocal_and_name_only_pages_in_their_language_on_every_page(pages):
    assert len(pages) > 10
    for url, tree in pages.items():
        links = alternates(tree)
        assert {"en", "x-default"} <= set(links) <= {"en", "fr", "es", "zh-Hans", "x-default"}, url
        own = text_language(tree) == tree.css_first("html").attributes["lang"]
        assert (BASE + url in links.values()) == own, f"{url} lists itself, or leaves itself out, wrongly"
        for hreflang, href in links.items():
            assert href.startswith(BASE + "/"), href
            target = href.removeprefix(BASE)
            assert target in pages, f"{url} points {hreflang} at {href}, which was not built"
            assert alternates(pages[target]) == links, f"{url} and {target} disagree"
            if hreflang != "x-default":
                assert pages[target].css_first("html").attributes["lang"] == hreflang
                assert text_language(pages[target]) == hreflang, f"{href} is not a page in {hreflang}"


def test_a_page_showing_the_original_for_a_missing_translation_is_not_announced_in_that_language(pages):
    """/fr/privacy/ shows the English text (the French one is a version behind): Google's hreflang guidance
    wants each alternate to be the page in that language, so no page names it as the French one, while the
    language switcher still offers it (French interface and notice) and says its text is English."""
    whole, cookies = pages["/fr/privacy/"], pages["/fr/cookies/"]
    assert text_language(whole) == "en" and text_language(cookies) == "fr"
    for url in ("/en/privacy/", "/es/privacy/", "/fr/privacy/", "/fr/privacy/california/"):
        assert set(alternates(pages[url])) == {"en", "es", "zh-Hans", "x-default"}, url
    assert set(alternates(pages["/en/privacy/2025-06-15/"])) == {"en", "fr", "es", "zh-Hans", "x-default"}
    assert set(alternates(pages["/en/privacy/2027-02-01/"])) == {"en", "x-default"}  # upcoming, English only
    assert "fr" in alternates(cookies)
    french = whole.css_first("nav.language-switcher a[lang=fr]")
    assert french.attributes["href"] == "/fr/privacy/" and french.attributes["hreflang"] == "en"
    assert cookies.css_first("nav.language-switcher a[lang=fr]").attributes["hreflang"] == "fr"


def test_x_default_is_the_language_picker_for_home_pages_and_the_original_elsewhere(pages):
    assert alternates(pages["/"])["x-default"] == BASE + "/"
    assert alternates(pages["/zh-hans/"])["x-default"] == BASE + "/"
    assert alternates(pages["/fr/cookies/"])["x-default"] == BASE + "/en/cookies/"


def test_language_switcher_keeps_the_reader_on_the_same_page(pages):
    for url, tree in pages.items():
        switcher = tree.css("nav.language-switcher a")
        if url == "/":
            assert switcher == []  # the picker lists the languages itself
            continue
        hrefs = {node.attributes["lang"]: node.attributes["href"] for node in switcher}
        assert set(hrefs) == {"en", "fr", "es", "zh-Hans"}, url
        expected = {lang: href.removeprefix(BASE) for lang, href in alternates(tree).items() if lang != "x-default"}
        assert expected.items() <= hrefs.items(), url
        for node in switcher:  # each link says in which language the text it leads to is
            assert node.attributes["hreflang"] == text_language(pages[node.attributes["href"]]), url
        current = [node.attributes["lang"] for node in switcher if "aria-current" in node.attributes]
        assert current == [tree.css_first("html").attributes["lang"]], url
    names = [node.text() for node in pages["/es/cookies/"].css("nav.language-switcher a")]
    assert names == ["English", "français", "español", "中文 (简体)"]


def test_root_lists_languages_in_their_own_names_with_hidden_suggestions(pages):
    root = pages["/"]
    names = {node.attributes["hreflang"]: node.text() for node in root.css(".language-list a")}
    assert names == {"en": "English", "fr": "français", "es": "español", "zh-Hans": "中文 (简体)"}
    suggestions = {
        node.attributes["data-suggest-locale"]: node.text(strip=True) for node in root.css(".language-suggestion")
    }
    assert suggestions["fr"] == "Continuer en français"
    assert suggestions["zh-Hans"] == "继续使用中文 (简体)"
    assert all("hidden" in node.attributes for node in root.css(".language-suggestion"))


def test_english_text_on_translated_pages_is_marked_english(pages):
    """Titles and change summaries a translation has not reached yet say they are English (WCAG 3.1.2)."""
    changes = pages["/fr/privacy/changes/"]
    assert changes.css_first("h1 span").attributes == {"lang": "en", "dir": "ltr"}  # "Privacy Policy : historique…"
    untranslated = [p for p in changes.css("p.summary") if p.attributes.get("lang") == "en"]
    translated = [p for p in changes.css("p.summary") if "lang" not in p.attributes]
    assert untranslated and translated  # the French text lags behind: some summaries are English
    notice = pages["/fr/privacy/"].css_first("section.notice p:not(.notice-material-label)")
    assert notice.attributes.get("dir") == "ltr" and notice.attributes.get("lang") == "en", notice.html
    for url, tree in pages.items():
        for summary in tree.css(".change-notes dd, p.summary, section.notice > p"):
            # Marked only where it differs from the page: never on English pages.
            expected = (None,) if url.startswith("/en/") else (None, "en")
            assert summary.attributes.get("lang") in expected, (url, summary.html)


def test_the_do_not_sell_page_in_a_language_it_lacks_is_not_announced_in_it(tmp_path):
    """Without pages/do-not-sell.fr.md, /fr/do-not-sell/ shows the English text: as for a policy, no page
    names it as the French one, and the switcher says its text is English."""
    import shutil

    from policypress import create_app

    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    (content / "pages/do-not-sell.fr.md").unlink()
    client = create_app({"CONTENT_DIR": content, "TODAY": TODAY}).test_client()
    urls = ("/fr/do-not-sell/", "/en/do-not-sell/")
    found = {url: HTMLParser(client.get(url).get_data(as_text=True)) for url in urls}
    for url, tree in found.items():
        assert set(alternates(tree)) == {"en", "es", "zh-Hans", "x-default"}, url
        assert tree.css_first("nav.language-switcher a[lang=fr]").attributes["hreflang"] == "en", url
    assert text_language(found["/fr/do-not-sell/"]) == "en"


@pytest.mark.parametrize("slug", sorted(LOCALES))
def test_a_policy_is_named_on_all_its_pages_and_in_its_feed_as_on_its_own_page(pages, frozen_example, slug):
    """The changelog, the list of comparisons, each comparison's and archived version's feed link and the feed
    name the policy with the title of the version in force in the page's language, as its page and the list of
    policies do: not with the upcoming version's, which Spanish and Chinese readers get in English while it is
    not translated, nor with an archived version's."""
    name = text(pages[f"/{slug}/privacy/"], "title").split(" · ")[0]
    if slug != "fr":  # the French translation in force is outdated: its page shows the English original
        assert name != "Privacy Policy" or slug == "en", name
    feed_titles = set()
    for url in (f"/{slug}/privacy/", f"/{slug}/privacy/changes/", f"/{slug}/privacy/compare/"):
        feed_titles.add(pages[url].css_first('link[type="application/atom+xml"]').attributes["title"])
    # Each comparison, and each archived version, whatever that version's own title.
    dated = re.compile(rf"/{slug}/privacy/(compare/)?\d{{4}}-")
    for url in [u for u in pages if dated.match(u)]:
        feed_titles.add(pages[url].css_first('link[type="application/atom+xml"]').attributes["title"])
    assert len(feed_titles) == 1, feed_titles
    [feed_title] = feed_titles
    assert name in feed_title
    assert name in text(pages[f"/{slug}/privacy/changes/"], "h1")
    assert name in text(pages[f"/{slug}/privacy/compare/"], "h1")
    feed = (frozen_example / slug / "privacy" / "feed.xml").read_text(encoding="utf-8")
    assert re.search(r"<title>([^<]*)</title>", feed)[1] == feed_title  # type: ignore[index]
