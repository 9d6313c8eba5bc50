"""Interface strings and dates in the reader's language.

The locale comes from the URL of each request, never from a cache on ``g``:
Frozen-Flask renders every page inside one application context, so anything
cached there would leak one page's language into the next.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale as BabelLocale
from babel.dates import format_date, get_date_format, tokenize_pattern, untokenize_pattern
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_request_context
from jinja2 import pass_context
from jinja2.runtime import Context
from jinja2.utils import missing
from markupsafe import Markup

from .errors import Problems
from .memo import Memo, fingerprint
from .siteconfig import SiteConfig

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog


def compile_catalogs(folder: Path, problems: Problems) -> dict[str, Catalog]:
    """Read every ``messages.po`` under ``folder`` and compile those whose ``.mo`` is missing or older.

    Every catalog is read, not only the outdated ones: a ``.mo`` may come from a misreading by an older
    Policypress.  Those that cannot be read cleanly are recorded in ``problems`` and not compiled.  Returns
    the catalogs read, by folder name (``zh_Hans``).
    """
    from .pofiles import read_catalog

    catalogs = {}
    for path in _po_files(folder):
        catalog = read_catalog(path, path.parent.parent.name, problems)
        if catalog is None:
            continue
        catalogs[path.parent.parent.name] = catalog
        if _outdated(path):
            _write_mo(path.with_suffix(".mo"), catalog)
    return catalogs


def _po_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/LC_MESSAGES/messages.po"))


def _outdated(po_path: Path) -> bool:
    """True when the ``.mo`` beside ``po_path`` is missing or older than it."""
    mo_path = po_path.with_suffix(".mo")
    return not mo_path.exists() or mo_path.stat().st_mtime_ns < po_path.stat().st_mtime_ns


def _write_mo(mo_path: Path, catalog: Catalog) -> None:
    """Compile ``catalog`` into ``mo_path`` (through a temporary file: a reader never sees half of it)."""
    from babel.messages.mofile import write_mo

    tmp = mo_path.with_suffix(".mo.tmp")
    with tmp.open("wb") as mo_file:
        write_mo(mo_file, catalog, use_fuzzy=False)
    tmp.replace(mo_path)


#: How a language writes the first day of the month where CLDR's patterns only know the cardinal "1", by
#: language (every regional variant too): French reads "1er septembre 2026" but "2 septembre 2026".
DAY_ONE = {"fr": "1er"}

#: The date formats Babel names; any other format is a CLDR pattern ("d MMMM y").
NAMED_FORMATS = frozenset({"full", "long", "medium", "short"})


def format_day(value: date, format: str, locale: BabelLocale) -> str:
    """Babel's formatting of ``value`` in ``locale``, with the language's own first of the month (from
    :data:`DAY_ONE`) in a date that spells out its month; numeric dates ("01/09/2026") are left as CLDR has them."""
    day_one = DAY_ONE.get(locale.language)
    if value.day != 1 or day_one is None:
        return format_date(value, format=format, locale=locale)
    pattern = get_date_format(format, locale).pattern if format in NAMED_FORMATS else format
    tokens = tokenize_pattern(pattern)
    # A month of three letters or more ("MMM", "LLLL") is a name: "sept." or "septembre", not "09".
    if not any(kind == "field" and field[0] in "ML" and field[1] >= 3 for kind, field in tokens):
        return format_date(value, format=format, locale=locale)
    tokens = [("chars", day_one) if token == ("field", ("d", 1)) else token for token in tokens]
    return format_date(value, format=untokenize_pattern(tokens), locale=locale)


#: The types of template values whose formatted sentences are remembered: exactly these, whose equal
#: values of one type print alike (``0.0`` and ``-0.0``, or two Decimals, are equal and print otherwise;
#: a list cannot be a key).
REMEMBERED_TYPES = frozenset({str, Markup, int})


def check_catalogs(folder: Path, config: SiteConfig, problems: Problems, cache_dir: Path | None) -> None:
    """Compile the outdated catalogs of ``folder``; record those that cannot be read, and translations whose
    placeholders would fail to format.

    With ``cache_dir``, catalogs found clean are not read again while the folder's ``.po`` files, the code
    that checks them, Babel and the site's locales are unchanged and every ``.mo`` is up to date: reading
    and checking them (and importing Babel's reader) was some 40 ms of every rebuild.  Problems are never
    remembered: a catalog that has any is read and reported by every build.
    """
    memo = None
    if cache_dir is not None:
        from .inputs import tree_digest

        locales = ",".join(locale.babel_id for locale in config.locales)
        code = fingerprint(("i18n.py", "pofiles.py"), ("babel",), tree_digest(folder), locales)
        memo = Memo(cache_dir, "catalogs", code)
        if memo.get("clean") and not any(_outdated(path) for path in _po_files(folder)):
            return
    from .pofiles import po_path, report_placeholders

    before = len(problems.items)
    read = compile_catalogs(folder, problems)
    # The catalog each locale is shown in: its own, or one it falls back to (fr for fr-CA), each checked once.
    shown = {name for locale in config.locales if (name := loaded_catalog(folder, locale.babel_id)) in read}
    for babel_id in sorted(shown):
        # Fuzzy translations are not compiled, so only check's verify() minds theirs.
        report_placeholders(po_path(folder, babel_id), read[babel_id], problems, fuzzy=False)
    if memo is not None and len(problems.items) == before:
        memo.put("clean", True)
        memo.save()


def loaded_catalog(folder: Path, babel_id: str) -> str | None:
    """The folder name of the compiled catalog that pages in ``babel_id`` are shown in: the locale's own, or
    the one gettext falls back to (``fr`` for ``fr_CA``); None when there is none."""
    found = gettext.find("messages", str(folder), [babel_id])
    return Path(found).parent.parent.name if found else None


class Catalogs:
    """Gettext catalogs for every locale of a site, loaded once."""

    def __init__(self, folder: Path, config: SiteConfig, problems: Problems, cache_dir: Path | None = None) -> None:
        """Compile and load the catalogs; record in ``problems`` those that cannot be read, and translations
        whose placeholders would fail to format (the caller raises them).  See :func:`check_catalogs` for
        ``cache_dir``."""
        if folder.is_dir():
            check_catalogs(folder, config, problems, cache_dir)
        self._by_locale: dict[str, NullTranslations] = {}
        for locale in config.locales:
            loaded = Translations.load(str(folder), [locale.babel_id], domain="messages")
            self._by_locale[locale.tag] = loaded
        # Translations already looked up, by (locale, message): thousands of pages ask for the same few.
        self._texts: dict[tuple[str, str], str] = {}
        self._markups: dict[tuple[str, str], Markup] = {}
        self._dates: dict[tuple[date, str, str], str] = {}
        # What templates' ``_`` and ``ngettext`` gave with variables, by locale, message and values (and each
        # value's type: a str and the same text as Markup are equal but escape differently).
        self._formatted: dict[tuple[object, ...], str] = {}

    def get(self, locale: str) -> NullTranslations:
        return self._by_locale.get(locale) or NullTranslations()

    def gettext(self, locale: str, message: str) -> str:
        """``message`` translated into ``locale`` (remembered)."""
        key = (locale, message)
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = self.get(locale).gettext(message)
        return found

    def markup(self, locale: str, message: str) -> Markup:
        """What a template's ``_(message)`` without variables gives: the translation as markup (remembered)."""
        key = (locale, message)
        found = self._markups.get(key)
        if found is None:
            found = self._markups[key] = Markup(self.gettext(locale, message)) % {}
        return found

    def formatted(self, key: tuple[object, ...], variables: dict[str, object], make: Callable[[], str]) -> str:
        """What ``make`` formats from ``variables``, remembered by ``key`` and the variables when every value is
        of :data:`REMEMBERED_TYPES`: thousands of pages show a policy's title or a version's date in the same
        sentence."""
        if not all(type(value) in REMEMBERED_TYPES for value in variables.values()):
            return make()
        key = (*key, *((name, type(value), value) for name, value in variables.items()))
        found = self._formatted.get(key)
        if found is None:
            found = self._formatted[key] = make()
        return found

    def date(self, value: date, format: str, locale: str) -> str:
        """``value`` formatted in ``locale`` by :func:`format_day` (remembered: a few dates, on thousands of pages)."""
        key = (value, format, locale)
        found = self._dates.get(key)
        if found is None:
            found = self._dates[key] = format_day(value, format, BabelLocale.parse(locale, sep="-"))
        return found


def current_locale() -> str:
    """The locale of the page being rendered (set per request from its URL)."""
    return g.get("locale", "en") if has_request_context() else "en"


def _locale_of(context: Context) -> str:
    """The locale of the page a template is rendering, as its context holds it (without a lookup through
    Flask's proxies); a template rendered outside a page's context (a macro module) asks the request."""
    found = context.resolve_or_missing("page_locale")  # not get(): a missing name costs it an exception
    return current_locale() if found is missing or found is None else found.tag


def install(app: Flask, catalogs_for: callable) -> None:  # type: ignore[valid-type]
    """Make ``_``, ``ngettext`` and the ``date`` filter available in every template."""

    def gettext(message: str, **variables: object) -> str:
        return formatted(catalogs_for().gettext(current_locale(), message), message, variables)

    app.extensions["policypress.gettext"] = gettext

    def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
        text = catalogs_for().get(current_locale()).ngettext(singular, plural, n)
        return text % {"num": n, **variables}

    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]

    @pass_context
    def template_gettext(context: Context, message: str, **variables: object) -> str:
        # What Jinja's newstyle gettext does (the translation as markup, % the variables, escaped),
        # without its two extra calls through the context: templates call this some 80,000 times a build.
        catalogs, locale = catalogs_for(), _locale_of(context)
        if not context.eval_ctx.autoescape:
            return catalogs.gettext(locale, message) % variables
        if not variables:
            return catalogs.markup(locale, message)
        return catalogs.formatted(
            (locale, message), variables, lambda: Markup(catalogs.gettext(locale, message)) % variables
        )

    @pass_context
    def template_ngettext(context: Context, singular: str, plural: str, n: int, **variables: object) -> str:
        # The same for Jinja's newstyle ngettext.
        variables.setdefault("num", n)
        catalogs, locale, autoescape = catalogs_for(), _locale_of(context), context.eval_ctx.autoescape

        def make() -> str:
            text = catalogs.get(locale).ngettext(singular, plural, n)
            return (Markup(text) if autoescape else text) % variables

        return catalogs.formatted((locale, singular, plural, n, autoescape), variables, make)

    @pass_context
    def template_date(context: Context, value: date, format: str = "long") -> str:
        """The ``date`` filter: ``value`` in the page's language."""
        return catalogs_for().date(value, format, _locale_of(context))

    app.jinja_env.globals["gettext"] = app.jinja_env.globals["_"] = template_gettext
    app.jinja_env.globals["ngettext"] = template_ngettext
    app.jinja_env.filters["date"] = template_date


