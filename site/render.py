"""Stage 3a: render one Markdown document into segments, headings and links.

A document is a run of *segments*: general text, or a region block written as
``::: region eea uk``.  Each segment keeps its top-level blocks as separate
HTML strings so that region views, the table of contents and the diff can all
reuse one rendering.  The walk over a document's tokens is recorded once per
distinct chunk and replayed (see :mod:`policypress.blocks`).  Nothing here
knows of Flask.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .anchors import MADE_LEVELS, check_written_ids, heading_slug
from .blocks import Collector, Record, record
from .chunks import MEMO_SIZE, Chunk, Chunker
from .errors import Problems
from .model import LINK_SCHEMES, Document
from .regionblock import mark_region_notes, region_block_plugin
from .rendered import Rendered
from .stitch import Parsed

#: What ends a line for markdown-it, which reads "\r\n" and a lone "\r" as "\n".
LINE_END = re.compile(r"\r\n?|\n")


class Renderer:
    """A configured markdown-it parser for policy text in one site."""

    def __init__(self, region_ids: Sequence[str] | None, *, base_path: str = "", chunked: bool = True) -> None:
        """``region_ids``: the site's regions (None: site.yaml's list could not be read, and any id is taken)."""
        self.region_ids = None if region_ids is None else tuple(region_ids)
        #: The path the site is served under (``/policies``, see :mod:`policypress.basepath`): links that
        #: editors write from the site root (``/en/privacy/``) lead there.
        self.base_path = base_path
        self._rejected: list[str] = []
        self.md = self._markdown(self._rejected_now)
        #: Parses each distinct top-level chunk once (None: every document is parsed whole).
        self.chunker: Chunker | None = None
        #: The walk over each distinct chunk by ``id``, and how often one was reused.
        self._records: dict[int, tuple[Chunk, Record | None]] = {}
        self.replayed = 0
        if chunked:
            refused: list[str] = []
            self.chunker = Chunker(self._markdown(refused.append), refused)

    def forget(self) -> None:
        """Drop the chunks and walks remembered so far: the next documents share nothing with the last."""
        self._records.clear()
        if self.chunker is not None:
            self.chunker.forget()

    def _rejected_now(self, url: str) -> None:
        self._rejected.append(url)

    def _markdown(self, reject: Callable[[str], None]) -> MarkdownIt:
        """A parser with this site's plugins; ``reject`` hears of every refused link."""
        md = MarkdownIt("js-default")
        md.use(front_matter_plugin)
        md.use(attrs_block_plugin, allowed=["id"])
        md.core.ruler.before("attr", "policypress_written_ids", check_written_ids)
        md.use(anchors_plugin, min_level=1, max_level=MADE_LEVELS, slug_func=heading_slug)
        md.use(footnote_plugin)
        md.use(deflist_plugin)
        md.use(region_block_plugin, self._is_region_block)
        md.core.ruler.before("footnote_tail", "policypress_region_notes", mark_region_notes)

        def validate_link(url: str) -> bool:
            if link_refusal(url) is None:
                return True
            reject(url)
            return False

        md.validateLink = validate_link  # type: ignore[method-assign]
        base_path = self.base_path

        def link_open(renderer, tokens: Sequence[Token], idx: int, options, env) -> str:  # type: ignore[no-untyped-def]
            return _render_link_open(renderer, tokens, idx, options, env, base_path=base_path)

        md.add_render_rule("link_open", link_open)  # markdown-it binds it to the renderer, as a method
        return md

    @staticmethod
    def _is_region_block(params: str, *_args: object) -> bool:
        return params.strip().split(" ", 1)[0] == "region"

    def render(self, document: Document, problems: Problems, *, whole: bool = False) -> Rendered:
        """Render ``document``, recording every problem in its text.

        The text is parsed chunk by chunk when that is exactly a whole parse, unless ``whole`` (the
        equivalence tests render every document both ways).
        """
        self._rejected.clear()
        parsed = None if whole or self.chunker is None else self.chunker.parse(document.source)
        if parsed is None:
            env: dict = {}
            tokens = self.md.parse(document.source, env)
            collector = Collector(self.md, env, document.path, problems, self.region_ids)
            collector.replay(self._walk(tokens, env).events)
        else:
            self._rejected.extend(parsed.rejected)
            collector = Collector(self.md, parsed.env, document.path, problems, self.region_ids)
            self._replay(parsed, collector)
        rendered = collector.rendered()
        source = document.source
        # Lines as the parser counts them: a lone CR ends one too.
        lines = LINE_END.split(source) if "\r" in source else source.split("\n")
        written = [unquote(url) for url in self._rejected]  # as the editor typed them, not as the parser encoded them
        for url, line in zip(written, _lines_of(written, lines), strict=True):
            problems.add(document.path, line, *link_refusal(url))  # type: ignore[misc]
        return rendered

    def _walk(self, tokens: list[Token], env: dict, shift: dict[int, int] | None = None) -> Record:
        """The walk over a stream a whole parse gives (or its end), rendered in ``env``."""
        walked = record(self.md, tokens, shift=shift, env=env)
        assert walked is not None, "a whole parse has moved every footnote definition to its end"
        return walked

    def _replay(self, parsed: Parsed, collector: Collector) -> None:
        """Replay each chunk's record (walked once per distinct chunk), then the footnotes at the end."""
        records = [self._record(chunk) for chunk in parsed.chunks]
        if any(r is None for r in records):
            collector.replay(self._walk(parsed.tokens, parsed.env, parsed.shift).events)
            return
        base = 0
        for chunk, start, found in zip(parsed.chunks, parsed.starts, records, strict=True):
            collector.replay(found.events, start, parsed.stream, base)  # type: ignore[union-attr]
            base += len(chunk.tokens)
        tail, shift = parsed.tail
        collector.replay(self._walk(tail, parsed.env, shift).events)

    def _record(self, chunk: Chunk) -> Record | None:
        """The walk over ``chunk``, remembered while the chunk is."""
        found = self._records.get(id(chunk))
        if found is not None and found[0] is chunk:
            self.replayed += 1
            return found[1]
        walked = record(self.md, chunk.tokens, late=frozenset(chunk.footnoted))
        if len(self._records) >= MEMO_SIZE:
            del self._records[next(iter(self._records))]
        self._records[id(chunk)] = (chunk, walked)
        return walked


