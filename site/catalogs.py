"""The gettext catalogs of the interface: extract, update, compile, verify.

``python build.py translations`` runs :func:`refresh`: it extracts every
``_()`` string from the package's Python code and templates into
``translations/messages.pot``, merges that template into each locale's
``messages.po`` (creating catalogs for new locales) and compiles the ``.mo``
files.  The files it writes are deterministic: no creation or revision dates,
no Babel version, no line numbers, so running it twice, or on two branches,
gives the same bytes and merges cleanly.

``check`` runs :func:`verify`: a catalog a site ships must translate every
string the code uses, with no fuzzy entries and matching placeholders.

Catalogs are read strictly (:mod:`policypress.pofiles`): a file that is not
UTF-8 or not valid PO syntax is reported, and :func:`refresh` then writes
nothing, so a misread catalog is never written back over the translator's text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message, TranslationError
from babel.messages.checkers import num_plurals
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from . import default_config
from .errors import Problems
from .i18n import compile_catalogs
from .pofiles import label, read_catalog, report_placeholders
from .pofiles import po_path as _po_path
from .siteconfig import Locale, SiteConfig

#: Where the strings are found: the policypress package (``site/`` in the repository).
SOURCE_DIR = Path(__file__).resolve().parent
#: ``translate()`` is the Python-side gettext of :mod:`policypress.i18n`.
KEYWORDS = {**DEFAULT_KEYWORDS, "translate": None}
HEADER = (
    "# Interface strings of Policypress.\n"
    "# Written by `python build.py translations`; translate the msgstr lines only.\n"
    "# See docs/translating.md."
)
#: Header fields that change on every run or with the Babel version: left out, so files do not churn.
VOLATILE_HEADER = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): [^"]*"\n', re.MULTILINE)
#: msgids are written in English, so English locales need no catalog.
SOURCE_LANGUAGE = "en"


def po_path(folder: Path, locale: Locale | str) -> Path:
    return _po_path(folder, locale.babel_id if isinstance(locale, Locale) else locale)


def refresh_command(folder: Path, content: Path | None = None) -> str:
    """The ``translations`` command that updates ``folder`` for the site in ``content`` (defaults left out)."""
    defaults = default_config()
    command = "python build.py translations"
    if content is not None and content.resolve() != Path(defaults["CONTENT_DIR"]).resolve():
        command += f" --content {content}"
    if folder.resolve() != Path(defaults["TRANSLATIONS_DIR"]).resolve():
        command += f" --translations {folder}"
    return command


def extract(folder: Path) -> Catalog:
    """Every interface string in the package, as configured by ``folder/babel.cfg``."""
    with (folder / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog(header_comment=HEADER, project="Policypress", version="1", charset="utf-8", fuzzy=False)
    found = extract_from_dir(
        SOURCE_DIR, method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    )
    for filename, lineno, message, comments, context in found:
        location = (Path(filename).as_posix(), lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def render(catalog: Catalog) -> bytes:
    """A catalog as PO text, the same bytes for the same messages."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_by_file=True, ignore_obsolete=True, include_lineno=False)
    return VOLATILE_HEADER.sub(b"", buffer.getvalue())


@dataclass(frozen=True)
class CatalogReport:
    """What :func:`refresh` did to one locale's catalog."""

    locale: str
    path: Path
    total: int
    untranslated: int
    fuzzy: int
    written: bool


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def refresh(folder: Path, config: SiteConfig | None) -> list[CatalogReport]:
    """Extract, update every catalog (and create those the site's locales need), then compile.

    Raises :class:`~policypress.errors.ContentError`, having written nothing, when a catalog cannot be read cleanly.
    """
    wanted = {path.parent.parent.name for path in folder.glob("*/LC_MESSAGES/messages.po")}
    if config is not None:
        wanted |= {locale.babel_id for locale in config.locales if locale.babel_id.split("_")[0] != SOURCE_LANGUAGE}
    catalogs = _read_all(folder, sorted(wanted))
    template = extract(folder)
    _write_if_changed(folder / "messages.pot", render(template))
    reports = []
    for babel_id, catalog in catalogs.items():
        path = po_path(folder, babel_id)
        catalog.update(template, update_creation_date=False)
        catalog.fuzzy = False
        written = _write_if_changed(path, render(catalog))
        messages = [m for m in catalog if m.id]
        untranslated = sum(1 for m in messages if not _translated(m))
        fuzzy = sum(1 for m in messages if m.fuzzy and _translated(m))
        reports.append(CatalogReport(babel_id, path, len(messages), untranslated, fuzzy, written))
    problems = Problems(folder)
    compile_catalogs(folder, problems)
    problems.raise_if_errors()  # only if a file changed under us: every catalog was read cleanly above
    return reports


def _read_all(folder: Path, babel_ids: list[str]) -> dict[str, Catalog]:
    """Every catalog, read strictly (a new, empty one where there is none); raise if any cannot be read."""
    problems = Problems(folder)
    catalogs = {}
    for babel_id in babel_ids:
        path = po_path(folder, babel_id)
        if path.is_file():
            catalog = read_catalog(path, babel_id, problems)
        else:
            catalog = Catalog(locale=babel_id, header_comment=HEADER, project="Policypress", version="1", fuzzy=False)
        if catalog is not None:
            catalogs[babel_id] = catalog
    problems.raise_if_errors()
    return catalogs


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def verify(folder: Path, config: SiteConfig, problems: Problems, content: Path | None = None) -> None:
    """Report every string the site's catalogs leave untranslated, fuzzy or with broken placeholders.

    ``content`` is the site's folder, named in the hints' ``translations`` command when it is not the default.
    """
    template = extract(folder)
    command = refresh_command(folder, content)
    hint = f"translate it in the .po file (see docs/translating.md), then run: {command}"
    pot = folder / "messages.pot"
    if pot.is_file() and pot.read_bytes() != render(template):
        problems.warn(
            pot,
            None,
            "messages.pot does not match the strings in the code",
            f"run: {command}",
            code="catalog-stale",
        )
    for locale in config.locales:
        path = po_path(folder, locale)
        if not path.is_file():
            if locale.babel_id.split("_")[0] != SOURCE_LANGUAGE:
                problems.add(
                    path,
                    None,
                    f"no interface catalog for locale {locale.tag}: readers would see English buttons and labels",
                    f"run: {command}, then translate the new file (see docs/translating.md)",
                    code="catalog",
                )
            continue
        catalog = read_catalog(path, locale.babel_id, problems)
        if catalog is None:
            continue
        for wanted in template:
            if not wanted.id:
                continue
            found = catalog.get(wanted.id, context=wanted.context)
            if found is None or not _translated(found):
                line = found.lineno if found is not None else None
                problems.add(path, line, f"untranslated string {label(wanted)}", hint, code="catalog")
            elif found.fuzzy:
                problems.add(
                    path,
                    found.lineno,
                    f"fuzzy (unreviewed) translation of {label(wanted)}",
                    "check the translation, then delete the '#, fuzzy' line above it",
                    code="catalog",
                )
        report_placeholders(path, catalog, problems, fuzzy=True)
        _report_plurals(path, catalog, problems)


def _report_plurals(path: Path, catalog: Catalog, problems: Problems) -> None:
    """Record every translation with the wrong number of plural forms for its language."""
    hint = "give one msgstr[N] line for each plural form the header's Plural-Forms line counts"
    for message in catalog:
        if not message.id:
            continue
        try:
            num_plurals(catalog, message)
        except TranslationError as error:
            problems.add(path, message.lineno, f"{label(message)}: {error}", hint, code="catalog")
