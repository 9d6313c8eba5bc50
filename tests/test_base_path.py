"""A site served under a path (``base_url: https://host/policies``, a GitHub Pages project site): every URL
the output holds leads under the path, the files do not repeat it, and the live app serves the same bytes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, TODAY, run_cli, tree_digest
from selectolax.lexbor import LexborHTMLParser

ORIGIN = "https://privacy.fernwood.example"
BASE = "/policies"
#: Attributes that hold a URL the browser requests or leads to (the compare picker's pattern included).
URL_ATTRIBUTES = ("href", "src", "action", "data-hx-get", "data-hx-push-url", "data-page")


def example_under_a_path(folder: Path) -> Path:
    """The example content, with its base URL moved under :data:`BASE`."""
    content = folder / "content"
    shutil.copytree(EXAMPLE, content)
    site = content / "site.yaml"
    text, count = re.subn(r"(?m)^base_url: .*$", f"base_url: {ORIGIN}{BASE}/", site.read_text())
    assert count == 1
    # A footer link to a page of this site, written from the site root as Markdown links are.
    french = "fr: {label: Accueil de Fernwood Notes}"
    assert text.count(french) == 1
    site.write_text(text.replace(french, "fr: {label: Accueil de Fernwood Notes, url: /fr/cookies/}"))
    return content


@pytest.fixture(scope="module")
def under_a_path(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example content under a path, and its build, in ``served/policies`` of a folder a static
    server can serve from its root."""
    folder = tmp_path_factory.mktemp("base-path")
    content = example_under_a_path(folder)
    out = folder / "served" / BASE.strip("/")
    result = run_cli("build", "--content", content, "--out", out, "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    return content, out


def test_every_url_in_the_output_leads_under_the_base_path(under_a_path: tuple[Path, Path]) -> None:
    _content, out = under_a_path
    assert (out / "en/privacy/index.html").is_file() and not (out / BASE.strip("/")).exists()
    checked = 0
    for page in sorted(out.rglob("*.html")):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        for name in URL_ATTRIBUTES:
            for node in tree.css(f"[{name}]"):
                value = node.attributes[name] or ""
                if value.startswith("/"):
                    assert value.startswith(BASE + "/"), (page, name, value)
                    checked += 1
                elif value.startswith(ORIGIN):
                    assert value.startswith(ORIGIN + BASE + "/"), (page, name, value)
    assert checked > 3_000
    # A link the editor wrote from the site root, in the Markdown, leads there too.
    privacy = (out / "en/privacy/index.html").read_text(encoding="utf-8")
    assert 'href="/policies/en/cookies/"' in privacy and 'href="/en/cookies/"' not in privacy
    # So does a footer link of site.yaml.
    footer = LexborHTMLParser((out / "fr/privacy/index.html").read_text(encoding="utf-8")).css("footer nav a")
    assert "/policies/fr/cookies/" in [a.attributes.get("href") for a in footer]


def test_feeds_sitemap_and_json_name_the_base_path(under_a_path: tuple[Path, Path]) -> None:
    _content, out = under_a_path
    absolute = re.compile(rf"{re.escape(ORIGIN)}(/[^\"'<\s&]*)")
    for name in ("sitemap.xml", "robots.txt", "en/privacy/feed.xml", "api/privacy/versions.json"):
        found = absolute.findall((out / name).read_text(encoding="utf-8"))
        assert found, name
        assert all(path.startswith(BASE + "/") for path in found), (name, found)


def test_the_host_file_names_the_output_files_without_the_path(under_a_path: tuple[Path, Path]) -> None:
    _content, out = under_a_path
    patterns = [line for line in (out / "_headers").read_text().splitlines() if line.startswith("/")]
    assert "/assets/*" in patterns and "/en/*" in patterns
    assert not [pattern for pattern in patterns if pattern.startswith(BASE)]


def test_the_live_app_serves_the_same_bytes_under_the_path(under_a_path: tuple[Path, Path]) -> None:
    from policypress import create_app

    content, out = under_a_path
    client = create_app({"CONTENT_DIR": content, "TODAY": TODAY}).test_client()
    for name, data in tree_digest(out).items():
        url = f"{BASE}/" + name.removesuffix("index.html")
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.data == data, url
    privacy = client.get(f"{BASE}/en/privacy/index.html")  # as a static host serves the folder's file
    assert privacy.status_code == 200 and privacy.data == (out / "en/privacy/index.html").read_bytes()
    for outside in ("/", BASE):
        root = client.get(outside)
        assert root.status_code == 308 and root.headers["Location"] == BASE + "/"
    assert client.get("/en/privacy/").status_code == 404


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://privacy.example.com/my policies/", "the path of base_url, '/my policies/', must be folder names"),
        ("https://privacy.example.com/legal?lang=en", "base_url must not carry a query or fragment"),
        ("http://privacy.example.com/legal", "base_url must be an https URL"),
    ],
)
def test_a_base_url_path_that_cannot_be_served_is_refused(tmp_path: Path, base_url: str, expected: str) -> None:
    content = example_under_a_path(tmp_path)
    site = content / "site.yaml"
    site.write_text(re.sub(r"(?m)^base_url: .*$", f"base_url: {base_url}", site.read_text()))
    result = run_cli("check", "--content", content, "--today", TODAY.isoformat())
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert expected in result.stderr, result.stderr