def _render_link_open(self, tokens: Sequence[Token], idx: int, options, env, *, base_path: str) -> str:  # type: ignore[no-untyped-def]
    """Open a link; links that leave the site send no referrer and no opener, and links from the site root
    lead under the site's base path."""
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if urlsplit(href).scheme in ("http", "https"):
        token.attrSet("rel", "external noopener noreferrer")
    if not (base_path and href.startswith("/") and not href.startswith("//")):
        return self.renderToken(tokens, idx, options, env)
    # Only the HTML gets the path: the link checks read the href as the editor wrote it.
    token.attrSet("href", base_path + href)
    try:
        return self.renderToken(tokens, idx, options, env)
    finally:
        token.attrSet("href", href)


def scheme_of(href: str) -> str:
    """The scheme of a link, lowercased ('' for relative links)."""
    return urlsplit(href).scheme.lower()


#: Schemes that run code or carry content in the link itself, whatever the page around it.
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})
#: A URL's scheme, as browsers read one: a letter, then letters, digits, "+", "-" or ".", then a colon.
URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
LINK_HINT = "links may only use http, https, mailto or tel, or point inside this site"


def link_refusal(url: str) -> tuple[str, str] | None:
    """Why a link to ``url`` may not be published, and how to mend it; None when it may.

    An allow-list: any scheme but :data:`LINK_SCHEMES` is refused (``ftp:``, ``sms:``, ``blob:``, an app's
    own), not only those that run code.
    """
    written = url.strip()
    found = URL_SCHEME.match(written)
    if found is None:  # a path in this site, or an address written //host/path (in the page's scheme)
        return None
    scheme = found[1].lower()
    if scheme in LINK_SCHEMES:
        return None
    if scheme in UNSAFE_SCHEMES:
        return f"unsafe link {written!r}", LINK_HINT
    return f"link {written!r} uses the scheme {scheme}:, which readers' browsers may not open safely", LINK_HINT


def _lines_of(urls: Sequence[str], lines: Sequence[str]) -> list[int | None]:
    """The line (1-based) of each of ``urls`` in the text, in order: the same link again is looked for after the
    one found last, on the same line too.  A link the text writes with character references (``&#115;``) is
    found in the text those decode to."""
    found: list[int | None] = []
    last: dict[str, tuple[int, int]] = {}  # a link: the index of the line it was last found on, and how often there
    for url in urls:
        start, used = last.get(url, (0, 0))
        index = next(
            (i for i in range(start, len(lines)) if _occurrences(url, lines[i]) > (used if i == start else 0)), None
        )
        if index is None:
            found.append(None)
            continue
        last[url] = (index, (used if index == start else 0) + 1)
        found.append(index + 1)
    return found


def _occurrences(url: str, line: str) -> int:
    """How often ``url`` is written on ``line``, as text or with character references."""
    count = line.count(url)
    if not count and "&" in line:
        count = html.unescape(line).count(url)
    return count
