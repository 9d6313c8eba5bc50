"""Stage 3a: render one Markdown document into segments, headings and links.

A document is a run of *segments*: general text, or a region block written as
``::: region eea uk``.  Each segment keeps its top-level blocks as separate
HTML strings so that region views, the table of contents and the diff can all
reuse one rendering.  Nothing here knows of Flask.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .chunks import Chunker
from .errors import Problems
from .model import Document
from .rendered import Heading, Link, Rendered, Segment

RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
SAFE_SCHEMES = frozenset({"", "http", "https", "mailto", "tel"})


class Renderer:
    """A configured markdown-it parser for policy text in one site."""

    def __init__(self, region_ids: Sequence[str], *, chunked: bool = True) -> None:
        self.region_ids = tuple(region_ids)
        self._rejected: list[str] = []
        self.md = self._markdown(self._rejected_now)
        #: Parses each distinct top-level chunk once (None: every document is parsed whole).
        self.chunker: Chunker | None = None
        if chunked:
            refused: list[str] = []
            self.chunker = Chunker(self._markdown(refused.append), refused)

    def _rejected_now(self, url: str) -> None:
        self._rejected.append(url)

    def _markdown(self, reject: Callable[[str], None]) -> MarkdownIt:
        """A parser with this site's plugins; ``reject`` hears of every refused link."""
        md = MarkdownIt("js-default")
        md.use(front_matter_plugin)
        md.use(attrs_block_plugin, allowed=["id"])
        md.use(anchors_plugin, min_level=1, max_level=4)
        md.use(footnote_plugin)
        md.use(deflist_plugin)
        md.use(container_plugin, "region", validate=self._is_region_block)
        default_validate = md.validateLink

        def validate_link(url: str) -> bool:
            if default_validate(url) and not url.strip().lower().startswith("data:"):
                return True
            reject(url)
            return False

        md.validateLink = validate_link  # type: ignore[method-assign]
        md.add_render_rule("link_open", _render_link_open)
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
        shift: dict[int, int] = {}
        if parsed is None:
            env: dict[str, object] = {}
            tokens = self.md.parse(document.source, env)
        else:
            tokens, env, rejected, shift = parsed
            self._rejected.extend(rejected)
        lines = document.source.split("\n")
        rendered = self._collect(tokens, env, lines, document, problems, shift)
        for url in self._rejected:
            line = next((n for n, text in enumerate(lines, 1) if url in text), None)
            problems.add(
                document.path,
                line,
                f"unsafe link {url!r}",
                "links may only use http, https, mailto or tel, or point inside this site",
            )
        return rendered

    def _collect(
        self,
        tokens: list[Token],
        env: dict[str, object],
        lines: list[str],
        document: Document,
        problems: Problems,
        shift: dict[int, int],
    ) -> Rendered:
        """Segments, headings and links of a parse; ``shift[id(token)]`` is added to a token's lines."""
        segments: list[Segment] = []
        headings: list[Heading] = []
        links: list[Link] = []
        regions: tuple[str, ...] = ()
        blocks: list[str] = []
        heading_ids: list[str | None] = []
        block_heading: str | None = None
        segment_line = 1
        block_start: int | None = None
        nesting = 0

        def close_segment() -> None:
            nonlocal blocks, heading_ids
            if blocks:
                segments.append(Segment(regions, tuple(blocks), segment_line, tuple(heading_ids)))
            blocks, heading_ids = [], []

        for index, token in enumerate(tokens):
            line = token.map[0] + 1 + shift.get(id(token), 0) if token.map else segment_line
            if token.type == "front_matter":
                continue
            if token.type == "container_region_open":
                if regions:
                    problems.add(
                        document.path,
                        line,
                        "region blocks cannot be nested",
                        "close the outer block with ':::' before opening another",
                    )
                close_segment()
                regions = self._block_regions(token, line, document, problems)
                segment_line = line
                if not _is_closed(token, lines, shift.get(id(token), 0)):
                    problems.add(
                        document.path,
                        line,
                        "region block is never closed",
                        "add a line with ':::' where the block ends",
                    )
                continue
            if token.type == "container_region_close":
                close_segment()
                regions = ()
                continue
            if token.type == "inline":
                self._inspect_inline(token, regions, tokens[index - 1], line, document, headings, links, problems)
            if block_start is None:
                block_start = index
                block_heading = str(token.attrGet("id")) if token.type == "heading_open" else None
                if not blocks:
                    segment_line = line
            nesting += token.nesting
            if nesting == 0:
                blocks.append(self.md.renderer.render(tokens[block_start : index + 1], self.md.options, env))
                heading_ids.append(block_heading)
                block_start = None
        close_segment()
        return Rendered(tuple(segments), tuple(headings), tuple(links))

    def _block_regions(self, token: Token, line: int, document: Document, problems: Problems) -> tuple[str, ...]:
        names = tuple(token.info.split()[1:])
        if not names:
            problems.add(
                document.path,
                line,
                "region block names no region",
                f"write '::: region <id>' with one of: {', '.join(self.region_ids)}",
            )
        for name in names:
            if name not in self.region_ids:
                problems.add(
                    document.path,
                    line,
                    f"unknown region '{name}' (known: {', '.join(self.region_ids) or 'none'})",
                    "fix the spelling or define the region in site.yaml",
                )
        return names or ("",)

    def _inspect_inline(
        self,
        token: Token,
        regions: tuple[str, ...],
        opener: Token,
        line: int,
        document: Document,
        headings: list[Heading],
        links: list[Link],
        problems: Problems,
    ) -> None:
        children = token.children or []
        if token.content.startswith(":::"):
            problems.add(
                document.path,
                line,
                f"stray or unknown block marker {token.content.split()[0]!r}",
                "blocks are written '::: region <id>' ... ':::'; remove the marker or fix it",
            )
        if opener.type == "heading_open" and opener.tag == "h1":
            problems.warn(
                document.path,
                line,
                "level-1 heading in the text",
                "the page title comes from the front matter 'title'; start sections with ##",
                code="heading-level",
            )
        if opener.type == "heading_open":
            text = "".join(c.content for c in children if c.type in ("text", "code_inline"))
            headings.append(Heading(str(opener.attrGet("id")), int(opener.tag[1]), text, regions, line))
        for child in children:
            if child.type == "link_open":
                links.append(Link(str(child.attrGet("href")), line))
            elif child.type == "image":
                problems.add(
                    document.path,
                    line,
                    "images are not supported in policy text",
                    "describe it in words; images from other sites would leak readers to them",
                )
            elif child.type == "text" and RAW_HTML.search(child.content):
                problems.warn(
                    document.path,
                    line,
                    "raw HTML is shown as text, not as markup",
                    "use Markdown instead of HTML tags",
                    code="raw-html",
                )


def _is_closed(token: Token, lines: list[str], shift: int) -> bool:
    """True when the block's last line is its closing ``:::`` marker."""
    if not token.map:
        return False
    end = token.map[1] + shift
    return end < len(lines) and lines[end].strip().startswith(":::")


def _render_link_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:  # type: ignore[no-untyped-def]
    """Open a link; links that leave the site send no referrer and no opener."""
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if urlsplit(href).scheme in ("http", "https"):
        token.attrSet("rel", "external noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


def scheme_of(href: str) -> str:
    """The scheme of a link, lowercased ('' for relative links)."""
    return urlsplit(href).scheme.lower()
