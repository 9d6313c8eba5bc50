"""Fuzzed input: Hypothesis writes random front matter, Markdown, region markers and file
names into a content folder, then loads and renders it in-process. Every run ends in a
site or a clean ContentError (located problems), never another exception; and no page or
fragment ever carries a script, an event handler or a ``javascript:`` URL from content.

Runs are derandomized (a fixed seed per test, no example database), so CI sees exactly the
same inputs every time; ``max_examples`` is kept modest so the suite stays fast.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, MINIMAL_SITE, TODAY, write_content
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

REGIONS = ["eea", "uk", "california", "prc"]

# Text of any kind: every Unicode category except lone surrogates, which no file can hold.
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
line = text.map(lambda s: s.replace("\n", " ").replace("\r", " "))

#: Markup an attacker or a careless paste might put in a policy.
HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<svg onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<div style="color:red" onmouseover="alert(1)">hover</div>',
    "<style>body { display: none }</style>",
    '" onmouseover="alert(1)',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "![pixel](https://tracker.example/p.gif)",
    "{onclick=alert(1)}",
    "{#x onclick=alert(1) .c style=color:red}",
    "## Heading {onclick=alert(1)}",
    "[x](https://example.com){onclick=alert(1)}",
    "<!-- <script>alert(1)</script> -->",
    "```html\n<script>alert(1)</script>\n```",
    "<details open ontoggle=alert(1)>",
    '[x](#top" onclick="alert(1))',
    "<a href=//evil.example>x</a>",
]

region_id = st.one_of(st.sampled_from(REGIONS), st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), line)
region_open = st.lists(region_id, min_size=0, max_size=3).map(lambda ids: "::: region " + " ".join(ids))
heading = st.tuples(st.integers(1, 6), line, st.one_of(st.just(""), line.map(lambda s: " {#" + s + "}"))).map(
    lambda t: "#" * t[0] + " " + t[1] + t[2]
)
link = st.tuples(line, st.one_of(line, st.sampled_from(["/en/privacy/", "#contact", "https://example.com/a b"]))).map(
    lambda t: f"[{t[0]}]({t[1]})"
)
piece = st.one_of(
    st.sampled_from(HOSTILE),
    heading,
    region_open,
    st.just(":::"),
    text,
    link,
    st.sampled_from(["Term\n: Definition", "Text[^1]\n\n[^1]: Note", "| a | b |\n|---|---|\n| 1 | 2 |", "> quote"]),
    st.sampled_from(["- item", "1. item", "***", "    code", "<div>", "</div>", "{#anchor}", "\\", "`"]),
)
#: Pieces that keep the text loadable more often, so the rendering test renders: region
#: blocks are balanced, and hostile markup is one choice among many.
inner_piece = st.one_of(
    text,
    heading,
    st.sampled_from(HOSTILE),
    st.sampled_from(["Term\n: Definition", "Text[^1]\n\n[^1]: Note", "| a | b |\n|---|---|\n| 1 | 2 |", "> quote"]),
)
region_block = st.tuples(
    st.sampled_from(["::: region eea uk", "::: region california", "::: region prc", "::: region uk"]),
    st.lists(inner_piece, max_size=3),
).map(lambda t: t[0] + "\n\n" + "\n\n".join(t[1]) + "\n\n:::")
render_markdown = st.lists(st.one_of(inner_piece, region_block), max_size=8).map("\n\n".join)
markdown = st.lists(piece, max_size=12).flatmap(
    lambda parts: st.sampled_from(["\n\n", "\n"]).map(lambda j: j.join(parts))
)

yaml_scalar = st.one_of(
    line,
    st.sampled_from(
        [
            "",
            "true",
            "false",
            "yes",
            "null",
            "~",
            "[unclosed",
            "{a: b}",
            "'quoted'",
            '"dq',
            "- a",
            "&a",
            "*a",
            "!!python/object:os.system",
            "1e999",
            "2024-01-01",
        ]
    ),
)
front_line = st.one_of(
    st.tuples(st.sampled_from(["title", "summary", "material", "draft", "Title", "extra"]), yaml_scalar).map(
        lambda kv: f"{kv[0]}: {kv[1]}"
    ),
    line,
)
front_matter = st.lists(front_line, max_size=5).map("\n".join)
document = st.one_of(
    st.tuples(front_matter, markdown).map(lambda t: f"---\n{t[0]}\n---\n{t[1]}"),
    markdown,  # no front matter at all
    st.tuples(front_matter, markdown).map(lambda t: f"---\n{t[0]}\n{t[1]}"),  # never closed
)


def _safe_name(name: str) -> bool:
    return name not in (".", "..") and len(name.encode()) <= 200


# Any name a file system allows: no slash, no NUL.
name_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"), min_size=1, max_size=30)
date_part = st.one_of(
    st.dates().map(lambda d: d.isoformat()), st.sampled_from(["2024-02-30", "2024-1-1", "0000-00-00"])
)
locale_part = st.sampled_from(["en", "EN", "fr", "zh-Hans", "x", "en-", ""])
file_name = st.one_of(
    st.tuples(date_part, locale_part, st.sampled_from([".md", ".MD", ".markdown", ""])).map(
        lambda t: f"{t[0]}.{t[1]}{t[2]}"
    ),
    name_text.filter(_safe_name),
)
folder_name = st.one_of(
    st.sampled_from(["privacy", "cookies", "changes", "compare", "api", "Privacy"]), name_text.filter(_safe_name)
)

VALID_FIRST = "policies/privacy/2024-01-01.en.md"


@pytest.fixture(scope="module")
def app():
    """One app for every example: each loads its content the way the preview reloads it."""
    from policypress import create_app

    app = create_app({"CONTENT_DIR": EXAMPLE, "TODAY": TODAY, "TESTING": True})
    yield app


def load(app, files: dict[str, str], site: str = MINIMAL_SITE):  # type: ignore[no-untyped-def]
    """Write ``files`` into a fresh content folder and load it into ``app``; return the
    ContentError when the content is refused, None when it loaded."""
    from policypress import Publication
    from policypress.errors import ContentError

    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        write_content(root, files, site=site)
        app.config["CONTENT_DIR"] = root
        try:
            app.extensions["policypress"] = Publication(app)
        except ContentError as error:
            return error
        return None
    finally:
        shutil.rmtree(root)


def assert_clean(error) -> None:  # type: ignore[no-untyped-def]
    assert error.problems
    for problem in error.problems:
        assert problem.path and problem.message.strip(), problem
        assert problem.line is None or problem.line >= 1, problem
        assert "Traceback" not in str(problem)


#: What a browser would run: a script element, an on* attribute, a javascript:/vbscript: URL.
SCHEMES = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
OWN_SCRIPT = re.compile(r"^/assets/[a-z]+(\.min)?\.[0-9a-f]{12}\.js$")


def assert_harmless(url: str, html: str) -> None:
    tree = LexborHTMLParser(html)
    for script in tree.css("script"):
        assert OWN_SCRIPT.match(script.attributes.get("src") or ""), (url, script.html)
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            assert not name.lower().startswith("on"), (url, node.html)
            # Browsers drop ASCII tabs, newlines and controls from URLs before reading the scheme.
            squeezed = "".join(ch for ch in (value or "") if ch > " " and ch not in "\x7f").lower()
            assert not SCHEMES.match(squeezed), (url, name, value)
    assert not tree.css("iframe, object, embed, style, img[src^=http], svg[onload]"), url


def rendered_urls(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Every page and fragment the loaded content gives (not the assets and host files)."""
    from flask import url_for
    from policypress.views import other_urls, page_urls

    with app.test_request_context():
        urls = [url_for(endpoint, **values) for endpoint, values in [*page_urls(), *other_urls()]]
    return [u for u in urls if not u.startswith("/assets/") and u not in ("/_headers", "/.nojekyll", "/robots.txt")]


