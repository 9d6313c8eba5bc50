"""Read and validate ``site.yaml`` into a :class:`~policypress.siteconfig.SiteConfig`.

The YAML is parsed into nodes first (:mod:`~policypress.yamlsource`), so
every error can name the line of the key it is about.  The schema is a set of pydantic models that reject unknown
keys, so a typo such as ``defualt_locale`` is reported, never ignored.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import babel
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .errors import Problems
from .model import LINK_SCHEMES, RESERVED_SLUGS, SLUG
from .siteconfig import FooterLink, Lints, Locale, Organisation, PrivacyChoices, Region, SiteConfig
from .yamlsource import Lines, line_for, parse_yaml, read_text, report_validation

DATE_LIKE = re.compile(r"^\d")
COOKIE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: Characters that end a source, or a directive, in a Content Security Policy.
CSP_BREAKERS = frozenset(";,'\"")
#: The path of a site served below the root of its host: /policies, /legal/privacy.
BASE_PATH = re.compile(r"^(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$")
HOSTNAME = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


#: An email address, as far as a site can tell without sending one.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    """The organisation's contact address, which every page's footer links to."""
    if EMAIL.match(value):
        return value
    raise invalid(
        f"{value!r} is not an email address",
        "write the address readers can write to about their data, for example privacy@example.com",
    )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _Organisation(_Strict):
    name: str = Field(min_length=1)
    legal_name: str = Field(min_length=1)
    email: Annotated[str, AfterValidator(_email)]
    address: str = Field(min_length=1)


class _RegionTranslation(_Strict):
    name: str = Field(min_length=1)
    law: str | None = Field(default=None, min_length=1)


class _Region(_Strict):
    id: str
    name: str = Field(min_length=1)
    law: str = Field(min_length=1)
    translations: dict[str, _RegionTranslation] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str, info: ValidationInfo) -> str:
        if not SLUG.match(value) or value in RESERVED_SLUGS:
            taken = (info.context or {}).get("region_ids", ())
            raise invalid(
                f"region id {value!r} must be lowercase letters, digits and hyphens, "
                f"start with a letter, and not be one of {', '.join(sorted(RESERVED_SLUGS))}",
                f"write, say, 'id: {_region_id(value, taken)}', and the same id in every '::: region' line that "
                "names this region (it is part of the region's URLs)",
            )
        return value


def _region_id(value: str, taken: Collection[object]) -> str:
    """A region id like ``value`` that is one, and not one of ``taken``: ``California`` is ``california``,
    ``EU (EEA)`` is ``eu-eea``."""
    made = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    made = re.sub(r"^[^a-z]+", "", made) or "region"
    made = f"{made}-region" if made in RESERVED_SLUGS else made
    candidate, number = made, 2
    while candidate in taken:
        candidate, number = f"{made}-{number}", number + 1
    return candidate


def _written_region_ids(data: Any) -> list[object]:
    """The region ids site.yaml gives, as written, for a suggested id to steer clear of."""
    regions = data.get("regions") if isinstance(data, dict) else None
    return [r.get("id") for r in regions if isinstance(r, dict)] if isinstance(regions, list) else []


def invalid(message: str, hint: str) -> PydanticCustomError:
    """A validator's error with the hint that goes with it (:func:`~policypress.yamlsource.report_validation`
    reports it)."""
    return PydanticCustomError("value_error", message, {"hint": hint})


def _some_locales(value: list[str]) -> list[str]:
    """The site's languages: at least one."""
    if value:
        return value
    raise invalid(
        "no locale is listed",
        "list the languages the site is published in, the default one among them, for example locales: [en, fr]",
    )


def _footer_url(value: str) -> str:
    """A footer link's address: another site's (http, https), mail or phone, or a path on this site."""
    scheme = urlsplit(value).scheme.lower()
    if scheme in LINK_SCHEMES or (not scheme and value.startswith("/")):
        if value.startswith("//"):  # another site's address without its scheme, not a path on this one
            raise invalid(f"footer link url {value!r} leads to another site", f"write it as https:{value}")
        return value
    raise invalid(
        f"footer link url {value!r} must start with https://, http://, mailto: or tel:, or be a path on this site "
        "starting with /",
        "write another site's address whole (https://example.com, not example.com), or a page of this site from "
        "its root, such as /en/privacy/",
    )


FooterUrl = Annotated[str, Field(min_length=1), AfterValidator(_footer_url)]


class _FooterLinkTranslation(_Strict):
    label: str = Field(min_length=1)
    url: FooterUrl | None = None


