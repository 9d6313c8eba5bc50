"""Stage 3a (walk): walk a token stream once per distinct chunk, replay the walk per document.

Rendering a document walks its token stream: each top-level block becomes an
HTML string, inline text is inspected for headings, links and problems.  Most
chunks of a document (see :mod:`policypress.chunks`) also occur in its other
versions and translations, so :func:`record` walks a chunk once, with lines
counted from the chunk's start, and :class:`Collector` replays that record into
every document holding the chunk, lines shifted.

What depends on the whole document is left to the replay: blocks holding a
footnote reference (numbered per document) are rendered then, and so is the
region state (the segment a block lands in, the regions of a heading, nested
region blocks).  Footnote definitions are left out of a chunk's record: a whole
parse moves them to the end of the document, where they are walked per
document.  A whole-document parse is walked the same way, so both agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors.index import unique_slug

from .anchors import ATTRS_PROBLEMS, MADE_LEVELS, PAGE_IDS, WRITTEN, heading_slug, unread_id
from .errors import Problems, Severity
from .regionblock import REGION_NOTE, is_closed
from .rendered import Heading, Link, Rendered, Segment

RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
#: A footnote reference left as text: the footnote plugin makes a footnote of every defined one.
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")

# What a record holds, in walk order: tuples whose first item is one of these kinds.  A line is
# None for a token without a position, which takes the line of the segment it is in.
START = 0  # (START, line): a top-level block begins
BLOCK = 1  # (BLOCK, html, heading id): a top-level block ends, rendered
LATE = 2  # (LATE, tokens, ((position, chunk index), ...), heading id): rendered at replay, numbered
OPEN = 3  # (OPEN, line, region names, closed): '::: region ...'
CLOSE = 4  # (CLOSE,)
HEADING = 5  # (HEADING, id, level, text, line, written): written, when its id was written as {#id}
LINK = 6  # (LINK, href, line)
PROBLEM = 7  # (PROBLEM, line, message, hint, severity, code)
#: (NOTE_REF, what it is, line, nested): a footnote reference, a problem inside a region block; nested: it is
#: inside a closed region block that is itself inside a list or quote (which the replay does not follow)
NOTE_REF = 8

Event = tuple[Any, ...]


@dataclass(frozen=True)
class Record:
    """The walk over one token stream."""

    events: tuple[Event, ...]


def record(
    md: MarkdownIt,
    tokens: Sequence[Token],
    *,
    shift: dict[int, int] | None = None,
    env: dict | None = None,
    late: frozenset[int] = frozenset(),
) -> Record | None:
    """Walk ``tokens``; ``shift[id(token)]`` is added to a token's lines.

    A block holding a token whose index is in ``late`` is rendered at replay.  None: a footnote
    definition is nested in another block, where a whole parse would take it out of its block.
    """
    kept: list[Token] = []
    origin: list[int] = []
    inside = False
    for index, token in enumerate(tokens):
        if token.type == "footnote_reference_open":
            if token.level or inside:
                return None
            inside = True
        elif token.type == "footnote_reference_close":
            inside = False
        elif not inside:
            kept.append(token)
            origin.append(index)
    events: list[Event] = []
    block_start: int | None = None
    heading_id: str | None = None
    nesting = 0
    nested_regions: list[bool] = []  # region blocks opened inside another block (a list item, a quote): closed?
    numbered = False
    for index, token in enumerate(kept):
        line = None
        if token.map:
            line = token.map[0] + 1 + (shift.get(id(token), 0) if shift else 0)
        kind = token.type
        # Problems of the {...} lines above this token, whatever it is (a region's marker line included).
        for at, message, hint in token.meta.get(ATTRS_PROBLEMS, ()):
            events.append(_problem(at + 1 + (shift.get(id(token), 0) if shift else 0), message, hint))
        if kind == "front_matter":
            continue
        if kind == "container_region_open":
            if nesting:  # a region is a run of top-level blocks: inside a list it would filter nothing
                nested_regions.append(is_closed(token))
                events.append(
                    _problem(
                        line,
                        "a region block inside a list or quote, where it would be shown to every region",
                        "put its '::: region' and ':::' lines at the left margin, outside the list or quote",
                    )
                )
                continue
            events.append((OPEN, line, tuple(token.info.split()[1:]), is_closed(token)))
            continue
        if kind == "container_region_close":
            if nested_regions and nesting:
                nested_regions.pop()
                continue
            events.append((CLOSE,))
            continue
        if REGION_NOTE in token.meta:
            events.append(_region_note(line, token.meta[REGION_NOTE]))
        if kind == "inline":
            _inspect_inline(token, kept[index - 1], line, events, any(nested_regions))
            numbered = numbered or origin[index] in late
        if block_start is None:
            block_start = index
            heading_id = _heading_id(token) if kind == "heading_open" else None
            events.append((START, line))
        nesting += token.nesting
        if nesting == 0:
            block = kept[block_start : index + 1]
            if numbered:
                places = tuple(
                    (n, origin[block_start + n]) for n in range(len(block)) if origin[block_start + n] in late
                )
                events.append((LATE, tuple(block), places, heading_id))
            else:
                events.append((BLOCK, md.renderer.render(block, md.options, env or {}), heading_id))
            block_start, numbered = None, False
    return Record(tuple(events))


def _heading_id(opener: Token) -> str | None:
    """A heading's anchor: made for levels 1 to 4 (MADE_LEVELS), written for any level; None for a level 5
    or 6 heading without a written one, which is no section and no anchor."""
    found = opener.attrGet("id")
    return None if found is None else str(found)


def _problem(line: int | None, message: str, hint: str, code: str = "") -> Event:
    """A problem event: an error, or a warning when it has a ``code``."""
    return (PROBLEM, line, message, hint, Severity.WARNING if code else Severity.ERROR, code or "content")


def _region_note(line: int | None, label: str) -> Event:
    """The problem of a footnote defined in a region block, which would be shown in every region's view."""
    return _problem(
        line,
        f"footnote [^{label}] is defined inside a region block, but footnotes are shown to every region",
        "define the footnote outside the region block, or write the text in the block itself",
    )


