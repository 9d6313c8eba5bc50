"""The Do Not Sell or Share page, its footer link, gpc.json and the host files, as built
by the CLI and served by the live app (the browser behaviour is in test_donotsell_browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, MINIMAL_SITE, TODAY, run_cli, write_content
from policypress.headers import security_headers
from selectolax.lexbor import LexborHTMLParser, LexborNode

POLICY = {
    "policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy Policy\n---\nWe keep little.\n\n## Contact\n\nMail.\n"
}
PAGE = "---\ntitle: Do Not Sell or Share My Personal Information\n---\nHow we handle your choices.\n"
ENDPOINT = "https://requests.example.net/privacy/opt-out"


def build_site(root: Path, site_yaml: str, files: dict[str, str]) -> Path:
    """Write a content folder and build it with the CLI; return the output folder."""
    write_content(root / "content", files, site=site_yaml)
    out = root / "out"
    result = run_cli("build", "--content", root / "content", "--out", out, "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    return out


def html_files(folder: Path) -> list[Path]:
    """Every full HTML page of a build (HTMX fragments have no footer of their own)."""
    return [p for p in sorted(folder.rglob("*.html")) if p.read_text().startswith("<!DOCTYPE html>")]


def parse_headers_file(text: str) -> dict[str, dict[str, str]]:
    """Read a Netlify/Cloudflare ``_headers`` file into {path: {name: value}}."""
    rules: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith((" ", "\t")):
            name, _, value = line.strip().partition(":")
            current[name] = value.strip()
        else:
            current = rules.setdefault(line.strip(), {})
    return rules


def directive(csp: str, name: str) -> str:
    """The value of one directive of a Content Security Policy."""
    for part in csp.split(";"):
        key, _, value = part.strip().partition(" ")
        if key == name:
            return value
    raise KeyError(name)


def accessible_name(node: LexborNode) -> str:
    """The name a link gets from its content, as the accessible name computation gives it for what our
    templates put in links: text, an image's alt, a ``role="img"`` element's label or ``<title>``, and nothing
    from content hidden with ``aria-hidden``."""
    if node.tag == "-text":
        return node.text_content or ""
    attributes = node.attributes
    if attributes.get("aria-hidden") == "true":
        return ""
    if "aria-label" in attributes:
        return attributes["aria-label"] or ""
    if node.tag == "img":
        return attributes.get("alt") or ""
    if attributes.get("role") == "img":
        title = node.css_first("title")
        return title.text() if title is not None else ""
    return " ".join("".join(accessible_name(child) for child in node.iter(include_text=True)).split())


def footer_link(tree: LexborHTMLParser):  # type: ignore[no-untyped-def]
    return next((a for a in tree.css("footer nav a") if "do-not-sell" in a.attributes.get("href", "")), None)


@pytest.fixture(scope="module")
def no_sale_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = MINIMAL_SITE + "privacy_choices:\n  sells_or_shares: false\n"
    return build_site(tmp_path_factory.mktemp("nosale"), site, {**POLICY, "pages/do-not-sell.en.md": PAGE})


@pytest.fixture(scope="module")
def endpoint_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = MINIMAL_SITE + f"privacy_choices:\n  sells_or_shares: true\n  request_endpoint: {ENDPOINT}\n"
    return build_site(tmp_path_factory.mktemp("endpoint"), site, {**POLICY, "pages/do-not-sell.en.md": PAGE})


def test_footer_links_to_the_page_on_every_page_of_the_build(frozen_example: Path) -> None:
    pages = html_files(frozen_example)
    names = {str(p.relative_to(frozen_example)) for p in pages}
    assert {"index.html", "404.html", "en/index.html", "en/privacy/index.html", "en/do-not-sell/index.html"} <= names
    for path in pages:
        tree = LexborHTMLParser(path.read_text())
        locale = tree.css_first("html").attributes["lang"].lower()
        link = footer_link(tree)
        assert link is not None, path
        assert link.attributes["href"] == f"/{locale}/do-not-sell/", path
        icon = link.css_first("svg")
        assert "style" not in icon.html
        # The icon is decorative: the link is named by its text alone (WCAG 2.5.3, label in name).
        assert icon.attributes.get("aria-hidden") == "true" and icon.css_first("title") is None, path
        assert accessible_name(link) == link.text(strip=True), path
        if locale == "en":
            assert accessible_name(link) == "Your Privacy Choices"


def test_do_not_sell_label_variant_has_no_icon(endpoint_site: Path) -> None:
    for path in html_files(endpoint_site):
        link = footer_link(LexborHTMLParser(path.read_text()))
        assert link is not None, path
        assert link.text(strip=True) == "Do Not Sell or Share My Personal Information"
        assert link.css_first("svg") is None


def test_page_holds_editor_text_control_form_and_noscript_help(frozen_example: Path) -> None:
    tree = LexborHTMLParser((frozen_example / "en/do-not-sell/index.html").read_text())
    assert tree.css_first("h1").text() == "Do Not Sell or Share My Personal Information"
    assert "cross-context behavioral advertising" in tree.css_first(".page-body").text()
    script = tree.css_first("head script")
    assert script.attributes["src"].startswith("/assets/optout.") and "integrity" in script.attributes
    assert all(s.attributes.get("src") for s in tree.css("script")), "no inline script"
    assert not tree.css("[style]")
    control = tree.css_first("[data-optout]")
    assert control.attributes["data-cookie-name"] == "fernwood_optout"
    assert control.attributes["data-cookie-days"] == "395"
    assert "hidden" in control.css_first("[data-gpc-notice]").attributes
    noscript = control.css_first("noscript").text()
    assert "Global Privacy Control" in noscript and "privacy@fernwood.example" in noscript and "Portland" in noscript
    form = tree.css_first("form[data-request-form]")
    assert form.attributes["action"].startswith("mailto:privacy@fernwood.example?subject=")
    # Form-encoded without JavaScript: Chromium garbles the letters outside ASCII of a text/plain body.
    assert form.attributes.get("enctype") is None and form.attributes["method"] == "post"
    for field in form.css("input:not([type=hidden])"):
        label = tree.css_first(f"label[for={field.attributes['id']}]")
        assert label is not None and label.text().strip()
        assert "required" in field.attributes
        assert f"{field.attributes['id']}-error" in field.attributes["aria-describedby"].split()
    csp = tree.css_first("meta[http-equiv=Content-Security-Policy]").attributes["content"]
    assert directive(csp, "form-action") == "'self' mailto:"


@pytest.mark.parametrize(
    ("slug", "promise", "said"),
    [
        ("en", "on every visit", "this page cannot read the signal, but your browser also sends it to our servers"),
        ("fr", "à chaque visite", "ne peut pas lire ce signal, mais votre navigateur l’envoie aussi à nos serveurs"),
        ("es", "en cada visita", "no puede leer la señal, pero tu navegador también la envía a nuestros servidores"),
        ("zh-hans", "每次访问时", "未启用 JavaScript 时，本页面无法读取该信号，但您的浏览器也会将其发送到我们的服务器"),
    ],
)
def test_noscript_help_says_the_static_page_cannot_read_gpc_but_the_servers_honour_it(
    frozen_example: Path, slug: str, promise: str, said: str
) -> None:
    """Without JavaScript a static page cannot see navigator.globalPrivacyControl, so it must not promise to
    honour the signal "on every visit"; the organisation's servers, which read Sec-GPC, do honour it."""
    tree = LexborHTMLParser((frozen_example / slug / "do-not-sell/index.html").read_text())
    noscript = " ".join(tree.css_first("[data-optout] noscript").text().split())
    assert promise not in noscript
    assert said in noscript


