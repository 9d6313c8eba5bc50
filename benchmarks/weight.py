"""What a visitor downloads for one policy page: HTML, CSS and JS, gzip-compressed.

The page measured is the largest current-policy page in the build
(``/<locale>/<policy>/index.html``); its stylesheets and scripts are found by
parsing the HTML, so whatever the templates link is counted.
"""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit


class _Assets(HTMLParser):
    """Collect the same-origin CSS and JS a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and "stylesheet" in (found.get("rel") or "").split() and found.get("href"):
            self.css.append(str(found["href"]))
        elif tag == "script" and found.get("src"):
            self.js.append(str(found["src"]))


def gzipped(data: bytes) -> int:
    """Size after gzip at level 9 with a fixed timestamp, as a CDN would send it."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def largest_policy_page(build: Path) -> Path:
    pages = [p for p in build.glob("*/*/index.html") if p.parent.parent.parent == build]
    if not pages:
        raise FileNotFoundError(f"no /<locale>/<policy>/index.html in {build}")
    return max(pages, key=lambda p: (p.stat().st_size, str(p)))


def page_weight(build: Path) -> dict[str, object]:
    """Raw and gzip sizes of the largest policy page and everything it loads."""
    page = largest_policy_page(build)
    html = page.read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))

    def files(urls: list[str]) -> list[bytes]:
        return [(build / urlsplit(url).path.lstrip("/")).read_bytes() for url in urls]

    css, js = files(parser.css), files(parser.js)
    sizes = {
        "html_bytes": len(html),
        "html_gzip": gzipped(html),
        "css_bytes": sum(map(len, css)),
        "css_gzip": sum(map(gzipped, css)),
        "js_bytes": sum(map(len, js)),
        "js_gzip": sum(map(gzipped, js)),
    }
    total = sizes["html_gzip"] + sizes["css_gzip"] + sizes["js_gzip"]
    return {"page": "/" + str(page.parent.relative_to(build)) + "/", **sizes, "total_gzip": total}
