"""The typed, immutable model of a site: what the loader produces.

Everything here is a frozen dataclass and knows nothing of Flask or Markdown
rendering.  Dates decide which version is current, so every question about
"now" takes ``today`` as an argument instead of reading the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .siteconfig import SiteConfig

#: Words a region id or policy folder may never be, because they name other pages.
RESERVED_SLUGS = frozenset(
    {"changes", "compare", "content", "feed", "versions", "static", "api", "index", "do-not-sell"}
)
#: Files and folders the site writes at its top level: a file of content/public/ may not take their place.
#: The Global Privacy Control file, written when site.yaml says what the site sells or shares.
GPC_FILE = ".well-known/gpc.json"
SITE_FILES = frozenset({"index.html", "404.html", "sitemap.xml", "robots.txt", "_headers", ".nojekyll", GPC_FILE})
SITE_FOLDERS = frozenset({"assets", "api"})  # and one per locale
#: What a region id or policy folder may be, since it becomes part of URLs.
SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
#: The schemes a link may use (in the text and the footer); a link without one leads within this site.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@dataclass(frozen=True)
class Document:
    """One Markdown source file in one locale: its front matter and its text."""

    path: Path
    locale: str
    title: str
    source: str
    sha256: str
    summary: str = ""
    material: bool | None = None  # None: the file does not say
    draft: bool = False


@dataclass(frozen=True)
class Version:
    """One dated version of a policy, with its text in one or more locales."""

    policy: str
    effective: date
    documents: tuple[Document, ...]
    default_locale: str

    @property
    def original(self) -> Document:
        """The document in the site's default locale, which every version has."""
        return self.document(self.default_locale)  # type: ignore[return-value]

    def document(self, locale: str) -> Document | None:
        """Return the text in ``locale``, or None when it is not translated."""
        for document in self.documents:
            if document.locale == locale:
                return document
        return None

    @property
    def draft(self) -> bool:
        return self.original.draft

    @property
    def material(self) -> bool:
        return bool(self.original.material)

    @property
    def summary(self) -> str:
        return self.original.summary

    @property
    def title(self) -> str:
        return self.original.title

    @property
    def slug(self) -> str:
        """The version's part of its stable URL: the effective date."""
        return self.effective.isoformat()


@dataclass(frozen=True)
class Policy:
    """A policy and all of its versions, oldest first, drafts included."""

    slug: str
    versions: tuple[Version, ...]

    def published(self) -> tuple[Version, ...]:
        """Every version that is not a draft, past and upcoming, oldest first."""
        return tuple(v for v in self.versions if not v.draft)

    def current(self, today: date) -> Version | None:
        """The latest published version in force on ``today``."""
        in_force = [v for v in self.published() if v.effective <= today]
        return in_force[-1] if in_force else None

    def upcoming(self, today: date) -> tuple[Version, ...]:
        """Published versions that take effect after ``today``, soonest first."""
        return tuple(v for v in self.published() if v.effective > today)

    def version(self, slug: str) -> Version | None:
        """Return the published version whose URL slug (its date) is ``slug``."""
        for version in self.published():
            if version.slug == slug:
                return version
        return None

    def previous(self, version: Version) -> Version | None:
        """The published version before ``version``, if any."""
        published = self.published()
        index = published.index(version)
        return published[index - 1] if index > 0 else None

    def following(self, version: Version) -> Version | None:
        """The published version after ``version``, if any."""
        published = self.published()
        index = published.index(version)
        return published[index + 1] if index + 1 < len(published) else None

    def status(self, version: Version, today: date) -> str:
        """Where ``version`` stands on ``today``: "past", "current" or "upcoming"."""
        if version.effective > today:
            return "upcoming"
        return "current" if version == self.current(today) else "past"

    def in_force_until(self, version: Version) -> date | None:
        """The last day ``version`` is in force: the day before the next version (None: no end yet)."""
        following = self.following(version)
        return following.effective - timedelta(days=1) if following else None

    @property
    def title(self) -> str:
        return self.versions[-1].title


@dataclass(frozen=True)
class Page:
    """An unversioned page, such as the Do Not Sell page, in one or more locales."""

    slug: str
    documents: tuple[Document, ...]

    def document(self, locale: str) -> Document | None:
        for document in self.documents:
            if document.locale == locale:
                return document
        return None


@dataclass(frozen=True)
class PublicFile:
    """A file of ``content/public/``, published as it is at its path there."""

    name: str  # its path in content/public/, which is its URL
    data: bytes


@dataclass(frozen=True)
class Site:
    """The whole validated content folder."""

    root: Path
    config: SiteConfig
    policies: tuple[Policy, ...]
    pages: tuple[Page, ...] = field(default=())
    #: The files of ``content/public/`` (security.txt, a host's verification file).
    public: tuple[PublicFile, ...] = field(default=())
    #: The files whose front matter has errors (so none of the above), with their text: ``check`` reports the
    #: text's own problems too, so that fixing the front matter does not bring up new ones.  Nothing publishes them.
    unloaded: tuple[Document, ...] = field(default=())

    def policy(self, slug: str) -> Policy | None:
        for policy in self.policies:
            if policy.slug == slug:
                return policy
        return None

    def public_file(self, name: str) -> PublicFile | None:
        return next((found for found in self.public if found.name == name), None)

    def page(self, slug: str) -> Page | None:
        for page in self.pages:
            if page.slug == slug:
                return page
        return None
