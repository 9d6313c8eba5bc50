"""Stage 3c (words): mark the word-level changes between two HTML blocks.

Python's :class:`difflib.SequenceMatcher` runs over word tokens in which every
HTML tag is one atomic token, so markup is never split.  The newer block's
markup is kept as it is; inserted words are wrapped in ``<ins>`` and deleted
words in ``<del>`` where they used to be.  When that place cannot hold text
(a deleted list item between two ``<li>``, say), :func:`diff_words` gives up
and the caller shows the whole block as deleted and re-inserted, so the
output is always well-formed.  Nothing here knows of Flask.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from itertools import groupby

#: Below this similarity two blocks are shown as one deleted and one inserted, not word by word...
MIN_SIMILARITY = 0.5
#: ...unless this share of the shorter block is found in the longer one (text was only added or cut).
MIN_CONTAINED = 0.8

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3000-\u303f\uff00-\uffef"
#: A tag, an entity, one CJK character (those scripts have no spaces), a word or punctuation, each with
#: the spaces after it: fewer and more distinct tokens keep SequenceMatcher fast and its matches sensible.
TOKEN = re.compile(rf"(?:<[^>]*>|&#?\w+;|[{_CJK}]|[^\W{_CJK}]+|[^\w\s<&{_CJK}]+|.)\s*", re.DOTALL)
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
VOID = frozenset({"br", "hr", "img", "wbr", "col", "input"})
#: Elements whose children are other elements only: deleted words cannot go there.
NO_TEXT = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup"})
#: Where a deleted element may be put back, by its tag (anything else needs a parent that takes text).
PARENTS = {
    "li": {"ul", "ol"},
    "tr": {"table", "thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
    "dt": {"dl"},
    "dd": {"dl"},
    "thead": {"table"},
    "tbody": {"table"},
}
BLOCKS = frozenset({"p", "ul", "ol", "dl", "table", "pre", "blockquote", "div", "section", "hr", "h1", "h2", "h3"})
FLOW_PARENTS = frozenset({"li", "dd", "td", "th", "blockquote", "div", "section"})


def similar(ratio: float, length_a: int, length_b: int) -> bool:
    """True when two token runs are alike enough to be shown as one edited text."""
    matched = ratio * (length_a + length_b) / 2
    return ratio >= MIN_SIMILARITY or matched >= MIN_CONTAINED * min(length_a, length_b)


def diff_words(old: str, new: str) -> str | None:
    """Mark word-level changes between two HTML blocks of the same kind.

    Returns None when the blocks are different kinds of element, too different
    to be read as one edited block, or changed in a way that cannot be shown
    word by word; the caller then shows the whole block deleted and inserted.
    """
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    if not a or not b or a[0] != b[0]:
        return None
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if not similar(matcher.ratio(), len(a), len(b)):
        return None
    writer = _Writer()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            writer.keep(b[j1:j2])
            continue
        if i2 > i1 and not writer.deleted(a[i1:i2]):
            return None
        if j2 > j1:
            writer.inserted(b[j1:j2])
    return "".join(writer.out)


def _tag(token: str) -> tuple[bool, str] | None:
    """(is a closing tag, name) for a tag token; None for text."""
    match = TAG.match(token)
    return (match[1] == "/", match[2].lower()) if match else None


class _Writer:
    """Write the marked-up block, tracking which elements are open so deleted words land validly."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.open: list[str] = []

    def _track(self, token: str) -> None:
        tag = _tag(token)
        if tag is None or tag[1] in VOID or token.rstrip().endswith("/>"):
            return
        closing, name = tag
        if not closing:
            self.open.append(name)
        elif self.open and self.open[-1] == name:
            self.open.pop()

    def keep(self, tokens: Sequence[str]) -> None:
        for token in tokens:
            self._track(token)
        self.out.extend(tokens)

    def inserted(self, tokens: Sequence[str]) -> None:
        """New tokens: every tag stays (it is the new structure); text is wrapped in <ins>."""
        for is_text, group in groupby(tokens, key=lambda t: _tag(t) is None):
            run = "".join(group)
            if not is_text:
                for token in TOKEN.findall(run):
                    self._track(token)
                self.out.append(run)
            else:
                self.out.append(_wrap("ins", run))

    def deleted(self, tokens: Sequence[str]) -> bool:
        """Old tokens: text in <del>, whole old elements kept; False when they cannot go here."""
        kept = _balanced(tokens)
        text: list[str] = []
        depth = len(self.open)

        def flush() -> bool:
            run = "".join(text)
            text.clear()
            if not run.strip():
                self.out.append(run)  # spacing between deleted words, never visible on its own
                return True
            if not self.open or self.open[-1] in NO_TEXT:
                return False
            self.out.append(_wrap("del", run))
            return True

        for index, token in enumerate(tokens):
            tag = _tag(token)
            if tag is None:
                text.append(token)
                continue
            if not flush():
                return False
            if index not in kept:
                continue  # half of an element that changed shape: the new structure wins
            closing, name = tag
            if not closing and len(self.open) == depth and not self._fits(name):
                return False
            self._track(token)
            self.out.append(token)
        return flush()

    def _fits(self, name: str) -> bool:
        parent = self.open[-1] if self.open else ""
        if name in PARENTS:
            return parent in PARENTS[name]
        if name in BLOCKS:
            return parent in FLOW_PARENTS
        return bool(parent) and parent not in NO_TEXT


def _wrap(tag: str, run: str) -> str:
    """Mark a run of words, leaving the spaces around it unmarked."""
    words = run.strip()
    if not words:
        return run
    start = run.index(words[0])
    return f"{run[:start]}<{tag}>{words}</{tag}>{run[start + len(words) :]}"


def _balanced(tokens: Sequence[str]) -> set[int]:
    """Indexes of tags whose element opens and closes within ``tokens``."""
    stack: list[tuple[str, int]] = []
    kept: set[int] = set()
    for index, token in enumerate(tokens):
        tag = _tag(token)
        if tag is None:
            continue
        closing, name = tag
        if name in VOID or token.rstrip().endswith("/>"):
            kept.add(index)
        elif not closing:
            stack.append((name, index))
        elif stack and stack[-1][0] == name:
            kept.update((stack.pop()[1], index))
        else:
            stack.clear()  # an unmatched closing tag: nothing before it can be balanced
    return kept
