"""Region views: filtering, URLs, fragments, and live responses equal to the frozen files."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, PROJECT, TODAY, run_cli, write_content
from policypress import create_app
from policypress.config import load_config
from policypress.errors import Problems
from policypress.model import Document
from policypress.render import Renderer
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from werkzeug.exceptions import NotFound

REGIONS = ("eea", "uk", "california", "prc")
HTMX_CONFIG = '{"includeIndicatorStyles":false,"allowEval":false,"historyCacheSize":0,"refreshOnHistoryMiss":true}'

OVERLAPPING = """\
---
title: Privacy Policy
---
Everyone reads this.

## What we collect

Names and emails. Californians, see [your rights](#california-rights).

::: region eea uk
## Rights in Europe

Shared by the EEA and the UK.
:::

::: region uk
## UK representative

Only for the UK.
:::

::: region california
{#california-rights}
## California rights

Only for California. Back to [what we collect](#what-we-collect).
:::

## Contact us

Write to us.
"""


def _rendered(source: str = OVERLAPPING):
    document = Document(Path("privacy/2025-01-01.en.md"), "en", "Privacy Policy", source, "x")
    problems = Problems(Path("."))
    rendered = Renderer(REGIONS).render(document, problems)
    assert problems.items == []
    return rendered


def _text(segments) -> str:
    return "".join(segment.html for segment in segments)


@pytest.fixture
def overlapping_app(tmp_path: Path):
    root = write_content(tmp_path / "content", {"policies/privacy/2025-01-01.en.md": OVERLAPPING})
    return create_app({"CONTENT_DIR": root, "TODAY": date(2025, 6, 1)})


def _html(response) -> HTMLParser:
    assert response.status_code == 200, response.status_code
    return HTMLParser(response.get_data(as_text=True))


# --- filtering -------------------------------------------------------------------------------


def test_block_for_several_regions_shows_in_each_of_them_and_nowhere_else():
    rendered = _rendered()
    for region in ("eea", "uk"):
        assert "Shared by the EEA and the UK." in _text(rendered.view(region))
    for region in ("california", "prc"):
        assert "Shared by the EEA and the UK." not in _text(rendered.view(region))


def test_region_view_keeps_general_text_and_drops_other_regions_blocks():
    rendered = _rendered()
    uk = _text(rendered.view("uk"))
    assert "Everyone reads this." in uk and "Write to us." in uk
    assert "Shared by the EEA and the UK." in uk and "Only for the UK." in uk
    assert "Only for California." not in uk
    eea = _text(rendered.view("eea"))
    assert "Only for the UK." not in eea and "Only for California." not in eea
    prc = _text(rendered.view("prc"))
    assert [s.regions for s in rendered.view("prc")] == [(), ()]
    assert "Everyone reads this." in prc and "Write to us." in prc


def test_whole_policy_keeps_every_block_in_source_order():
    rendered = _rendered()
    assert [s.regions for s in rendered.view(None)] == [(), ("eea", "uk"), ("uk",), ("california",), ()]
    assert [s.regions for s in rendered.view("uk")] == [(), ("eea", "uk"), ("uk",), ()]


def test_table_of_contents_follows_the_view():
    rendered = _rendered()

    def ids(region):
        return [h.id for h in rendered.toc(region)]

    assert ids(None) == ["what-we-collect", "rights-in-europe", "uk-representative", "california-rights", "contact-us"]
    assert ids("uk") == ["what-we-collect", "rights-in-europe", "uk-representative", "contact-us"]
    assert ids("eea") == ["what-we-collect", "rights-in-europe", "contact-us"]
    assert ids("california") == ["what-we-collect", "california-rights", "contact-us"]
    assert ids("prc") == ["what-we-collect", "contact-us"]


FENCED_MARKER = """\
---
title: Privacy Policy
---
Everyone reads this.

::: region eea
How the EEA consent record looks:

```
consent:
:::
```

EEA only, after the example.
:::

## Contact us

Write to us.
"""


def test_a_closing_marker_in_fenced_code_is_code_not_the_end_of_the_region(tmp_path: Path):
    root = write_content(tmp_path / "content", {"policies/privacy/2025-01-01.en.md": FENCED_MARKER})
    assert run_cli("check", "--content", root, "--today", "2025-06-01").returncode == 0
    out = tmp_path / "out"
    result = run_cli("build", "--content", root, "--out", out, "--today", "2025-06-01")
    assert result.returncode == 0, result.stderr
    page = (out / "en" / "privacy" / "index.html").read_text(encoding="utf-8")
    assert "<pre><code>consent:\n:::\n</code></pre>" in page
    assert "<p>EEA only, after the example.</p>" in page
    assert '<h2 id="contact-us">Contact us</h2>' in page and "<p>Write to us.</p>" in page
    california = (out / "en" / "privacy" / "california" / "index.html").read_text(encoding="utf-8")
    assert "EEA only" not in california and "consent:" not in california
    assert '<h2 id="contact-us">Contact us</h2>' in california and "<pre>" not in california
    eea = (out / "en" / "privacy" / "eea" / "index.html").read_text(encoding="utf-8")
    assert "<p>EEA only, after the example.</p>" in eea and '<h2 id="contact-us">' in eea


# --- region ids --------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["2025-06-15", "changes", "compare", "content", "California", "-eea"])
def test_region_id_that_could_collide_with_a_url_is_rejected(tmp_path: Path, bad: str):
    site = MINIMAL_SITE.replace("{id: prc,", f"{{id: {json.dumps(bad)},")
    path = tmp_path / "site.yaml"
    path.write_text(site, encoding="utf-8")
    problems = Problems(tmp_path)
    assert load_config(path, problems) is None
    [problem] = problems.errors
    assert (
        problem.line
        == site.splitlines().index(f"  - {{id: {json.dumps(bad)}, name: People's Republic of China, law: PIPL}}") + 1
    )
    assert "region id" in problem.message and "start with a letter" in problem.message


def test_check_names_the_line_of_a_reserved_region_id(tmp_path: Path):
    root = write_content(tmp_path / "content", {}, site=MINIMAL_SITE.replace("{id: uk,", "{id: changes,"))
    result = run_cli("check", "--content", root)
    assert result.returncode == 1
    assert "site.yaml:11: invalid 'id' in item 2 of 'regions': region id 'changes'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_region_urls_never_match_dates_or_other_words(app):
    adapter = app.url_map.bind("privacy.fernwood.example")
    app.app_context().push()  # the converter reads the site's region ids from the app
    assert adapter.match("/en/privacy/california/") == (
        "regions.region_view",
        {"locale": "en", "policy": "privacy", "region": "california"},
    )
    for path in ("/en/privacy/2025-06-15/", "/en/privacy/changes/", "/en/privacy/compare/", "/en/privacy/cal/"):
        try:
            endpoint, _values = adapter.match(path)
        except NotFound:
            continue
        assert not endpoint.startswith("regions."), path


# --- views -------------------------------------------------------------------------------------


def test_region_view_shows_its_blocks_a_note_and_a_link_to_the_whole_policy(overlapping_app):
    client = overlapping_app.test_client()
    tree = _html(client.get("/en/privacy/uk/"))
    body = tree.css_first("#policy-body").text()
    assert "Only for the UK." in body and "Shared by the EEA and the UK." in body
    assert "Only for California." not in body
    assert [s.attributes["data-region"] for s in tree.css("section.region")] == ["eea uk", "uk"]
    note = tree.css_first(".region-note")
    assert note.text().startswith("Region: United Kingdom. Showing only the sections that apply there.")
    assert note.css_first("a").attributes["href"] == "/en/privacy/"
    assert [a.attributes["href"] for a in tree.css(".toc a")] == [
        "#what-we-collect",
        "#rights-in-europe",
        "#uk-representative",
        "#contact-us",
    ]
    assert tree.css_first("title").text() == "Privacy Policy (United Kingdom) · Example Co"


def test_whole_policy_has_no_note_and_every_block(overlapping_app):
    tree = _html(overlapping_app.test_client().get("/en/privacy/"))
    assert tree.css_first(".region-note") is None
    assert len(tree.css("section.region")) == 3
    suggestion = tree.css_first("#region-suggestion")
    assert "hidden" in suggestion.attributes
    offers = {p.attributes["data-suggest"]: p.text() for p in suggestion.css("p")}
    assert list(offers) == list(REGIONS)
    assert offers["california"].startswith(
        "The region you chose last time: California. Show only the sections that apply there?"
    )


@pytest.mark.parametrize("region", [None, *REGIONS])
def test_region_picker_links_every_view_and_marks_the_current_one(overlapping_app, region):
    url = f"/en/privacy/{region}/" if region else "/en/privacy/"
    tree = _html(overlapping_app.test_client().get(url))
    links = tree.css(".region-picker a")
    assert [a.attributes["href"] for a in links] == ["/en/privacy/", *(f"/en/privacy/{r}/" for r in REGIONS)]
    for link in links:
        href = link.attributes["href"]
        assert link.attributes["data-hx-push-url"] == href
        assert link.attributes["data-hx-get"] == href + "content.html"
        assert link.attributes["data-hx-target"] == "#policy-content"
        assert link.attributes["data-hx-swap"] == "outerHTML"
    current = [a.attributes["href"] for a in links if a.attributes.get("aria-current") == "page"]
    assert current == [url]
    status = tree.css_first("#region-status")
    assert status.attributes["role"] == "status" and status.text() == ""
    content = tree.css_first("#policy-content")
    assert content.attributes["data-region"] == (region or "")
    assert content.attributes["tabindex"] == "-1"


def test_link_to_a_heading_the_view_hides_goes_to_the_whole_policy(overlapping_app):
    client = overlapping_app.test_client()

    def hrefs(url):
        return [a.attributes["href"] for a in _html(client.get(url)).css("#policy-body a")]

    assert hrefs("/en/privacy/") == ["#california-rights", "#what-we-collect"]
    assert hrefs("/en/privacy/california/") == ["#california-rights", "#what-we-collect"]
    assert hrefs("/en/privacy/eea/") == ["/en/privacy/#california-rights"]


def test_heading_anchor_in_a_region_block_exists_in_whole_policy_and_its_view(client):
    anchor = "your-california-privacy-rights"
    for url in ("/en/privacy/", "/en/privacy/california/"):
        tree = _html(client.get(url))
        assert tree.css_first(f"#{anchor}") is not None, url
        assert tree.css_first(f".toc a[href='#{anchor}']") is not None, url
    assert _html(client.get("/en/privacy/eea/")).css_first(f"#{anchor}") is None


def test_check_reports_a_link_to_an_anchor_the_region_view_does_not_have(tmp_path: Path):
    source = OVERLAPPING.replace("Write to us.", "Europeans: [rights](/en/privacy/california/#rights-in-europe).")
    root = write_content(tmp_path / "content", {"policies/privacy/2025-01-01.en.md": source})
    result = run_cli("check", "--content", root, "--today", "2025-06-01")
    assert result.returncode == 1
    assert "no heading with id #rights-in-europe in /en/privacy/california/" in result.stderr
    fixed = source.replace("/en/privacy/california/#rights-in-europe", "/en/privacy/uk/#rights-in-europe")
    write_content(root, {"policies/privacy/2025-01-01.en.md": fixed})
    assert run_cli("check", "--content", root, "--today", "2025-06-01").returncode == 0


def test_unknown_region_and_unknown_policy_are_not_found(client):
    assert client.get("/en/privacy/atlantis/").status_code == 404
    assert client.get("/en/nothing/california/").status_code == 404
    assert client.get("/en/nothing/california/content.html").status_code == 404
    assert client.get("/xx/privacy/california/").status_code == 404


def test_region_switch_is_offered_only_for_the_version_in_force(app):
    library = app.extensions["policypress"].library
    policy = library.site.policy("privacy")
    older = policy.published()[0]
    assert older != policy.current(TODAY)
    client = app.test_client()
    html = client.get(f"/en/privacy/{older.slug}/").get_data(as_text=True)
    current = client.get("/en/privacy/").get_data(as_text=True)
    assert "region-picker" not in html and "region-suggestion" not in html
    assert "region-picker" in current and "region-suggestion" in current


def test_sitemap_lists_region_views_but_not_fragments(client):
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    for policy in ("privacy", "cookies"):
        for region in REGIONS:
            assert f"<loc>https://privacy.fernwood.example/en/{policy}/{region}/</loc>" in sitemap
    assert "content.html" not in sitemap


# --- htmx: live app and frozen files ---------------------------------------------------------------


OUT_OF_BAND = re.compile(rb'<nav [^>]*data-hx-swap-oob="true">.*?</nav>\n|<link [^>]*data-hx-swap-oob="true">\n', re.S)


def assert_fragment_of(fragment: bytes, page: bytes) -> None:
    """``fragment`` is the page's content, byte for byte, and out of band the page's own language links
    and head links (each as the page has it, marked for htmx to swap in by id; the head links in a
    <template>, where they are valid HTML)."""
    extras = OUT_OF_BAND.findall(fragment)
    ids = {re.search(rb' id="([^"]+)"', extra)[1].decode() for extra in extras}  # type: ignore[index]
    assert {"language-switcher", "head-canonical", "head-alternate-en", "head-alternate-x-default"} <= ids
    content = fragment
    for extra in extras:
        assert extra.replace(b' data-hx-swap-oob="true"', b"") in page
        content = content.replace(extra, b"")
    assert content.startswith(b'<div class="policy-content" id="policy-content"')
    assert fragment.index(b"<template>") < fragment.index(b'<link rel="canonical"')
    content, wrapper = content[: content.index(b"<template>")], content[content.index(b"<template>") :]
    assert wrapper == b"<template>\n</template>\n"
    assert content in page


def test_htmx_request_to_a_page_gets_exactly_its_fragment(client):
    for url in ("/en/privacy/", "/en/privacy/california/"):
        page = client.get(url)
        fragment = client.get(url, headers={"HX-Request": "true"})
        assert fragment.status_code == 200
        assert fragment.data == client.get(url + "content.html").data
        assert b"<html" not in fragment.data
        assert_fragment_of(fragment.data, page.data)
        assert fragment.headers["Vary"] == "HX-Request"


def test_a_region_fragment_names_its_view_in_every_language(client):
    fragment = HTMLParser(client.get("/en/privacy/california/content.html").get_data(as_text=True))
    switcher = [a.attributes["href"] for a in fragment.css("#language-switcher a")]
    assert switcher == [f"/{slug}/privacy/california/" for slug in ("en", "fr", "es", "zh-hans")]
    base = "https://privacy.fernwood.example"

    def head_link(text: str, link_id: str) -> str:  # inside <template>, which CSS selectors do not enter
        return re.search(f'<link [^>]*id="{link_id}"[^>]*>', text)[0]  # type: ignore[index]

    text = client.get("/en/privacy/california/content.html").get_data(as_text=True)
    assert f'href="{base}/en/privacy/california/"' in head_link(text, "head-canonical")
    assert f'href="{base}/es/privacy/california/"' in head_link(text, "head-alternate-es")
    assert 'id="head-alternate-fr"' not in text  # the French view shows the English text: not a French page
    text = client.get("/fr/privacy/content.html").get_data(as_text=True)
    assert f'href="{base}/fr/privacy/"' in head_link(text, "head-canonical")
    assert [a.attributes["href"] for a in HTMLParser(text).css("#language-switcher a")][0] == "/en/privacy/"


def test_htmx_history_restore_request_gets_the_whole_page(client):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get("/en/privacy/eea/", headers=headers)
    assert response.data == client.get("/en/privacy/eea/").data
    assert response.data.startswith(b"<!DOCTYPE html>")


def test_frozen_fragments_and_pages_equal_the_live_responses(client, frozen_example: Path):
    checked = 0
    for policy in ("privacy", "cookies"):
        for view in ("", *(f"{region}/" for region in REGIONS)):
            url = f"/en/{policy}/{view}"
            folder = frozen_example / url.strip("/")
            frozen_fragment = (folder / "content.html").read_bytes()
            assert client.get(url, headers={"HX-Request": "true"}).data == frozen_fragment, url
            assert client.get(url + "content.html").data == frozen_fragment, url
            assert client.get(url).data == (folder / "index.html").read_bytes(), url
            assert_fragment_of(frozen_fragment, (folder / "index.html").read_bytes())
            checked += 1
    assert checked == 10


def test_every_page_loads_pinned_htmx_deferred_with_integrity_and_csp_safe_config(frozen_example: Path):
    htmx_file = PROJECT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"
    installed = json.loads((htmx_file.parent.parent / "package.json").read_text())["version"]
    pinned = json.loads((PROJECT / "package.json").read_text())["dependencies"]["htmx.org"]
    assert installed == pinned and pinned.startswith("2.0.")
    pages = sorted(frozen_example.rglob("index.html"))
    assert len(pages) >= 12
    for path in pages:
        tree = HTMLParser(path.read_text(encoding="utf-8"))
        assert tree.css_first("meta[name='htmx-config']").attributes["content"] == HTMX_CONFIG
        scripts = {Path(s.attributes["src"]).name.split(".")[0]: s for s in tree.css("script")}
        assert {"htmx", "regions"} <= set(scripts), path
        for name, script in scripts.items():
            served = frozen_example / script.attributes["src"].lstrip("/")
            assert "defer" in script.attributes and script.text() == ""
            digest = hashlib.sha384(served.read_bytes()).digest()
            assert script.attributes["integrity"] == "sha384-" + base64.b64encode(digest).decode()
            if name == "htmx":
                assert served.read_bytes() == htmx_file.read_bytes()
                assert hashlib.sha256(served.read_bytes()).hexdigest()[:12] in served.name
        assert tree.css("style") == [] and tree.css("[style]") == [], path
        assert not [n for n in tree.css("*") if any(a.startswith("on") for a in n.attributes)], path


def test_fragments_are_written_for_every_policy_and_region(frozen_example: Path):
    for policy in ("privacy", "cookies"):
        assert (frozen_example / "en" / policy / "content.html").is_file()
        for region in REGIONS:
            assert (frozen_example / "en" / policy / region / "index.html").is_file()
            assert (frozen_example / "en" / policy / region / "content.html").is_file()


def test_site_without_regions_has_no_picker_and_no_region_urls(tmp_path: Path):
    site = MINIMAL_SITE.split("regions:")[0]
    source = "---\ntitle: Privacy Policy\n---\nEveryone reads this.\n\n## Contact us\n\nWrite.\n"
    root = write_content(tmp_path / "content", {"policies/privacy/2025-01-01.en.md": source}, site=site)
    app = create_app({"CONTENT_DIR": root, "TODAY": TODAY})
    client = app.test_client()
    tree = _html(client.get("/en/privacy/"))
    assert tree.css_first(".region-picker") is None and tree.css_first("#region-suggestion") is None
    assert client.get("/en/privacy/content.html").status_code == 200
    with app.test_request_context():
        from policypress.views import other_urls, page_urls

        endpoints = [endpoint for endpoint, _ in [*page_urls(), *other_urls()] if endpoint.startswith("regions.")]
    assert endpoints == ["regions.policy_fragment"]


def test_the_dated_page_of_the_version_in_force_has_no_region_switch(client):
    """Its address never changes, so it offers no switch to the current page's region views."""
    current = HTMLParser(client.get("/en/privacy/").get_data(as_text=True))
    dated_url = current.css_first(".version-reference bdi").text().removeprefix("https://privacy.fernwood.example")
    dated = HTMLParser(client.get(dated_url).get_data(as_text=True))
    assert current.css(".region-picker") and current.css("#region-suggestion")
    assert dated.css_first("h1").text() == current.css_first("h1").text()
    assert dated.css(".region-picker") == [] and dated.css("#region-suggestion") == []
