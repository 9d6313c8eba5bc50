"""Every input of a build, read and hashed once: the fingerprints are made from it, the loader reads from it.

A :class:`Snapshot` holds the SHA-256 of each part of the inputs (the code,
the translations, htmx) and, for the content folder, each file's bytes and
hash.  From it come both fingerprints of :mod:`~policypress.buildcache` (the
*input fingerprint*, which says whether anything changed at all, and the
*site fingerprint*, which says whether only documents' text did) and the
bytes the loader turns into documents.  So a rebuild reads and hashes the
13 MB of a large content folder once, not three times; and the site that is
built is the very one that was fingerprinted, even if a file is saved while
the build runs (the next build sees the new bytes).  The code counts as the process runs it:
its modules are hashed once per process (:func:`code_digest`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .memo import PACKAGE_DIR, installations


@dataclass(frozen=True)
class Snapshot:
    """What a build reads, hashed: see the module docstring."""

    #: The input fingerprint: every byte read, the date, the settings and the installed versions.
    fingerprint: str
    #: The folders (and htmx file) hashed, by part: "code", "translations", "htmx", "content".
    paths: Mapping[str, Path]
    #: The SHA-256 of each part other than the content.
    digests: Mapping[str, str]
    #: Each content file, by relative POSIX name: its bytes and their SHA-256 (hex).
    content: Mapping[str, tuple[bytes, str]] = field(repr=False)

    def source(self, path: Path) -> tuple[bytes, str] | None:
        """The bytes and hash of content file ``path`` as they were read, or None when not in the snapshot."""
        # By path, not by string prefix: with ``--content .`` a file's path is "policies/...", not "./policies/...".
        name = os.path.relpath(path, self.paths["content"])
        if name == os.curdir or name == os.pardir or name.startswith(os.pardir + os.sep):
            return None
        return self.content.get(name.replace(os.sep, "/"))


def files(folder: Path) -> Iterator[tuple[str, str]]:
    """(relative POSIX name, full path) of every file under ``folder`` in a stable order.

    Bytecode and compiled catalogs are skipped: they are made from files that are hashed.
    Plain ``os`` calls, not :mod:`pathlib`: this runs over every input before every build.
    """
    if not folder.is_dir():
        return
    top = os.fspath(folder)
    for directory, subdirectories, names in os.walk(top):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        prefix = os.path.relpath(directory, top).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in sorted(names):
            if not name.endswith((".pyc", ".mo")):
                yield prefix + name, os.path.join(directory, name)


@functools.cache
def versions() -> str:
    """Every installed distribution with its version, and Python's: an upgrade of any rebuilds everything.

    Reading the ``*.dist-info`` folder names is much cheaper than importing
    :mod:`importlib.metadata`, and this check runs before every build.
    """
    found = installations((".dist-info", ".egg-info", ".egg-link", ".pth"))
    return ";".join(sorted(found)) + f";python {sys.version}"


def tree_digest(folder: Path, keep: Callable[[str], bool] | None = None) -> str:
    """A hash of every file's relative path and bytes under ``folder`` (those whose name ``keep`` accepts)."""
    digest = hashlib.sha256()
    for name, path in files(folder):
        if keep is not None and not keep(name):
            continue
        digest.update(f"\0{name}\0".encode())
        with open(path, "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()


def code_digest() -> str:
    """A hash of the package: its Python modules as this process runs them, its templates and static files
    as they are now.

    The modules are hashed once, at the first build: a ``--watch`` process keeps the code it
    imported, so a build it makes after the code was edited must not be recorded as the new code's.
    """
    others = tree_digest(PACKAGE_DIR, lambda name: not name.endswith(".py"))
    return hashlib.sha256(f"{running_modules()}\0{others}".encode()).hexdigest()


@functools.cache
def running_modules() -> str:
    """A hash of the package's Python modules, taken once per process (see :func:`code_digest`)."""
    return tree_digest(PACKAGE_DIR, lambda name: name.endswith(".py"))


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes() if path.is_file() else b"\0missing").hexdigest()


def read_content(folder: Path) -> dict[str, tuple[bytes, str]]:
    """Every file of the content folder: its bytes and their SHA-256, by relative name."""
    found = {}
    for name, path in files(folder):
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError:  # left out: the loader, which reads it again, reports it
            continue
        found[name] = (data, hashlib.sha256(data).hexdigest())
    return found


def snapshot(*, content: Path, translations: Path, htmx: Path, today: date, settings: str = "") -> Snapshot:
    """Read every input once; ``settings`` are the options that shape the output."""
    paths = {"code": PACKAGE_DIR, "translations": translations, "htmx": htmx, "content": content}
    digests = {"code": code_digest(), "translations": tree_digest(translations), "htmx": file_digest(htmx)}
    sources = read_content(content)
    digest = hashlib.sha256(f"{today.isoformat()}\0{content.resolve()}\0{versions()}\0{settings}".encode())
    for part in ("code", "translations", "htmx"):
        digest.update(f"\0{part}:{digests[part]}".encode())
    for name, (_data, sha256) in sources.items():
        # A name that is not UTF-8 (the loader reports it) is hashed as the bytes it is.
        digest.update(f"\0content:{name}\0{sha256}".encode("utf-8", "surrogateescape"))
    return Snapshot(digest.hexdigest(), paths, digests, sources)
