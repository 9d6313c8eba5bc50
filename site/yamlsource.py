"""Read source files as text, split off front matter, and parse YAML with the line of every key.

Used by the loading stage for ``site.yaml`` and for the front matter of
Markdown files, so that every error can name its line.  PyYAML is imported on
the first parse, not with this module: a build whose front matter all comes
from the load cache never needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problems

if TYPE_CHECKING:
    import yaml
    from pydantic import ValidationError

#: Where each key and list item is: its path of keys and indexes -> its 1-based line.
Lines = dict[tuple[Any, ...], int]


def decode_text(data: bytes, path: Path, problems: Problems) -> str | None:
    """Decode a file's UTF-8 bytes, reporting the line of the first bad byte otherwise.

    A NUL character is valid UTF-8 but no text: Markdown would publish it as "�" without a word.
    """
    try:
        text = decode(data)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(
            path, line, f"the file is not UTF-8 (byte 0x{data[error.start]:02x})", "save it with UTF-8 encoding"
        )
        return None
    if "\0" in text:
        problems.add(
            path,
            text[: text.index("\0")].count("\n") + 1,
            "the file holds a NUL character (byte 0x00), which is not text",
            "delete it (an editor may show it as ^@ or \\0); if the file was saved by a program, save it again as text",
        )
        return None
    return text


def decode(data: bytes) -> str:
    """A file's text: UTF-8 without a byte-order mark, with Unix line ends; raises UnicodeDecodeError."""
    text = data.decode("utf-8").removeprefix("\ufeff")
    # Looking for a carriage return is ten times faster than replace() finding none, on every file of every build.
    return text.replace("\r\n", "\n") if "\r" in text else text


def report_unreadable(problems: Problems, path: Path, error: OSError, what: str = "file") -> None:
    """Report that the file (or folder) ``path`` cannot be read, and what to do."""
    problems.add(
        path,
        None,
        f"the {what} cannot be read ({error.strerror or error})",
        "check that it exists and that you may read it (its permissions), or remove it",
    )


def read_text(path: Path, problems: Problems) -> str | None:
    """Read a UTF-8 file, reporting the line of the first bad byte otherwise, or that it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        report_unreadable(problems, path, error)
        return None
    return decode_text(data, path, problems)


@dataclass(frozen=True)
class Split:
    """The YAML between the opening and closing ``---`` lines."""

    yaml: str
    body_line: int  # 1-based line on which the Markdown body starts


def split_front_matter(text: str) -> Split | None:
    """Return the front matter block, or None when the file does not start with one."""
    # Line by line with find(), not split(): the loader splits every file of the site on every build.
    end = text.find("\n")
    if (text if end < 0 else text[:end]).rstrip() != "---":
        return None
    first = start = end + 1
    number = 2  # the 1-based number of the line that starts at ``start``
    while end >= 0:
        end = text.find("\n", start)
        if (text[start:] if end < 0 else text[start:end]).rstrip() == "---":
            return Split(text[first : max(first, start - 1)], number + 1)
        start, number = end + 1, number + 1
    return None


def _node_lines(
    node: yaml.Node, path: tuple[Any, ...], lines: Lines, repeated: list[tuple[tuple[Any, ...], int, int]]
) -> None:
    """Record the 1-based line of every key and list item under ``node``, and in ``repeated`` each key a
    mapping has twice: (its path, 0-based line of its first use, of the later one)."""
    lines[path] = node.start_mark.line + 1
    if node.id == "mapping":
        for key, value in node.value:
            child = (*path, key.value)
            if child in lines and key.id == "scalar":
                repeated.append((child, lines[child] - 1, key.start_mark.line))
            _node_lines(value, child, lines, repeated)
            lines[child] = key.start_mark.line + 1
    elif node.id == "sequence":
        for index, item in enumerate(node.value):
            _node_lines(item, (*path, index), lines, repeated)


def parse_yaml(
    text: str, path: Path, problems: Problems, first_line: int = 1, repeated_keys: list[tuple[Any, ...]] | None = None
) -> tuple[Any, Lines]:
    """Parse YAML, reporting a syntax error at its line; return data and key lines.  A key written twice in one
    mapping is reported, and its path added to ``repeated_keys`` when given."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    node: yaml.Node | None = None
    try:
        try:
            node = yaml.compose(text, Loader=fast)
            data = yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            # Again with the pure-Python parser: its messages are the ones editors see.
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        problems.add(path, *_syntax_error(error, first_line, text))
        return None, {}
    except ValueError as error:
        # PyYAML reads 2026-13-01 as a date and fails outside its YAMLError family.
        line = _bad_date_line(node) if node is not None else None
        problems.add(
            path,
            first_line + line if line is not None else first_line,
            f"malformed YAML: {error}",
            "a value written like a date must be a real date in YYYY-MM-DD form",
        )
        return None, {}
    lines: Lines = {}
    repeated: list[tuple[tuple[Any, ...], int, int]] = []
    if node is not None:
        _node_lines(node, (), lines, repeated)
        for key, first, again in repeated:
            problems.add(
                path,
                first_line + again,
                f"the key {key[-1]!r} is also on line {first_line + first}, and only the last one would count",
                "keep one of the two lines",
            )
            if repeated_keys is not None:
                repeated_keys.append(key)
    return data, {key: line + first_line - 1 for key, line in lines.items()}


