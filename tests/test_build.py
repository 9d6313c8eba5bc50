"""The build: what it writes, that it is reproducible, and that it matches the live app."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE, TODAY, run_cli, tree_digest
from selectolax.lexbor import LexborHTMLParser as HTMLParser


def test_build_writes_clean_urls_and_site_files(frozen_example: Path) -> None:
    files = set(tree_digest(frozen_example))
    for expected in (
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "en/index.html",
        "en/privacy/index.html",
        "en/cookies/index.html",
    ):
        assert expected in files
    for name in files:
        assert "?" not in name
        if not name.startswith(("assets/", ".well-known/")) and name not in ("_headers", ".nojekyll"):
            assert name.endswith((".html", ".xml", ".txt", ".json")), f"{name} needs an extension a host can type"


def test_policy_page_shows_title_date_toc_regions_and_contacts(frozen_example: Path) -> None:
    tree = HTMLParser((frozen_example / "en/privacy/index.html").read_text())
    assert tree.css_first("h1").text() == "Privacy Policy"
    assert "September 1, 2026" in tree.css_first(".last-updated").text()
    toc_targets = [a.attributes["href"] for a in tree.css("nav.toc a")]
    heading_ids = {h.attributes.get("id") for h in tree.css(".policy-body h2, .policy-body h3")}
    assert toc_targets and all(target[1:] in heading_ids for target in toc_targets)
    regions = {s.attributes["data-region"]: s for s in tree.css("section.region")}
    assert set(regions) == {"eea uk", "california", "prc"}
    assert regions["california"].css_first(".region-label").text() == "Applies to: California"
    footer = tree.css_first("footer").text()
    assert "Fernwood Labs, Inc." in footer and "privacy@fernwood.example" in footer and "Portland" in footer


def test_current_version_follows_today(tmp_path: Path) -> None:
    result = run_cli("build", "--content", EXAMPLE, "--out", tmp_path / "b", "--today", "2025-07-01")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "b/en/privacy/index.html").read_text()
    assert "June 15, 2025" in html and 'data-region="prc"' not in html


def test_root_lists_languages_in_their_own_names(frozen_example: Path) -> None:
    tree = HTMLParser((frozen_example / "index.html").read_text())
    links = tree.css(".language-list a")
    assert links and all(link.attributes.get("lang") for link in links)
    assert any(link.attributes["href"] == "/en/" and link.text() == "English" for link in links)


def test_sitemap_and_robots_use_absolute_urls(frozen_example: Path) -> None:
    sitemap = (frozen_example / "sitemap.xml").read_text()
    assert "<loc>https://privacy.fernwood.example/en/privacy/</loc>" in sitemap
    assert "localhost" not in sitemap
    robots = (frozen_example / "robots.txt").read_text()
    assert "Sitemap: https://privacy.fernwood.example/sitemap.xml" in robots
    # The region switch's fragments are not pages of their own.
    assert "\nDisallow: /*/content.html\n" in robots and (frozen_example / "en/privacy/content.html").is_file()


def test_same_content_and_date_build_byte_identical_output(tmp_path: Path, frozen_example: Path) -> None:
    again = tmp_path / "again"
    result = run_cli(
        "build",
        "--content",
        EXAMPLE,
        "--out",
        again,
        "--today",
        TODAY.isoformat(),
        env={"PYTHONHASHSEED": "12345"},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert tree_digest(again) == tree_digest(frozen_example)


def test_live_app_serves_the_same_bytes_as_the_frozen_files(client, frozen_example: Path) -> None:
    indexes = 0
    for name, data in tree_digest(frozen_example).items():
        # A static host serves a folder's page at its URL and at its index.html: so does the live app.
        urls = {"/" + name.removesuffix("index.html"), "/" + name}
        indexes += len(urls) - 1
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.data == data, url
    assert indexes > 100


def test_unknown_urls_get_the_404_page(client, frozen_example: Path) -> None:
    # A static host serves the one 404.html for every missing URL: the live app serves the same bytes.
    built = (frozen_example / "404.html").read_bytes()
    for url in ("/xx/", "/en/no-such-policy/", "/fr/no-such-policy/", "/fr/privacy/1999-01-01/", "/nothing"):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 404
        assert response.data == built, url
    assert b"Page not found" in built
    assert b'rel="canonical"' not in built and b'hreflang="fr"' not in built  # the address of nothing


def test_the_404_page_leaves_the_missing_urls_request_as_it_was() -> None:
    """The 404 page is rendered in a context of its own: the request it answers keeps its locale (its g)."""
    from flask import g
    from policypress import create_app

    app = create_app({"CONTENT_DIR": EXAMPLE, "TODAY": TODAY})
    seen: list[str] = []

    def record(response):  # type: ignore[no-untyped-def]
        seen.append(g.locale)
        return response

    app.after_request(record)
    assert app.test_client().get("/fr/no-such-policy/").status_code == 404
    assert seen == ["fr"]


@pytest.mark.parametrize("command", ["build", "serve", "check"])
def test_every_command_has_help(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0 and "usage: build.py" in result.stdout and "--content" in result.stdout


def test_build_summary_line_and_next_version_hint(tmp_path: Path) -> None:
    result = run_cli("build", "--content", EXAMPLE, "--out", tmp_path / "b", "--today", TODAY.isoformat())
    assert result.returncode == 0
    assert "pages) into" in result.stdout
    assert "rebuild on or after 2027-02-01 to publish the next version" in result.stdout
