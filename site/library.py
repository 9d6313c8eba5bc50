"""Stage 3b: the site as readers see it on one day, with every document rendered once.

A :class:`Library` pairs the immutable :class:`~policypress.model.Site` with
the build date and a cache of rendered documents keyed by content hash, so a
version shown on ten pages is parsed once.  Views reach it through
:func:`policypress.get_library`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import Problems
from .links import check_links
from .model import Document, Policy, Site, Version
from .render import Rendered, Renderer
from .translation_status import check_structure


@dataclass(frozen=True)
class Shown:
    """The document a reader of ``locale`` gets for a version, and whether it is a fallback."""

    version: Version
    document: Document
    rendered: Rendered
    requested_locale: str

    @property
    def is_fallback(self) -> bool:
        return self.document.locale != self.requested_locale


class Library:
    """Every rendered document of a site, and the questions views ask of it."""

    def __init__(self, site: Site, today: date, problems: Problems, renderer: Renderer | None = None) -> None:
        self.site = site
        self.today = today
        self.renderer = renderer or Renderer(site.config.region_ids)
        self._rendered: dict[str, Rendered] = {}
        for document in self.documents():
            self.rendered(document, problems)
        check_links(self, problems)
        check_structure(self, problems)

    def documents(self) -> list[Document]:
        """Every source document, published or not, policies first."""
        found = [d for policy in self.site.policies for v in policy.versions for d in v.documents]
        return found + [d for page in self.site.pages for d in page.documents]

    def rendered(self, document: Document, problems: Problems | None = None) -> Rendered:
        """Render ``document`` once; later calls return the cached result."""
        cached = self._rendered.get(document.sha256)
        if cached is None:
            cached = self.renderer.render(document, problems or Problems(self.site.root))
            self._rendered[document.sha256] = cached
        return cached

    def current_policies(self) -> list[tuple[Policy, Version]]:
        """Policies that have a version in force today, with that version."""
        found = []
        for policy in self.site.policies:
            current = policy.current(self.today)
            if current is not None:
                found.append((policy, current))
        return found

    def show(self, version: Version, locale: str) -> Shown:
        """The text of ``version`` for a reader of ``locale``: translated, or the original."""
        document = version.document(locale) or version.original
        if document.draft:
            document = version.original
        return Shown(version, document, self.rendered(document), locale)
