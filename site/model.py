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

#: Words a region id or policy folder may never be, because they name other pages.
RESERVED_SLUGS = frozenset(
    {"changes", "compare", "content", "feed", "versions", "static", "api", "index", "do-not-sell"}
)
#: Files and folders the site writes at its top level: a file of content/public/ may not take their place.
SITE_FILES = frozenset(
    {"index.html", "404.html", "sitemap.xml", "robots.txt", "_headers", ".nojekyll", ".well-known/gpc.json"}
)
SITE_FOLDERS = frozenset({"assets", "api"})  # and one per locale
#: What a region id or policy folder may be, since it becomes part of URLs.
SLUG = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Region:
    """A jurisdiction whose blocks a reader can choose to see."""

    id: str
    name: str
    law: str
    #: ``(locale tag, name, law)`` for each locale ``site.yaml`` translates the region into.
    translations: tuple[tuple[str, str, str], ...] = ()

    def name_in(self, locale: str) -> str:
        """The region's name for readers of ``locale`` (the original name when untranslated)."""
        return next((name for tag, name, _law in self.translations if tag == locale), self.name)

    def law_in(self, locale: str) -> str:
        """The law's name for readers of ``locale`` ("RGPD" for GDPR in French)."""
        return next((law for tag, _name, law in self.translations if tag == locale), self.law)


@dataclass(frozen=True)
class Locale:
    """A language the site is published in, as a BCP 47 tag."""

    tag: str  # "zh-Hans"
    name: str  # the language in its own name: "中文（简体）"
    direction: str  # "ltr" or "rtl"

    @property
    def slug(self) -> str:
        """The lowercase form used in URLs: ``zh-hans``."""
        return self.tag.lower()

    @property
    def babel_id(self) -> str:
        """The identifier Babel expects: ``zh_Hans``."""
        return self.tag.replace("-", "_")


@dataclass(frozen=True)
class Organisation:
    """Who publishes the policies, as shown in every page's header and footer."""

    name: str
    legal_name: str
    email: str
    address: str


@dataclass(frozen=True)
class FooterLink:
    """An extra link in every page's footer."""

    label: str
    url: str
    #: ``(locale tag, label, url)`` for each locale ``site.yaml`` translates the link into.
    translations: tuple[tuple[str, str, str], ...] = ()

    def label_in(self, locale: str) -> str:
        return next((label for tag, label, _url in self.translations if tag == locale), self.label)

    def url_in(self, locale: str) -> str:
        return next((url for tag, _label, url in self.translations if tag == locale), self.url)


@dataclass(frozen=True)
class PrivacyChoices:
    """What ``site.yaml`` says about selling or sharing personal information.

    Drives the Do Not Sell or Share page, its footer link, the opt-out control
    and ``/.well-known/gpc.json``.
    """

    sells_or_shares: bool
    link_label: str = "do-not-sell"  # or "your-privacy-choices"
    cookie_name: str = "policypress_optout"
    cookie_days: int = 395
    cookie_domain: str | None = None  # None: the cookie belongs to the site's own host
    usprivacy: bool = False
    request_form: bool = True
    request_endpoint: str | None = None  # None: the form falls back to mailto:
    gpc_last_update: date | None = None

    @property
    def control(self) -> bool:
        """True when the site shows the opt-out control and the footer link."""
        return self.sells_or_shares

    @property
    def form(self) -> bool:
        """True when the page carries the identity-tied request form."""
        return self.sells_or_shares and self.request_form

    @property
    def form_endpoints(self) -> tuple[str, ...]:
        """Where the request form may submit to, as CSP ``form-action`` sources (which match no query string:
        browsers ignore a source that has one, and warn on every page)."""
        if not self.form:
            return ()
        return (self.request_endpoint.split("?", 1)[0],) if self.request_endpoint else ("mailto:",)


@dataclass(frozen=True)
class Lints:
    """How ``check`` treats each compliance lint: "error", "warn" or "off" (see docs/lints.md)."""

    stale_policy: str = "warn"
    check_regularly: str = "error"
    do_not_sell_link: str = "error"
    published_edited: str = "error"
    material_unset: str = "error"


@dataclass(frozen=True)
class SiteConfig:
    """Everything ``site.yaml`` says."""

    organisation: Organisation
    base_url: str
    default_locale: str
    locales: tuple[Locale, ...]
    regions: tuple[Region, ...]
    footer_links: tuple[FooterLink, ...] = ()
    #: The locale whose text prevails in case of conflict, if ``site.yaml`` names one.
    binding_locale: str | None = None
    privacy_choices: PrivacyChoices | None = None  # None: site.yaml says nothing about selling
    lints: Lints = field(default_factory=Lints)

    @property
    def origin(self) -> str:
        """``https://host`` of ``base_url``: what URLs the app makes (which start with the base path) follow."""
        scheme, _, rest = self.base_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @property
    def base_path(self) -> str:
        """The path the site is served under (``/policies``), or ``""`` at the root of its host."""
        return self.base_url[len(self.origin) :]

    @property
    def form_endpoints(self) -> tuple[str, ...]:
        """Other places forms on this site may submit to (CSP ``form-action``)."""
        return self.privacy_choices.form_endpoints if self.privacy_choices else ()

    def locale(self, tag: str) -> Locale:
        """Return the locale with this tag (any case)."""
        for locale in self.locales:
            if locale.tag.lower() == tag.lower():
                return locale
        raise KeyError(tag)

    def region(self, region_id: str) -> Region:
        """Return the region with this id."""
        for region in self.regions:
            if region.id == region_id:
                return region
        raise KeyError(region_id)

    @property
    def region_ids(self) -> tuple[str, ...]:
        return tuple(region.id for region in self.regions)


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
