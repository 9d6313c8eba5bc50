"""Stage 4 (tables): give each table of policy text a box of its own that scrolls sideways.

At 320 CSS px a table of several columns can be wider than the screen.  WCAG 1.4.10
(reflow) lets a table scroll sideways when the page does not, and breaking words
between two letters to make it fit is no help to a reader.  So every table is put in
``<div class="table-scroll">`` (style.css lets it scroll), which a keyboard can reach
and scroll (``tabindex="0"``) and which a screen reader names, as a region, by the
heading the table sits under.

This runs on the HTML a page shows, not in the renderer: the nearest heading is then
one the page itself holds (a region view leaves out other regions' headings), and
the comparison of two versions works on the plain tables, so a renamed heading does
not make a table look changed.  Nothing here knows of Flask.
"""

from __future__ import annotations

import html
import re

#: A heading with an anchor, a table's start or its end.  The renderer writes ``<table>`` as it is,
#: and escapes any ``<`` of the text, so these are only ever its own tags.
PARTS = re.compile(r'<h[1-6][^>]*?\sid="([^"]+)"|(<table>)|(</table>)')
BOX_END = "</table></div>"


def scrollable_tables(body: str, title: str) -> str:
    """``body`` with each table in a focusable box that scrolls sideways, named by the nearest
    heading above it (``aria-labelledby``), or by ``title`` when there is none."""
    if "<table>" not in body:
        return body
    heading: str | None = None
    named_by_title = f'aria-label="{html.escape(title)}"'

    def box(match: re.Match[str]) -> str:
        nonlocal heading
        if match[1] is not None:
            heading = match[1]
            return match[0]
        if match[3] is not None:
            return BOX_END
        name = f'aria-labelledby="{heading}"' if heading is not None else named_by_title
        return f'<div class="table-scroll" role="region" tabindex="0" {name}><table>'

    return PARTS.sub(box, body)
