"""Stage 1 (validate): find Markdown in a version's ``summary``, which pages show as plain text.

The changelog, the feeds and the comparisons print a summary as written, so
Markdown in one shows its markers to readers.  markdown-it (set up as for the
policy text) reads the summary as inline Markdown, and what it would make a
link, an image, code or emphasis is reported, named as an editor knows it.
A reference link (``[text][ref]``) has no definition to lead to in a summary,
where markdown-it leaves it as text: a rule of its own finds one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

#: The token an opening token of Markdown makes, and the name an editor knows it by.
NAMES = {
    "link_open": "a link",
    "reference_link": "a link",
    "image": "an image",
    "code_inline": "code",
    "em_open": "emphasis",
    "strong_open": "emphasis",
    "s_open": "strikethrough",
}


#: The characters every kind of Markdown in :data:`NAMES` starts or ends with: a summary without any is plain.
MARKERS = frozenset("[<`*_~")


class SummaryReader:
    """Finds Markdown in summaries, making its parser (and importing markdown-it) only for a summary that could
    hold some: most hold none of :data:`MARKERS`, and a rebuild loads every summary."""

    def __init__(self) -> None:
        self._md: MarkdownIt | None = None

    def markdown_in(self, summary: str) -> tuple[str, str] | None:
        """The first Markdown in ``summary``: its name and how it reads (near enough: escapes aside)."""
        if MARKERS.isdisjoint(summary):
            return None
        if self._md is None:
            self._md = summary_parser()
        children = self._md.parseInline(summary)[0].children or []
        for index, token in enumerate(children):
            if token.type in NAMES:
                return NAMES[token.type], _written(children, index)
        return None


def summary_parser() -> MarkdownIt:
    """A parser that reads a summary as the policy text's parser would read it in a paragraph."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default")
    # Any URL: a link the policy text's parser would refuse is still Markdown, shown as written.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.inline.ruler.before("link", "reference_link", _reference_link)
    return md


def _reference_link(state: StateInline, silent: bool) -> bool:
    """``[text][ref]`` or ``[text][]``: a reference link, whatever the reference (a summary defines none)."""
    start = state.pos
    if state.src[start] != "[":
        return False
    label_end = state.md.helpers.parseLinkLabel(state, start, True)
    second = label_end + 1
    if label_end < 0 or second >= state.posMax or state.src[second] != "[":
        return False
    end = state.md.helpers.parseLinkLabel(state, second)
    if end < 0:
        return False
    if not silent:
        state.push("reference_link", "", 0).content = state.src[start : end + 1]
    state.pos = end + 1
    return True


def _written(tokens: Sequence[Token], index: int) -> str:
    """The Markdown of ``tokens[index]`` and of what it holds, as written (near enough: escapes aside)."""
    end, depth = index, tokens[index].nesting
    while depth > 0 and end + 1 < len(tokens):
        end += 1
        depth += tokens[end].nesting
    parts: list[str] = []
    links: list[Token] = []
    for token in tokens[index : end + 1]:
        if token.type == "link_open":
            links.append(token)
            parts.append("<" if token.markup == "autolink" else "[")
        elif token.type == "link_close" and links:
            opener = links.pop()
            parts.append(">" if opener.markup == "autolink" else f"]({unquote(str(opener.attrGet('href')))})")
        elif token.type == "code_inline":
            parts.append(f"{token.markup}{token.content}{token.markup}")
        elif token.type == "image":
            parts.append(f"![{token.content}]({unquote(str(token.attrGet('src')))})")
        elif token.type == "softbreak":
            parts.append(" ")
        else:  # text and a reference link as written, and emphasis markers
            parts.append(token.markup if token.nesting else token.content)
    return "".join(parts)
