"""Stage 3a (parse): the ``::: region eea uk`` ... ``:::`` block rule of the Markdown parser.

The tokens are those of mdit-py-plugins' container plugin (``container_region_open`` and
``_close``), but the closing ``:::`` is looked for outside fenced code: a ``:::`` line in a
code block inside a region is text of the example, not the end of the region (the container
plugin would end the region there, and the rest of the page would become one code block).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MARKER = ":"
FENCE_CHARS = "`~"
#: The meta key of a ``container_region_open`` token: whether the parser ended the block at its closing
#: ``:::`` (found on the block's own lines, after a quote's ``>`` or a list item's indent), rather than at
#: the end of the text, of the quote or list item holding it, or of the region block holding it.
CLOSED = "policypress:closed"


def region_block_plugin(md: MarkdownIt, validate: Callable[[str], bool]) -> None:
    """Parse region blocks whose marker line's parameters pass ``validate``."""

    def region_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        return _region_block(state, start_line, end_line, silent, validate)

    md.block.ruler.before(
        "fence", "container_region", region_block, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.add_render_rule("container_region_open", _render)
    md.add_render_rule("container_region_close", _render)


def _render(self, tokens: Sequence[Token], idx: int, options, env) -> str:  # type: ignore[no-untyped-def]
    """Render the block as a ``div`` of class ``region`` (as the container plugin does)."""
    if tokens[idx].nesting == 1:
        tokens[idx].attrJoin("class", "region")
    return self.renderToken(tokens, idx, options, env)


def _region_block(
    state: StateBlock, start_line: int, end_line: int, silent: bool, validate: Callable[[str], bool]
) -> bool:
    if _is_code_block(state, start_line):
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    maximum = state.eMarks[start_line]
    length = _run(state.src, start, maximum, MARKER)
    if length < 3:
        return False
    params = state.src[start + length : maximum]
    if not validate(params):
        return False
    if silent:
        return True
    next_line, closed = _end(state, start_line, end_line, length)
    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "container"
    state.lineMax = next_line  # lazy continuations never go past the end marker
    token = state.push("container_region_open", "div", 1)
    token.markup = state.src[start : start + length]
    token.block = True
    token.info = params
    token.map = [start_line, next_line]
    token.meta[CLOSED] = closed
    state.md.block.tokenize(state, start_line + 1, next_line)
    token = state.push("container_region_close", "div", -1)
    token.markup = MARKER * length if closed else ""
    token.block = True
    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = next_line + (1 if closed else 0)
    return True


def _end(state: StateBlock, start_line: int, end_line: int, length: int) -> tuple[int, bool]:
    """The line where the block ends, and whether it is its closing ``:::`` (at least ``length``
    colons, outside fenced code) rather than the end of the text or of the list item holding it."""
    fence: tuple[str, int] | None = None  # the open fence's character and length
    for line in range(start_line + 1, end_line):
        start = state.bMarks[line] + state.tShift[line]
        maximum = state.eMarks[line]
        if start < maximum and state.sCount[line] < state.blkIndent:
            return line, False  # a line indented less than the block ends the list item holding it
        if _is_code_block(state, line):
            continue
        text = state.src[start:maximum]
        if fence is not None:
            run = _run(state.src, start, maximum, fence[0])
            if run >= fence[1] and not text[run:].strip(" \t"):
                fence = None
            continue
        if text[:1] and text[0] in FENCE_CHARS:
            run = _run(state.src, start, maximum, text[0])
            if run >= 3 and (text[0] == "~" or "`" not in text[run:]):
                fence = (text[0], run)
                continue
        run = _run(state.src, start, maximum, MARKER)
        if run >= length and not text[run:].strip(" \t"):
            return line, True
    return end_line, False


def _run(src: str, start: int, maximum: int, char: str) -> int:
    """How many times ``char`` repeats from ``start``."""
    pos = start
    while pos < maximum and src[pos] == char:
        pos += 1
    return pos - start


def _is_code_block(state: StateBlock, line: int) -> bool:
    """True when ``line`` is indented enough to be an indented code block."""
    return state.sCount[line] - state.blkIndent >= 4


#: The meta key of the first token of a footnote definition written inside a region block; its value is
#: the footnote's label.  The footnote plugin moves definitions to the end of the document, out of their
#: region, so the walk reports one (see :mod:`policypress.blocks`).
REGION_NOTE = "policypress:region-note"


def mark_region_notes(state: StateCore) -> None:
    """Mark the footnote definitions inside region blocks (a core rule, run before the plugin moves them).

    Not in a block that is never closed: it runs on to the end of the text (or of its list item), and the
    definitions below the line where it was meant to end are inside it only by that mistake, reported once.
    A block opened inside another that the parser ends where the outer one ends is inside that one: its
    definitions are the outer block's.
    """
    tokens = state.tokens
    #: For each region block open at this token: its opening token, and the definitions read in it.
    pending: list[tuple[Token, list[tuple[Token, str]]]] = []
    for index, token in enumerate(tokens):
        if token.type == "container_region_open":
            pending.append((token, []))
        elif token.type == "container_region_close" and pending:
            opener, found = pending.pop()
            if is_closed(opener):
                for first, label in found:
                    first.meta[REGION_NOTE] = label
            elif pending:
                pending[-1][1].extend(found)
        elif pending and token.type == "footnote_reference_open" and index + 1 < len(tokens):
            following = tokens[index + 1]
            if following.type != "footnote_reference_close":  # an empty definition is never shown
                pending[-1][1].append((following, token.meta["label"]))


def is_closed(opener: Token) -> bool:
    """True when the parser ended the region block ``opener`` opens at its closing ``:::`` marker."""
    return bool(opener.meta.get(CLOSED))
