"""A cache of rendered documents on disk, so a rebuild renders only what changed.

An entry is keyed by the SHA-256 of the source file and stored under a folder
named by the *renderer fingerprint*: the code of the rendering stage, the
markdown-it-py and plugin versions and the site's region ids.  Change any of
those and the old entries are simply never read again (and are pruned).

Entries are pickles behind a checksum.  The checksum catches a truncated or
damaged file, which then counts as a miss; it is not a defence against
someone who can write to the cache folder (they could edit the code too).

Every build needs each document's problems, anchors and links (the *head*),
but only the pages it renders need their text (the *body*).  So the heads are
also kept together in one :class:`~policypress.memo.Memo` table, the *index*:
a rebuild reads that one file, and each body only when a page shows it.  A
body found missing or damaged then is rendered again from the document.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Finding
from .memo import CHECKSUM_BYTES, Memo, checksum, fingerprint, write_checked
from .rendered import Heading, Link, Rendered, Segment

#: The modules whose code decides what a rendering, or its form in the cache, looks like.
RENDERER_MODULES = (
    "render.py",
    "blocks.py",
    "regionblock.py",
    "anchors.py",
    "stitch.py",
    "rendered.py",
    "chunks.py",
    "errors.py",
    "model.py",
    "rendercache.py",
)


@dataclass(frozen=True)
class Entry:
    """One document's rendering and the problems its text has."""

    rendered: Rendered
    findings: tuple[Finding, ...]


def renderer_fingerprint(region_ids: Sequence[str] | None, base_path: str = "") -> str:
    """A hash that changes whenever the same source could render differently (``region_ids`` None: any is taken)."""
    regions = ("any region",) if region_ids is None else region_ids  # no region id has a space
    return fingerprint(RENDERER_MODULES, ("markdown-it-py", "mdit-py-plugins"), *regions, f"base path {base_path}")


class LazyRendered(Rendered):
    """A rendering whose headings and HTML segments stay pickled until a page asks for them.

    Link checking reads only links and anchors, so a rebuild unpickles the
    text of just the documents on the pages it renders, and a parallel build
    unpickles each document's text in the worker that shows it.
    """

    def __init__(self, anchors: frozenset[str], links: tuple[Link, ...], body: bytes | Callable[[], bytes]) -> None:
        """``body`` is the pickled headings and segments, or what returns them when first asked."""
        object.__setattr__(self, "links", links)
        object.__setattr__(self, "_anchors", anchors)
        object.__setattr__(self, "_pickled_body", body)

    def _pickled(self) -> bytes:
        body = self.__dict__["_pickled_body"]
        if callable(body):
            body = body()
            object.__setattr__(self, "_pickled_body", body)
        return body

    def unload(self) -> None:
        """Forget the unpickled headings and segments (they are unpickled again when next asked for)."""
        self.__dict__.pop("_loaded", None)

    def _body(self) -> tuple[tuple[Heading, ...], tuple[Segment, ...]]:
        if "_loaded" not in self.__dict__:
            object.__setattr__(self, "_loaded", pickle.loads(self._pickled()))
        return self.__dict__["_loaded"]

    @property  # type: ignore[override]
    def headings(self) -> tuple[Heading, ...]:
        return self._body()[0]

    @property  # type: ignore[override]
    def segments(self) -> tuple[Segment, ...]:
        return self._body()[1]

    @property
    def anchors(self) -> frozenset[str]:
        return self.__dict__["_anchors"]

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyRendered, (self.anchors, self.links, self._pickled()))


#: An entry as two pickles: the part every build reads (problems, anchors, links), and the rest.
Packed = tuple[bytes, bytes]


def pack(entry: Entry) -> Packed:
    """An entry as bytes, for the cache and for the trip from a worker to the parent.

    The headings and segments are pickled on their own so that
    :class:`LazyRendered` can keep that very ``bytes`` object, not a copy.
    """
    rendered = entry.rendered
    head = (entry.findings, rendered.anchors, rendered.links)
    body = (rendered.headings, rendered.segments)
    return pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL), pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(packed: Packed) -> Entry:
    """The entry :func:`pack` made, with its headings and segments left pickled."""
    findings, anchors, links = pickle.loads(packed[0])
    return Entry(LazyRendered(anchors, links, packed[1]), findings)


class RenderCache:
    """Rendered documents on disk under ``folder/render/<fingerprint>/``, and their heads in an index."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.root = folder / "render"
        self.folder = self.root / fingerprint[:24]
        self.index = Memo(folder, "render-index", fingerprint)

    def _path(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.pickle"

    def get(self, sha256: str, render: Callable[[], Packed]) -> Entry | None:
        """The entry for a source hash, or None when it is missing or damaged.

        When the index has its head, the body is read only when first asked
        for, and made by ``render`` if by then it is missing or damaged.
        """
        head = self.index.get(sha256)
        if head is not None:
            findings, anchors, links = pickle.loads(head)
            return Entry(LazyRendered(anchors, links, lambda: self._body(sha256, render)), findings)
        packed = self._read(sha256)
        if packed is None:
            return None
        self.index.put(sha256, packed[0])
        return unpack(packed)

    def _read(self, sha256: str) -> Packed | None:
        try:
            data = self._path(sha256).read_bytes()
        except OSError:
            return None
        stored, body = data[:CHECKSUM_BYTES], data[CHECKSUM_BYTES:]
        if len(body) < 8 or checksum(body) != stored:
            return None
        split = 8 + int.from_bytes(body[:8], "big")
        return body[8:split], body[split:]

    def _body(self, sha256: str, render: Callable[[], Packed]) -> bytes:
        packed = self._read(sha256)
        if packed is None:
            packed = render()
            self.put(sha256, packed)
        return packed[1]

    def put(self, sha256: str, packed: Packed) -> None:
        """Store one entry made by :func:`pack`; the file appears whole or not at all.

        Workers call this too: the parent adds the head to the index (:meth:`remember`).
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        body = len(packed[0]).to_bytes(8, "big") + packed[0] + packed[1]
        write_checked(self._path(sha256), body)

    def remember(self, sha256: str, packed: Packed) -> None:
        """Put the head of an entry this build rendered in the index."""
        self.index.put(sha256, packed[0])

    def prune(self, keep: Iterable[str]) -> None:
        """Save the index; delete entries of other fingerprints and of sources no longer in the site."""
        self.index.save()
        wanted = {f"{sha256}.pickle" for sha256 in keep}
        if self.root.is_dir():
            for other in self.root.iterdir():
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in wanted:
                    path.unlink(missing_ok=True)
