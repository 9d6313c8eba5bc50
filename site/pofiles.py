"""Read gettext catalogs strictly: what is wrong with a ``.po`` file is a problem at its line.

Babel's reader is lenient: it decodes with the charset the header names, and takes a
string to be whatever lies between the first and the last character of its line, so
``msgstr "Sommaire`` reads as "Sommair" and ``msgstr Aller au contenu`` as
"ller au conten".  Every command reads catalogs through :func:`read_catalog` instead,
which reports a file that is not UTF-8 or not valid PO syntax and returns nothing, so
that no catalog is compiled, shown or rewritten from a misreading.

:func:`report_placeholders` reports translations whose placeholders differ from the
original's: formatting one would fail on every page that shows it.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message, TranslationError
from babel.messages.checkers import python_format
from babel.messages.pofile import PoFileError, read_po

from .errors import Problems

#: The keywords whose argument is a quoted string (``msgstr[1]`` for plurals).
STRING_KEYWORD = re.compile(r"msgid|msgid_plural|msgctxt|msgstr(\[\d+\])?")
#: A line's keyword: what comes before the first space or quote (nothing on a line that continues a text).
KEYWORD = re.compile(r'[^\s"]+')
#: One C string literal: a quote, characters or backslash escapes, a quote.
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
#: How a line of an obsolete entry's previous text starts.
PREVIOUS_OBSOLETE = "#~|"
SYNTAX_HINT = (
    'each entry is a msgid line and a msgstr line, each with its text in double quotes: msgstr "..." '
    "(see docs/translating.md)"
)


def po_path(folder: Path, babel_id: str) -> Path:
    """Where the catalog of ``babel_id`` (``zh_Hans``) lives in ``folder``."""
    return folder / babel_id / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, locale: str | None, problems: Problems) -> Catalog | None:
    """Read ``path``; when it is not UTF-8 or not valid PO, record why (with the line) and return None."""
    text = _decode(path, path.read_bytes(), problems)
    if text is None:
        return None
    # An obsolete entry's previous text (``#~| msgid "..."``, which msgmerge --previous writes) is a comment
    # to gettext, but Babel's reader refuses it: it is left out, as a blank line that keeps the line count.
    lines = ["" if line.lstrip().startswith(PREVIOUS_OBSOLETE) else line for line in text.split("\n")]
    if _report_syntax(path, lines, problems):
        return None
    try:
        catalog = _parse(lines, locale)
        # The text was read as UTF-8 whatever the header's charset= says: compile it as UTF-8 too.
        catalog.charset = "utf-8"
        return catalog
    except (PoFileError, ValueError) as error:
        message = str(error).removesuffix(f" on {error.lineno}") if isinstance(error, PoFileError) else str(error)
        header = _header_line(lines, locale)
        if header is not None or not isinstance(error, PoFileError):  # a field of the header: nplurals=x, say
            problems.add(
                path,
                header,
                f"the catalog's header cannot be read: {message}",
                'fix that field in the header (the first entry, msgid ""), comparing it with another catalog\'s',
                code="catalog",
            )
        else:  # a msgid without msgstr, say: what the lexical pass cannot see
            problems.add(path, error.lineno + 1, f"syntax error: {message}", SYNTAX_HINT, code="catalog")
    return None


def _parse(lines: list[str], locale: str | None) -> Catalog:
    """Babel's reading of ``lines``; raises what it raises, and ValueError for a plural formula that loading
    the compiled catalog would refuse."""
    catalog = read_po(lines, locale=locale, abort_invalid=True)
    gettext.c2py(catalog.plural_expr)  # as loading the compiled catalog will: a malformed plural= fails there
    return catalog


def _header_line(lines: list[str], locale: str | None) -> int | None:
    """The line (1-based) of the header field that cannot be read: the first one without which the catalog
    reads.  None when no single field is to blame."""
    header = []
    for number, line in enumerate(lines):
        stripped = line.strip()
        if header and not stripped.startswith('"'):
            break
        if stripped == 'msgstr ""':
            header.append(number)  # the header's fields follow, one string a line
        elif header:
            header.append(number)
    for number in header[1:]:
        try:
            _parse(lines[:number] + lines[number + 1 :], locale)
        except (PoFileError, ValueError):
            continue
        return number + 1
    return None


def _decode(path: Path, data: bytes, problems: Problems) -> str | None:
    """The text of a catalog, whatever charset its header claims: catalogs are UTF-8 (a BOM is allowed)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.add(
            path,
            line,
            f"the file is not UTF-8: byte 0x{data[error.start]:02x} on this line is not UTF-8 text "
            "(was it saved as Latin-1 or Windows-1252?)",
            "save the file as UTF-8 (most editors offer it under 'Save with Encoding'), then check the accented "
            "letters on that line",
            code="catalog",
        )
        return None


