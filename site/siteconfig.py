"""The typed, immutable model of a site's settings: what ``site.yaml`` says, validated (see :mod:`~policypress.config`).

Part of the model (:mod:`~policypress.model` holds the content): frozen dataclasses that know nothing of
Flask, YAML or Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


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
    #: Each address written for the link, with its line in ``site.yaml``: what the link check reads.
    written_urls: tuple[tuple[str, int | None], ...] = field(default=(), compare=False)

    def label_in(self, locale: str) -> str:
        return next((label for tag, label, _url in self.translations if tag == locale), self.label)

    def url_in(self, locale: str) -> str:
        return next((url for tag, _label, url in self.translations if tag == locale), self.url)

    def href_in(self, locale: str, base_path: str) -> str:
        """The link's address on a page in ``locale``: a path on this site is under the site's ``base_path``."""
        url = self.url_in(locale)
        return base_path + url if url.startswith("/") else url


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
    translation_outdated: str = "warn"


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
    #: The settings ``site.yaml`` gives with errors, defaults standing in for them (see
    #: :func:`~policypress.config.load_config`): the content's checks that depend on them are skipped.
    #: Such a config is only checked against, never published.
    unread: frozenset[str] = frozenset()

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
