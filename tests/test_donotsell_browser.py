"""The opt-out control, Global Privacy Control and the request form in a real Chromium,
against frozen sites on a plain static file server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import PageWatch, serve_folder
from playwright.sync_api import expect
from test_donotsell import ENDPOINT

pytestmark = pytest.mark.browser

COOKIE = "fernwood_optout"  # the example's privacy_choices.cookie_name
COOKIE_DAYS = 395
RECORD_EVENTS = """
window.optoutEvents = [];
document.addEventListener("policypress:optout", (event) => window.optoutEvents.push(event.detail));
window.dataLayer = [];
"""
GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});"


@pytest.fixture
def context(browser):
    context = browser.new_context()
    context.add_init_script(RECORD_EVENTS)
    yield context
    context.close()


def open_page(context, url: str) -> PageWatch:  # type: ignore[no-untyped-def]
    watch = PageWatch(context.new_page())
    watch.page.goto(url)
    watch.page.wait_for_selector("[data-optout][data-optout-state]")
    return watch


def cookies(context) -> dict[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    return {cookie["name"]: cookie for cookie in context.cookies()}


def state(watch: PageWatch) -> dict[str, object]:
    page = watch.page
    return {
        "state": page.get_attribute("[data-optout]", "data-optout-state"),
        "status": page.locator(".optout-status span:visible").inner_text(),
        "button": page.locator("[data-optout-button]").inner_text(),
        "stored": page.evaluate(f"localStorage.getItem('{COOKIE}')"),
        "honoured": page.locator("[data-gpc-notice]").is_visible(),
    }


def assert_clean(watch: PageWatch, static_site: str) -> None:
    assert watch.console_errors == [] and watch.csp_violations() == []
    assert all(url.startswith(static_site) for url in watch.requests)


def test_opting_out_sets_cookie_storage_and_event_and_survives_reload(context, static_site: str) -> None:
    watch = open_page(context, f"{static_site}/en/do-not-sell/")
    assert state(watch) == {
        "state": "not-opted-out",
        "status": "You have not opted out in this browser.",
        "button": "Opt out of sale and sharing",
        "stored": None,
        "honoured": False,
    }
    assert COOKIE not in cookies(context), "nothing is written before the visitor chooses"

    watch.page.click("[data-optout-button]")
    assert state(watch)["state"] == "opted-out" and state(watch)["stored"] == "1"
    assert state(watch)["button"] == "Opt back in"
    jar = cookies(context)
    assert jar[COOKIE]["value"] == "1" and jar[COOKIE]["sameSite"] == "Lax" and jar[COOKIE]["path"] == "/"
    assert jar[COOKIE]["domain"] == "127.0.0.1", "the configured parent domain only applies on its own hosts"
    assert not jar[COOKIE]["secure"], "Secure is added on https only"
    assert abs(jar[COOKIE]["expires"] - (time.time() + COOKIE_DAYS * 86400)) < 120
    assert jar["usprivacy"]["value"] == "1YYN"
    assert watch.page.evaluate("window.optoutEvents") == [
        {"optedOut": False, "gpc": False, "cause": "load"},
        {"optedOut": True, "gpc": False, "cause": "user"},
    ]
    assert watch.page.evaluate("window.dataLayer")[-1] == {
        "event": "policypress.optout",
        "policypressOptedOut": True,
        "policypressGpc": False,
        "policypressCause": "user",
    }

    watch.page.reload()
    watch.page.wait_for_selector("[data-optout][data-optout-state]")
    assert state(watch)["state"] == "opted-out"
    assert (
        state(watch)["status"]
        == "You have opted out of the sale and sharing of your personal information in this browser."
    )
    assert watch.page.evaluate("window.optoutEvents") == [{"optedOut": True, "gpc": False, "cause": "load"}]
    assert_clean(watch, static_site)


def test_opting_back_in_clears_cookie_and_storage(context, static_site: str) -> None:
    watch = open_page(context, f"{static_site}/en/do-not-sell/")
    button = watch.page.locator("[data-optout-button]")
    button.click()
    assert COOKIE in cookies(context)
    button.click()
    assert state(watch)["state"] == "not-opted-out" and state(watch)["stored"] is None
    assert COOKIE not in cookies(context)
    assert cookies(context)["usprivacy"]["value"] == "1YNN"
    assert watch.page.evaluate("window.optoutEvents")[-1] == {"optedOut": False, "gpc": False, "cause": "user"}
    watch.page.reload()
    watch.page.wait_for_selector("[data-optout][data-optout-state]")
    assert state(watch)["state"] == "not-opted-out"
    assert_clean(watch, static_site)


def test_either_store_alone_keeps_the_opt_out_and_restores_the_other(context, static_site: str) -> None:
    watch = open_page(context, f"{static_site}/en/do-not-sell/")
    watch.page.click("[data-optout-button]")
    context.clear_cookies()
    watch.page.reload()
    watch.page.wait_for_selector("[data-optout][data-optout-state]")
    assert state(watch)["state"] == "opted-out"
    assert cookies(context)[COOKIE]["value"] == "1"
    assert_clean(watch, static_site)


def test_gpc_signal_opts_out_on_load_and_losing_it_does_not_opt_back_in(browser, static_site: str) -> None:
    with_gpc = browser.new_context()
    with_gpc.add_init_script(RECORD_EVENTS)
    with_gpc.add_init_script(GPC_ON)
    watch = open_page(with_gpc, f"{static_site}/en/do-not-sell/")
    assert state(watch) == {
        "state": "opted-out",
        "status": "You have opted out of the sale and sharing of your personal information in this browser.",
        "button": "Opt back in",
        "stored": "1",
        "honoured": True,
    }
    page = watch.page
    assert page.locator(".gpc-notice-title").inner_text() == "Opt-Out Request Honored"
    button = page.locator("[data-optout-button]")
    assert button.is_disabled() and button.get_attribute("aria-describedby") == "gpc-lock"
    assert page.locator("#gpc-lock").is_visible()
    assert cookies(with_gpc)[COOKIE]["value"] == "1"
    assert page.evaluate("window.optoutEvents") == [{"optedOut": True, "gpc": True, "cause": "load"}]
    assert_clean(watch, static_site)
    saved = with_gpc.storage_state()
    with_gpc.close()

    without_gpc = browser.new_context(storage_state=saved)
    try:
        watch = open_page(without_gpc, f"{static_site}/en/do-not-sell/")
        assert state(watch)["state"] == "opted-out" and not state(watch)["honoured"]
        assert watch.page.locator("[data-optout-button]").is_enabled()
        assert_clean(watch, static_site)
    finally:
        without_gpc.close()


def test_footer_link_looks_like_the_other_footer_links(watched_page, static_site: str) -> None:
    page = watched_page.page
    page.goto(f"{static_site}/en/privacy/")
    styles = """(a) => { const s = getComputedStyle(a);
        return [s.fontSize, s.fontFamily, s.fontWeight, s.color, s.textDecorationLine]; }"""
    ours = page.locator("footer a[href='/en/do-not-sell/']").evaluate(styles)
    other = page.locator("footer a[href='/en/']").evaluate(styles)
    assert ours == other
    icon = page.locator("footer a[href='/en/do-not-sell/'] svg").bounding_box()
    text_height = page.locator("footer a[href='/en/']").bounding_box()["height"]
    assert icon is not None and icon["height"] <= text_height
    # The icon is decorative: the link's accessible name is its text, exactly (WCAG 2.5.3).
    assert page.get_by_role("link", name="Your Privacy Choices", exact=True).count() == 1
    assert page.locator("footer").get_by_role("img").count() == 0
    assert watched_page.console_errors == []


def test_request_form_shows_accessible_errors_then_opens_an_email(watched_page, static_site: str) -> None:
    page = watched_page.page
    page.goto(f"{static_site}/en/do-not-sell/")
    page.click(".request-submit")
    name = page.get_by_label("Full name")
    assert page.evaluate("document.activeElement.id") == "request-name"
    assert name.get_attribute("aria-invalid") == "true"
    assert page.locator("#request-name-error").inner_text() == "Enter your full name."
    expect(name).to_have_accessible_description("Enter your full name.")
    expect(page.get_by_label("Email address")).to_have_accessible_description(
        "Use the address of your account, if you have one, so we can find your information. Enter your email address."
    )
    assert page.locator("#request-state-error").inner_text() == "Enter the state you live in."

    name.fill("Ada Lovelace")
    assert page.locator("#request-name-error").is_hidden() and name.get_attribute("aria-invalid") is None
    expect(name).to_have_accessible_description("")
    page.get_by_label("Email address").fill("ada-at-example")
    page.get_by_label("State of residence").fill("California")
    page.click(".request-submit")
    assert page.locator("#request-email-error").inner_text() == "Enter an email address in the form name@example.com."
    assert page.evaluate("document.activeElement.id") == "request-email"
    assert not [url for url in watched_page.requests if url.startswith("mailto:")], "nothing sent while invalid"

    page.get_by_label("Email address").fill("ada@example.com")
    page.click(".request-submit", no_wait_after=True)
    page.wait_for_timeout(300)
    mails = [url for url in watched_page.requests if url.startswith("mailto:")]
    assert len(mails) == 1
    target = urlsplit(mails[0])
    assert target.path == "privacy@fernwood.example"
    query = parse_qs(target.query)
    assert query["subject"] == ["Request to opt out of sale and sharing"]
    body = query["body"][0]
    for line in (
        "Request=Do Not Sell or Share My Personal Information",
        "Full name=Ada Lovelace",
        "Email address=ada@example.com",
        "State of residence=California",
    ):
        assert line in body.splitlines()
    assert watched_page.csp_violations() == []
    assert all(url.startswith((static_site, "mailto:")) for url in watched_page.requests)


def test_the_emailed_request_is_written_in_the_pages_language(watched_page, static_site: str) -> None:
    """The body's field names are the labels the reader saw, in French on the French page, and letters
    outside ASCII arrive whole (Chromium's own text/plain body would garble them)."""
    page = watched_page.page
    page.goto(f"{static_site}/fr/do-not-sell/")
    page.get_by_label("Nom complet").fill("Hélène Dupré")
    page.get_by_label("Adresse e-mail").fill("ada@example.com")
    page.get_by_label("État de résidence").fill("Californie")
    page.click(".request-submit", no_wait_after=True)
    page.wait_for_timeout(300)
    mails = [url for url in watched_page.requests if url.startswith("mailto:")]
    assert len(mails) == 1
    query = parse_qs(urlsplit(mails[0]).query)
    assert query["subject"] == ["Demande d’opposition à la vente et au partage"]
    assert query["body"][0].splitlines() == [
        "Demande=Ne pas vendre ni partager mes informations personnelles",
        "Nom complet=Hélène Dupré",
        "Adresse e-mail=ada@example.com",
        "État de résidence=Californie",
    ]


def emailed_without_javascript(browser, url: str, values: list[str]) -> str:  # type: ignore[no-untyped-def]
    """The mailto: URL Chromium opens, with JavaScript off, when the request form of ``url`` is sent with
    ``values`` typed into its fields, in order."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        mails: list[str] = []
        page.on("request", lambda request: mails.append(request.url) if request.url.startswith("mailto:") else None)
        page.goto(url)
        fields = page.locator("form[data-request-form] input:not([type=hidden])")
        for index, value in enumerate(values):
            fields.nth(index).press_sequentially(value)  # typed, key by key, as a visitor would
        page.click(".request-submit", no_wait_after=True)
        page.wait_for_timeout(500)
    finally:
        context.close()
    assert len(mails) == 1
    return mails[0]


def test_without_javascript_the_emailed_request_has_ascii_field_names(browser, static_site: str) -> None:
    """Without JavaScript the browser writes the body itself: the fields' names stay ASCII, so the request
    stays readable by a program in every language."""
    mail = emailed_without_javascript(
        browser, f"{static_site}/zh-hans/do-not-sell/", ["Ada Lovelace", "ada@example.com", "California"]
    )
    query = parse_qs(urlsplit(mail).query)
    assert query["subject"] == ["选择退出出售和共享的请求"]
    assert parse_qs(query["body"][0]) == {
        "request": ["opt-out-of-sale-and-sharing"],
        "name": ["Ada Lovelace"],
        "email": ["ada@example.com"],
        "state": ["California"],
    }


def test_without_javascript_letters_outside_ascii_arrive_whole(browser, static_site: str) -> None:
    """Chromium writes a text/plain mailto: body as UTF-8 read back as Latin-1 ("Zoë" became "ZoÃ«"): the
    form sends its body form-encoded instead, in which every letter arrives as typed."""
    mail = emailed_without_javascript(
        browser, f"{static_site}/fr/do-not-sell/", ["Zoë 张", "zoe@example.com", "Californie du Sud – Côte"]
    )
    body = parse_qs(urlsplit(mail).query)["body"][0]
    assert "Ã" not in body
    assert parse_qs(body) == {
        "request": ["opt-out-of-sale-and-sharing"],
        "name": ["Zoë 张"],
        "email": ["zoe@example.com"],
        "state": ["Californie du Sud – Côte"],
    }


@pytest.fixture(scope="module")
def endpoint_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from test_donotsell import MINIMAL_SITE, PAGE, POLICY, build_site

    site = MINIMAL_SITE + f"privacy_choices:\n  sells_or_shares: true\n  request_endpoint: {ENDPOINT}\n"
    out: Path = build_site(tmp_path_factory.mktemp("endpoint"), site, {**POLICY, "pages/do-not-sell.en.md": PAGE})
    process, base_url = serve_folder(out)
    yield base_url
    process.terminate()
    process.wait(timeout=10)


def test_request_form_posts_to_the_configured_endpoint_only(watched_page, endpoint_server: str) -> None:
    page = watched_page.page
    received: list[str] = []

    def answer(route) -> None:  # type: ignore[no-untyped-def]
        received.append(route.request.post_data or "")
        route.fulfill(status=200, content_type="text/html", body="<!DOCTYPE html><title>Received</title>")

    page.route(ENDPOINT, answer)
    page.goto(f"{endpoint_server}/en/do-not-sell/")
    assert page.get_by_role("button", name="Opt out of sale and sharing").is_visible()
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Email address").fill("grace@example.com")
    page.get_by_label("State of residence").fill("Colorado")
    with page.expect_navigation():
        page.click(".request-submit")
    assert len(received) == 1
    assert parse_qs(received[0]) == {
        "request": ["opt-out-of-sale-and-sharing"],
        "name": ["Grace Hopper"],
        "email": ["grace@example.com"],
        "state": ["Colorado"],
    }
    assert watched_page.csp_violations() == [] and watched_page.console_errors == []