def form_fields(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """The request form's fields as (name, value or label): what the browser writes into the request."""
    fields = []
    for field in tree.css("form[data-request-form] input"):
        label = tree.css_first(f"label[for={field.attributes['id']}]") if "id" in field.attributes else None
        fields.append((field.attributes["name"], label.text() if label else field.attributes["value"]))
    return fields


def mail_fields(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """The request form's fields as optout.js names them in an email: (name, value or label)."""
    fields = []
    for field in tree.css("form[data-request-form] input"):
        label = tree.css_first(f"label[for={field.attributes['id']}]") if "id" in field.attributes else None
        value = label.text() if label else field.attributes["data-mail-value"]
        fields.append((field.attributes["data-mail-name"], value))
    return fields


@pytest.mark.parametrize(
    ("slug", "fields"),
    [
        (
            "en",
            [
                ("Request", "Do Not Sell or Share My Personal Information"),
                ("Full name", "Full name"),
                ("Email address", "Email address"),
                ("State of residence", "State of residence"),
            ],
        ),
        (
            "fr",
            [
                ("Demande", "Ne pas vendre ni partager mes informations personnelles"),
                ("Nom complet", "Nom complet"),
                ("Adresse e-mail", "Adresse e-mail"),
                ("État de résidence", "État de résidence"),
            ],
        ),
    ],
)
def test_the_emailed_request_names_its_fields_in_the_pages_language(frozen_example: Path, slug, fields) -> None:
    """Sent by email, the fields become the body's ``name=value`` lines, which a person reads: optout.js names
    them in the page's language. The fields' own names stay ASCII, which the browser writes without JavaScript
    (Chromium garbles other letters in that body)."""
    tree = LexborHTMLParser((frozen_example / slug / "do-not-sell/index.html").read_text())
    assert tree.css_first("form[data-request-form]").attributes["action"].startswith("mailto:")
    assert mail_fields(tree) == fields
    assert [name for name, _ in form_fields(tree)] == ["request", "name", "email", "state"]


def test_an_endpoint_gets_the_documented_field_names(endpoint_site: Path) -> None:
    """A program reads what the form posts to an endpoint: the names stay those docs/do-not-sell.md gives."""
    tree = LexborHTMLParser((endpoint_site / "en/do-not-sell/index.html").read_text())
    names = [name for name, _ in form_fields(tree)]
    assert names == ["request", "name", "email", "state"]
    assert tree.css_first("input[type=hidden]").attributes["value"] == "opt-out-of-sale-and-sharing"
    assert not tree.css("form[data-request-form] [data-mail-name]")


def test_other_pages_do_not_load_the_script(frozen_example: Path) -> None:
    for path in html_files(frozen_example):
        if path.parent.name != "do-not-sell":
            assert "optout." not in path.read_text(), path


def test_gpc_json_matches_site_yaml(frozen_example: Path, client) -> None:
    settings = yaml.safe_load((EXAMPLE / "site.yaml").read_text())["privacy_choices"]
    frozen = json.loads((frozen_example / ".well-known/gpc.json").read_text())
    assert frozen == {"gpc": True, "lastUpdate": settings["gpc_last_update"].isoformat()}
    response = client.get("/.well-known/gpc.json")
    assert response.mimetype == "application/json"
    assert response.get_json() == frozen


def test_host_files_set_the_json_type_and_security_headers(frozen_example: Path) -> None:
    rules = parse_headers_file((frozen_example / "_headers").read_text())
    assert rules["/.well-known/gpc.json"] == {"Content-Type": "application/json"}
    assert rules["/*"] == security_headers(("mailto:",))
    assert (frozen_example / ".nojekyll").read_bytes() == b""


def test_configured_endpoint_is_the_form_action_and_allowed_by_csp(endpoint_site: Path) -> None:
    tree = LexborHTMLParser((endpoint_site / "en/do-not-sell/index.html").read_text())
    form = tree.css_first("form[data-request-form]")
    assert form.attributes["action"] == ENDPOINT and form.attributes["method"] == "post"
    csp = tree.css_first("meta[http-equiv=Content-Security-Policy]").attributes["content"]
    assert directive(csp, "form-action") == f"'self' {ENDPOINT}"
    rules = parse_headers_file((endpoint_site / "_headers").read_text())
    assert directive(rules["/*"]["Content-Security-Policy"], "form-action") == f"'self' {ENDPOINT}"
    gpc = json.loads((endpoint_site / ".well-known/gpc.json").read_text())
    assert gpc == {"gpc": True}, "no lastUpdate unless site.yaml gives one"


def test_site_that_neither_sells_nor_shares_gets_no_link_and_no_control(no_sale_site: Path) -> None:
    for path in html_files(no_sale_site):
        html = path.read_text()
        assert footer_link(LexborHTMLParser(html)) is None, path
        assert "optout." not in html, path
    tree = LexborHTMLParser((no_sale_site / "en/do-not-sell/index.html").read_text())
    assert tree.css_first(".no-sale-statement").text() == (
        "Example Company Ltd. does not sell or share personal information, so there is nothing to opt out of."
    )
    assert tree.css_first("[data-optout]") is None and tree.css_first("form") is None
    assert "How we handle your choices." in tree.css_first(".page-body").text()
    csp = tree.css_first("meta[http-equiv=Content-Security-Policy]").attributes["content"]
    assert directive(csp, "form-action") == "'self'"


def test_site_without_privacy_choices_has_no_page_link_or_gpc_file(tmp_path: Path) -> None:
    out = build_site(tmp_path, MINIMAL_SITE, POLICY)
    assert not (out / "en/do-not-sell").exists() and not (out / ".well-known").exists()
    assert "/.well-known/gpc.json" not in parse_headers_file((out / "_headers").read_text())
    assert all(footer_link(LexborHTMLParser(p.read_text())) is None for p in html_files(out))


def test_sec_gpc_header_renders_the_honoured_state(client) -> None:
    plain = client.get("/en/do-not-sell/")
    assert "Sec-GPC" in plain.headers["Vary"] and "HX-Request" in plain.headers["Vary"]
    tree = LexborHTMLParser(plain.get_data(as_text=True))
    assert "hidden" in tree.css_first("[data-gpc-notice]").attributes
    assert "data-gpc-header" not in tree.css_first("[data-optout]").attributes

    honoured = LexborHTMLParser(client.get("/en/do-not-sell/", headers={"Sec-GPC": "1"}).get_data(as_text=True))
    notice = honoured.css_first("[data-gpc-notice]")
    assert "hidden" not in notice.attributes
    assert notice.css_first(".gpc-notice-title").text() == "Opt-Out Request Honored"
    assert "hidden" not in honoured.css_first("[data-state=opted-out]").attributes
    assert "data-gpc-header" in honoured.css_first("[data-optout]").attributes


SITE_WITH = MINIMAL_SITE + "privacy_choices:\n"
BAD_CASES: dict[str, tuple[str, dict[str, str], str]] = {
    "selling without the page": (
        SITE_WITH + "  sells_or_shares: true\n",
        POLICY,
        "content/pages/do-not-sell.en.md: privacy_choices.sells_or_shares is true but the Do Not Sell page is missing",
    ),
    "a page without privacy_choices": (
        MINIMAL_SITE,
        {**POLICY, "pages/do-not-sell.en.md": PAGE},
        "content/pages/do-not-sell.en.md: there is a Do Not Sell page but site.yaml has no privacy_choices",
    ),
    "sells_or_shares left out": (
        SITE_WITH + "  usprivacy: true\n",
        POLICY,
        "content/site.yaml:14: missing required key 'privacy_choices.sells_or_shares'",
    ),
    "a misspelt key": (
        SITE_WITH + "  sells_or_shares: false\n  cookie_nmae: x\n",
        POLICY,
        "content/site.yaml:16: unknown key 'privacy_choices.cookie_nmae'",
    ),
    "an unknown link label": (
        SITE_WITH + "  sells_or_shares: false\n  link_label: opt-out\n",
        POLICY,
        "content/site.yaml:16: invalid 'privacy_choices.link_label'",
    ),
    "an http endpoint": (
        SITE_WITH + "  sells_or_shares: true\n  request_endpoint: http://forms.example.com/\n",
        {**POLICY, "pages/do-not-sell.en.md": PAGE},
        "content/site.yaml:16: invalid 'privacy_choices.request_endpoint': request_endpoint must be an https URL",
    ),
    "an endpoint that would end the CSP": (
        SITE_WITH
        + "  sells_or_shares: true\n  request_endpoint: 'https://f.example.com/p; script-src https://evil.example'\n",
        {**POLICY, "pages/do-not-sell.en.md": PAGE},
        "content/site.yaml:16: invalid 'privacy_choices.request_endpoint': request_endpoint must be one URL, without "
        "spaces or any of ; ,",
    ),
    "a cookie domain of another site": (
        SITE_WITH + "  sells_or_shares: false\n  cookie_domain: example.org\n",
        POLICY,
        "content/site.yaml:16: cookie_domain 'example.org' does not cover the site's host 'privacy.example.com'",
    ),
    "a cookie lifetime browsers cap": (
        SITE_WITH + "  sells_or_shares: false\n  cookie_days: 500\n",
        POLICY,
        "content/site.yaml:16: invalid 'privacy_choices.cookie_days'",
    ),
    "a date that does not exist": (
        SITE_WITH + "  sells_or_shares: false\n  gpc_last_update: 2026-13-01\n",
        POLICY,
        "content/site.yaml:16: malformed YAML: month must be in 1..12",
    ),
    "a region that takes the page's name": (
        MINIMAL_SITE + "  - {id: do-not-sell, name: Nowhere, law: None}\n",
        POLICY,
        "content/site.yaml:14: invalid 'id' in item 5 of 'regions': region id 'do-not-sell'",
    ),
    "a policy folder that takes the page's name": (
        MINIMAL_SITE,
        {**POLICY, "policies/do-not-sell/2024-01-01.en.md": PAGE},
        "content/policies/do-not-sell: policy folder name 'do-not-sell' is the address of other pages of the site",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES), ids=lambda c: c.replace(" ", "-"))
def test_bad_privacy_choices_are_reported_with_location(tmp_path: Path, case: str) -> None:
    site, files, expected = BAD_CASES[case]
    write_content(tmp_path / "content", files, site=site)
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert expected in output, output
    assert "Traceback" not in output


def test_bad_privacy_choices_leave_a_previous_build_untouched(tmp_path: Path) -> None:
    site, files, expected = BAD_CASES["selling without the page"]
    write_content(tmp_path / "content", files, site=site)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "index.html").write_text("old build")
    (tmp_path / "build" / "404.html").write_text('<meta name="generator" content="Policypress">')
    result = run_cli("build", "--content", "content", "--out", "build", cwd=tmp_path)
    assert result.returncode == 1 and expected in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["404.html", "index.html"]
    assert (tmp_path / "build" / "index.html").read_text() == "old build"
