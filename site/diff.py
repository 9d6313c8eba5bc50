"""Stage 3c: compare two rendered documents, section by section.

Sections (:meth:`~policypress.rendered.Rendered.sections`) are aligned by
heading id.  A section whose digest and regions are unchanged is passed through
untouched; a changed section is diffed block by block with the standard
library's :class:`difflib.SequenceMatcher`, and only blocks that differ are
diffed word by word (:mod:`policypress.htmldiff`).  The result keeps the newer
text and its headings and region blocks, with changes marked by ``<ins>`` and
``<del>`` (:mod:`policypress.diffhtml` lays it out as a page shows it).  Nothing
here knows of Flask.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from enum import StrEnum
from itertools import groupby
from typing import NamedTuple

from .htmldiff import TOKEN, diff_words, similar
from .model import Policy, Version
from .rendered import Rendered, Section


class Status(StrEnum):
    """What happened to a section between the two versions."""

    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Part:
    """Consecutive blocks of one section that apply to the same regions, as marked-up HTML."""

    regions: tuple[str, ...]
    html: str


@dataclass(frozen=True)
class SectionDiff:
    """One section of the comparison: its heading, what happened to it, and its text."""

    id: str
    title: str
    status: Status
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Piece:
    """A part placed on the page: ``opens`` is True for the first part of its section."""

    section: SectionDiff
    part: Part
    opens: bool


@dataclass(frozen=True)
class Run:
    """Consecutive pieces for the same regions: one labelled box on the page."""

    regions: tuple[str, ...]
    pieces: tuple[Piece, ...]

    @property
    def unchanged(self) -> bool:
        """True when no piece of this run changed: the "changed sections only" view hides it whole."""
        return all(piece.section.status is Status.SAME for piece in self.pieces)


@dataclass(frozen=True)
class Comparison:
    """Two versions of one document, compared."""

    sections: tuple[SectionDiff, ...]

    def count(self, status: Status) -> int:
        return sum(1 for section in self.sections if section.status == status)

    @property
    def has_changes(self) -> bool:
        return any(section.status is not Status.SAME for section in self.sections)

    def runs(self) -> tuple[Run, ...]:
        """The pieces to show, grouped into runs of equal regions."""
        pieces = [
            Piece(section, part, index == 0) for section in self.sections for index, part in enumerate(section.parts)
        ]
        return tuple(
            Run(regions, tuple(group)) for regions, group in groupby(pieces, key=lambda piece: piece.part.regions)
        )


Block = tuple[str, tuple[str, ...]]  # (html, regions)


class Split(NamedTuple):
    """A section of one document with its blocks, and the regions of each block as one string (part of the
    memo's key: a string keeps its hash, a tuple of tuples is hashed again at every lookup)."""

    section: Section
    blocks: list[Block]
    regions: str


#: Marked-up parts of changed sections, by both sections' digests and regions.
Memo = dict[tuple[str, str, str, str], tuple[Part, ...]]


def compare(
    old: Rendered,
    new: Rendered,
    memo: Memo | None = None,
    sections: Callable[[Rendered], list[Split]] | None = None,
) -> Comparison:
    """Compare two rendered documents section by section.

    ``memo`` remembers sections across calls: comparing version 1 or 2 or 3 with
    version 4 marks the same edit in the same section, so it is marked once.
    ``sections`` may remember how each document splits into sections.
    """
    memo = {} if memo is None else memo
    split = sections or _sections
    old_sections, new_sections = split(old), split(new)
    old_ids = [split.section.id for split in old_sections]
    new_ids = [split.section.id for split in new_sections]
    old_by_id = dict(zip(old_ids, old_sections, strict=True))
    new_id_set = set(new_ids)
    found: list[SectionDiff] = []
    # Most versions keep their sections: then every section pairs with the one of its id.
    same_ids = old_ids == new_ids
    opcodes = [("equal", 0, len(old_ids), 0, len(new_ids))] if same_ids else _opcodes(old_ids, new_ids)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            found.extend(_section_pair(old_by_id[n.section.id], n, memo) for n in new_sections[j1:j2])
            continue
        # A section that moved keeps its id and is paired wherever it now is; one whose
        # heading was renamed (so its id changed) pairs with the similar section it replaced.
        gone = [split for split in old_sections[i1:i2] if split.section.id not in new_id_set]
        came = [split for split in new_sections[j1:j2] if split.section.id not in old_by_id]
        renamed = _pair([_plain(split.blocks) for split in gone], [_plain(split.blocks) for split in came])
        found.extend(_whole(pair, Status.REMOVED) for index, pair in enumerate(gone) if index not in renamed.values())
        for new_pair in new_sections[j1:j2]:
            if new_pair.section.id in old_by_id:
                found.append(_section_pair(old_by_id[new_pair.section.id], new_pair, memo))
            elif (index := came.index(new_pair)) in renamed:
                found.append(_section_pair(gone[renamed[index]], new_pair, memo))
            else:
                found.append(_whole(new_pair, Status.ADDED))
    return Comparison(tuple(found))


def _sections(rendered: Rendered) -> list[Split]:
    """Each section with its blocks, each block with the regions of the segment it came from."""
    flat = [(block, segment.regions) for segment in rendered.segments for block in segment.blocks]
    found, start = [], 0
    for section in rendered.sections():
        blocks = flat[start : start + len(section.blocks)]
        found.append(Split(section, blocks, repr(tuple(regions for _, regions in blocks))))
        start += len(section.blocks)
    return found


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    return SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


def _parts(blocks: Sequence[Block]) -> tuple[Part, ...]:
    return tuple(
        Part(regions, "".join(html for html, _ in group)) for regions, group in groupby(blocks, key=lambda b: b[1])
    )


def _whole(split: Split, status: Status) -> SectionDiff:
    """A section that is only in one of the versions, marked as one insertion or deletion per region run."""
    section, blocks = split.section, split.blocks
    tag = "ins" if status is Status.ADDED else "del"
    parts = tuple(Part(p.regions, _block((p.html, p.regions), tag)[0]) for p in _parts(blocks))
    return SectionDiff(section.id, section.title, status, parts)


def _section_pair(old: Split, new: Split, memo: Memo) -> SectionDiff:
    old_section, old_blocks, old_regions = old
    new_section, new_blocks, new_regions = new
    old_digest, new_digest = old_section.digest, new_section.digest
    key = (old_digest, new_digest, old_regions, new_regions)
    if old_digest == new_digest and old_regions == new_regions:
        same = memo.get(key)
        if same is None:
            same = memo[key] = _parts(new_blocks)
        return SectionDiff(new_section.id, new_section.title, Status.SAME, same)
    parts = memo.get(key)
    if parts is None:
        parts = memo[key] = _parts(diff_blocks(old_blocks, new_blocks))
    return SectionDiff(new_section.id, new_section.title, Status.CHANGED, parts)


def diff_blocks(old: Sequence[Block], new: Sequence[Block]) -> list[Block]:
    """Mark the differences between two runs of blocks, pairing similar blocks for a word diff."""
    # An edit touches a few blocks of a section: match only what lies between the unchanged ends.
    start, old_end, new_end = 0, len(old), len(new)
    while start < old_end and start < new_end and old[start][0] == new[start][0]:
        start += 1
    while old_end > start and new_end > start and old[old_end - 1][0] == new[new_end - 1][0]:
        old_end, new_end = old_end - 1, new_end - 1
    found: list[Block] = list(new[:start])
    middle_old, middle_new = [b[0] for b in old[start:old_end]], [b[0] for b in new[start:new_end]]
    matcher = SequenceMatcher(None, middle_old, middle_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + start, i2 + start, j1 + start, j2 + start
        if tag == "equal":
            found.extend(new[j1:j2])
            continue
        olds, news = old[i1:i2], new[j1:j2]
        pairs = _pair([_plain(html) for html, _ in olds], [_plain(html) for html, _ in news])
        left = [index for index in range(len(olds)) if index not in pairs.values()]
        # next_paired_old[j]: the old index of the next paired block at or after new block j (len(olds)
        # if none); the deleted old blocks below it go before block j, so an unpaired new block does
        # not take the deletions that belong after a later pair.
        next_paired_old, bound = [0] * len(news), len(olds)
        for index in reversed(range(len(news))):
            bound = next_paired_old[index] = pairs.get(index, bound)
        for index, block in enumerate(news):
            match = pairs.get(index)
            while left and left[0] < next_paired_old[index]:
                found.append(_block(olds[left.pop(0)], "del"))
            marked = diff_words(olds[match][0], block[0]) if match is not None else None
            if marked is not None:
                found.append((marked, block[1]))
                continue
            if match is not None:
                found.append(_block(olds[match], "del"))
            found.append(_block(block, "ins"))
        found.extend(_block(olds[index], "del") for index in left)
    found.extend(new[new_end:])
    return found


def _block(block: Block, tag: str) -> Block:
    html = block[0] if tag == "ins" else _without_ids(block[0])
    return f'<{tag} class="diff-block">{html}</{tag}>', block[1]


#: An id the renderer wrote on a tag (a heading's anchor, a footnote's).
WRITTEN_ID_ATTRIBUTE = re.compile(r' id="[^"]*"')


def _without_ids(html: str) -> str:
    """Deleted text without its ids: the newer version's heading or footnote of the same id is on the page too,
    and an id names one element (links and table names lead to the newer one)."""
    return WRITTEN_ID_ATTRIBUTE.sub("", html) if ' id="' in html else html


def _plain(markup: str | Sequence[Block]) -> str:
    """The text of some HTML without its tags, for a quick similarity estimate."""
    text = markup if isinstance(markup, str) else "".join(block[0] for block in markup)
    return re.sub(r"<[^>]*>", " ", text)


def _pair(old: Sequence[str], new: Sequence[str]) -> dict[int, int]:
    """Pair each new text with the most similar unpaired old one, keeping their order.

    Returns {new index: old index}; texts with no counterpart similar enough are
    left out.  ``quick_ratio`` is a cheap upper bound of the real similarity.
    """
    pairs: dict[int, int] = {}
    start = 0
    old_tokens = [TOKEN.findall(text) for text in old]
    for new_index, text in enumerate(new):
        tokens = TOKEN.findall(text)
        best, best_score = None, 0.0
        # One matcher per new text: it indexes its second sequence once, however many old texts it meets.
        matcher = SequenceMatcher(None, (), tokens, autojunk=False)
        for index in range(start, len(old)):
            matcher.set_seq1(old_tokens[index])
            score = matcher.quick_ratio()
            if score > best_score and similar(score, len(old_tokens[index]), len(tokens)):
                best, best_score = index, score
        if best is not None:
            pairs[new_index] = best
            start = best + 1
    return pairs


class Differ:
    """Compare rendered documents, remembering sections across comparisons (see :func:`compare`)."""

    def __init__(self) -> None:
        self._memo: Memo = {}
        # By the document's identity; the document is kept too, so its id is never reused.
        self._split: dict[int, tuple[Rendered, list[Split]]] = {}

    def compare(self, old: Rendered, new: Rendered) -> Comparison:
        return compare(old, new, self._memo, self._sections)

    def _sections(self, rendered: Rendered) -> list[Split]:
        found = self._split.get(id(rendered))
        if found is None:
            found = self._split[id(rendered)] = (rendered, _sections(rendered))
        return found[1]


def comparable_pairs(count: int, current: int | None, max_all_pairs: int) -> tuple[tuple[int, int], ...]:
    """The pairs of versions (older index, newer index) whose comparison is pre-rendered.

    Up to ``max_all_pairs`` versions, every pair.  Past it the number of pairs
    would grow with the square of the history, so only each version with the
    one before it and each version with the current one are kept: every link
    the changelog shows still works.
    """
    if count <= max_all_pairs:
        return tuple((old, new) for new in range(count) for old in range(new))
    pairs = {(index - 1, index) for index in range(1, count)}
    if current is not None:
        pairs |= {(min(index, current), max(index, current)) for index in range(count) if index != current}
    return tuple(sorted(pairs, key=lambda pair: (pair[1], pair[0])))


def compared_versions(policy: Policy, day: date, max_all_pairs: int) -> list[tuple[Version, Version]]:
    """The (older, newer) pairs of ``policy``'s published versions whose comparison is pre-rendered on ``day``
    (see :func:`comparable_pairs`), in its order."""
    published = policy.published()
    current = policy.current(day)
    indexes = comparable_pairs(len(published), published.index(current) if current else None, max_all_pairs)
    return [(published[old], published[new]) for old, new in indexes]
