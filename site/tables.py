"""Stage 4 (tables): give each table of policy text a box of its own that scrolls sideways.

At 320 CSS px a table of several columns can be wider than the screen.  WCAG 1.4.10
(reflow) lets a table scroll sideways when the page does not, and breaking words
between two letters to make it fit is no help to a reader.  So every table is put in
``<div class="table-scroll">`` (style.css lets it scroll), which a keyboard can reach
and scroll (``tabindex="0"``) and which a screen reader names, as a region, by the
heading the table sits under, in its region block or outside the blocks (or by the
block's label, "Applies to: California", when the block has no heading above it).

This runs on the HTML a page shows, not in the renderer: the nearest heading is then
one the page itself holds (a region view leaves out other regions' headings), and
the comparison of two versions works on the plain tables, so a renamed heading does
not make a table look changed.  Nothing here knows of Flask.
"""

from __future__ import annotations

import html
import re

#: A heading with an anchor, matched where a ``<h`` was found.  The renderer writes ``<table>`` as it is,
#: and escapes any ``<`` of the text, so ``<table>`` and ``<h…`` are only ever its own tags.
HEADING = re.compile(r'<h[1-6][^>]*?\sid="([^"]+)"')
#: How a section (a region block, the footnotes) ends, and how the templates and the comparison's markup write a
#: region block's label.
SECTION_START, SECTION_END, REGION_LABEL = "<section", "</section>", '<p class="region-label" id="'
LABEL_ID = re.compile(re.escape(REGION_LABEL) + r'([^"]+)"')
TABLE, TABLE_END = "<table>", "</table>"
BOX_END = TABLE_END + "</div>"


def scrollable_tables(body: str, title: str) -> str:
    """``body`` with each table in a focusable box that scrolls sideways, named by the nearest
    heading above it (``aria-labelledby``), or by ``title`` when there is none.

    Thousands of comparison pages hold whole policies: this looks for the tables, and from each back
    to the nearest heading, never through the whole text with a pattern.
    """
    at = body.find(TABLE)
    if at == -1:
        return body
    parts = []
    done = 0
    while at != -1:
        end = body.find(TABLE_END, at)
        if end == -1:  # never: the renderer closes what it opens
            break
        heading = _heading_above(body, at)
        name = f'aria-labelledby="{heading}"' if heading is not None else f'aria-label="{html.escape(title)}"'
        parts += [body[done:at], f'<div class="table-scroll" role="region" tabindex="0" {name}>', body[at:end]]
        parts.append(BOX_END)
        done = end + len(TABLE_END)
        at = body.find(TABLE, done)
    parts.append(body[done:])
    return "".join(parts)


def _heading_above(body: str, end: int) -> str | None:
    """The id of what names a table starting at ``end``: the last heading above it in its own part of the
    text (its region block, or the text around the blocks, skipping the blocks in between), or else its
    region block's label ("Applies to: California"); None when there is neither."""
    while True:
        heading = body.rfind("<h", 0, end)
        label = body.rfind(REGION_LABEL, 0, end)
        closed = body.rfind(SECTION_END, 0, end)
        nearest = max(heading, label, closed)
        if nearest == -1:
            return None
        if nearest == label:
            return LABEL_ID.match(body, label)[1]  # type: ignore[index]
        if nearest == closed:  # a region block (or the footnotes) ends between the two: the table is not in it
            end = _section_start(body, closed)
            if end == -1:
                return None
            continue
        found = HEADING.match(body, heading)
        if found is not None:
            return found[1]
        end = heading


def _section_start(body: str, end: int) -> int:
    """Where the section whose ``</section>`` is at ``end`` starts (-1 when nothing opens it)."""
    depth = 1
    while depth:
        opened, closed = body.rfind(SECTION_START, 0, end), body.rfind(SECTION_END, 0, end)
        if opened == -1:
            return -1
        depth, end = (depth + 1, closed) if closed > opened else (depth - 1, opened)
    return end
