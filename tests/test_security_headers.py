"""Security headers: the build's ``_headers`` file sets a strict CSP, the other security
headers and cache lifetimes; the live app sends the very same headers; every page carries
an equivalent CSP ``<meta>``; and no page holds inline script, inline style or handlers."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, TODAY, write_content
from policypress.headers import META_FORBIDDEN
from selectolax.lexbor import LexborHTMLParser
from sitefiles import (
    csp_directives,
    fragments,
    headers_for,
    pages,
    parse_headers_file,
    served_files,
    url_of,
)

YEAR = 365 * 24 * 3600
ENDPOINT = "https://requests.example.net/privacy/opt-out"


@pytest.fixture(scope="module")
def rules(frozen_example: Path):
    return parse_headers_file((frozen_example / "_headers").read_text(encoding="utf-8"))


def test_header_file_sets_a_strict_content_security_policy(rules) -> None:
    everywhere = dict(rules[0][1])
    assert rules[0][0] == "/*"
    csp = everywhere["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
    directives = csp_directives(csp)
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    # The example's Do Not Sell form falls back to mailto: (no request endpoint configured).
    assert directives["form-action"] == "'self' mailto:"
    # Every fetch directive stays on the site's own origin.
    for name, value in directives.items():
        if name.endswith("-src"):
            assert value in ("'self'", "'none'"), name


def test_header_file_sets_the_other_security_headers(rules) -> None:
    everywhere = dict(rules[0][1])
    assert everywhere["X-Content-Type-Options"] == "nosniff"
    assert everywhere["Referrer-Policy"] == "no-referrer"
    permissions = everywhere["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in permissions
    hsts = everywhere["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= YEAR and "includeSubDomains" in hsts


def test_every_served_file_gets_exactly_one_cache_lifetime(frozen_example: Path, rules) -> None:
    files = served_files(frozen_example)
    assert len(files) > 100
    for path in files:
        url = url_of(frozen_example, path)
        headers = headers_for(rules, url)
        # Both hosts join a header that two matching rules give: that must never happen.
        assert all(len(values) == 1 for values in headers.values()), (url, headers)
        cache = headers["cache-control"][0]
        max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
        if url.startswith("/assets/"):
            assert "immutable" in cache and max_age >= YEAR, url
            # Safe to keep for a year only because the name changes with the content.
            assert f".{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}." in path.name, url
        else:
            assert "immutable" not in cache and max_age <= 600, url


def live_headers_match_the_file(client, rules, urls: list[str]) -> None:
    """Each URL's headers from the live app equal what ``_headers`` gives it on a host."""
    security = {name.lower() for name, _ in rules[0][1]} | {"cache-control"}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        expected = {name: values[0] for name, values in headers_for(rules, url).items()}
        live = {name.lower(): value for name, value in response.headers.items()}
        for name, value in expected.items():
            assert live.get(name) == value, (url, name)
        for name in security:  # and the live app sends nothing a host would not
            assert name in expected, (url, name)


def test_live_app_sends_the_headers_of_the_header_file(frozen_example: Path, rules, client) -> None:
    urls = sorted({url_of(frozen_example, path) for path in served_files(frozen_example)})
    # One of each kind of file: pages, fragments, assets, feeds, JSON, the host files.
    wanted = [
        "/",
        "/404.html",
        "/en/",
        "/en/privacy/",
        "/zh-hans/privacy/california/",
        "/en/privacy/california/content.html",
        "/fr/do-not-sell/",
        "/.well-known/gpc.json",
        "/sitemap.xml",
        "/robots.txt",
    ]
    wanted += [url for url in urls if url.startswith("/assets/")]
    # Whatever other top-level folders features add (the versions' /api/, say): one file each.
    wanted += [
        next(u for u in urls if u.startswith(f"/{top}/")) for top in {u.split("/")[1] for u in urls if u.count("/") > 1}
    ]
    assert set(wanted) <= set(urls)
    live_headers_match_the_file(client, rules, sorted(set(wanted)))


