"""Stage 3c (HTML): a comparison as the HTML a page shows.

:func:`body_html` turns a :class:`~policypress.diff.Comparison` into the newer
text with its changes marked, region runs boxed and labelled, and unchanged
text wrapped so the "changed sections only" box can hide it.  The words it
adds (labels, "inserted:") come translated from the caller.  Nothing here
knows of Flask.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from .diff import Comparison, Status

MARKER = re.compile(r"<(ins|del)( class=\"diff-block\")?>")


@dataclass(frozen=True)
class Labels:
    """The interface words a comparison shows, in the reader's language (plain text, escaped here)."""

    #: "Applies to: California" for a run's regions.
    region: Callable[[tuple[str, ...]], str]
    #: "Section added" and so on, by :class:`Status` value.
    status: dict[str, str]
    inserted: str
    deleted: str
    #: The language and direction of the words, which may differ from the compared text's.
    lang: str
    direction: str


def body_html(comparison: Comparison, labels: Labels) -> str:
    """The comparison as HTML: the newer text, changes marked, region runs boxed and labelled.

    Unchanged text is wrapped in ``.diff-unchanged``, which the page's "changed
    sections only" box hides.  Built here, not in a template: comparisons are
    the bulk of a build, and this loop runs over every section of every pair.
    """
    words = f'lang="{html.escape(labels.lang)}" dir="{html.escape(labels.direction)}"'
    mark = announcer(labels.inserted, labels.deleted, words)
    out: list[str] = []
    for number, run in enumerate(comparison.runs(), 1):
        boxed_whole = bool(run.regions) and run.unchanged
        if run.regions:
            hidden = " diff-unchanged" if run.unchanged else ""
            label = f"diff-region-{number}"
            out.append(
                f'<section class="region{hidden}" data-region="{html.escape(" ".join(run.regions))}"'
                f' aria-labelledby="{label}">\n<p class="region-label" id="{label}" {words}>'
                f"{html.escape(labels.region(run.regions))}</p>\n"
            )
        for piece in run.pieces:
            status = piece.section.status
            if status is Status.SAME:
                out.append(piece.part.html if boxed_whole else f'<div class="diff-unchanged">{piece.part.html}</div>\n')
                continue
            if piece.opens:
                out.append(
                    f'<p class="diff-status diff-status-{status.value}" {words}>'
                    f"{html.escape(labels.status[status.value])}</p>\n"
                )
            out.append(mark(piece.part.html))
        if run.regions:
            out.append("</section>\n")
    return "".join(out)


def announcer(inserted: str, deleted: str, attributes: str) -> Callable[[str], str]:
    """A function that starts every ``<ins>`` and ``<del>`` with a visually hidden word for screen readers.

    ``attributes`` are the words' ``lang`` and ``dir`` attributes: the words are in the reader's language, the
    text around them may be the original's (a translation not made yet), and a screen reader speaks each
    part in its own language only when it is marked.
    """
    words = {"ins": html.escape(inserted), "del": html.escape(deleted)}

    def label(match: re.Match[str]) -> str:
        return f'{match[0]}<span class="visually-hidden" {attributes}>{words[match[1]]} </span>'

    return lambda markup: MARKER.sub(label, markup)
