"""language.js on the frozen example: a suggested language on the picker, and the section kept on switching."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page_in(browser):
    """A page in a browser whose preferred languages (navigator.languages) are ``languages``."""
    contexts = []

    def open_page(*languages: str):  # type: ignore[no-untyped-def]
        context = browser.new_context(locale=languages[0])
        contexts.append(context)
        page = context.new_page()
        # Playwright sets a single language; a reader may list several, in order of preference.
        page.add_init_script(f"Object.defineProperty(navigator, 'languages', {{get: () => {list(languages)!r}}});")
        errors: list[str] = []
        page.on("console", lambda msg: msg.type in ("error", "warning") and errors.append(msg.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page, errors

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    ("languages", "suggested", "text"),
    [
        (("fr-CA",), "/fr/", "Continuer en français"),
        (("de-DE", "es-419", "en"), "/es/", "Continuar en español"),  # the first language the site has
        (("zh-CN",), "/zh-hans/", "继续使用中文 (简体)"),  # mainland China writes simplified Chinese
        (("zh",), "/zh-hans/", "继续使用中文 (简体)"),
        (("en-GB", "fr"), "/en/", "Continue in English"),
    ],
)
def test_language_picker_suggests_the_browsers_language_without_redirecting(
    static_site, page_in, languages, suggested, text
):
    page, errors = page_in(*languages)
    page.goto(f"{static_site}/")
    visible = page.locator(".language-suggestion:visible")
    assert visible.count() == 1
    link = visible.locator("a")
    assert link.inner_text() == text
    assert link.get_attribute("href") == suggested
    assert page.url == f"{static_site}/"  # nobody is sent anywhere without asking
    assert page.locator(".language-list a").count() == 4
    assert errors == []


@pytest.mark.parametrize("languages", [("de-DE",), ("zh-TW", "ja")])
def test_language_picker_suggests_nothing_the_site_does_not_offer(static_site, page_in, languages):
    page, errors = page_in(*languages)
    page.goto(f"{static_site}/")
    page.wait_for_load_state("load")
    assert page.locator(".language-suggestion:visible").count() == 0
    assert page.locator(".language-list a").count() == 4
    assert errors == []


def test_switching_language_keeps_the_section_being_read(static_site, page_in):
    page, errors = page_in("en-US")
    page.goto(f"{static_site}/en/privacy/#sharing")
    page.locator("nav.language-switcher a[lang='es']").click()
    page.wait_for_url(f"{static_site}/es/privacy/#sharing")
    assert page.locator("#sharing").inner_text() == "Comunicación a terceros"
    assert page.locator("html").get_attribute("lang") == "es"
    # The links follow the section being read: after another, or none, the link says so.
    english = page.locator("nav.language-switcher a[lang='en']")
    for fragment in ("#your-choices", ""):
        page.evaluate(f"history.replaceState(null, '', location.pathname + '{fragment}')")
        english.dispatch_event("auxclick", {"button": 1})  # a middle click, which opens a new tab
        assert english.evaluate("a => a.pathname + a.hash") == f"/en/privacy/{fragment}"
    assert errors == []