class _FooterLink(_Strict):
    label: str = Field(min_length=1)
    url: FooterUrl
    translations: dict[str, _FooterLinkTranslation] = Field(default_factory=dict)


class _PrivacyChoices(_Strict):
    sells_or_shares: StrictBool
    link_label: Literal["do-not-sell", "your-privacy-choices"] = "do-not-sell"
    cookie_name: str = "policypress_optout"
    cookie_days: int = Field(default=395, ge=1, le=400)
    cookie_domain: str | None = None
    usprivacy: StrictBool = False
    request_form: StrictBool = True
    request_endpoint: str | None = None
    gpc_last_update: date | None = None

    @field_validator("cookie_name")
    @classmethod
    def _cookie_name(cls, value: str) -> str:
        if not COOKIE_NAME.match(value) or value == "usprivacy":
            raise invalid(
                "cookie_name must be 1-64 letters, digits, '_' or '-', and not 'usprivacy' (the IAB cookie)",
                "for example cookie_name: policypress_optout, or remove the key to use that name",
            )
        return value

    @field_validator("cookie_domain")
    @classmethod
    def _cookie_domain(cls, value: str | None) -> str | None:
        if value is None:
            return None
        domain = value.lower().removeprefix(".")
        if not HOSTNAME.match(domain):
            raise invalid(
                "cookie_domain must be a host name such as example.com",
                "write the host of base_url or a parent domain of it, or remove the key",
            )
        return domain

    @field_validator("request_endpoint")
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if any(character.isspace() or character in CSP_BREAKERS for character in value):
            raise invalid(
                "request_endpoint must be one URL, without spaces or any of ; , ' \" (the site's Content "
                "Security Policy names it, and they would end it there)",
                "write the address of the form's service alone, for example https://forms.example.com/privacy",
            )
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname or parts.fragment or parts.username:
            raise invalid(
                "request_endpoint must be an https URL such as https://forms.example.com/privacy",
                "for example request_endpoint: https://forms.example.com/privacy",
            )
        return value


LintLevel = Literal["error", "warn", "off"]


class _Lints(_Strict):
    """``lints:`` in site.yaml: one level per compliance lint (docs/lints.md)."""

    stale_policy: LintLevel = Lints.stale_policy
    check_regularly: LintLevel = Lints.check_regularly
    do_not_sell_link: LintLevel = Lints.do_not_sell_link
    published_edited: LintLevel = Lints.published_edited
    material_unset: LintLevel = Lints.material_unset
    translation_outdated: LintLevel = Lints.translation_outdated

    @field_validator("*", mode="before")
    @classmethod
    def _unquoted_off(cls, value: Any) -> Any:
        # YAML 1.1 reads a bare `off` as false; that is what an editor writing `off` means.
        return "off" if value is False else value


