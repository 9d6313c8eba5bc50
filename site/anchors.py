"""Stage 3a (parse): heading anchors, as made from a heading's text or written as ``{#id}`` above it.

An anchor belongs to one heading.  The anchors plugin gives a heading the id made from its
text unless a written ``{#id}`` took it (then the heading silently gets ``id-1``), and the
attributes plugin puts a ``{#id}`` above any other block on that block (or drops it), takes
``{.class}`` and ``{key=value}`` without a word, and leaves an id it cannot read as text.
:func:`check_written_ids` runs before the attributes plugin moves what it read onto the next
block, and notes on the tokens what the walk (:mod:`policypress.blocks`) then reports.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors.index import slugify

#: The ids the pages around a text give their own parts (the templates', the footnotes'): a heading
#: anchor that took one would give two elements one id, and links to it would land on either.  A written
#: ``{#id}`` that is one is an error; an anchor made from a heading's text steers clear (heading_slug).
PAGE_IDS = re.compile(
    r"main|policy-(content|body)|language-switcher|toc-title|region-(status|picker-label|suggestion)"
    r"|translation-notice-title|version-banner-title|changed-only|gpc-lock|opt-out|optout-title"
    r"|compare-(title|policy|result|old|new|\d{4}-\d\d-\d\d)"
    r"|(notice|version)-\d{4}-\d\d-\d\d|head-(canonical|alternate-[a-z0-9-]+)"
    r"|request-(title|(name|email|state)(-error|-hint)?)|(region-label|diff-region|table-box|table-number)-\d+|fn(ref)?\d+(:\d+)?"
)
#: The heading levels that get an anchor made from their text.
MADE_LEVELS = 4
#: A written id looks like an anchor made from a heading's text: lowercase letters, digits, ``-`` and ``_``.
WRITTEN_ID = re.compile(r"[\w-]+")
#: A line that was meant as a written id, but the attributes plugin could not read (``{#Contact Us}``).
UNREAD_ID = re.compile(r"[ ]{0,3}\{#[^{}\n]*\}[ \t]*")
#: Meta keys: problems of the ``{...}`` lines above a token (``(line, message, hint)``, lines from 0),
#: and the line (from 0) of the ``{#id}`` a heading's id was written on.
ATTRS_PROBLEMS = "policypress:attrs-problems"
WRITTEN = "policypress:written-id"


def heading_slug(text: str) -> str:
    """A heading's anchor made from its text, as GitHub makes it, clear of the ids the page itself uses:
    ``## Main`` gets ``#main-section``, since ``#main`` is the page's main content."""
    slug = slugify(text)
    return f"{slug}-section" if PAGE_IDS.fullmatch(slug) else slug


def is_written_id(value: str) -> bool:
    """True when ``value`` may be written as ``{#value}``: it looks like an anchor made from a heading."""
    return bool(WRITTEN_ID.fullmatch(value)) and value == value.lower()


def check_written_ids(state: StateCore) -> None:
    """Note each ``{...}`` line that is not a valid ``{#id}`` above a heading, and each heading's written id.

    A core rule, run before the attributes plugin moves the attributes onto the block below.
    """
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "attrs_block" or not token.map:
            continue
        target = _target(tokens, index)
        line = token.map[0]
        found = [(line, *problem) for problem in _problems(token.attrs, target)]
        if target is not None and target.type == "heading_open" and "id" in token.attrs:
            target.meta[WRITTEN] = line
        holder = target if target is not None else _before(tokens, index)
        if holder is not None and holder.type == "footnote_reference_open":
            # The footnote plugin moves a definition to the end of the page and drops its opening token:
            # the problems go with the definition's first token, which is walked there.
            opened = next(at for at in range(index + 1, len(tokens)) if tokens[at] is holder)
            if opened + 1 < len(tokens) and tokens[opened + 1].type != "footnote_reference_close":
                holder = tokens[opened + 1]
        if found and holder is not None:
            holder.meta[ATTRS_PROBLEMS] = (*holder.meta.get(ATTRS_PROBLEMS, ()), *found)


def _target(tokens: list[Token], index: int) -> Token | None:
    """The block the attributes at ``index`` go to (stacked ``{...}`` lines go to one), or None."""
    following = index + 1
    while following < len(tokens) and tokens[following].type == "attrs_block":
        following += 1
    if following < len(tokens) and tokens[following].nesting >= 0:
        return tokens[following]
    return None


def _before(tokens: list[Token], index: int) -> Token | None:
    """The token before the ``{...}`` lines stacked up to ``index``, which the walk will see: the attributes
    plugin removes the lines' own tokens (stacked at the end of a text or of a block, each needs one)."""
    while index and tokens[index - 1].type == "attrs_block":
        index -= 1
    return tokens[index - 1] if index else None


def _problems(attrs: dict, target: Token | None) -> list[tuple[str, str]]:
    """What is wrong with one ``{...}`` line whose block is ``target``: (message, hint) pairs."""
    found: list[tuple[str, str]] = []
    others = [key for key in attrs if key != "id"]
    if others:
        found.append(
            (
                f"the {{...}} line sets {', '.join(others)}: only a heading id can be written",
                "write {#id} alone, or remove the line",
            )
        )
    if "id" in attrs and not is_written_id(str(attrs["id"])):
        found.append(_invalid_id(str(attrs["id"])))
    if "id" in attrs and (target is None or target.type != "heading_open"):
        found.append(
            (
                f"'{{#{attrs['id']}}}' is not above a heading, so it names nothing",
                "put it on the line directly above a heading (## ...), or remove it",
            )
        )
    return found


def _invalid_id(value: str) -> tuple[str, str]:
    """The problem of an id that cannot be written (spaces, capitals, punctuation)."""
    return (
        f"invalid heading id '{{#{value}}}'",
        f"write it as the anchor a heading's text makes: lowercase letters, digits, hyphens and underscores, "
        f"such as {{#{slugify(value.strip()) or 'contact'}}}",
    )


def unread_id(text: str) -> tuple[int, str, str] | None:
    """The problem of a paragraph holding a ``{#...}`` line the attributes plugin could not read: on its first
    line, an id that cannot be written; on a later one, any id (it cannot interrupt a paragraph).  Returns
    the line within the paragraph (from 0), the message and the hint."""
    for number, line in enumerate(text.split("\n")):
        if UNREAD_ID.fullmatch(line):
            value = line.strip()[2:-1]
            if number and is_written_id(value):
                return (
                    number,
                    f"'{{#{value}}}' right under a line of text is shown as text",
                    ("leave an empty line above it, so that it names the heading below it"),
                )
            message, hint = _invalid_id(value)
            return number, f"{message} is shown as text", hint
    return None