#: What YAML was reading when it met the error, for a bracket or quote mark opened on one line and never
#: closed, which YAML only notices lines later. (Anything else is reported where YAML stopped.)
UNCLOSED = {
    "while parsing a flow sequence": (
        "the '[' on this line is never closed",
        "end the list with ']', or put the whole value in double quotes when the bracket is part of the text",
    ),
    "while parsing a flow mapping": (
        "the '{' on this line is never closed",
        "end it with '}', or put the whole value in double quotes when the brace is part of the text",
    ),
    "while scanning a quoted scalar": (
        "the quote mark that starts the value on this line is never closed",
        "end the value with the same quote mark; a value holding an apostrophe goes in double quotes",
    ),
}
#: A ``key: value`` line (or a list item's), with the value as written.
KEY_VALUE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w.-]*):[ \t]+(\S.*?)\s*$")


def _key_value(text: str, line: int) -> tuple[str, str] | None:
    """The key and the value as written on ``text``'s 0-based ``line``; None when it holds no key and value."""
    lines = text.split("\n")
    found = KEY_VALUE.match(lines[line]) if 0 <= line < len(lines) else None
    return (found[1], found[2]) if found else None


def _in_double_quotes(value: str) -> str:
    """``value`` as YAML text in double quotes."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quoted_example(text: str, line: int) -> str:
    """The key and value on ``text``'s 0-based ``line``, written with the value in double quotes, as an example
    of the fix (", for example name: "[Draft] Notes""); empty when the line holds no key and value."""
    found = _key_value(text, line)
    if found is None:
        return ""
    key, value = found
    if value[0] in "'\"" and value[0] not in value[1:]:  # a quote mark never closed: what follows it is the text
        value = value[1:]
    elif value[0] in "'\"":
        return ""  # quoted already: what is wrong is elsewhere
    return f", for example {key}: {_in_double_quotes(value)}"


def _syntax_error(error: Exception, first_line: int, text: str) -> tuple[int, str, str]:
    """Where a YAML syntax error in ``text`` is, what is wrong and how to fix it."""
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    mark, opened = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    unclosed = UNCLOSED.get(getattr(error, "context", None) or "")
    # Never closed: YAML ran to the end, or met the next line's key, still inside the brackets or quotes
    # (it names the same context for a mistake inside a list that is closed: that one is where it stopped).
    ran_on = problem.endswith(("'<stream end>'", "end of stream")) or (
        problem.endswith("got ':'") and mark is not None and opened is not None and mark.line > opened.line
    )
    if unclosed is not None and opened is not None and ran_on:
        later = mark is not None and mark.line > opened.line
        stopped = f" (YAML stopped on line {first_line + mark.line}: {problem})" if later else ""
        hint = unclosed[1] + _quoted_example(text, opened.line)
        return first_line + opened.line, f"malformed YAML: {unclosed[0]}{stopped}", hint
    hint = (
        "check the indentation and colons on this line; a value holding ': ', ' #' or a quote mark needs "
        "double quotes around it" + (_quoted_example(text, mark.line) if mark else "")
    )
    if "'\\t'" in problem:  # PyYAML names the character as Python would write it
        problem, hint = "a tab character, which YAML does not allow for indenting", "indent with spaces, not tabs"
    return first_line + mark.line if mark else first_line, f"malformed YAML: {problem}", hint


def _bad_date_line(node: yaml.Node) -> int | None:
    """The 0-based line of the first date-like scalar that is not a real date."""
    import yaml

    if node.id == "scalar":
        if node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.SafeLoader("").construct_yaml_timestamp(node)
            except ValueError:
                return node.start_mark.line
        return None
    children = [v for pair in node.value for v in pair] if node.id == "mapping" else node.value
    for child in children:
        found = _bad_date_line(child)
        if found is not None:
            return found
    return None


def line_for(loc: tuple[Any, ...], lines: Lines) -> int | None:
    """The line of ``loc``, or of the nearest key above it that has one."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def report_validation(
    error: ValidationError, path: Path, lines: Lines, problems: Problems, data: Any, text: str = "", first_line: int = 1
) -> None:
    """Turn pydantic's errors about ``data`` into located problems with a hint each (``text``: the YAML they come
    from, whose first line is the file's ``first_line``, for examples that keep a value as it was written)."""
    for item in error.errors():
        loc = tuple(item["loc"])
        where = describe(loc, data)
        kind = item["type"]
        if kind == "extra_forbidden":
            message, hint = f"unknown key {where}", "remove it or fix its spelling (see docs/content.md)"
        elif kind == "missing":
            message, hint = f"missing required key {where}", "add it (see docs/content.md)"
        elif item.get("input", ...) is None:  # 'title:' with nothing after it: YAML reads no value at all
            message, hint = f"empty {where}", "write its value after the colon"
        elif kind == "string_too_short" and not str(item.get("input", "")).strip():  # title: "" (or spaces)
            message, hint = f"empty {where}", "write its value after the colon, in place of the empty quotes"
        else:
            message = f"invalid {where}: {item['msg'].removeprefix('Value error, ')}"
            # A validator of ours says how to fix what it refuses (see config.py's invalid()).
            hint = str(item.get("ctx", {}).get("hint", "")) or TYPE_HINTS.get(kind, "") or _bound_hint(item)
            if kind == "string_type" and isinstance(loc[-1], str) and not isinstance(item.get("input"), list | dict):
                hint = _text_hint(loc[-1], item.get("input"), _written(text, line_for(loc, lines), first_line))
            elif kind == "string_type" and isinstance(item.get("input"), list):
                message = f"invalid {where}: it holds a list, where text is expected"
                hint = "write the text after the colon, on the key's own line: a sentence or a few, not a list"
            elif kind == "string_type" and isinstance(item.get("input"), dict):
                message = f"invalid {where}: it holds keys and values, where text is expected"
                example = f', for example {loc[-1]}: "Note: …"' if isinstance(loc[-1], str) else ""
                hint = f"put the whole text in double quotes: a colon and a space start a key{example}"
        problems.add(path, line_for(loc, lines), message, hint)