def translate(message: str) -> str:
    """Translate ``message`` into the current page's language (outside templates)."""
    return current_app.extensions["policypress.gettext"](message)


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark ``message`` for extraction without translating it yet."""
    return message


def translate_in(locale: str, message: str, **variables: object) -> str:
    """Translate ``message`` into ``locale``, whatever the current page's language.

    The language picker uses this to greet each visitor in their own language.
    """
    return formatted(current_app.extensions["policypress"].catalogs.gettext(locale, message), message, variables)


def formatted(text: str, message: str, variables: dict[str, object]) -> str:
    """A translation formatted as templates format it (``%%`` is a percent sign), with ``variables``; a message
    with placeholders and no values here is left for its caller to format (``_("... %(x)s") % {...}``)."""
    return text % variables if variables or "%(" not in message else text


def language_name(tag: str, in_locale: str) -> str:
    """The name of the language ``tag`` in the language ``in_locale``: "anglais" for en in fr."""
    return BabelLocale.parse(tag, sep="-").get_display_name(BabelLocale.parse(in_locale, sep="-")) or tag


def localized_date(value: date, format: str = "long") -> str:
    """Format ``value`` in the current page's language: "12 mars 2024", "1er mars 2024"."""
    return current_app.extensions["policypress"].catalogs.date(value, format, current_locale())
