"""Check that links inside the content point at pages and anchors that exist.

Editors write links to other parts of the site from the site root, the way
they appear in the address bar: ``/en/privacy/#contact``.  A link to a
heading of the same document is just ``#contact``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .errors import Problems
from .model import Document
from .render import scheme_of
from .rendered import Rendered

if TYPE_CHECKING:
    from .library import Library

HINT = "internal links are written from the site root, such as /en/privacy/ or /en/privacy/#contact"


def internal_anchors(library: Library, path: str) -> frozenset[str] | None:
    """Anchors on the page at ``path``, or None when no such page exists."""
    parts = [p for p in path.split("/") if p]
    if not path.endswith("/") or not parts:
        return frozenset() if path == "/" else None
    site = library.site
    locales = {locale.slug: locale.tag for locale in site.config.locales}
    locale = locales.get(parts[0])
    if locale is None:
        return None
    if len(parts) == 1:
        return frozenset()
    page = site.page(parts[1])
    if page is not None and len(parts) == 2:
        document = page.document(locale) or page.document(site.config.default_locale)
        return library.rendered(document).anchors if document else None
    policy = site.policy(parts[1])
    if policy is None:
        return None
    version = policy.current(library.today) or (policy.published() or (None,))[-1]
    region = None
    if len(parts) == 3:
        if parts[2] == "changes":
            return frozenset()
        if parts[2] in site.config.region_ids:
            region = parts[2]
        else:
            version = policy.version(parts[2])
    elif len(parts) != 2:
        return None
    if version is None:
        return None
    rendered = library.show(version, locale).rendered
    if region is not None:
        # A region view holds only the headings of the general text and that region's blocks.
        return frozenset(h.id for h in rendered.headings if not h.regions or region in h.regions)
    return rendered.anchors


def check_links(library: Library, problems: Problems) -> None:
    """Report every internal link or anchor in the content that leads nowhere."""
    for document in library.documents():
        if document.draft:
            continue
        _check_document(library, document, library.rendered(document), problems)


def _check_document(library: Library, document: Document, rendered: Rendered, problems: Problems) -> None:
    for link in rendered.links:
        if scheme_of(link.href) or link.href.startswith("//"):
            continue
        parts = urlsplit(link.href)
        if parts.path and not parts.path.startswith("/"):
            problems.add(document.path, link.line, f"relative link {link.href!r}", HINT)
            continue
        anchors = rendered.anchors if not parts.path else internal_anchors(library, parts.path)
        if anchors is None:
            hint = HINT
            if not parts.path.endswith("/") and internal_anchors(library, parts.path + "/") is not None:
                hint = f"write {parts.path + '/'!r}: page addresses end with a slash"
            problems.add(document.path, link.line, f"broken link: no page at {parts.path!r}", hint)
        elif parts.fragment and parts.fragment not in anchors:
            where = parts.path or "this document"
            problems.add(
                document.path,
                link.line,
                f"broken link: no heading with id #{parts.fragment} in {where}",
                "link to an existing heading id, or give the heading an id with {#id} on the line above it",
            )
