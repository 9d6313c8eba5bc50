"""Stage 4: what makes every page multilingual.

* hreflang alternates and the language switcher.  Both are built from
  ``request.endpoint`` and ``request.view_args``: any page whose URL has a
  ``<locale>`` part, whichever blueprint serves it, links to itself in every
  other locale with all its other URL parts (policy, region, version,
  comparison) kept.  A fragment names the endpoint of the page it stands for.
  A page whose policy text is not translated into its URL's language shows the
  original: it is not announced as a page in that language (docs/translating.md).
* The notice for a version that is not translated yet: the default-locale text
  is shown, with the last translated version and the sections changed since.
* The notice of which language is legally binding, and translated region names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from markupsafe import Markup, escape

from . import get_library, get_publication
from .diff import Status
from .i18n import N_, current_locale, language_name, translate_in
from .library import Shown
from .siteconfig import Locale
from .translation_status import State, TranslationStatus, translation_status
from .views import page_text_language

#: The endpoint of the archived copy of one version, added by the versions feature.
ARCHIVE_ENDPOINT = "versions.archive"
#: The language picker greets each visitor in their own language (see language.js).
CONTINUE_IN = N_("Continue in %(language)s")


@dataclass(frozen=True)
class Alternate:
    """One ``<link rel="alternate" hreflang>``: this page in another language, as an absolute URL."""

    hreflang: str
    href: str


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switcher: ``locale``'s page, whose text is in ``text_locale`` (the original's
    language where the text is not translated yet)."""

    locale: Locale
    href: str
    current: bool
    text_locale: Locale


@dataclass(frozen=True)
class SamePage:
    """This page in ``locale``, and the language of the text it shows there."""

    locale: Locale
    url: str | None  # None for a page with no language of its own
    text_locale: Locale


def _locales() -> tuple[Locale, ...]:
    return get_library().site.config.locales


def _same_page(locale: Locale, endpoint: str | None) -> str | None:
    """The URL of this request's page (or of ``endpoint`` with its URL parts) in ``locale``, or None when
    the page has no language of its own."""
    args = request.view_args or {}
    if endpoint is None or "locale" not in args:
        return None
    return url_for(endpoint, **{**args, "locale": locale.slug})


def _text_locale(locale: Locale, endpoint: str | None) -> Locale:
    """The language of the text this page shows in ``locale``: its own, unless its text is not translated into
    it (then the page shows the original, see :func:`~policypress.views.register_text`)."""
    if endpoint is None:
        return locale
    tag = page_text_language(endpoint, request.view_args or {}, locale.tag)
    return locale if tag == locale.tag else get_library().site.config.locale(tag)


def _same_pages(endpoint: str | None = None) -> list[SamePage]:
    """This page in every locale, worked out once for both the hreflang links and the switcher, and for
    the same page in every other locale: the URLs depend only on the page's URL parts other than the locale.

    ``endpoint``: the page a fragment stands for (its URL parts are the fragment's), instead of this request's.
    """
    endpoint = endpoint or request.endpoint
    args = request.view_args or {}
    parts = tuple(sorted((name, value) for name, value in args.items() if name != "locale"))
    key = ("same page", request.script_root, endpoint, "locale" in args, parts)
    shared = get_publication().shared
    found = shared.get(key)
    if found is None:
        found = shared[key] = [
            SamePage(locale, _same_page(locale, endpoint), _text_locale(locale, endpoint)) for locale in _locales()
        ]
    return found


def hreflang_alternates(endpoint: str | None = None) -> list[Alternate]:
    """Every language version of this page (or of ``endpoint``'s, see :func:`_same_pages`), plus
    ``x-default``; empty for pages with no language.

    A page whose text is not translated into its URL's language (the original stands in for it) is
    not a version in that language, so it is left out (as Google's hreflang guidance asks: each
    alternate is the page in that language), on every page of the set, itself included.
    """
    config = get_library().site.config
    base = config.origin
    endpoint = endpoint or request.endpoint
    if endpoint == "site.root":
        homes = [Alternate(locale.tag, base + url_for("site.policies", locale=locale.slug)) for locale in _locales()]
        return [*homes, Alternate("x-default", base + url_for("site.root"))]
    found = _same_pages(endpoint)
    links = [
        Alternate(same.locale.tag, base + same.url)
        for same in found
        if same.url is not None and same.text_locale == same.locale
    ]
    if not links:
        return []
    if endpoint == "site.policies":
        # A language's home page shares its cluster with the language picker, the natural x-default.
        return [*links, Alternate("x-default", base + url_for("site.root"))]
    default = next(link for link in links if link.hreflang == config.default_locale)
    return [*links, Alternate("x-default", default.href)]


