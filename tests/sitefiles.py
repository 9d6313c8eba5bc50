"""Helpers for the trust gates: find the pages and fragments of a frozen site, and read
its ``_headers`` file the way Netlify and Cloudflare Pages do.

Pages are found by what they are, not by name: a file that starts with a doctype is a
page a reader lands on; any other ``.html`` file is a fragment htmx swaps into a page.
So every page a feature adds is covered without a list to keep up to date.
"""

from __future__ import annotations

from pathlib import Path

#: Files a static host reads for itself and never serves.
HOST_FILES = ("_headers", ".nojekyll")


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def is_page(path: Path) -> bool:
    """True for a whole HTML document, False for a fragment."""
    return path.read_bytes()[:15].lower() == b"<!doctype html>"


def pages(root: Path) -> list[Path]:
    """Every whole HTML page of a build."""
    return [path for path in html_files(root) if is_page(path)]


def fragments(root: Path) -> list[Path]:
    """Every HTML fragment of a build (``content.html`` and the like)."""
    return [path for path in html_files(root) if not is_page(path)]


def url_of(root: Path, path: Path) -> str:
    """The URL path a static host serves ``path`` at: ``en/privacy/index.html`` is ``/en/privacy/``."""
    relative = path.relative_to(root).as_posix()
    return "/" + relative.removesuffix("index.html")


def served_files(root: Path) -> list[Path]:
    """Every file of a build that a host serves to readers."""
    return [p for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).as_posix() not in HOST_FILES]


HeaderRules = list[tuple[str, list[tuple[str, str]]]]


def parse_headers_file(text: str) -> HeaderRules:
    """Read a ``_headers`` file into [(pattern, [(name, value), ...]), ...], in file order."""
    rules: HeaderRules = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t":
            name, colon, value = line.strip().partition(":")
            assert colon and rules, f"_headers:{number}: not a 'Name: value' line under a path: {line!r}"
            rules[-1][1].append((name.strip(), value.strip()))
        else:
            pattern = line.strip()
            # Netlify rejects anything after the splat; both hosts need the leading slash.
            assert pattern.startswith("/") and "*" not in pattern[:-1], f"_headers:{number}: bad pattern {pattern!r}"
            rules.append((pattern, []))
    return rules


def matches(pattern: str, path: str) -> bool:
    """Whether a ``_headers`` pattern applies to a URL path: a trailing ``*`` matches any rest."""
    if pattern.endswith("*"):
        return path.startswith(pattern[:-1])
    return path == pattern


def headers_for(rules: HeaderRules, path: str) -> dict[str, list[str]]:
    """Every header the hosts send for ``path``: all matching rules apply, and a header
    given by two of them is sent with both values joined (so each list should hold one)."""
    found: dict[str, list[str]] = {}
    for pattern, headers in rules:
        if matches(pattern, path):
            for name, value in headers:
                found.setdefault(name.lower(), []).append(value)
    return found


def csp_directives(policy: str) -> dict[str, str]:
    """A Content Security Policy as {directive: value}."""
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            assert name not in directives, f"directive {name} given twice"
            directives[name] = value.strip()
    return directives
