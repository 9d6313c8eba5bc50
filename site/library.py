"""Stage 3b: the site as readers see it on one day, with every document rendered once.

A :class:`Library` pairs the immutable :class:`~policypress.model.Site` with
the build date and a cache of rendered documents keyed by content hash, so a
version shown on ten pages is parsed once.  Views reach it through
:func:`policypress.get_library`.

Every document is rendered up front: in parallel across ``jobs`` forked
processes, and only when the on-disk :class:`~policypress.rendercache.RenderCache`
does not already hold it.  Views must reach a document's text through
:meth:`Library.rendered` (or :meth:`Library.show`): the freezer records those
calls to know which pages an edited file affects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from .errors import Finding, Problems
from .links import check_footer_links, check_links
from .model import Document, Policy, Site, Version
from .render import Renderer
from .rendercache import Entry, LazyRendered, Packed, RenderCache, pack, renderer_fingerprint, unpack
from .rendered import Rendered
from .structure import check_structure
from .workers import run_shares, worker_count

#: The settings of site.yaml that decide which pages exist, so which links lead somewhere.
LINKED_SETTINGS = frozenset({"locales", "default_locale", "regions", "privacy_choices"})


@dataclass(frozen=True)
class Shown:
    """The document a reader of ``locale`` gets for a version, and whether it is a fallback."""

    version: Version
    document: Document
    requested_locale: str
    library: Library = field(repr=False, compare=False)

    @property
    def rendered(self) -> Rendered:
        """The document's text, read only when a page shows it: a page that shows only the title does
        not depend on the text, so editing the text does not rebuild that page."""
        return self.library.rendered(self.document)

    @property
    def is_fallback(self) -> bool:
        return self.document.locale != self.requested_locale


class Library:
    """Every rendered document of a site, and the questions views ask of it."""

    def __init__(
        self,
        site: Site,
        today: date,
        problems: Problems,
        renderer: Renderer | None = None,
        *,
        cache_dir: Path | None = None,
        jobs: int = 1,
        compare_limit: int,
    ) -> None:
        """``compare_limit``: up to how many versions every pair of a policy is compared (links may lead to
        comparisons)."""
        self.site = site
        self.today = today
        unread = site.config.unread  # settings site.yaml has errors in: what depends on them is not checked
        regions = None if "regions" in unread else site.config.region_ids
        self.renderer = renderer or Renderer(regions, base_path=site.config.base_path)
        self._rendered: dict[str, Rendered] = {}
        self._recording: set[Path] | None = None
        self._render_all(problems, cache_dir, jobs)
        #: The texts of the files whose front matter has errors, rendered only to report their own problems.
        self.unloaded = tuple((document, self.renderer.render(document, problems)) for document in site.unloaded)
        # The structure check skips translations of an original with errors: those of its text, not its links.
        if "default_locale" not in unread:
            check_structure(self, problems, cache_dir)
        if not unread & LINKED_SETTINGS:
            check_links(self, problems, compare_limit)
            check_footer_links(self, problems, compare_limit)
        # The structure check unpickled every text; the pages that show them unpickle them when they do.
        self.forget_texts()

    def _render_all(self, problems: Problems, cache_dir: Path | None, jobs: int) -> None:
        """Render every distinct source once, reusing the disk cache; report problems in document order."""
        unique: dict[str, Document] = {}
        for document in self.documents():
            unique.setdefault(document.sha256, document)
        cache = (
            RenderCache(cache_dir, renderer_fingerprint(self.renderer.region_ids, self.renderer.base_path))
            if cache_dir
            else None
        )
        entries: dict[str, Entry] = {}
        if cache:
            for sha256, document in unique.items():
                found = cache.get(sha256, partial(_render_packed, self.renderer, self.site.root, document))
                if found is not None:
                    entries[sha256] = found
        missing = [document for sha256, document in unique.items() if sha256 not in entries]
        # Workers pickle each rendering once: it travels to this process as soon as it is done (so no
        # worker holds its whole share) and, with a cache, to disk.
        work = partial(_render_share, self.renderer, self.site.root, cache)

        def receive(result: tuple[str, Packed]) -> None:
            entries[result[0]] = unpack(result[1])
            if cache:
                cache.remember(*result)

        # One worker gets every version of a policy in one language: they share most sections, and the
        # renderer parses each distinct section once; they share few with another policy's, so a worker
        # that moves on to another policy forgets the last one's (its memory stays that of one policy).
        workers = worker_count(jobs, len(missing))
        run_shares(work, missing, workers, receive, key=_share_key, on_group=lambda _group: self.renderer.forget())
        for sha256, document in unique.items():
            for finding in entries[sha256].findings:
                finding.report(problems, document.path)
            self._rendered[sha256] = entries[sha256].rendered
        if cache:
            cache.prune(unique)

    def forget_texts(self) -> None:
        """Keep every rendering's text pickled only, until a page reads it again: a site's worth of
        unpickled HTML is most of a process's memory."""
        for rendered in self._rendered.values():
            if isinstance(rendered, LazyRendered):
                rendered.unload()

    @contextmanager
    def recording(self) -> Iterator[set[Path]]:
        """Collect the path of every document whose rendering is read inside the block."""
        outer, self._recording = self._recording, set()
        try:
            yield self._recording
        finally:
            self._recording = outer

    def documents(self) -> list[Document]:
        """Every source document, published or not, policies first."""
        found = [d for policy in self.site.policies for v in policy.versions for d in v.documents]
        return found + [d for page in self.site.pages for d in page.documents]

    def rendered(self, document: Document, problems: Problems | None = None) -> Rendered:
        """Render ``document`` once; later calls return the cached result."""
        if self._recording is not None:
            self._recording.add(document.path)
        cached = self._rendered.get(document.sha256)
        if cached is None:
            cached = self.renderer.render(document, problems or Problems(self.site.root))
            self._rendered[document.sha256] = cached
        return cached

    def current_policies(self) -> list[tuple[Policy, Version]]:
        """Policies that have a version in force today, with that version."""
        found = []
        for policy in self.site.policies:
            current = policy.current(self.today)
            if current is not None:
                found.append((policy, current))
        return found

    def show(self, version: Version, locale: str) -> Shown:
        """The text of ``version`` for a reader of ``locale``: translated, or the original."""
        document = version.document(locale) or version.original
        if document.draft:
            document = version.original
        return Shown(version, document, locale, self)


def _share_key(document: Document) -> tuple[tuple[Path, str], str]:
    """The documents whose text is most alike: one policy's (or the pages') in one locale; one by one when
    that is more than a worker's share (see :func:`~policypress.workers.split`)."""
    return (document.path.parent, document.locale), document.path.name


def _render_share(
    renderer: Renderer,
    root: Path,
    cache: RenderCache | None,
    documents: Sequence[Document],
    send: Callable[[tuple[str, Packed]], None],
) -> None:
    """Render ``documents`` (in a worker) and send each, its problems kept apart from its path."""
    for document in documents:
        packed = _render_packed(renderer, root, document)
        if cache:
            cache.put(document.sha256, packed)
        send((document.sha256, packed))


def _render_packed(renderer: Renderer, root: Path, document: Document) -> Packed:
    """Render ``document`` into the form of the cache, its problems kept apart from its path."""
    found = Problems(root)
    rendered = renderer.render(document, found)
    return pack(Entry(rendered, tuple(Finding.of(problem) for problem in found.items)))