def _undefined_notes(token: Token, line: int | None, events: list[Event]) -> None:
    """Report each footnote reference in ``token`` that nothing defines (it would be printed as written), at
    the line of the paragraph it is on.  One written with an escaped bracket (``\\[^x]``) is text too, so
    a label is reported only when the text shows it more often than the source escapes it."""
    source = token.content
    text = "".join(child.content for child in token.children or () if child.type == "text")
    for label in dict.fromkeys(FOOTNOTE_REF.findall(text)):
        mark = re.escape(label)
        if text.count(f"[^{label}]") <= len(re.findall(r"\\\[\^" + mark + r"\\?\]", source)):
            continue  # every one is written escaped
        unescaped = (m.start() for m in re.finditer(r"(?<!\\)\[\^" + mark + r"\]", source))
        first = next((at for at in unescaped if source.count("`", 0, at) % 2 == 0), 0)  # not in a code span
        at = line + source.count("\n", 0, first) if line is not None else None
        events.append(
            _problem(at, f"footnote [^{label}] is never defined", f"add `[^{label}]: …` or remove the reference")
        )


def _inspect_inline(token: Token, opener: Token, line: int | None, events: list[Event], nested: bool) -> None:
    children = token.children or []
    _undefined_notes(token, line, events)
    # Any line of a paragraph: a ':::' that closes no block runs on from the text above it.
    lines = token.content.split("\n")
    for number, text in enumerate(lines if opener.type == "paragraph_open" else lines[:1]):
        if text.lstrip().startswith(":::"):
            events.append(
                _problem(
                    line + number if line is not None else None,
                    f"stray or unknown block marker {text.strip()!r}",
                    "blocks are written '::: region <id>' ... ':::'; remove the marker or fix it",
                )
            )
    if opener.type == "heading_open" and opener.tag == "h1":
        events.append(
            _problem(
                line,
                "level-1 heading in the text",
                "the page title comes from the front matter 'title'; start sections with ##",
                "heading-level",
            )
        )
    if opener.type == "heading_open" and (heading_id := _heading_id(opener)) is not None:
        text = "".join(c.content for c in children if c.type in ("text", "code_inline"))
        events.append((HEADING, heading_id, int(opener.tag[1]), text, line, WRITTEN in opener.meta))
    elif opener.type == "paragraph_open" and (unread := unread_id(token.content)) is not None:
        events.append(_problem(line + unread[0] if line is not None else None, *unread[1:]))
    # A paragraph written over several lines has a line break token where each of its lines ends.
    at = line
    for child in children:
        if child.type in ("softbreak", "hardbreak") and at is not None:
            at += 1
        elif child.type == "link_open":
            events.append((LINK, str(child.attrGet("href")), at))
        elif child.type == "footnote_ref":
            label = child.meta.get("label")  # none for an inline footnote, ^[text]
            events.append((NOTE_REF, f"footnote [^{label}]" if label else "inline footnote ^[...]", at, nested))
        elif child.type == "image":
            events.append(
                _problem(
                    at,
                    "images are not supported in policy text",
                    "describe it in words; images from other sites would leak readers to them",
                )
            )
        elif child.type == "text" and "<!--" in child.content:
            events.append(
                _problem(
                    at,
                    "an HTML comment is published as visible text, not hidden",
                    "remove it: notes for editors belong in the commit message or a file outside the content folder",
                )
            )
        elif child.type == "text" and (tag := RAW_HTML.search(child.content)):
            events.append(
                _problem(
                    at,
                    f"raw HTML is shown as text, not as markup: {tag.group(0)}",
                    "use Markdown instead of HTML tags",
                    "raw-html",
                )
            )