def language_links(endpoint: str | None = None) -> list[LanguageLink]:
    """This page (or ``endpoint``'s, see :func:`_same_pages`) in every language, for the switcher; empty
    for pages with no language.  Every language is offered, the interface and the notice being in it even
    where the text is not; each link says in which language its text is (``text_locale``)."""
    current = current_locale()
    found = _same_pages(endpoint)
    return [
        LanguageLink(same.locale, same.url, same.locale.tag == current, same.text_locale)
        for same in found
        if same.url is not None
    ]


def text_language(tag: str) -> Markup:
    """`` lang="…" dir="…"`` for an element whose text is in ``tag`` when that is not the page's language
    (a title or change summary a translation has not reached yet; WCAG 3.1.2), else nothing."""
    if tag == current_locale():
        return Markup("")
    locale = get_library().site.config.locale(tag)
    return Markup(' lang="{}" dir="{}"').format(locale.tag, locale.direction)


def in_language(tag: str, text: str) -> Markup:
    """``text``, escaped, in a ``<span>`` marked with its language when that is not the page's."""
    attributes = text_language(tag)
    return Markup("<span{}>{}</span>").format(attributes, text) if attributes else escape(text)


def language_suggestions() -> list[tuple[Locale, str]]:
    """For the language picker: each locale with "Continue in <language>" in that language."""
    return [(locale, translate_in(locale.tag, CONTINUE_IN, language=locale.name)) for locale in _locales()]


@dataclass(frozen=True)
class ChangedSection:
    """One entry of the fallback notice's list of changed sections."""

    title: str
    lang: str  # the language the title is in
    change: Status
    href: str | None


@dataclass(frozen=True)
class FallbackNotice:
    """What a reader needs to know when the version they asked for is not in their language."""

    status: TranslationStatus
    original_locale: Locale
    #: The name of the default locale's language in the reader's language: "anglais".
    original_language: str
    #: Where the last translated version can be read, when the site archives versions.
    translated_url: str | None
    sections: tuple[ChangedSection, ...]

    @property
    def outdated(self) -> bool:
        return self.status.state is State.OUTDATED


def archive_url(policy: str, version: str, locale: Locale) -> str | None:
    """The archived copy of ``version`` in ``locale``, if this site has archive pages."""
    if ARCHIVE_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(ARCHIVE_ENDPOINT, locale=locale.slug, policy=policy, version=version)


def fallback_notice(shown: Shown, region: str | None = None) -> FallbackNotice | None:
    """The notice for ``shown`` when it is the default-locale text standing in for a translation."""
    if not shown.is_fallback:
        return None
    library = get_library()
    config = library.site.config
    policy = library.site.policy(shown.version.policy)
    if policy is None:
        return None
    reader = config.locale(shown.requested_locale)
    status = translation_status(library.rendered, policy, shown.version, reader.tag, region)
    translated_url = None
    titles: dict[str, str] = {}
    if status.translated is not None:
        translated_url = archive_url(policy.slug, status.translated.slug, reader)
        old = status.translated.document(reader.tag)
        if old is not None:
            titles = {heading.id: heading.text for heading in library.rendered(old).headings}
    sections = []
    for change in status.changes:
        title, lang = (titles[change.id], reader.tag) if change.id in titles else (change.title, shown.document.locale)
        if not change.id:
            title, lang = translate_in(reader.tag, N_("Introduction")), reader.tag
        if change.change is Status.REMOVED:
            href = f"{translated_url}#{change.id}" if translated_url and change.id else None
        else:
            href = f"#{change.id or 'policy-body'}"
        sections.append(ChangedSection(title, lang, change.change, href))
    original = config.locale(shown.document.locale)
    return FallbackNotice(status, original, language_name(original.tag, reader.tag), translated_url, tuple(sections))


def binding_language(shown: Shown) -> str | None:
    """The binding language's name in the reader's language, when the text shown is not the binding one."""
    binding = get_library().site.config.binding_locale
    if binding is None or shown.document.locale == binding:
        return None
    return language_of(binding)


def language_of(tag: str) -> str:
    """A language's name in the reader's language ("anglais" for ``en`` on a French page)."""
    return language_name(tag, current_locale())


def region_law(region_id: str) -> str:
    """A region's law as readers of this page call it: "RGPD" for GDPR in French."""
    return get_library().site.config.region(region_id).law_in(current_locale())


def _template_globals() -> dict[str, Any]:
    return {
        "hreflang_alternates": hreflang_alternates,
        "language_links": language_links,
        "text_language": text_language,
        "in_language": in_language,
        "language_suggestions": language_suggestions,
        "fallback_notice": fallback_notice,
        "binding_language": binding_language,
    }


def init_app(app: Flask) -> None:
    """Give every template the multilingual helpers."""
    app.context_processor(_template_globals)
    app.add_template_filter(region_law, "region_law")
    app.add_template_filter(language_of, "language_name")