@pytest.mark.parametrize("query", ["", "?form=privacy&lang=en"], ids=["plain", "with-a-query"])
def test_configured_request_endpoint_is_allowed_by_every_csp(tmp_path: Path, query: str) -> None:
    """form-action names the endpoint in the header file, the live headers and every page's meta tag; without
    its query string, which browsers ignore in a CSP source (and warn of on every page), while the form keeps it."""
    from policypress import create_app

    site = MINIMAL_SITE + f"privacy_choices:\n  sells_or_shares: true\n  request_endpoint: {ENDPOINT}{query}\n"
    content = write_content(
        tmp_path / "content",
        {
            "policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy Policy\n---\nWe keep little.\n",
            "pages/do-not-sell.en.md": "---\ntitle: Do Not Sell or Share\n---\nYour choices.\n",
        },
        site=site,
    )
    client = create_app({"CONTENT_DIR": content, "TODAY": TODAY}).test_client()
    rules = parse_headers_file(client.get("/_headers").get_data(as_text=True))
    assert csp_directives(dict(rules[0][1])["Content-Security-Policy"])["form-action"] == f"'self' {ENDPOINT}"
    live_headers_match_the_file(client, rules, ["/en/do-not-sell/", "/en/privacy/", "/"])
    page = LexborHTMLParser(client.get("/en/do-not-sell/").get_data(as_text=True))
    meta = page.css_first("meta[http-equiv=Content-Security-Policy]").attributes["content"]
    assert csp_directives(meta)["form-action"] == f"'self' {ENDPOINT}"
    assert page.css_first("form[method=post]").attributes["action"] == ENDPOINT + query


def test_every_page_carries_the_same_csp_in_a_meta_tag(frozen_example: Path, rules) -> None:
    header = csp_directives(dict(rules[0][1])["Content-Security-Policy"])
    allowed_in_meta = {name: value for name, value in header.items() if name not in META_FORBIDDEN}
    assert "frame-ancestors" in header and "frame-ancestors" not in allowed_in_meta
    found = pages(frozen_example)
    assert len(found) > 100
    for path in found:
        head = LexborHTMLParser(path.read_text(encoding="utf-8")).head
        metas = head.css("meta[http-equiv=Content-Security-Policy]")
        assert len(metas) == 1, path
        assert csp_directives(metas[0].attributes["content"]) == allowed_in_meta, path
        # A <meta> CSP governs only what comes after it: it must precede every script and stylesheet.
        before = []
        for node in head.iter():
            if node.attributes.get("http-equiv") == "Content-Security-Policy":
                break
            before.append(node.tag)
        assert not {"script", "link", "style"} & set(before), path


def test_no_page_or_fragment_has_inline_script_style_or_handlers(frozen_example: Path) -> None:
    files = pages(frozen_example) + fragments(frozen_example)
    for path in files:
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        for script in tree.css("script"):
            assert script.attributes.get("src") and not (script.text() or "").strip(), path
            assert script.attributes.get("integrity", "").startswith("sha384-"), path
        assert not tree.css("style, [style]"), path
        for node in tree.css("*"):
            for name, value in node.attributes.items():
                assert not name.lower().startswith("on"), (path, name)
                assert not (value or "").strip().lower().startswith("javascript:"), (path, name)


def test_fragments_hold_no_scripts(frozen_example: Path) -> None:
    found = fragments(frozen_example)
    assert any(path.name == "content.html" for path in found)
    for path in found:
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text.lower() and "<meta" not in text.lower(), path


def test_deployment_guide_shows_the_header_file_the_build_writes(frozen_example: Path) -> None:
    from conftest import PROJECT

    guide = (PROJECT / "docs" / "deploying.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(# HTTP headers for Netlify.*?)```", guide, re.DOTALL)
    assert shown, "docs/deploying.md shows the example's _headers in a ```text block"
    assert shown.group(1) == (frozen_example / "_headers").read_text(encoding="utf-8")
    # The CloudFront policy carries the same CSP as the header file.
    csp = dict(parse_headers_file(shown.group(1))[0][1])["Content-Security-Policy"]
    assert f'ContentSecurityPolicy: "{csp}"' in guide


def test_the_json_for_machines_may_be_read_by_scripts_of_other_sites(rules, client) -> None:
    """Public data, sent with no cookies: a company's app or another site may fetch it."""
    api = [dict(headers) for pattern, headers in rules if pattern == "/api/*"]
    assert {"Access-Control-Allow-Origin": "*"} in api
    assert client.get("/api/privacy/versions.json").headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/en/privacy/").headers