@settings(FUZZ, max_examples=100)
@given(
    first=document,
    others=st.lists(st.tuples(folder_name, file_name, document), max_size=3),
)
def test_any_content_loads_or_fails_with_located_problems(app, first, others) -> None:
    files = {VALID_FIRST: first}
    for folder, name, body in others:
        files[f"policies/{folder}/{name}"] = body
    error = load(app, files)
    event("refused" if error else "loaded")
    if error is not None:
        assert_clean(error)


@settings(FUZZ, max_examples=60)
@given(
    title=st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=30).filter(str.strip),
    body=render_markdown,
    later=render_markdown,
    page=render_markdown,
)
def test_rendered_pages_never_carry_script_from_content(app, title, body, later, page) -> None:
    title_yaml = "'" + title.replace("'", "''") + "'"
    files = {
        VALID_FIRST: f"---\ntitle: {title_yaml}\n---\n{body}",
        "policies/privacy/2025-06-01.en.md": f"---\ntitle: {title_yaml}\nsummary: {title_yaml}\n---\n{later}",
        "pages/do-not-sell.en.md": f"---\ntitle: {title_yaml}\n---\n{page}",
    }
    error = load(app, files, MINIMAL_SITE + "privacy_choices:\n  sells_or_shares: true\n")
    event("refused" if error else "rendered")
    if error is not None:
        assert_clean(error)
        event("first problem: " + error.problems[0].message[:40])
        return
    client = app.test_client()
    urls = rendered_urls(app)
    assert "/en/privacy/" in urls and "/en/do-not-sell/" in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.mimetype == "text/html":
            assert_harmless(url, response.get_data(as_text=True))
        else:
            assert "<script" not in response.get_data(as_text=True).lower() or response.mimetype.endswith("xml"), url


def test_hostile_markup_is_shown_as_text_or_refused(app) -> None:
    """Not left to chance: every hostile snippet, one at a time, is escaped or refused."""
    outcomes = {}
    for snippet in HOSTILE:
        error = load(app, {VALID_FIRST: f"---\ntitle: Privacy\n---\n## Section\n\n{snippet}\n"})
        if error is not None:
            assert_clean(error)
            outcomes[snippet] = "refused: " + error.problems[0].message
            continue
        html = app.test_client().get("/en/privacy/").get_data(as_text=True)
        assert_harmless("/en/privacy/", html)
        outcomes[snippet] = "escaped"
    assert outcomes["<script>alert(1)</script>"] == "escaped"
    assert outcomes["[click](javascript:alert(1))"].startswith("refused: unsafe link")
    assert outcomes["![pixel](https://tracker.example/p.gif)"].startswith("refused: images are not supported")


@settings(FUZZ, max_examples=60)
@given(parts=st.lists(st.one_of(region_open, st.just(":::"), st.just("Text."), heading), max_size=10))
def test_region_markers_in_any_arrangement_load_or_fail_cleanly(app, parts) -> None:
    error = load(app, {VALID_FIRST: "---\ntitle: Privacy\n---\n" + "\n\n".join(parts) + "\n"})
    if error is not None:
        assert_clean(error)
