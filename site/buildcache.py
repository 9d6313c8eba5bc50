"""What the last build was made from, so the next one redoes only what changed.

Two fingerprints describe a build's inputs:

* the *input fingerprint* hashes the bytes of every input (content, code,
  templates, translations, htmx) plus the date and library versions.  It is
  cheap, needs no Flask, and when it matches the last build of the same
  folder, that folder is already right and nothing is done at all;
* the *site fingerprint* hashes everything a page can depend on *except the
  text of the Markdown documents*: the code, the translations, the date, every
  other content file, and each document's front matter and path.  When it
  matches, a page needs rebuilding only if one of the documents it read (the
  freezer records them per page) has a new content hash.

The :class:`Manifest` of the last build lives in the cache folder, keyed by
the output folder's path, never in the output itself (which is published).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import Problem
from .memo import CHECKSUM_BYTES, checksum, installations

#: Staging folders of builds in progress, beside the output folder.
TEMP_PREFIX = ".policypress-tmp-"


def remove_stale_staging(parent: Path) -> None:
    """Delete staging folders left beside the output by a build that was killed."""
    import shutil

    for stale in parent.glob(TEMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def commit_in_place(staging: Path, destination: Path) -> None:
    """Move every file of ``staging`` to the same place in ``destination``, then delete ``staging``.

    Each file is replaced atomically, and the moves take milliseconds.  A
    build killed during them leaves some new files beside old ones; the
    caller forgets the manifest first, so the next build is a full one, built
    aside and swapped in whole.
    """
    import shutil

    for folder, _dirs, files in os.walk(staging):
        relative = os.path.relpath(folder, staging)
        for name in files:
            target = os.path.normpath(os.path.join(destination, relative, name))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(os.path.join(folder, name), target)
    shutil.rmtree(staging, ignore_errors=True)


PACKAGE_DIR = Path(__file__).resolve().parent
MANIFEST_FORMAT = 3
#: Document fields that hold its text; every other field is front matter or location.
TEXT_FIELDS = frozenset({"source", "sha256"})


def _files(folder: Path) -> Iterator[tuple[str, str]]:
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
def _versions() -> str:
    """Every installed distribution with its version, and Python's: an upgrade of any rebuilds everything.

    Reading the ``*.dist-info`` folder names is much cheaper than importing
    :mod:`importlib.metadata`, and this check runs before every build.
    """
    found = installations((".dist-info", ".egg-info", ".egg-link", ".pth"))
    return ";".join(sorted(found)) + f";python {sys.version}"


def _add_tree(digest: Any, label: str, folder: Path, skip: Mapping[str, str] | None = None) -> None:
    """Hash every file's relative path and bytes; files in ``skip`` contribute their given text instead."""
    for name, path in _files(folder):
        digest.update(f"\0{label}:{name}\0".encode())
        if skip and name in skip:
            digest.update(skip[name].encode())
        else:
            with open(path, "rb") as file:
                digest.update(file.read())


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` as a POSIX string (resolving links only when it must)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def input_fingerprint(*, content: Path, translations: Path, htmx: Path, today: date, settings: str = "") -> str:
    """A hash of every byte a build reads, and of what else decides its output (``settings``: options)."""
    digest = hashlib.sha256(f"{today.isoformat()}\0{content.resolve()}\0{_versions()}\0{settings}".encode())
    _add_tree(digest, "code", PACKAGE_DIR)
    _add_tree(digest, "content", content)
    _add_tree(digest, "translations", translations)
    digest.update(htmx.read_bytes() if htmx.is_file() else b"no htmx")
    return digest.hexdigest()


def site_fingerprint(settings: Mapping[str, Any], root: Path, documents: Iterable[Any]) -> str:
    """A hash of everything a page may depend on, except the text of ``documents``.

    ``settings`` are the app settings that shape output (dates, folders);
    ``documents`` are the loaded :class:`~policypress.model.Document` objects.
    """
    front_matter = {}
    for document in documents:
        name = relative_name(document.path, root)
        described = {f.name: getattr(document, f.name) for f in dataclasses.fields(document)}
        described["path"] = name
        front_matter[name] = repr(sorted((k, v) for k, v in described.items() if k not in TEXT_FIELDS))
    digest = hashlib.sha256(repr(sorted(settings.items())).encode() + _versions().encode())
    _add_tree(digest, "code", PACKAGE_DIR)
    _add_tree(digest, "content", root, front_matter)
    translations, htmx = Path(settings["TRANSLATIONS_DIR"]), Path(settings["HTMX_PATH"])
    _add_tree(digest, "translations", translations)
    digest.update(htmx.read_bytes() if htmx.is_file() else b"no htmx")
    return digest.hexdigest()


@dataclass(frozen=True)
class FileRecord:
    """One output file: the URL it came from, the documents it read, and its identity on disk."""

    url: str
    documents: tuple[str, ...]
    size: int
    mtime_ns: int
    inode: int

    def matches(self, path: str | Path) -> bool:
        """True when ``path`` is still the very file the build wrote."""
        try:
            stat = os.stat(path)
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (self.size, self.mtime_ns, self.inode)


@dataclass(frozen=True)
class Manifest:
    """What one build of one output folder was made from and wrote."""

    destination: str
    inputs: str
    site: str
    documents: dict[str, str]  # content-relative path -> sha256
    files: dict[str, FileRecord] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    #: The date of the next version to take effect (ISO), "" when none is scheduled.
    upcoming: str = ""

    def intact(self, destination: Path) -> bool:
        """True when every file the build wrote is still there, untouched."""
        return all(record.matches(f"{destination}/{name}") for name, record in self.files.items())


def manifest_path(cache_dir: Path, destination: Path) -> Path:
    key = hashlib.sha256(str(destination.resolve()).encode()).hexdigest()[:16]
    return cache_dir / "builds" / f"{key}.pickle"


def load_manifest(cache_dir: Path, destination: Path) -> Manifest | None:
    """The manifest of the last build of ``destination``, or None when there is none usable.

    Pickled, not JSON: it lists every output file, and an edit-and-rebuild reads and writes it
    each time.  It is our own file in our own cache folder; a checksum tells a damaged one
    (which counts as none), and its format and type are checked.
    """
    try:
        raw = manifest_path(cache_dir, destination).read_bytes()
    except OSError:
        return None
    body = raw[CHECKSUM_BYTES:]
    if raw[:CHECKSUM_BYTES] != checksum(body):  # damaged or cut short: as if there were none
        return None
    try:
        data = pickle.loads(body)
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        return None  # written by another version of Policypress
    if not (isinstance(data, tuple) and len(data) == 2 and data[0] == MANIFEST_FORMAT):
        return None
    manifest = data[1]
    if not isinstance(manifest, Manifest) or manifest.destination != str(destination.resolve()):
        return None
    return manifest


def save_manifest(cache_dir: Path, manifest: Manifest) -> None:
    """Write the manifest whole (a reader never sees half of one)."""
    path = manifest_path(cache_dir, Path(manifest.destination))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    body = pickle.dumps((MANIFEST_FORMAT, manifest), protocol=pickle.HIGHEST_PROTOCOL)
    with os.fdopen(handle, "wb") as file:
        file.write(checksum(body) + body)
    os.replace(temporary, path)


def forget_manifest(cache_dir: Path, destination: Path) -> None:
    """Drop the manifest before the output changes, so a killed build is never mistaken for a finished one."""
    manifest_path(cache_dir, destination).unlink(missing_ok=True)


def up_to_date(cache_dir: Path, destination: Path, inputs: str) -> Manifest | None:
    """The last build's manifest when ``destination`` already holds the build of exactly these inputs."""
    manifest = load_manifest(cache_dir, destination)
    if manifest and manifest.inputs == inputs and manifest.intact(destination):
        return manifest
    return None