#: What a bound in pydantic's error context means: cookie_days: 900 is over "le" (400).
BOUNDS = {"le": "no more than {}", "lt": "less than {}", "ge": "at least {}", "gt": "more than {}"}


def _bound_hint(item: Any) -> str:
    """For a number out of its range: which numbers are allowed."""
    context = item.get("ctx", {})
    found = [BOUNDS[name].format(context[name]) for name in BOUNDS if name in context]
    return f"write a number {' and '.join(found)}" if found else ""


def _text_hint(key: str, value: Any, written: str | None) -> str:
    """How to write as text the ``value`` that YAML read as a truth value, a number or a date (``written``: the
    value as the line has it, which the example keeps: YAML reads 2.10 as 2.1, and 12:30 as 750)."""
    if isinstance(value, bool):
        return (
            f'write the text in double quotes, for example {key}: "Yes": YAML reads yes, no, on, off, true and '
            "false as a truth value"
        )
    shown = _in_double_quotes(written if written is not None else str(value))
    return f"write the text in double quotes, for example {key}: {shown}"


def _written(text: str, line: int | None, first_line: int) -> str | None:
    """The value written after the key on the file's ``line`` of ``text`` (which starts at ``first_line``)."""
    found = _key_value(text, line - first_line) if line is not None else None
    return found[1] if found else None


def describe(loc: tuple[Any, ...], data: Any) -> str:
    """A key's place as an editor counts: ``('regions', 1, 'name')`` is "'name' in item 2 of 'regions'".

    ``data`` is what the YAML holds: a number in ``loc`` counts an item only where it looks into a list
    (``2024:`` is a key).
    """
    holders = _holders(loc, data)
    if loc and loc[-1] == "[key]":  # the key itself is wrong, such as no: (which YAML reads as false)
        holder, part = holders[-2], loc[-2]
        # pydantic gives a key YAML read as false as 0: name the key as the YAML holds it.
        key = (
            next((k for k in holder if k == part and type(k) is not type(part)), part)
            if isinstance(holder, dict)
            else part
        )
        written = (
            f"{str(key).lower()} (YAML reads yes, no, on and off as true or false)"
            if isinstance(key, bool)
            else repr(key)
        )
        return f"key {written} of {describe(loc[:-2], data)}"
    positions = [index for index, part in enumerate(loc) if type(part) is int and isinstance(holders[index], list)]
    if not positions:
        return f"'{'.'.join(map(str, loc))}'" if loc else "(top level)"
    last = positions[-1]
    key = loc[last + 1 :]
    item = f"'{'.'.join(map(str, key))}' in item {loc[last] + 1}" if key else f"item {loc[last] + 1}"
    return f"{item} of {describe(loc[:last], data)}"


def _holders(loc: tuple[Any, ...], data: Any) -> list[Any]:
    """For each part of ``loc``, the list or mapping of ``data`` it looks into (None past what ``data`` holds)."""
    found, node = [], data
    for part in loc:
        found.append(node)
        if isinstance(node, list) and type(part) is int and 0 <= part < len(node):
            node = node[part]
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return found


#: What to write instead, by pydantic's error type (YAML reads yes, 12 and 2026-01-01 as a truth
#: value, a number and a date, so text that looks like one needs quotes).
TYPE_HINTS = {
    "string_type": "write the text in double quotes",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "date_type": "write the date as YYYY-MM-DD, for example 2026-01-31",
    "date_parsing": "write the date as YYYY-MM-DD, for example 2026-01-31",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD, for example 2026-01-31",
    "date_from_datetime_inexact": "write the date as YYYY-MM-DD, for example 2026-01-31",
    "int_type": "write a whole number, for example 365",
    "int_parsing": "write a whole number, for example 365",
    "int_from_float": "write a whole number, for example 365",
    "list_type": "write a list: one '- item' line per item, or [a, b]",
    "dict_type": "write the keys indented below it, one 'key: value' per line",
}
