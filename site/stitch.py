"""Stage 3a (stitch): join the parses of a document's chunks into the stream a whole parse gives.

:func:`stitch` lays the chunks' tokens end to end, numbers footnote references
in document order, and refuses when heading ids collide.  What only some
renderings need is worked out when first asked for: the whole stream (footnote
definitions moved to the end, as the footnote plugin does), each token's line
shift, or just the footnotes at the end.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote.index import footnote_tail

if TYPE_CHECKING:
    from .chunks import Chunk


@dataclass(frozen=True)
class Parsed:
    """A document parsed chunk by chunk: the chunks' streams, stitched as a whole parse gives them."""

    md: MarkdownIt
    env: dict
    #: URLs the link validation refused, as a whole parse refuses them (in order).
    rejected: list[str]
    chunks: tuple[Chunk, ...]
    #: The line (0-based) each chunk starts on.
    starts: tuple[int, ...]
    #: The chunks' tokens end to end, footnote references numbered, before footnotes move to the end.
    stream: list[Token]

    @cached_property
    def tokens(self) -> list[Token]:
        """The stream a whole parse gives: footnote definitions moved to the end."""
        state = StateCore("", self.md, self.env, self.stream)
        footnote_tail(state)
        return state.tokens

    @cached_property
    def shift(self) -> dict[int, int]:
        """``id(token)`` -> the number to add to the token's lines (its ``map`` counts from its chunk's start)."""
        return {id(token): offset for token, offset in self._placed(notes=False) if offset}

    @cached_property
    def tail(self) -> tuple[list[Token], dict[int, int]]:
        """The end of :attr:`tokens` (the footnotes, as the footnote plugin lays them out), and its
        shift; made of the definitions alone, without going over the rest of the stream."""
        notes = list(self._placed(notes=True))
        state = StateCore("", self.md, self.env, [token for token, _ in notes])
        footnote_tail(state)
        return state.tokens, {id(token): offset for token, offset in notes if offset}

    def _placed(self, *, notes: bool) -> Iterator[tuple[Token, int]]:
        """Each token of the stream (or of its footnote definitions) with its chunk's first line."""
        base = 0
        for chunk, offset in zip(self.chunks, self.starts, strict=True):
            for index in chunk.notes if notes else range(len(chunk.tokens)):
                yield self.stream[base + index], offset
            base += len(chunk.tokens)


def stitch(md: MarkdownIt, chunks: list[Chunk], starts: list[int]) -> Parsed | None:
    """Join the chunks' streams as one whole parse would give them; None if heading ids collide."""
    # An id may be "" (a heading with no text) and is still de-duplicated by the anchors plugin.
    ids = [heading for chunk in chunks for heading in chunk.ids]
    if len(ids) != len(set(ids)):
        return None  # the anchors plugin would have de-duplicated them across the document
    refs: dict[str, int] = {}
    notes: dict[int, dict] = {}
    stream: list[Token] = []
    for chunk in chunks:
        start = len(stream)
        stream.extend(chunk.tokens)
        for index in chunk.footnoted:
            token = copy.copy(stream[start + index])
            token.children = [_number(child, refs, notes) for child in token.children or ()]
            stream[start + index] = token
    env: dict = {"footnotes": {"refs": {":" + label: -1 for c in chunks for label in c.defines} | refs, "list": notes}}
    rejected = [url for c in chunks for url in c.block_rejected] + [url for c in chunks for url in c.inline_rejected]
    return Parsed(md, env, rejected, tuple(chunks), tuple(starts), stream)


def _number(token: Token, refs: dict[str, int], notes: dict[int, dict]) -> Token:
    """A footnote reference numbered in document order, as the footnote plugin numbers it."""
    if token.type != "footnote_ref":
        return token
    label = token.meta["label"]
    key = ":" + label
    if refs.get(key, -1) < 0:
        refs[key] = len(notes)
        notes[refs[key]] = {"label": label, "count": 0}
    number = refs[key]
    meta = {"id": number, "subId": notes[number]["count"], "label": label}
    notes[number]["count"] += 1
    if meta == token.meta:
        return token
    token = copy.copy(token)
    token.meta = meta
    return token