class Collector:
    """Build one document's :class:`Rendered` from the records of its parts, in order."""

    def __init__(
        self, md: MarkdownIt, env: dict, path: Path, problems: Problems, region_ids: tuple[str, ...] | None
    ) -> None:
        """``region_ids``: the site's regions (None: unknown, any id is taken)."""
        self.md, self.env, self.path, self.problems, self.region_ids = md, env, path, problems, region_ids
        self.segments: list[Segment] = []
        self.headings: list[Heading] = []
        self.links: list[Link] = []
        self.regions: tuple[str, ...] = ()
        #: Whether the region block being read is closed: one that is not runs on by mistake.
        self.closed = True
        self.blocks: list[str] = []
        self.heading_ids: list[str | None] = []
        #: For each heading, whether its id was written as {#id} above it.
        self.written: list[bool] = []
        self.segment_line = 1
        #: The line of the '::: region' marker of the block being read.
        self.region_line = 0

    def replay(self, events: Sequence[Event], offset: int = 0, stream: Sequence[Token] = (), base: int = 0) -> None:
        """Add the events of a record whose lines start after ``offset``; a LATE block's numbered
        tokens are taken from ``stream``, where the record's tokens start at ``base``."""
        for event in events:
            kind = event[0]
            if kind == BLOCK or kind == LATE:
                html = event[1]
                if kind == LATE:
                    block = list(event[1])
                    for position, index in event[2]:
                        block[position] = stream[base + index]
                    html = self.md.renderer.render(block, self.md.options, self.env)
                self.blocks.append(html)
                self.heading_ids.append(event[3] if kind == LATE else event[2])
                continue
            if kind == START:
                if not self.blocks:
                    self.segment_line = self._at(event[1], offset)
            elif kind == HEADING:
                self.headings.append(Heading(event[1], event[2], event[3], self.regions, self._at(event[4], offset)))
                self.written.append(event[5])
            elif kind == LINK:
                self.links.append(Link(event[1], self._at(event[2], offset)))
            elif kind == PROBLEM:
                line = self._at(event[1], offset)
                self.problems.add(self.path, line, event[2], event[3], severity=event[4], code=event[5])
            elif kind == OPEN:
                self._open(self._at(event[1], offset), event[2], event[3])
            elif kind == NOTE_REF:
                # An unclosed block's only problem is that it is not closed.
                if (self.regions or event[3]) and self.closed:
                    self.problems.add(
                        self.path,
                        self._at(event[2], offset),
                        f"{event[1]} is referenced inside a region block, but footnotes are shown to "
                        "every region (other regions' views would show the note, its back link leading nowhere)",
                        "write the note's text in the block itself",
                    )
            else:
                self._close_segment()
                self.regions = ()

    def _at(self, line: int | None, offset: int) -> int:
        """A recorded line in the document (a token without one is on its segment's line)."""
        return self.segment_line if line is None else line + offset

    def _close_segment(self) -> None:
        if self.blocks:
            self.segments.append(Segment(self.regions, tuple(self.blocks), self.segment_line, tuple(self.heading_ids)))
        self.blocks, self.heading_ids = [], []

    def _open(self, line: int, names: tuple[str, ...], closed: bool) -> None:
        # The parser ends a block opened in an open one where that one ends (at the first ':::'), so
        # the inner block is closed when the outer one is: nesting is its problem, not a missing ':::'.
        closed = closed or (bool(self.regions) and self.closed)
        if self.regions:
            self.problems.add(
                self.path,
                line,
                f"the region block opened on line {self.region_line} is not closed before this one "
                "(region blocks cannot be nested)",
                f"add a line ':::' to close it before line {line}",
            )
        self._close_segment()
        if not names:
            self.problems.add(
                self.path,
                line,
                "region block names no region",
                f"write '::: region <id>' with one of: {', '.join(self.region_ids or ('the ids in site.yaml',))}",
            )
        for name in names:
            if self.region_ids is not None and name not in self.region_ids:
                self.problems.add(
                    self.path,
                    line,
                    f"unknown region '{name}' (known: {', '.join(self.region_ids) or 'none'})",
                    "separate region ids with spaces, not commas: '::: region eea uk'"
                    if "," in name
                    else (
                        "fix the spelling, or define the region in site.yaml (text already in force must not "
                        "change: if the region was renamed or removed, define it again)"
                    ),
                )
        self.regions = names or ("",)
        self.segment_line = self.region_line = line
        self.closed = closed
        if not closed:
            self.problems.add(
                self.path,
                line,
                "region block is never closed",
                "add a line with ':::' where the block ends, outside any ``` code block",
            )

    def rendered(self) -> Rendered:
        """The document, once every part has been replayed."""
        self._close_segment()
        self._check_anchors()
        self._check_made_anchors()
        return Rendered(tuple(self.segments), tuple(self.headings), tuple(self.links))

    def _check_anchors(self) -> None:
        """Every heading anchor is the only element of its page with that id."""
        first: dict[str, int] = {}
        # What a suggested id must not be: any heading's anchor, or one its text would make.
        taken = {h.id for h in self.headings if h.id} | {heading_slug(h.text) for h in self.headings}
        for heading in self.headings:
            if not heading.id:
                continue
            if heading.id in first:
                message = f"heading anchor #{heading.id} is also the anchor of the heading on line {first[heading.id]}"
                self.problems.add(self.path, heading.line, message, "give each heading its own {#id}")
            elif PAGE_IDS.fullmatch(heading.id):
                message = f"heading anchor #{heading.id} is an id the page itself uses"
                hint = f"choose another: {{#{_free_id(heading.id, taken)}}}, say, on the line above the heading"
                self.problems.add(self.path, heading.line, message, hint)
            first.setdefault(heading.id, heading.line)

    def _check_made_anchors(self) -> None:
        """A heading keeps the anchor made from its text: a {#id} written above another may not take it
        (the anchors plugin would give this one ``id-1``, and links to ``#id`` would change heading)."""
        written = {h.id: h.line for h, was in zip(self.headings, self.written, strict=True) if was}
        made: set[str] = set()
        for heading, was in zip(self.headings, self.written, strict=True):
            if was or heading.level > MADE_LEVELS:
                continue
            slug = unique_slug(heading_slug(heading.text), made)  # its anchor if nothing were written
            if heading.id != slug and slug in written:
                message = (
                    f"heading anchor #{slug}, made from this heading's text, is also written as {{#{slug}}} "
                    f"for the heading on line {written[slug]}"
                )
                hint = (
                    f"an anchor belongs to one heading: write another {{#id}} above the heading on line "
                    f"{written[slug]}, or above this one"
                )
                self.problems.add(self.path, heading.line, message, hint)


def _free_id(base: str, taken: set[str]) -> str:
    """An id made from ``base`` that is not ``taken`` in the document, nor one the page itself uses."""
    candidate, number = f"{base}-section", 2
    while candidate in taken or PAGE_IDS.fullmatch(candidate):
        candidate, number = f"{base}-section-{number}", number + 1
    return candidate