def _report_syntax(path: Path, lines: list[str], problems: Problems) -> bool:
    """Record every line whose text is not one quoted string, or that starts with no keyword; True if any."""
    found = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line.startswith("#~"):  # an obsolete entry: the same syntax behind the marker
            line = line[2:].lstrip()
        elif line.startswith("#") or not line:
            continue
        keyword, text = _split(line)
        problem = _keyword_problem(keyword, line) or _string_problem(keyword, text)
        if problem is not None:
            problems.add(path, number, f"syntax error: {problem[0]}", problem[1], code="catalog")
            found = True
    return found


def _split(line: str) -> tuple[str, str]:
    """A line's keyword (none on a line that continues a text) and the text after it."""
    found = KEYWORD.match(line)
    keyword = found.group(0) if found else ""
    return keyword, line[len(keyword) :].strip()


def _keyword_problem(keyword: str, line: str) -> tuple[str, str] | None:
    """What is wrong with a line's keyword, if anything, and a hint."""
    if keyword and not STRING_KEYWORD.fullmatch(keyword):
        return f"{keyword!r} is not a keyword of a PO file (msgid, msgid_plural, msgctxt, msgstr)", SYNTAX_HINT
    if keyword and line[len(keyword) :] and line[len(keyword)] != " ":
        return f"{keyword} is not followed by a space", f'write it as {keyword} "..." (one space, then the text)'
    return None


def _string_problem(keyword: str, text: str) -> tuple[str, str] | None:
    """What is wrong with the quoted string ``text`` (after ``keyword``, or on a line of its own), and a hint."""
    where, before = (f"the text after {keyword}", f"{keyword} ") if keyword else ("this line of text", "")
    if not text.startswith('"'):
        return f"{where} is not in double quotes", f'write it as {before}"{text}"'
    found = QUOTED.match(text)
    if found is None:
        return f"{where} has no closing double quote", f'end it with a double quote: {before}{text}"'
    if found.end() != len(text):
        return (
            f"{where} goes on after its closing double quote",
            'write a double quote inside the text as \\" (a backslash, then the quote)',
        )
    return None


def label(message: Message) -> str:
    """A message's msgid as problems quote it, shortened."""
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return repr(msgid if len(msgid) <= 60 else msgid[:57] + "...")


def placeholders(message: Message) -> list[str]:
    """The placeholders of a message's msgid (and plural), each once, in order: ``%(date)s``."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    found = [match.group(0) for msgid in ids for match in PYTHON_FORMAT.finditer(msgid) if match.group(0) != "%%"]
    return list(dict.fromkeys(found))


def placeholder_error(message: Message) -> tuple[str, str] | None:
    """What is wrong with the placeholders of a message's translation, and how to mend it; None when nothing."""
    try:
        python_format(None, message)  # only when the msgid has placeholders (it is then python-format)
    except TranslationError as error:
        return str(error), placeholder_hint(message)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if not message.python_format:  # Babel skips these; a name in the translation would still fail to format
        for string in strings:
            for match in PYTHON_FORMAT.finditer(string or ""):
                if match.group(1) is not None:
                    return f"unknown named placeholder {match.group(1)!r}", placeholder_hint(message)
    # Every message is formatted, with its values or none (as Jinja's gettext does, and i18n.py's), so a
    # '%' that is no placeholder fails there, however right the placeholders are.
    values = _AnyValue()
    for string in strings:
        try:
            (string or "") % values
        except (ValueError, TypeError, KeyError):
            return "a '%' sign that is not a placeholder", 'write a percent sign as %% ("100 %%" shows 100 %)'
    # Templates insert translations as markup (as Jinja's gettext does), in attributes too.
    originals = "".join(message.id) if isinstance(message.id, tuple) else message.id
    for character, where, hint in MARKUP_CHARACTERS:
        if any(character in (string or "") for string in strings) and character not in originals:
            return f"a {character!r} in the translation, which pages insert as HTML: {where}", hint
    return None


#: Characters a translation may not add: pages insert translations as HTML, in text and in attribute values.
MARKUP_CHARACTERS = (
    ('"', "it would end an attribute", "write typographic quotation marks instead: « », “ ” or „ “"),
    ("<", "it would start a tag", "write the words without angle brackets"),
)


class _AnyValue(dict):
    """Values for formatting a translation whatever its placeholders' names: 0 fits %s and %d alike."""

    def __missing__(self, _name: str) -> int:
        return 0


def placeholder_hint(message: Message) -> str:
    """How to mend a translation's placeholders: name those of the original."""
    names = placeholders(message)
    if not names:
        return "the original has no placeholders: remove it from the translation"
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"use {listed} as in the original: copy placeholders unchanged, translate only the words around them"


def report_placeholders(path: Path, catalog: Catalog, problems: Problems, *, fuzzy: bool) -> None:
    """Record every translation whose placeholders differ from the original's (fuzzy ones only if ``fuzzy``)."""
    for message in catalog:
        if not message.id or (message.fuzzy and not fuzzy):
            continue
        found = placeholder_error(message)
        if found is not None:
            problems.add(path, message.lineno, f"{label(message)}: {found[0]}", found[1], code="catalog")
