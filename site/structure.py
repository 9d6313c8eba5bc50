"""Stage 3c (structure): every translation must have the structure of its original.

Region blocks, sections and heading anchors must match, so that tables of
contents, region views, the list of changed sections and in-page links line
up in every language.  Comparing two renderings means reading both, which for
a whole site costs more than the rest of a rebuild's start-up; so with a cache
folder the verdict on a pair of files is remembered by their hashes (as the
list of problems, reported again every build until the files are fixed).
Nothing here knows of Flask.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Finding, Problems
from .memo import Memo, fingerprint
from .model import Document
from .rendercache import renderer_fingerprint
from .rendered import Heading, Rendered

if TYPE_CHECKING:
    from .library import Library


def check_structure(library: Library, problems: Problems, cache_dir: Path | None = None) -> None:
    """Report every translation whose region blocks, sections or anchors differ from its original.

    With ``cache_dir``, the verdict on each pair of files (the problems found,
    or none) is remembered by the two files' hashes, and replayed while both
    are unchanged, without reading their renderings again.
    """
    site = library.site
    pairs: list[tuple[Document, Document]] = []
    for policy in site.policies:
        for version in policy.versions:
            pairs += [(version.original, d) for d in version.documents if d is not version.original]
    for page in site.pages:
        original = page.document(site.config.default_locale)
        if original is not None:
            pairs += [(original, d) for d in page.documents if d is not original]
    memo = None
    if cache_dir is not None:
        code = fingerprint(
            ("structure.py", "memo.py"), (), renderer_fingerprint(site.config.region_ids, site.config.base_path)
        )
        memo = Memo(cache_dir, "structure", code)
    # An original whose structure has errors of its own (a misspelt region, say) would make every
    # translation's differences from it errors too, some asking translators to copy the mistake.
    errors: dict[str, list[int | None]] = {}
    for problem in problems.errors:
        errors.setdefault(problem.path, []).append(problem.line)
    for original, translation in pairs:
        if original.draft or translation.draft:
            continue
        if errors and _structure_broken(original, errors.get(problems.display_path(original.path), [])):
            continue
        # The messages name the original's file and locale, so they are part of the key.
        key = f"{original.sha256}:{translation.sha256}:{original.locale}:{original.path.name}"
        findings: tuple[Finding, ...] | None = memo.get(key) if memo is not None else None
        if findings is None:
            found = Problems(site.root)
            _compare(original, library.rendered(original), translation, library.rendered(translation), found)
            findings = tuple(Finding.of(problem) for problem in found.items)
            if memo is not None:
                memo.put(key, findings)
        for finding in findings:
            finding.report(problems, translation.path)
    if memo is not None:
        memo.save()


def _compare(original: Document, source: Rendered, translation: Document, target: Rendered, problems: Problems) -> None:
    name = f"the {original.locale} original {original.path.name}"
    blocks_of = {
        which: Counter(segment.regions for segment in rendered.segments if segment.regions)
        for which, rendered in (("source", source), ("target", target))
    }
    # Where each block starts, turned into its marker's line only for a message (that reads the whole text).
    starts = {segment.regions: segment.line for segment in source.segments if segment.regions}
    for regions, count in sorted(blocks_of["source"].items()):
        if blocks_of["target"][regions] < count:
            line = _opening_line(original, starts[regions])
            problems.add(
                translation.path,
                None,
                f"missing region block '::: region {' '.join(regions)}' ({name} has it at line {line})",
                "translate the block, keeping its '::: region' line, so readers of that region see it",
                code="translation-structure",
            )
    seen: Counter[tuple[str, ...]] = Counter()
    for segment in target.segments:
        seen[segment.regions] += 1
        if segment.regions and seen[segment.regions] > blocks_of["source"][segment.regions]:
            problems.add(
                translation.path,
                _opening_line(translation, segment.line),
                f"region block '::: region {' '.join(segment.regions)}' is not in {name}",
                "a translation has the same region blocks as its original",
                code="translation-structure",
            )
    theirs, ours = source.section_count(), target.section_count()
    if theirs != ours:
        problems.add(
            translation.path,
            None,
            f"{ours} sections, but {name} has {theirs}",
            "translate every heading of the original, and add none",
            code="translation-structure",
        )
    anchors = {heading.id for heading in target.headings}
    for heading in source.headings:
        if heading.id not in anchors:
            problems.add(
                translation.path,
                None,
                f"no heading with anchor #{heading.id} ({name} has it at line {heading.line}: {heading.text!r})",
                f"put {{#{heading.id}}} on the line above the translated heading",
                code="translation-structure",
            )
    placed = {heading.id: heading for heading in source.headings}
    for heading in target.headings:
        there = placed.get(heading.id)
        if there is not None and there.regions != heading.regions:
            problems.add(
                translation.path,
                heading.line,
                f"heading #{heading.id} is {_where(heading.regions)} here, but {_where(there.regions)} in {name} "
                f"(line {there.line})",
                "keep each section where the original has it, so that every region's readers see the same sections",
                code="translation-structure",
            )
    _check_order(name, source, translation, target, problems)
    for heading in target.headings:
        if heading.id not in source.anchors:
            problems.add(
                translation.path,
                heading.line,
                f"heading anchor #{heading.id} exists only in this translation, not in {name}",
                "give the heading the id of the original's heading: {#id} on the line above it",
                code="translation-structure",
            )


def _check_order(name: str, source: Rendered, translation: Document, target: Rendered, problems: Problems) -> None:
    """Report the first section a translation puts in another place than its original: readers comparing
    languages, and the lists of changed sections, expect the original's order."""
    shared = source.anchors & target.anchors
    theirs, ours = _first_headings(source, shared), _first_headings(target, shared)
    for expected, found in zip(theirs, ours, strict=True):
        if expected.id != found.id:
            problems.add(
                translation.path,
                found.line,
                f"heading #{found.id} is out of order: at this place {name} has #{expected.id} "
                f"(line {expected.line}: {expected.text!r})",
                "keep the sections in the order of the original",
                code="translation-structure",
            )
            return


def _first_headings(rendered: Rendered, anchors: frozenset[str]) -> list[Heading]:
    """The first heading of each of ``anchors``, in order: a repeated id is an error of its own, reported
    where it is written."""
    first: dict[str, Heading] = {}
    for heading in rendered.headings:
        if heading.id in anchors:
            first.setdefault(heading.id, heading)
    return list(first.values())


#: How the lines that make a document's structure start: region markers, {#id} lines, headings.
STRUCTURE_LINES = (":::", "{", "#")


def _structure_broken(document: Document, lines: list[int | None]) -> bool:
    """Whether any of these error lines of ``document`` is one of its structure's lines (or the whole file)."""
    text = document.source.split("\n")
    return any(
        line is None or (0 < line <= len(text) and text[line - 1].lstrip().startswith(STRUCTURE_LINES))
        for line in lines
    )


def _where(regions: tuple[str, ...]) -> str:
    """Where a heading stands: in which region block, or outside every block."""
    return f"in region block '::: region {' '.join(regions)}'" if regions else "outside the region blocks"


def _opening_line(document: Document, first_line: int) -> int:
    """The line of the ``::: region`` marker that opens the block whose text starts at ``first_line``."""
    lines = document.source.split("\n")
    for number in range(min(first_line, len(lines)), 0, -1):
        if lines[number - 1].lstrip().startswith(":::"):
            return number
    return first_line
