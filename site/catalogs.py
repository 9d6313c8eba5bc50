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
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from .errors import Problems
from .i18n import compile_catalogs
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
    babel_id = locale.babel_id if isinstance(locale, Locale) else locale
    return folder / babel_id / "LC_MESSAGES" / "messages.po"


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


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


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
    """Extract, update every catalog (and create those the site's locales need), then compile."""
    template = extract(folder)
    _write_if_changed(folder / "messages.pot", render(template))
    wanted = {path.parent.parent.name for path in folder.glob("*/LC_MESSAGES/messages.po")}
    if config is not None:
        wanted |= {locale.babel_id for locale in config.locales if locale.babel_id.split("_")[0] != SOURCE_LANGUAGE}
    reports = []
    for babel_id in sorted(wanted):
        path = po_path(folder, babel_id)
        if path.is_file():
            catalog = read(path, babel_id)
        else:
            catalog = Catalog(locale=babel_id, header_comment=HEADER, project="Policypress", version="1", fuzzy=False)
        catalog.update(template, update_creation_date=False)
        catalog.fuzzy = False
        written = _write_if_changed(path, render(catalog))
        messages = [m for m in catalog if m.id]
        untranslated = sum(1 for m in messages if not _translated(m))
        fuzzy = sum(1 for m in messages if m.fuzzy and _translated(m))
        reports.append(CatalogReport(babel_id, path, len(messages), untranslated, fuzzy, written))
    compile_catalogs(folder)
    return reports


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def _label(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return repr(msgid if len(msgid) <= 60 else msgid[:57] + "...")


def verify(folder: Path, config: SiteConfig, problems: Problems) -> None:
    """Report every string the site's catalogs leave untranslated, fuzzy or with broken placeholders."""
    template = extract(folder)
    hint = "translate it in the .po file (see docs/translating.md), then run: python build.py translations"
    pot = folder / "messages.pot"
    if pot.is_file() and pot.read_bytes() != render(template):
        problems.warn(
            pot,
            None,
            "messages.pot does not match the strings in the code",
            "run: python build.py translations",
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
                    "run: python build.py translations, then translate the new file (see docs/translating.md)",
                    code="catalog",
                )
            continue
        catalog = read(path, locale.babel_id)
        for wanted in template:
            if not wanted.id:
                continue
            found = catalog.get(wanted.id, context=wanted.context)
            if found is None or not _translated(found):
                line = found.lineno if found is not None else None
                problems.add(path, line, f"untranslated string {_label(wanted)}", hint, code="catalog")
            elif found.fuzzy:
                problems.add(
                    path,
                    found.lineno,
                    f"fuzzy (unreviewed) translation of {_label(wanted)}",
                    "check the translation, then delete the '#, fuzzy' line above it",
                    code="catalog",
                )
        for message, errors in catalog.check():
            for error in errors:
                problems.add(path, message.lineno, f"{_label(message)}: {error}", hint, code="catalog")
