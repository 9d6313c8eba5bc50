"""Stage 3a': a rendered document: its segments, headings, sections and links.

What :class:`~policypress.render.Renderer` makes of one Markdown document,
immutable and picklable (the render cache stores it).  Region views, the table
of contents and the diff all read this one rendering.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Heading:
    """A heading with its stable anchor, and the regions whose block holds it."""

    id: str
    level: int
    text: str
    regions: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Segment:
    """General text (no regions) or one region block, as rendered HTML blocks."""

    regions: tuple[str, ...]
    blocks: tuple[str, ...]
    line: int
    #: For each block, the id of the heading it is (None for other blocks).
    heading_ids: tuple[str | None, ...] = ()

    @property
    def html(self) -> str:
        return "".join(self.blocks)

    def applies_to(self, region: str | None) -> bool:
        """True when a reader who chose ``region`` (None: everything) sees this."""
        return region is None or not self.regions or region in self.regions


@dataclass(frozen=True)
class Section:
    """A heading and the blocks up to the next heading: the unit of change.

    The text before the first heading is a section with the id ``""``.
    """

    id: str
    title: str
    level: int
    regions: tuple[str, ...]
    blocks: tuple[str, ...]

    @cached_property
    def digest(self) -> str:
        """A hash of the rendered section, equal exactly when the text is equal."""
        return hashlib.sha256("".join(self.blocks).encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    """A link written in the Markdown, with the line it is on."""

    href: str
    line: int


@dataclass(frozen=True)
class Rendered:
    """One document, rendered once and reused by every page that shows it."""

    segments: tuple[Segment, ...]
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]

    def view(self, region: str | None) -> tuple[Segment, ...]:
        """The segments a reader of ``region`` sees (all of them for None)."""
        return tuple(s for s in self.segments if s.applies_to(region))

    def toc(self, region: str | None, max_level: int = 3) -> tuple[Heading, ...]:
        """Headings for the table of contents of a region view."""
        return tuple(
            h
            for h in self.headings
            if 2 <= h.level <= max_level and (region is None or not h.regions or region in h.regions)
        )

    def toc_tree(self, region: str | None) -> tuple[tuple[Heading, tuple[Heading, ...]], ...]:
        """The table of contents as level-2 headings, each with its level-3 headings."""
        tree: list[tuple[Heading, list[Heading]]] = []
        for heading in self.toc(region):
            if heading.level == 2 or not tree:
                tree.append((heading, []))
            else:
                tree[-1][1].append(heading)
        return tuple((top, tuple(children)) for top, children in tree)

    def sections(self) -> tuple[Section, ...]:
        """Split the document at every heading with an anchor (made for levels 1-4, or written) into sections."""
        found: list[Section] = []
        current: tuple[str, str, int, tuple[str, ...]] = ("", "", 0, ())
        blocks: list[str] = []
        for regions, block, heading in self._blocks():
            if heading is not None:
                if blocks or current[0]:
                    found.append(Section(*current, tuple(blocks)))
                current, blocks = (heading.id, heading.text, heading.level, regions), []
            blocks.append(block)
        if blocks or current[0]:
            found.append(Section(*current, tuple(blocks)))
        return tuple(found)

    def section_count(self) -> int:
        """How many sections :meth:`sections` finds, without building them (the structure check counts them)."""
        starts = before_first = 0
        for _regions, _block, heading in self._blocks():
            if heading is not None:
                starts += 1
            elif not starts:
                before_first = 1
        return starts + before_first

    def _blocks(self) -> Iterator[tuple[tuple[str, ...], str, Heading | None]]:
        """Every block, with its segment's regions and the heading it is (None for other blocks): where
        :meth:`sections` splits."""
        titles = {h.id: h for h in self.headings}
        for segment in self.segments:
            heading_ids = segment.heading_ids or (None,) * len(segment.blocks)
            for block, heading_id in zip(segment.blocks, heading_ids, strict=True):
                yield segment.regions, block, titles.get(heading_id) if heading_id is not None else None

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(h.id for h in self.headings)

    @property
    def regions(self) -> frozenset[str]:
        return frozenset(r for s in self.segments for r in s.regions)
