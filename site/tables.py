"""Stage 4 (tables): give each table of policy text a box of its own that scrolls sideways.

At 320 CSS px a table of several columns can be wider than the screen.  WCAG 1.4.10
(reflow) lets a table scroll sideways when the page does not, and breaking words
between two letters to make it fit is no help to a reader.  So every table is put in
``<div class="table-scroll">`` (style.css lets it scroll), which a keyboard can reach
and scroll (``tabindex="0"``; ``static/tables.js`` takes that away while the table fits,
where JavaScript runs) and which a screen reader names, as a region, by the
heading the table sits under, in its region block or outside the blocks (or by the
block's label, "Applies to: California", when the block has no heading above it).
Several tables of one name would be several regions of one name, which a screen
reader's list of landmarks cannot tell apart: each of those gets the page's words
"table 2 of 3" after the name, from a hidden ``<span>`` its ``aria-labelledby`` names too.

This runs on the HTML a page shows, not in the renderer: the nearest heading is then
one the page itself holds (a region view leaves out other regions' headings), and
the comparison of two versions works on the plain tables, so a renamed heading does
not make a table look changed.  Nothing here knows of Flask.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

#: A heading with an anchor, matched where a ``<h`` was found.  The renderer writes ``<table>`` as it is,
#: and escapes any ``<`` of the text, so ``<table>`` and ``<h…`` are only ever its own tags.
HEADING = re.compile(r'<h[1-6][^>]*?\sid="([^"]+)"')
#: How a section (a region block, the footnotes) ends, and how the templates and the comparison's markup write a
#: region block's label.
SECTION_START, SECTION_END, REGION_LABEL = "<section", "</section>", '<p class="region-label" id="'
LABEL_ID = re.compile(re.escape(REGION_LABEL) + r'([^"]+)"')
TABLE, TABLE_END = "<table>", "</table>"
BOX_END = TABLE_END + "</div>"


@dataclass(frozen=True)
class Numbering:
    """The page's words that tell apart tables of one name: "table 2 of 3", plain text in ``lang``."""

    words: Callable[[int, int], str]  # (index, count) -> "table 2 of 3"
    lang: str
    direction: str


def holds_tables(body: str) -> bool:
    """Whether ``body`` (policy text, as HTML) holds a table, which :func:`scrollable_tables` puts in a box: the
    pages that show one load ``static/tables.js``, the others do not."""
    return TABLE in body


def scrollable_tables(body: str, title: str, numbering: Callable[[], Numbering] | None = None) -> str:
    """``body`` with each table in a focusable box that scrolls sideways, named by the nearest
    heading above it (``aria-labelledby``), or by ``title`` when there is none; where tables share
    a name, each name goes on with the words of ``numbering()`` (asked for only then).

    Thousands of comparison pages hold whole policies: this looks for the tables, and from each back
    to the nearest heading, never through the whole text with a pattern.
    """
    at = body.find(TABLE)
    if at == -1:
        return body
    tables = []  # (start, end, the id of what names it, where its tag starts)
    while at != -1:
        end = body.find(TABLE_END, at)
        if end == -1:  # never: the renderer closes what it opens
            break
        tables.append((at, end, *_heading_above(body, at)))
        at = body.find(TABLE, end + len(TABLE_END))
    # What a screen reader hears for each: two headings of one text (in two region blocks, say) are one name.
    names = [_spoken(body, where, title) for *_, where in tables] if numbering is not None and len(tables) > 1 else []
    counts = Counter(names)
    words = numbering() if numbering is not None and len(counts) < len(names) else None
    seen: Counter[str] = Counter()
    parts = []
    done = 0
    for number, (at, end, heading, _where) in enumerate(tables, 1):
        name = names[number - 1] if words is not None else ""
        if words is None or counts[name] == 1:
            named = f'aria-labelledby="{heading}"' if heading is not None else f'aria-label="{html.escape(title)}"'
            parts += [body[done:at], f'<div class="table-scroll" role="region" tabindex="0" {named}>']
        else:
            seen[name] += 1
            parts += [body[done:at], _numbered_box(number, heading, title, words, seen[name], counts[name])]
        parts += [body[at:end], BOX_END]
        done = end + len(TABLE_END)
    parts.append(body[done:])
    return "".join(parts)


def _numbered_box(number: int, heading: str | None, title: str, words: Numbering, index: int, count: int) -> str:
    """The start of the box of the ``number``-th table of the page, the ``index``-th of ``count`` of one
    name: named by the heading (or by its own ``aria-label``, the title) and then hidden words."""
    words_id = f"table-number-{number}"
    if heading is not None:
        name = f'aria-labelledby="{heading} {words_id}"'
    else:  # a box may name itself: its aria-label, then the words
        box_id = f"table-box-{number}"
        name = f'id="{box_id}" aria-label="{html.escape(title)}" aria-labelledby="{box_id} {words_id}"'
    text = html.escape(words.words(index, count))
    return (
        f'<div class="table-scroll" role="region" tabindex="0" {name}>'
        f'<span id="{words_id}" lang="{words.lang}" dir="{words.direction}" hidden>{text}</span>'
    )


def _spoken(body: str, at: int, title: str) -> str:
    """The text of the element (a heading, a block's label) whose tag starts at ``at``, as a screen reader reads
    it; ``title`` when ``at`` is -1."""
    if at == -1:
        return title
    tag = body[at + 1 : body.find(" ", at)]
    start = body.find(">", at) + 1
    text = TAG.sub("", body[start : body.find(f"</{tag}>", start)])
    return " ".join(html.unescape(text).split())


#: Any tag, dropped from a heading's markup to leave its text.
TAG = re.compile(r"<[^>]*>")


def _heading_above(body: str, end: int) -> tuple[str | None, int]:
    """The id of what names a table starting at ``end``, and where its tag starts: the last heading above it in
    its own part of the text (its region block, or the text around the blocks, skipping the blocks in between),
    or else its region block's label ("Applies to: California"); (None, -1) when there is neither."""
    while True:
        heading = body.rfind("<h", 0, end)
        label = body.rfind(REGION_LABEL, 0, end)
        closed = body.rfind(SECTION_END, 0, end)
        nearest = max(heading, label, closed)
        if nearest == -1:
            return None, -1
        if nearest == label:
            return LABEL_ID.match(body, label)[1], label  # type: ignore[index]
        if nearest == closed:  # a region block (or the footnotes) ends between the two: the table is not in it
            end = _section_start(body, closed)
            if end == -1:
                return None, -1
            continue
        found = HEADING.match(body, heading)
        if found is not None:
            return found[1], heading
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
