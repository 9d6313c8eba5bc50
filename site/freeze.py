"""Stage 5a: freeze the Flask app into a folder of static files: atomically, in parallel, incrementally.

The site is frozen into a temporary folder beside the destination, and only a
complete build replaces the old one (or, after a text-only edit, has its few
files moved in, see below).  A failed build leaves the previous output exactly
as it was; so does a killed one, unless it is killed during those moves (a
matter of milliseconds), when the next build is a full one.

Pages are frozen by ``jobs`` forked workers, each sending its shares of the
URLs through the app (Frozen-Flask's file naming, a leaner loop than its
own).  A share is every page of a policy in one language (a smaller part of
it on a site too small to keep every worker busy that way), so a worker
reuses the diffs and parts those pages share; a page depends only on its
URL, so the output is byte-identical to a serial build.

With a cache folder, the freezer records which documents each page read
(through :meth:`~policypress.library.Library.rendered`) in a manifest.  When
the next build has the same site fingerprint (only documents' text changed),
the set of files is the same: it re-renders just the pages that read a
changed document, into a small staging folder, and moves those into the
output in place; every other file is left alone.  Anything else builds a
whole new folder aside and swaps it in.  A re-rendered page whose bytes
equal the old file keeps the old file.  So an edit rewrites only the pages
whose bytes it changes, and the output is the same as a cold build's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any
from unicodedata import normalize
from urllib.parse import unquote, urlsplit

from flask import Flask
from flask_frozen import Freezer
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

from . import default_config
from .buildcache import (
    FileRecord,
    Manifest,
    TouchedFiles,
    forget_manifest,
    load_manifest,
    relative_name,
    save_manifest,
    site_fingerprint,
)
from .freezeshare import Target, freeze_share
from .inputs import Snapshot, running_modules
from .library import Library
from .memo import installed
from .output import check_destination, commit_in_place, remove_stale_staging, replace_folder, staging_prefix
from .views import other_urls, page_urls
from .workers import run_shares, worker_count

#: A worker warms up (templates, dates, documents) before its first page: not worth it for a handful.
MIN_PAGES_PER_WORKER = 64

#: Settings that change how a build runs, never what it writes.
RUN_SETTINGS = frozenset({"CACHE_DIR", "JOBS"})


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    destination: Path
    files: tuple[str, ...]
    #: Files whose bytes this build wrote; the others were carried over from the previous output.
    written: int = 0
    #: The date of the next version to take effect (ISO), "" when none is scheduled.
    upcoming: str = ""

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))


def list_targets(app: Flask) -> list[Target]:
    """Every file the site consists of, from the registered URL generators, in their order."""
    # Frozen-Flask's rule for a URL's file: "/a/" is "a/index.html".
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    found: dict[str, Target] = {}
    with app.test_request_context():
        generated = list(chain(page_urls(), other_urls()))
    # The URL map itself, as url_for() uses it, without url_for()'s per-call work (the app sets no URL defaults).
    adapter = app.url_map.bind("localhost")
    for endpoint, values in generated:
        # Frozen-Flask's own normalisation: unquoted, without query string or fragment.
        url = unquote(urlsplit(adapter.build(endpoint, values)).path)
        if url not in found:
            path = normalize("NFC", freezer.urlpath_to_filepath(url))
            found[url] = Target(url, path)
    return list(found.values())


def count_urls(app: Flask) -> int:
    """How many files a freeze of ``app`` will write (for a progress bar)."""
    return len(list_targets(app))


def freeze(
    app: Flask,
    destination: Path,
    on_file: Callable[[str], None] | None = None,
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
    inputs: Snapshot | None = None,
    previous: Manifest | None = None,
    touched: TouchedFiles | None = None,
) -> BuildResult:
    """Freeze ``app`` into ``destination``, replacing it only once the build is complete.

    ``cache_dir`` enables incremental builds (the manifest lives there); ``inputs`` is what the
    build read; ``previous`` and ``touched``: the last manifest and its check, if the caller has them.
    """
    destination = destination.resolve()
    publication = app.extensions["policypress"]
    library: Library = publication.library
    check_destination(destination, library.site.root, Path(app.config["TRANSLATIONS_DIR"]))
    destination.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(destination)
    report = on_file or (lambda _url: None)
    if cache_dir:
        app.jinja_env.bytecode_cache = template_cache(cache_dir)
    every = library.documents()
    names = {d.path: relative_name(d.path, library.site.root) for d in every}
    documents = {names[d.path]: d.sha256 for d in every}
    settings = {key: _setting(app.config.get(key)) for key in default_config() if key not in RUN_SETTINGS}
    settings["TODAY"] = publication.today
    fingerprint = site_fingerprint(settings, library.site.root, every, inputs) if cache_dir else ""
    if not (cache_dir and destination.is_dir()):
        previous = None
    elif previous is None:
        previous = load_manifest(cache_dir, destination)
    # Same site fingerprint: the same files, only some documents' text may differ (buildcache).  Only
    # cached builds write this folder's manifest, and a --no-cache build forgets it (buildcmd).
    same_site = previous is not None and previous.site == fingerprint
    if same_site:
        assert previous is not None
        targets = [Target(record.url, name) for name, record in previous.files.items()]
        carried = _reusable(previous, documents, (touched or TouchedFiles(previous, destination)).names())
    else:
        targets, carried = list_targets(app), {}
        if touched is not None:
            touched.close()  # not needed after all
    upcoming = min((v.effective for p in library.site.policies for v in p.upcoming(library.today)), default=None)
    upcoming_text = upcoming.isoformat() if upcoming else ""
    manifest = Manifest(
        str(destination),
        inputs.fingerprint if inputs else "",
        fingerprint,
        documents,
        warnings=tuple(publication.problems.warnings),
        upcoming=upcoming_text,
    )
    if previous and len(carried) == len(targets) == len(previous.files):
        for target in targets:
            report(target.url)
        if cache_dir:
            save_manifest(cache_dir, dataclasses.replace(manifest, files=previous.files))
        return BuildResult(destination, tuple(sorted(carried)), 0, upcoming_text)
    for target in carried.values():
        report(target.url)
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(destination), dir=destination.parent))
    try:
        # In URL order: each worker meets the pages of a policy one after another.
        fresh = sorted((target for target in targets if target.path not in carried), key=lambda target: target.url)
        # A page whose bytes did not change keeps the old file (rsync, and the in-place commit, see no change).
        old = destination if destination.is_dir() else None
        written = 0
        work = partial(freeze_share, app, staging, old, names)
        records: dict[str, FileRecord] = {}
        workers = worker_count(jobs, len(fresh), MIN_PAGES_PER_WORKER)
        # A worker moving on to another policy or language forgets the texts and diffs of the last one.
        forget = publication.forget
        for share, wrote in run_shares(work, fresh, workers, on_file, key=_share_of, on_group=lambda _g: forget()):
            records.update(share)
            written += wrote
        staging.chmod(0o755)
        files = {**carried, **{target.path: records[target.path] for target in fresh}}
        if cache_dir:
            forget_manifest(cache_dir, destination)
        if same_site:
            # Only the re-rendered files move into the output; the thousands of others stay where they are.
            commit_in_place(staging, destination)
        else:
            replace_folder(staging, destination, staging_prefix(destination))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if cache_dir:
        save_manifest(cache_dir, dataclasses.replace(manifest, files=dict(sorted(files.items()))))
    return BuildResult(destination, tuple(sorted(files)), written, upcoming_text)


def template_cache(cache_dir: Path) -> FileSystemBytecodeCache:
    """Compiled templates, kept between builds of the same code in ``<cache>/templates/<fingerprint>/``.

    Jinja checks each template's source, but how a template compiles also depends on the code
    that registers its filters and globals (a filter that takes the render context is called
    with it), so other code, or another Jinja, must not reuse them: the folder is named after the
    code this process runs (:func:`_running_code`; a ``--watch`` process keeps the code it
    imported), and other folders are removed.  Builds of other code
    may share the cache folder (two checkouts' outputs side by side): neither fails for it.
    """
    name = _running_code()
    root = cache_dir / "templates"
    try:
        with os.scandir(root) as entries:
            stale = [entry for entry in entries if entry.name != name]
    except FileNotFoundError:
        stale = []
    for entry in stale:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:  # a compiled template of a build from before these folders
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    (root / name).mkdir(parents=True, exist_ok=True)
    return _CompiledTemplates(str(root / name))


@functools.cache
def _running_code() -> str:
    """A fingerprint of the package's modules as this process runs them, and of Jinja, Flask and MarkupSafe."""
    parts = [running_modules(), *installed(("jinja2", "flask", "markupsafe"))]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder, where a template that cannot be saved (its folder
    removed by a build of other code) is compiled again next time, never an error."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _share_of(target: Target) -> tuple[tuple[str, ...], ...]:
    """The worker share a file goes to (see :func:`~policypress.workers.split`): every page of a policy in a
    language (they share their diffs, version pickers and parts), or, for a site too small to keep the
    cores busy that way, the pages under one next part of the URL (a fragment goes with its page)."""
    parts = target.url.split("/")[1:]
    return (tuple(parts[:2]), *((part,) for part in parts[2:-1]))


def _setting(value: Any) -> Any:
    """A setting as it bears on the output: ``content`` and ``./content`` are one folder."""
    return Path(value).resolve() if isinstance(value, (str, Path)) and value else value


def _reusable(previous: Manifest, documents: dict[str, str], touched: frozenset[str]) -> dict[str, FileRecord]:
    """Files of the previous output (same site fingerprint) that this build would write byte for byte the same:
    every document they read kept its text, and nobody touched them since."""
    changed = {name for name, sha256 in previous.documents.items() if documents.get(name) != sha256}
    changed.update(documents.keys() - previous.documents.keys())
    return {
        name: record
        for name, record in previous.files.items()
        if changed.isdisjoint(record.documents) and name not in touched
    }