class _Site(_Strict):
    organisation: _Organisation
    base_url: str
    default_locale: str
    locales: Annotated[list[str], AfterValidator(_some_locales)]
    binding_locale: str | None = None
    regions: list[_Region] = Field(default_factory=list)
    footer_links: list[_FooterLink] = Field(default_factory=list)
    privacy_choices: _PrivacyChoices | None = None
    lints: _Lints = Field(default_factory=_Lints)

    @field_validator("base_url")
    @classmethod
    def _origin(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc:
            raise invalid(
                "base_url must be an https URL such as https://privacy.example.com, or "
                "https://owner.github.io/policies for a site served under a path",
                "for example base_url: https://privacy.example.com",
            )
        if parts.query or parts.fragment:
            raise invalid("base_url must not carry a query or fragment", "remove what follows the ? or #")
        path = parts.path.rstrip("/")
        if path and not BASE_PATH.match(path):
            raise invalid(
                f"the path of base_url, {parts.path!r}, must be folder names of letters, digits, '-', '_' or '.', "
                "such as /policies",
                "for example base_url: https://owner.github.io/policies",
            )
        return f"https://{parts.netloc}{path}"


def make_locale(tag: str) -> Locale:
    """Build a :class:`Locale` from a BCP 47 tag; raise ValueError if Babel does not know it."""
    try:
        known = babel.Locale.parse(tag, sep="-")
    except (ValueError, babel.UnknownLocaleError) as error:
        raise ValueError(f"unknown locale {tag!r}: use a BCP 47 tag such as en, fr or zh-Hans") from error
    # BCP 47's case: language lower, script title, region upper; variants are left as written.
    written = "-".join(part for part in (known.language, known.script, known.territory) if part)
    if not tag.startswith(written) and tag.lower().startswith(written.lower()):
        # Catalogs and file names are matched by the exact tag: zh-hans would find no zh_Hans catalog.
        raise ValueError(f"locale {tag!r} must be written {written!r} (the case of a BCP 47 tag matters here)")
    direction = "rtl" if known.character_order == "right-to-left" else "ltr"
    return Locale(tag=tag, name=known.get_display_name() or tag, direction=direction)


#: What stands in for a required setting that site.yaml does not give readably: a config read despite errors
#: lets the content be checked in the same run, and is never published (the errors stop the build).
STAND_INS: dict[str, Any] = {
    "organisation": {"name": "-", "legal_name": "-", "email": "unread@example.invalid", "address": "-"},
    "base_url": "https://example.invalid",
    "default_locale": "en",
    "locales": ["en"],
}


def load_config(path: Path, problems: Problems, *, partial: bool = False) -> SiteConfig | None:
    """Read ``site.yaml``; return None (with problems recorded) when it is missing or has an error.

    With ``partial``, a ``site.yaml`` that exists but has errors still gives a config: what could be read,
    defaults (or :data:`STAND_INS`) for the rest, and in ``unread`` the settings that could not be, so
    that the checks of the content that depend on them are skipped rather than reported as errors.
    """
    if not path.is_file():
        other = path.with_suffix(".yml")
        hint = "create it: see docs/content.md for the keys it needs"
        if other.is_file():
            hint = f"rename {other.name} to {path.name}"
        problems.add(path, None, f"{path.name} is missing", hint)
        return None
    errors = len(problems.errors)
    text = read_text(path, problems)
    repeated: list[tuple[Any, ...]] = []
    data, lines = parse_yaml(text, path, problems, repeated_keys=repeated) if text is not None else (None, {})
    if text is not None and data is None and len(problems.errors) == errors:
        problems.add(path, 1, "site.yaml is empty", "see docs/content.md for the keys it needs")
    # A setting written twice: which of the two the editor meant is unknown.
    unread: set[str] = {key[0] for key in repeated if key[0] in _Site.model_fields}
    unmapped = not isinstance(data, dict)
    if unmapped:
        if data is not None:
            problems.add(path, 1, "site.yaml must be a mapping of keys to values", "see docs/content.md")
        if not partial:
            return None
        data, unread = {}, set(_Site.model_fields)
    try:
        raw = _Site.model_validate(data, context={"region_ids": _written_region_ids(data)})
    except ValidationError as error:
        if not unmapped:  # not again for site.yaml that is not a mapping
            report_validation(error, path, lines, problems, data, text or "")
        if not partial:
            return None
        unread |= {loc[0] for item in error.errors() if (loc := item["loc"]) and loc[0] in _Site.model_fields}
        kept = {key: value for key, value in data.items() if key in _Site.model_fields and key not in unread}
        raw = _Site.model_validate({**STAND_INS, **kept})
    locales: list[Locale] = []
    written = data.get("locales") if "locales" in unread else raw.locales
    for index, tag in enumerate(written if isinstance(written, list) else []):
        if not isinstance(tag, str):
            continue  # reported by the schema
        try:
            locales.append(make_locale(tag))
        except ValueError as error:
            hint = "write the tag as the message says; the site's file names use the same tag"
            problems.add(path, lines.get(("locales", index)), str(error), hint)
            unread.add("locales")  # its files are not "not listed in site.yaml": the list is wrong
    tags = [locale.tag.lower() for locale in locales]
    if "locales" in unread and raw.default_locale.lower() not in tags:
        unread.add("default_locale")  # it may be one of the tags written wrong: which file is the original is unknown
    for index, tag in enumerate(tags):
        if tag in tags[:index]:
            listed = locales[index].tag
            problems.add(path, lines.get(("locales", index)), f"the locale {listed!r} is listed twice", "list it once")
    if "locales" not in unread and "default_locale" not in unread and raw.default_locale.lower() not in tags:
        problems.add(
            path,
            lines.get(("default_locale",)),
            f"default_locale {raw.default_locale!r} is not in locales",
            f"add it to locales or pick one of: {', '.join(raw.locales)}",
        )
        unread |= {"locales", "default_locale"}  # either may be the mistake
    ids = [region.id for region in raw.regions]
    for index, region_id in enumerate(ids):
        if ids.index(region_id) != index:
            problems.add(path, lines.get(("regions", index)), f"region {region_id!r} is defined twice", "keep one")
    choices = _privacy_choices(raw, path, lines, problems, host_known="base_url" not in unread)
    by_lower = {locale.tag.lower(): locale.tag for locale in locales}
    binding = None
    if raw.binding_locale is not None and "locales" not in unread:
        binding = by_lower.get(raw.binding_locale.lower())
        if binding is None:
            problems.add(
                path,
                lines.get(("binding_locale",)),
                f"binding_locale {raw.binding_locale!r} is not in locales",
                f"pick one of: {', '.join(raw.locales)}",
            )
    if len(problems.errors) > errors and not partial:
        return None
    default = by_lower.get(raw.default_locale.lower(), raw.default_locale)
    others = [tag for tag in by_lower.values() if tag != default]
    # Translations are keyed by locale: with the list of locales unread, any key is taken, and none is missing;
    # with the default unread, any listed locale is taken (the default's too), and none is missing.
    report = (path, lines, problems, None if "locales" in unread else by_lower, "default_locale" not in unread)
    regions = []
    for index, region in enumerate(raw.regions):
        where = ("regions", index)
        found = _translated(region.translations, where, default, report)
        _warn_untranslated(f"region {region.id!r}", [tag for tag, _ in found], others, where, report)
        names = tuple((tag, entry.name, entry.law or region.law) for tag, entry in found)
        regions.append(Region(region.id, region.name, region.law, names))
    links = []
    for index, link in enumerate(raw.footer_links):
        where = ("footer_links", index)
        found = _translated(link.translations, where, default, report)
        _warn_untranslated(f"footer link {link.label!r}", [tag for tag, _ in found], others, where, report)
        labels = tuple((tag, entry.label, entry.url or link.url) for tag, entry in found)
        written = [(link.url, line_for((*where, "url"), lines))]
        for tag, entry in found:
            if entry.url:
                written.append((entry.url, line_for((*where, "translations", tag, "url"), lines)))
        links.append(FooterLink(link.label, link.url, labels, tuple(written)))
    if len(problems.errors) > errors and not partial:
        return None
    return SiteConfig(
        organisation=Organisation(**raw.organisation.model_dump()),
        base_url=raw.base_url,
        default_locale=default,
        locales=tuple(locales),
        regions=tuple(regions),
        footer_links=tuple(links),
        binding_locale=binding,
        privacy_choices=choices,
        lints=Lints(**raw.lints.model_dump()),
        unread=frozenset(unread),
    )


def _privacy_choices(
    raw: _Site, path: Path, lines: Lines, problems: Problems, *, host_known: bool
) -> PrivacyChoices | None:
    """Check what the schema alone cannot: the cookie domain must cover the site's host (unless
    ``host_known`` is false: base_url could not be read)."""
    if raw.privacy_choices is None:
        return None
    choices = PrivacyChoices(**raw.privacy_choices.model_dump())
    host = urlsplit(raw.base_url).hostname or ""
    domain = choices.cookie_domain
    if host_known and domain and host != domain and not host.endswith("." + domain):
        problems.add(
            path,
            lines.get(("privacy_choices", "cookie_domain")),
            f"cookie_domain {domain!r} does not cover the site's host {host!r}",
            "use the host of base_url or a parent domain of it, or remove the key",
        )
    return choices


#: Where to report, the site's locales by their lowercase tags (None: the list of locales could not be read), and
#: whether the default locale could be read.
_Where = tuple[Path, Lines, Problems, dict[str, str] | None, bool]


def _translated(entries: dict[str, Any], where: tuple[Any, ...], default: str, report: _Where) -> list[tuple[str, Any]]:
    """One entry's ``translations:`` as (locale tag, translation), sorted; report keys that are no other locale."""
    path, lines, problems, by_lower, default_known = report
    if by_lower is None:
        return sorted(((key, entry) for key, entry in entries.items() if key != default), key=lambda item: item[0])
    found = []
    for key, entry in entries.items():
        tag = by_lower.get(key.lower())
        if tag is not None and (tag != default or not default_known):
            found.append((tag, entry))
            continue
        others = ", ".join(t for t in by_lower.values() if t != default or not default_known) or "none"
        problems.add(
            path,
            line_for((*where, "translations", key), lines),
            f"translation for {'the default locale' if tag else 'unknown locale'} {key!r}",
            f"translations are keyed by the site's other locales: {others}",
        )
    return sorted(found, key=lambda item: item[0])


def _warn_untranslated(what: str, have: list[str], others: list[str], where: tuple[Any, ...], report: _Where) -> None:
    """Warn when an entry shown to readers lacks a translation for some locale."""
    path, lines, problems, by_lower, default_known = report
    missing = [tag for tag in others if tag not in have] if by_lower is not None and default_known else []
    if missing:
        problems.warn(
            path,
            line_for(where, lines),
            f"{what} has no translation for {', '.join(missing)}",
            "add them under 'translations:' (see docs/translating.md); readers see the original meanwhile",
            code="untranslated-config",
        )
