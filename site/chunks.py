"""Stage 3a (parse): parse a document as top-level chunks, each distinct chunk once.

A policy's versions and translations share most of their sections, so
:class:`Chunker` splits a document before its level-1 to 3 headings, parses each
chunk with markdown-it (memoised by the chunk's text), and stitches the token
streams into the stream a whole-document parse gives: line numbers shifted,
footnotes renumbered and moved to the end exactly as the footnote plugin does.

Exactness comes first.  Whatever could make the stitched stream differ from a
whole parse (reference definitions, inline footnotes, a fence or region block
cut by a boundary, a heading id that occurs twice, ...) makes :meth:`parse`
return None, and the caller parses the whole document instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .stitch import Parsed, stitch

#: A level-1 to 3 ATX heading at column 0: where a chunk may start.
HEADING = re.compile(r"#{1,3}(?:[ \t]|$)")
#: An attributes line such as ``{#id}`` at column 0, which belongs to the heading below it.
ATTRS = re.compile(r"\{.*\}[ \t]*$")
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
FRONT_END = re.compile(r"(-{3,}|\.\.\.)[ \t]*$")
REGION = re.compile(r" {0,3}(:{3,})(.*)$")
#: What could be a footnote definition's label (a superset: checked against the parse).
FOOTNOTE_LABEL = re.compile(r"\[\^([^\] \n]+)\]:")
#: Blocks that end before a blank line and a column-0 heading, wherever the text goes on:
#: cutting the text there cannot change them.  Anything else reaching a chunk's end is suspect.
CUT_SAFE = frozenset(
    {
        "paragraph_open",
        "inline",
        "heading_open",
        "hr",
        "code_block",
        "bullet_list_open",
        "ordered_list_open",
        "list_item_open",
        "blockquote_open",
        "table_open",
        "thead_open",
        "tbody_open",
        "tr_open",
        "th_open",
        "td_open",
        "footnote_reference_open",
    }
)
#: Distinct chunks kept per renderer; enough for every version and translation of a policy.
MEMO_SIZE = 4096
_MARK = "policypress:block-rejected"


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def chunk_starts(lines: list[str]) -> list[int]:
    """The line numbers (0-based) where chunks start: 0, then before safe level-1 to 3 headings."""
    starts = [0]
    fence: tuple[str, int] | None = None
    region = 0
    front = bool(lines) and lines[0].startswith("---")
    for number, line in enumerate(lines):
        if number == 0:
            continue
        if front:
            front = not FRONT_END.match(line)
            continue
        if fence is not None:
            found = FENCE.match(line)
            marker = found.group(1) if found else ""
            if marker[:1] == fence[0] and len(marker) >= fence[1] and _blank(line[found.end() :]):  # type: ignore[union-attr]
                fence = None
            continue
        found = FENCE.match(line)
        if found:
            fence = (found.group(1)[0], len(found.group(1)))
            continue
        found = REGION.match(line)
        if found:
            params = found.group(2).strip()
            if params.split(" ", 1)[0] == "region":
                region += 1
            elif _blank(params) and region:
                region -= 1
            continue
        if region or not HEADING.match(line):
            continue
        start, above = number, number - 1
        while above >= 0 and (_blank(lines[above]) or ATTRS.match(lines[above])):
            if not _blank(lines[above]):
                start = above
            above -= 1
        if start > starts[-1] and _blank(lines[start - 1]):
            starts.append(start)
    return starts


@dataclass(frozen=True)
class Chunk:
    """One chunk's parse: its tokens (lines counted from the chunk's start) and what it tells."""

    tokens: list[Token]
    lines: int
    block_rejected: tuple[str, ...]
    inline_rejected: tuple[str, ...]
    #: Footnote labels this chunk defines.
    defines: frozenset[str]
    #: The indexes of the inline tokens that hold footnote references (numbered per document).
    footnoted: tuple[int, ...]
    #: The indexes of the tokens of footnote definitions (a whole parse moves them to the end).
    notes: tuple[int, ...]
    #: The ids of its headings (the anchors plugin gives a document's headings distinct ids).
    ids: tuple[str, ...]
    #: Something here cannot be stitched exactly (a reference definition, an inline footnote, ...).
    unsafe: bool
    #: A block that a later line could continue reaches the chunk's end.
    open_end: bool


class Chunker:
    """Parse documents chunk by chunk with ``md`` (a parser set up like the whole-document one).

    ``rejected`` is the list ``md``'s link validation appends refused URLs to.
    """

    def __init__(self, md: MarkdownIt, rejected: list[str]) -> None:
        md.disable("footnote_tail")  # done once, over the stitched stream
        md.core.ruler.before("inline", "policypress_mark", self._mark)
        self.md = md
        self._rejected = rejected
        self._memo: dict[tuple[str, frozenset[str]], Chunk] = {}
        #: Chunks parsed, and chunks stitched, so far (tests check that chunks are shared).
        self.parsed = 0
        self.used = 0

    def forget(self) -> None:
        """Drop every remembered chunk (a worker does between policies: they share few sections)."""
        self._memo.clear()

    def _mark(self, state: StateCore) -> None:
        state.env[_MARK] = len(self._rejected)

    def parse(self, source: str) -> Parsed | None:
        """A whole-document parse of ``source``, or None: parse it whole."""
        if "\r" in source:  # markdown-it counts a lone CR as a line break; str.split does not
            return None
        lines = source.split("\n")
        starts = chunk_starts(lines)
        if len(starts) == 1:
            return None
        labels = frozenset(FOOTNOTE_LABEL.findall(source))
        chunks = []
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(lines)
            text = "\n".join(lines[start:end]) + ("\n" if end < len(lines) else "")
            chunk = self._chunk(text, labels)
            last = index == len(starts) - 1
            if chunk.unsafe or (chunk.open_end and not last):
                return None
            chunks.append(chunk)
        if source.startswith("---") and not any(t.type == "front_matter" for t in chunks[0].tokens):
            return None  # the front matter may close in a later chunk
        if frozenset().union(*(c.defines for c in chunks)) != labels:
            return None
        stitched = stitch(self.md, chunks, starts)
        if stitched is not None:
            self.used += len(chunks)
        return stitched

    def _chunk(self, text: str, labels: frozenset[str]) -> Chunk:
        if "[^" not in text:
            labels = frozenset()  # no footnote reference or definition: the same parse in any document
        found = self._memo.get((text, labels))
        if found is not None:
            return found
        del self._rejected[:]
        # Every footnote label the document defines is known before any text is read, as in
        # a whole parse (whose block stage sees every definition before the inline stage).
        env: dict = {"footnotes": {"refs": {":" + label: -1 for label in labels}, "list": {}}}
        tokens = self.md.parse(text, env)
        mark = env.get(_MARK, len(self._rejected))
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        chunk = Chunk(
            tokens,
            lines,
            tuple(self._rejected[:mark]),
            tuple(self._rejected[mark:]),
            frozenset(t.meta["label"] for t in tokens if t.type == "footnote_reference_open"),
            tuple(i for i, t in enumerate(tokens) if any(c.type == "footnote_ref" for c in t.children or ())),
            _notes(tokens),
            tuple(str(t.attrGet("id")) for t in tokens if t.type == "heading_open" and t.attrGet("id") is not None),
            _unsafe(tokens, env),
            any(t.map is not None and t.map[1] >= lines and t.type not in CUT_SAFE for t in tokens),
        )
        self.parsed += 1
        if len(self._memo) >= MEMO_SIZE:
            del self._memo[next(iter(self._memo))]
        self._memo[(text, labels)] = chunk
        return chunk


def _unsafe(tokens: list[Token], env: dict) -> bool:
    """True when the chunk holds something a stitched parse would not reproduce exactly."""
    if env.get("references"):
        return True  # a definition is visible to every chunk of a whole parse
    if any("label" not in note for note in env["footnotes"]["list"].values()):
        return True  # inline footnotes keep their tokens in the env
    depth = 0
    for token in tokens:
        if token.type == "footnote_reference_open":
            depth += 1
        elif token.type == "footnote_reference_close":
            depth -= 1
        elif token.type == "heading_open" and depth:
            return True  # a whole parse names its anchor after moving the footnote
        for child in token.children or ():
            if child.children and any(t.type == "footnote_ref" for t in _walk(child.children)):
                return True  # a footnote inside an image's text
    return False


def _notes(tokens: list[Token]) -> tuple[int, ...]:
    """The indexes of the tokens the footnote plugin takes out of the stream to lay out at its end
    (decided as the plugin decides it, so that laying out just these gives the same footnotes)."""
    found: list[int] = []
    inside = False
    for index, token in enumerate(tokens):
        if token.type in ("footnote_reference_open", "footnote_reference_close"):
            inside = token.type == "footnote_reference_open"
            found.append(index)
        elif inside:
            found.append(index)
    return tuple(found)


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _walk(token.children or [])
