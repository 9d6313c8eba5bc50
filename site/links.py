"""Check that links inside the content point at pages, files and anchors that exist.

Editors write links to other parts of the site from the site root, the way
they appear in the address bar: ``/en/privacy/#contact``.  A link to a
heading of the same document is just ``#contact``.  A link is checked against
the site as it will be when its document is in force: a page of a policy whose
first version is still to come exists from that version's date on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlsplit

from .diff import compared_versions
from .errors import Problems
from .loader import DATED
from .model import GPC_FILE, SITE_FILES, Document, Policy, Site, Version
from .render import scheme_of
from .rendered import Rendered

if TYPE_CHECKING:
    from .library import Library
    from .siteconfig import SiteConfig

HINT = "internal links are written from the site root, such as /en/privacy/ or /en/privacy/#contact"

#: Files every site writes that a reader may be sent to (not the host's own; the GPC file only on some sites).
READER_FILES = SITE_FILES - {"_headers", ".nojekyll", GPC_FILE}


class NotYet(Exception):
    """The page of a policy whose first version takes effect after the linking document does."""

    def __init__(self, policy: Policy, first: Version) -> None:
        super().__init__(policy.slug)
        self.policy = policy
        self.first = first


def internal_anchors(library: Library, path: str, when: date, compare_limit: int) -> frozenset[str] | None:
    """Anchors on the page at ``path`` as it is on ``when``, no anchors for another file the site writes, or
    None when the site has no such page or file; raises :class:`NotYet` for a policy's page before it exists.

    ``compare_limit`` is the number of versions up to which every pair of a policy is compared.
    """
    parts = [p for p in path.split("/") if p]
    if not path.endswith("/") or not parts:
        if path == "/":
            return frozenset()
        return frozenset() if _is_file(library, parts) else None
    site = library.site
    if site.public_file("/".join([*parts, "index.html"])) is not None:
        return frozenset()  # a public folder's page, which a static host serves at the folder's URL
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
    published = policy.published() if policy else ()
    if policy is None or not published:
        return None
    if len(parts) >= 3 and parts[2] in ("changes", "compare"):
        return _history_page(policy, parts[2:], when, compare_limit)
    if len(parts) == 3 and parts[2] not in site.config.region_ids:
        version = policy.version(parts[2])
        return library.show(version, locale).rendered.anchors if version else None
    if len(parts) > 3:
        return None
    # The policy's own page and its region views show the version in force.
    version = policy.current(when)
    if version is None:
        raise NotYet(policy, published[0])
    rendered = library.show(version, locale).rendered
    if len(parts) == 3:
        # A region view holds only the headings of the general text and that region's blocks.
        return frozenset(h.id for h in rendered.headings if not h.regions or parts[2] in h.regions)
    return rendered.anchors


def _history_page(policy: Policy, parts: list[str], when: date, compare_limit: int) -> frozenset[str] | None:
    """The changelog (``changes/``), the list of comparisons (``compare/``) or one comparison
    (``compare/<older>/<newer>/``), which hold no anchors an editor gives; None when there is no such page."""
    published = policy.published()
    if parts == ["changes"]:
        return frozenset()
    if parts == ["compare"]:
        return frozenset() if len(published) > 1 else None
    if len(parts) != 3:
        return None
    pair = (policy.version(parts[1]), policy.version(parts[2]))
    return frozenset() if pair in compared_versions(policy, when, compare_limit) else None


def _on_this_site(library: Library, href: str) -> str | None:
    """``href``, a full address of a page of this site (its ``base_url``), as written from the site root
    (``https://privacy.example.com/en/privacy/#contact`` is ``/en/privacy/#contact``); None for another site."""
    config = library.site.config
    parts, site = urlsplit(href), urlsplit(config.origin)
    if parts.scheme not in ("https", "http", "") or not parts.netloc:  # "" is //host/..., on the page's scheme
        return None
    try:
        port = parts.port
    except ValueError:  # a port that is no number: not an address of this site
        return None
    if parts.hostname != site.hostname or port not in (None, 443 if parts.scheme != "http" else 80):
        return None
    path = parts.path or "/"
    if config.base_path and not (path + "/").startswith(config.base_path + "/"):
        return None
    inside = path[len(config.base_path) :] or "/"
    return inside + (f"#{parts.fragment}" if parts.fragment else "")


def _is_file(library: Library, parts: list[str]) -> bool:
    """Whether the site writes a file (not a page) at the path of ``parts``: a feed, the JSON of a policy's
    versions, the sitemap, a file of ``content/public/``."""
    site = library.site
    name = "/".join(parts)
    if name in READER_FILES or site.public_file(name) is not None:
        return True
    if name == GPC_FILE:
        return site.config.privacy_choices is not None
    policy = site.policy(parts[1]) if len(parts) == 3 else None
    if policy is None or not policy.published():
        return False
    if parts[0] == "api":
        return parts[2] == "versions.json"
    return parts[2] == "feed.xml" and parts[0] in {locale.slug for locale in site.config.locales}


def check_links(library: Library, problems: Problems, compare_limit: int) -> None:
    """Report every internal link or anchor in the content that leads nowhere (``compare_limit``: see
    :func:`internal_anchors`)."""
    versions = {d.path: (p, v) for p in library.site.policies for v in p.versions for d in v.documents}
    for document in library.documents():
        policy, version = versions.get(document.path, (None, None))
        # A page (not a policy) is in force from today on, and so is a version already in force.
        when = max(library.today, version.effective) if version is not None else library.today
        rendered = library.rendered(document)
        # Links to what a draft's publication makes are left alone (see _made_by).
        made = _made_by(policy, version, rendered.anchors, library.site.config) if document.draft and version else None
        _check_links_of(library, document, rendered, problems, when, compare_limit, made)
    for document, rendered in library.unloaded:
        dated = DATED.match(document.path.name)
        when = max(library.today, date.fromisoformat(dated[1])) if dated else library.today
        own = _into_own_pages(document, library.site)
        _check_links_of(library, document, rendered, problems, when, compare_limit, own)


def _check_links_of(
    library: Library,
    document: Document,
    rendered: Rendered,
    problems: Problems,
    when: date,
    compare_limit: int,
    unchecked: Callable[[SplitResult], bool] | None,
) -> None:
    """Report ``document``'s links that lead nowhere, leaving alone those ``unchecked`` says to: errors, or
    warnings in a draft (it is not published, so its broken links break nothing yet: to fix before it is)."""
    for link in rendered.links:
        found = link_problem(library, link.href, when, compare_limit, rendered.anchors, unchecked)
        if found is None:
            continue
        if not document.draft:
            problems.add(document.path, link.line, *found)
            continue
        message, hint = found
        problems.warn(
            document.path,
            link.line,
            f"{message} (in a draft)",
            f"{hint}; readers would meet it once the draft is published",
            code="draft-link",
        )


def _into_own_pages(document: Document, site: Site) -> Callable[[SplitResult], bool]:
    """Whether a link leads to a page of the policy (or the page) that ``document``, a file whose front matter
    has errors, belongs to: what is there depends on that file, which the site leaves out until it is fixed."""
    folder = document.path.parent
    slug = folder.name if folder.parent == site.root / "policies" else document.path.name.split(".", 1)[0]
    prefixes = {locale.slug for locale in site.config.locales} | {"api"}

    def own(parts: SplitResult) -> bool:
        segments = parts.path.strip("/").split("/")
        return len(segments) >= 2 and segments[0] in prefixes and segments[1] == slug

    return own


def _made_by(
    policy: Policy, version: Version, anchors: frozenset[str], site: SiteConfig
) -> Callable[[SplitResult], bool]:
    """Whether a link leads to what publishing a draft ``version`` of ``policy`` (with ``anchors``) makes: its
    dated page or a region view of it, a comparison with it, or one of its headings on the policy's page (or a
    region view of that)."""
    slug = version.slug
    locales = frozenset(locale.slug for locale in site.locales)
    views = ([], *([region] for region in site.region_ids))

    def made(parts: SplitResult) -> bool:
        segments = parts.path.strip("/").split("/")
        if len(segments) < 2 or segments[0] not in locales or segments[1] != policy.slug:
            return False
        rest = segments[2:]
        if rest[:1] == ["compare"]:
            return slug in rest[1:3]
        if rest[:1] == [slug]:
            return rest[1:] in views and (not parts.fragment or parts.fragment in anchors)
        return rest in views and parts.fragment in anchors

    return made


def check_footer_links(library: Library, problems: Problems, compare_limit: int) -> None:
    """Report every footer link of ``site.yaml`` to a page or file of this site that does not exist: every page
    shows them, from today on."""
    config = library.site.config
    path = library.site.root / "site.yaml"
    for link in config.footer_links:
        for url, line in link.written_urls:
            found = link_problem(library, url, library.today, compare_limit, frozenset())
            if found is not None:
                problems.add(path, line, f"footer link: {found[0]}", found[1])


def link_problem(
    library: Library,
    href: str,
    when: date,
    compare_limit: int,
    own_anchors: frozenset[str],
    unchecked: Callable[[SplitResult], bool] | None = None,
) -> tuple[str, str] | None:
    """What is wrong with a link to ``href`` on a page in force on ``when`` (``own_anchors``: the ids of
    the page it is on), and how to mend it; None when it leads somewhere, or to another site."""
    written = href
    if scheme_of(href) or href.startswith("//"):
        own = _on_this_site(library, href)
        if own is None:
            return None  # another site's page: not ours to check
        href = own
    parts = urlsplit(href)
    if unchecked is not None and unchecked(parts):
        return None
    # Messages name the link as written: a full address's path is not what the editor typed.
    shown = parts.path if href == written else written
    if parts.path and not parts.path.startswith("/"):
        return f"relative link {written!r}", HINT
    try:
        anchors = own_anchors if not parts.path else internal_anchors(library, parts.path, when, compare_limit)
    except NotYet as early:
        archive = f"{parts.path.rstrip('/')}/{early.first.slug}/"
        if parts.path.count("/") > 3:  # a region view: the version's page is the policy's path and its date
            archive = "/" + "/".join([*parts.path.strip("/").split("/")[:2], early.first.slug]) + "/"
        return (
            f"broken link: {shown!r} has no page until {early.first.slug}, when the first version of "
            f"policy {early.policy.slug!r} takes effect",
            f"link to that version's own page, {archive!r}, until then",
        )
    if anchors is None:
        hint = HINT
        if not parts.path.endswith("/"):
            try:
                slashed = internal_anchors(library, parts.path + "/", when, compare_limit)
            except NotYet:
                slashed = frozenset()
            if slashed is not None:
                hint = f"write {parts.path + '/'!r}: page addresses end with a slash"
        return f"broken link: no page at {shown!r}", hint
    if parts.fragment and parts.fragment not in anchors:
        where = (shown.split("#")[0] if href != written else parts.path) or "this document"
        return (
            f"broken link: no heading with id #{parts.fragment} in {where}",
            "link to an existing heading id, or give the heading an id with {#id} on the line above it",
        )
    return None
