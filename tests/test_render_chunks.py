"""Parsing a document chunk by chunk gives exactly what parsing it whole gives.

Every document of the example site, of a generated benchmark corpus, of the
bad-input cases and of fuzzed Markdown is rendered both ways by one renderer
(so chunks parsed for one document are reused by the next), and the
renderings and the problems they record must be equal.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import EXAMPLE, PROJECT, RTL_FIXTURE
from hypothesis import given, settings
from hypothesis import strategies as st
from policypress.chunks import chunk_starts
from policypress.errors import Problems
from policypress.model import Document
from policypress.render import Renderer
from test_bad_input import CASES
from test_fuzz import FUZZ, HOSTILE, document, heading, line, region_block, region_open

REGIONS = ["eea", "uk", "california", "prc"]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(REGIONS)


def both_ways(renderer: Renderer, source: str, name: str = "policies/privacy/2024-01-01.en.md") -> bool:
    """Assert whole and chunked renderings of ``source`` are equal; True when it was chunked."""
    doc = Document(Path(name), "en", "Title", source, "")
    whole, chunked = Problems(Path(".")), Problems(Path("."))
    expected = renderer.render(doc, whole, whole=True)
    used = renderer.chunker.used  # type: ignore[union-attr]
    assert renderer.render(doc, chunked) == expected, source
    assert chunked.items == whole.items, source
    # The structure check counts sections without building them.
    assert expected.section_count() == len(expected.sections()), source
    parsed = renderer.chunker.parse(source)  # type: ignore[union-attr]
    if parsed is not None:  # the footnotes laid out from the definitions alone end the whole stream
        tail, _ = parsed.tail
        assert parsed.tokens[len(parsed.tokens) - len(tail) :] == tail, source
    return renderer.chunker.used > used  # type: ignore[union-attr]


def markdown_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in (".md", ".markdown") and p.is_file())


def test_example_site_renders_the_same_in_chunks(renderer: Renderer) -> None:
    files = markdown_files(EXAMPLE) + markdown_files(RTL_FIXTURE)
    chunked = [both_ways(renderer, p.read_text(encoding="utf-8"), str(p)) for p in files]
    assert len(files) > 20 and sum(chunked) > len(files) // 2


def test_benchmark_corpus_renders_the_same_in_chunks(renderer: Renderer, tmp_path: Path) -> None:
    command = [sys.executable, str(PROJECT / "benchmarks" / "generate.py"), "--out", str(tmp_path)]
    subprocess.run([*command, "--policies", "3", "--locales", "2", "--versions", "6"], check=True, timeout=120)
    files = markdown_files(tmp_path)
    parsed = renderer.chunker.parsed  # type: ignore[union-attr]
    assert len(files) == 36
    # Every document has a footnote, region blocks, lists and tables: none may fall back.
    assert all(both_ways(renderer, p.read_text(encoding="utf-8"), str(p)) for p in files)
    # Versions share most sections: far fewer chunks are parsed than the documents hold.
    assert renderer.chunker.parsed - parsed < sum(len(chunk_starts(p.read_text().split("\n"))) for p in files) / 2  # type: ignore[union-attr]


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: c.replace(" ", "-"))
def test_bad_input_renders_the_same_in_chunks(renderer: Renderer, case: str) -> None:
    for name, body in CASES[case][0].items():
        if isinstance(body, str):
            both_ways(renderer, textwrap.dedent(body), name)


FIRST = "---\ntitle: T\n---\nIntro.\n\n"

#: Text placed so that a chunk boundary falls next to it: each was a way to get it wrong.
EDGES = {
    "footnotes across chunks": "Ref[^a] and[^b].\n\n## B\n\nAgain[^a].\n\n## C\n\n[^b]: Bee.\n\n[^a]: A [link](#b).\n",
    "unreferenced footnote": "## A\n\nText.\n\n## B\n\n[^x]: Never used.\n",
    "footnote defined twice": "Ref[^a].\n\n## A\n\n[^a]: One.\n\n## B\n\n[^a]: Two.\n",
    "footnote label not defined": "Ref[^a].\n\n## A\n\n[^b]: Other.\n\nSay [^b]: here\n",
    "inline footnote": "Note^[inline *one*].\n\n## A\n\nRef[^a].\n\n## B\n\n[^a]: A.\n",
    "heading in footnote": "Ref[^a].\n\n## A\n\n[^a]: ## Inside\n\n## B\n\nx\n",
    "duplicate slugs": "## Same\n\nx\n\n## Same\n\ny\n\n### Same\n\n{#same-1}\n## Other\n",
    "explicit id reused": "{#b}\n## A\n\n## B\n\nx\n",
    "attrs with blank line": "Text.\n\n{#x}\n\n## Heading\n\nBody.\n",
    "attrs continuing a paragraph": "Text.\n{#x}\n## Heading\n\nBody.\n",
    "indented attrs in a list": "- item\n\n  {#x}\n## Heading\n",
    "stacked attrs": "x\n\n{#a}\n{#b}\n## H\n\n{#c}\n\n{#d}\n### I\n",
    "stacked attrs at the end": "## H\n\nx\n\n## I\n\n{#a}\n{#b}\n",
    "stacked attrs ending a region": "## H\n\n::: region eea\nx\n\n{#a}\n{.b}\n:::\n\n## I\n",
    "reference definition": "See [ref].\n\n## A\n\n[ref]: https://example.com\n",
    "unsafe reference": "[ref]\n\n## A\n\n[ref]: javascript:alert(1)\n\n## B\n\n[x](javascript:1)\n",
    "unsafe links in two chunks": "[a](javascript:a)\n\n## A\n\n[b](vbscript:b) [a](javascript:a)\n",
    "fence with headings": "```\n\n## not a heading\n```\n\n## Real\n\n~~~~\n\n## no\n~~~\n\n## still no\n~~~~\n",
    "unclosed fence": "Text.\n\n```\n\n## inside\n\nx\n",
    "fence in a list": "- a\n  ```\npara\n```\n\n## Inside or not\n\n```\n",
    "indented fence opener": "    ```\n```\n\n## H\n\n```\n",
    "region with headings": "::: region eea\n\n## In region\n\n:::\n\n## After\n",
    "unclosed region": "::: region eea\n\n## In region\n\nText.\n",
    "footnotes after an unclosed region": "::: region eea\n\nA[^a].\n\n## B\n\nB[^b].\n\n[^b]: Bee.\n\n[^a]: A.\n",
    "footnotes in a closed region": "::: region eea\n\nA[^a].\n\n[^a]: A.\n\n:::\n\n## B\n\nB[^b].\n\n[^b]: Bee.\n",
    "nested regions": "::: region eea\n\n## A\n\n::: region uk\n\n## B\n\n:::\n\n## C\n\n:::\n\n## D\n",
    "colons in code": "```\n:::\n```\n\n::: region eea\n```\n:::\n```\n\n## In\n\n:::\n\n## Out\n",
    "stray marker": "::: nope\n\n## A\n\n:::\n\n## B\n",
    "table then heading": "| a | b |\n|---|---|\n| 1 | 2 |\n## H\n\n| c |\n|---|\n| 3 |\n\n## I\n",
    "deflist then heading term": "Term\n: def\n\n## Heading\n: is it a term?\n\n## Next\n",
    "list then heading": "- a\n- b\n\n## H\n\n1. one\n\n   two\n\n## I\n\n- c\n",
    "blockquote then heading": "> quote\n## H\n\n> more\n\n## I\n",
    "setext and hashes": "Title\n=====\n\n#no space\n\n# One\n\n#\n\n##\t Tab\n\n#### Four\n\n####### Seven\n",
    "carriage returns": "## A\r\n\r\nText\r## B\r\n",
    "nul characters": "Ref[^a\x00].\n\n## A\n\n[^a\x00]: x\x00y\n",
    "image with footnote": "![alt[^a]](x.png)\n\n## A\n\n[^a]: note\n",
    "raw html and h1": "# Top\n\n<div>\n\n## H\n\n</div>\n",
    "front matter comment": "---\ntitle: T\n\n# comment\n\n## yaml?\n---\n\n## Real\n",
    "front matter unclosed": "---\ntitle: T\n\n## A\n\nText\n",
    "front matter dots": "---\ntitle: T\n...\n\n## A\n\nText\n",
}


#: Edge cases that cannot be stitched exactly, or are not split at all: parsed whole.
WHOLE = {
    "inline footnote",
    "heading in footnote",
    "duplicate slugs",
    "explicit id reused",
    "attrs continuing a paragraph",
    "indented attrs in a list",
    "reference definition",
    "unclosed fence",
    "fence in a list",
    "indented fence opener",
    "unclosed region",
    "footnotes after an unclosed region",
    "deflist then heading term",
    "carriage returns",
    "nul characters",
    "image with footnote",
    "front matter unclosed",
}


@pytest.mark.parametrize("name", sorted(EDGES), ids=lambda n: n.replace(" ", "-"))
def test_edge_cases_render_the_same_in_chunks(renderer: Renderer, name: str) -> None:
    text = EDGES[name]
    assert both_ways(renderer, text if text.startswith("---") else FIRST + text) == (name not in WHOLE)


def test_chunks_start_at_headings_outside_code_and_regions() -> None:
    text = "Intro\n\n{#a}\n## A\n\n```\n\n## code\n```\n\n::: region eea\n\n## r\n\n:::\n\n### B\n\n#### C\n"
    assert chunk_starts(text.split("\n")) == [0, 2, 16]


def test_a_plain_document_is_chunked_and_a_reference_definition_is_not(renderer: Renderer) -> None:
    assert both_ways(renderer, FIRST + "## A\n\nText[^1].\n\n## B\n\n[^1]: Note.\n")
    assert not both_ways(renderer, FIRST + "## A\n\n[x]\n\n## B\n\n[x]: /a/\n")


# Documents made of many sections: fuzzed pieces between column-0 headings, so boundaries fall
# next to every kind of block.
section = st.tuples(
    st.one_of(heading, st.just("## Same"), st.just("{#same}\n## Other")),
    st.lists(
        st.one_of(
            line,
            region_open,
            region_block,
            heading,
            st.sampled_from(HOSTILE),
            st.sampled_from(
                [
                    ":::",
                    "```",
                    "~~~",
                    "    code",
                    "- item\n\n  more",
                    "Term\n: Definition",
                    "Text[^1] and[^2]",
                    "[^1]: Note",
                    "[^2]: Other [x](#a)",
                    "| a | b |\n|---|---|\n| 1 | 2 |",
                    "> quote",
                    "{#anchor}",
                    "[x]: /y/",
                    "^[inline]",
                ]
            ),
        ),
        max_size=5,
    ).flatmap(lambda parts: st.sampled_from(["\n\n", "\n"]).map(lambda joint: joint.join(parts))),
).map(lambda t: t[0] + "\n\n" + t[1])
sectioned = st.tuples(document, st.lists(section, max_size=6)).map(lambda t: "\n\n".join([t[0], *t[1]]))


@settings(FUZZ, max_examples=300)
@given(source=sectioned)
def test_fuzzed_documents_render_the_same_in_chunks(renderer: Renderer, source: str) -> None:
    both_ways(renderer, source)


@settings(FUZZ, max_examples=100)
@given(source=st.lists(st.one_of(heading, region_block, line, st.sampled_from(["", "```", ":::"])), max_size=15))
def test_fuzzed_line_soup_renders_the_same_in_chunks(renderer: Renderer, source: list[str]) -> None:
    both_ways(renderer, "\n".join(source))


# Reuse: each distinct chunk's blocks are rendered and inspected once, and replayed into every
# document that holds the chunk, at its own lines and with its own footnote numbers.

#: A section whose text has every kind of problem a chunk's record carries.
TROUBLED = (
    "## Shared\n\n"
    "Text with a [link](https://example.com/a) and <b>raw</b> HTML.\n\n"
    "![a picture](x.png)\n\n"
    "::: nope\n\n"
    "::: region eea mars\n\n"
    "### In the region\n\n"
    "Regional [text](#shared).\n\n"
    ":::\n\n"
    "# A level-1 heading\n"
)


def render_pair(renderer: Renderer, first: str, second: str) -> tuple[Problems, Problems]:
    """Render two documents both ways (asserting both ways agree); the chunked problems of each."""
    found = []
    for number, source in enumerate((first, second)):
        doc = Document(Path(f"policies/privacy/2024-0{number + 1}-01.en.md"), "en", "Title", source, "")
        whole, chunked = Problems(Path(".")), Problems(Path("."))
        assert renderer.render(doc, chunked) == renderer.render(doc, whole, whole=True), source
        assert chunked.items == whole.items, source
        found.append(chunked)
    return found[0], found[1]


def lines_of(problems: Problems, message: str) -> list[int | None]:
    return [p.line for p in problems.items if message in p.message]


def test_a_chunk_at_another_line_is_replayed_with_its_problems_on_their_lines() -> None:
    renderer = Renderer(REGIONS)
    later = FIRST + "More text.\n\n## Before\n\nAnd more.\n\n"
    first, second = render_pair(renderer, FIRST + TROUBLED, later + TROUBLED)
    assert renderer.replayed == 2  # the shared chunks (before '##' and '#') were walked once
    shift = later.count("\n") - FIRST.count("\n")
    assert len(first.items) == len(second.items) == 5
    for a, b in zip(first.items, second.items, strict=True):
        assert (a.message, b.line) == (b.message, a.line + shift)  # type: ignore[operator]
    assert lines_of(first, "images") == [10]
    assert lines_of(second, "images") == [10 + shift]
    assert lines_of(second, "unknown region 'mars'") == [14 + shift]
    assert lines_of(second, "level-1") == [22 + shift]


def test_footnote_references_in_a_reused_chunk_are_numbered_per_document() -> None:
    renderer = Renderer(REGIONS)
    notes = "[^a]: First [note](#shared).\n\n[^b]: Second note.\n"
    shared = "## Shared\n\nSee[^b] and [a link](#top).\n\n## Notes\n\n" + notes
    render_pair(renderer, FIRST + "Intro[^a].\n\n" + shared, FIRST + "Intro.\n\n" + shared)
    assert renderer.replayed == 2  # both chunks of the shared text
    first = renderer.render(
        Document(Path("a.md"), "en", "T", FIRST + "Intro[^a].\n\n" + shared, ""), Problems(Path("."))
    )
    second = renderer.render(Document(Path("b.md"), "en", "T", FIRST + "Intro.\n\n" + shared, ""), Problems(Path(".")))
    assert 'href="#fn2" id="fnref2"' in first.segments[0].html
    assert 'href="#fn1" id="fnref1"' in second.segments[0].html
    assert "Second note" in second.segments[0].html and "First" not in second.segments[0].html
    assert [link.line for link in first.links] == [10, 14]  # the link in a footnote keeps its line


def test_a_chunk_is_reused_in_documents_with_and_without_footnotes() -> None:
    renderer = Renderer(REGIONS)
    with_notes = FIRST + "Intro[^a].\n\n" + TROUBLED + "\n## Notes\n\n[^a]: A note.\n"
    first, second = render_pair(renderer, with_notes, FIRST + TROUBLED + "\n## End\n\nNo notes.\n")
    assert renderer.replayed == 2
    assert lines_of(first, "level-1") == [24]
    assert lines_of(second, "level-1") == [22]


def test_a_footnote_defined_inside_a_block_is_walked_with_the_whole_document() -> None:
    renderer = Renderer(REGIONS)
    source = FIRST + "Ref[^a].\n\n## A\n\n> [^a]: Quoted [x](y.png).\n\n## B\n\n![i](x.png)\n"
    first, second = render_pair(renderer, source, source + "\n## C\n\nMore.\n")
    assert lines_of(first, "images") == lines_of(second, "images") == [14]


# Documents made of the same fuzzed sections in another order, after other text: every
# section's chunk is replayed at another line, beside other footnotes.
@settings(FUZZ, max_examples=150)
@given(
    intro=document,
    sections=st.lists(section, min_size=1, max_size=5),
    order=st.randoms(use_true_random=False),
)
def test_fuzzed_sections_replayed_at_other_lines_render_the_same(
    renderer: Renderer, intro: str, sections: list[str], order
) -> None:
    both_ways(renderer, "\n\n".join(["Intro[^1].", *sections]))
    order.shuffle(sections)
    both_ways(renderer, "\n\n".join([intro, "[^2]: Two.", *sections]))
