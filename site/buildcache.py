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

Both are made from one :class:`~policypress.inputs.Snapshot` of the inputs,
read and hashed once per build.  The :class:`Manifest` of the last build
lives in the cache folder, keyed by the output folder's path, never in the
output itself (which is published).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .errors import Problem
from .inputs import PACKAGE_DIR, Snapshot, code_digest, file_digest, read_content, tree_digest, versions
from .memo import CHECKSUM_BYTES, checksum, write_checked
from .output import destination_key

MANIFEST_FORMAT = 4
#: Document fields that hold its text; every other field is front matter or location.
TEXT_FIELDS = frozenset({"source", "sha256"})


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` as a POSIX string (resolving links only when it must)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def site_fingerprint(
    settings: Mapping[str, Any], root: Path, documents: Iterable[Any], inputs: Snapshot | None = None
) -> str:
    """A hash of everything a page may depend on, except the text of ``documents``.

    ``settings`` are the app settings that shape output (dates, folders);
    ``documents`` are the loaded :class:`~policypress.model.Document` objects;
    ``inputs`` is what the build read and hashed already (what it does not hold is read here).
    """
    front_matter = {}
    described: dict[type, list[str]] = {}  # each type's fields, sorted, but for the text
    for document in documents:
        name = relative_name(document.path, root)
        kind = type(document)
        if kind not in described:
            described[kind] = sorted(f.name for f in dataclasses.fields(document) if f.name not in TEXT_FIELDS)
        fields = [(key, name if key == "path" else getattr(document, key)) for key in described[kind]]
        front_matter[name] = repr(fields)
    translations, htmx = Path(settings["TRANSLATIONS_DIR"]), Path(settings["HTMX_PATH"])
    where = {"code": PACKAGE_DIR, "translations": translations, "htmx": htmx, "content": root}
    same = inputs is not None and all(inputs.paths.get(part) == path for part, path in where.items())
    digests = inputs.digests if inputs is not None and same else {}
    digest = hashlib.sha256(repr(sorted(settings.items())).encode() + versions().encode())
    digest.update(f"\0code:{digests.get('code') or code_digest()}".encode())
    digest.update(f"\0translations:{digests.get('translations') or tree_digest(translations)}".encode())
    digest.update(f"\0htmx:{digests.get('htmx') or file_digest(htmx)}".encode())
    content = inputs.content if inputs is not None and same else read_content(root)
    for name, (_data, sha256) in content.items():
        # A document counts by its front matter and path; every other file by its bytes.
        digest.update(f"\0content:{name}\0{front_matter.get(name, sha256)}".encode())
    return digest.hexdigest()


class FileRecord(NamedTuple):
    """One output file: the URL it came from, the documents it read, and its identity on disk.

    A named tuple, not a dataclass: the manifest holds thousands, and every
    rebuild unpickles and pickles them all (tuples take a third of the time).
    """

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


class TouchedFiles:
    """Which files of the last build are no longer as it wrote them, found by a forked process meanwhile.

    Checking means a ``stat`` of each of thousands of files (about a twentieth
    of a second), and the build's next steps (importing Flask, loading the
    site) do not need the answer: so a child process checks while they run, on
    another core.  Without ``fork`` the check runs when the answer is asked for.
    """

    def __init__(self, manifest: Manifest, destination: Path) -> None:
        self._manifest, self._destination = manifest, destination
        self._child: tuple[int, int] | None = None
        if hasattr(os, "fork"):
            reader, writer = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: report, and leave without running any of the parent's clean-up
                status = 1
                try:
                    os.close(reader)
                    with os.fdopen(writer, "wb") as pipe:
                        pipe.write("\0".join(self._find()).encode())
                    status = 0
                finally:
                    os._exit(status)
            os.close(writer)
            self._child = (pid, reader)

    def _find(self) -> list[str]:
        destination = self._destination
        return [name for name, record in self._manifest.files.items() if not record.matches(f"{destination}/{name}")]

    def close(self) -> None:
        """Collect the child if :meth:`names` was not asked (the build stopped early)."""
        if self._child is not None:
            pid, reader = self._child
            self._child = None
            os.close(reader)
            _collect(pid)

    def names(self) -> frozenset[str]:
        """The output names (relative POSIX paths) of the files that changed or disappeared."""
        if self._child is None:
            return frozenset(self._find())
        pid, reader = self._child
        self._child = None
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        if _collect(pid) != 0:  # the child failed (or nobody can tell): check here
            return frozenset(self._find())
        return frozenset(data.decode().split("\0")) - {""}


def _collect(pid: int) -> int | None:
    """Wait for child ``pid`` and return its exit status; None when the system already reaped it.

    A build started with SIGCHLD ignored (some supervisors and init processes do that) has its
    children reaped by the kernel, and ``waitpid`` finds none.
    """
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def manifest_path(cache_dir: Path, destination: Path) -> Path:
    return cache_dir / "builds" / f"{destination_key(destination)}.pickle"


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
        if not (isinstance(data, tuple) and len(data) == 4 and data[0] == MANIFEST_FORMAT):
            return None
        _format, manifest, names, records = data
        if not isinstance(manifest, Manifest) or manifest.destination != str(destination.resolve()):
            return None
        return dataclasses.replace(manifest, files=dict(zip(names, map(FileRecord._make, records), strict=True)))
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        return None  # written by another version of Policypress


def save_manifest(cache_dir: Path, manifest: Manifest) -> None:
    """Write the manifest whole (a reader never sees half of one)."""
    path = manifest_path(cache_dir, Path(manifest.destination))
    path.parent.mkdir(parents=True, exist_ok=True)
    # The records as plain tuples: pickling thousands of named tuples calls Python code for each.
    files = manifest.files
    data = (MANIFEST_FORMAT, dataclasses.replace(manifest, files={}), list(files), list(map(tuple, files.values())))
    body = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    write_checked(path, body)


def forget_manifest(cache_dir: Path, destination: Path) -> None:
    """Drop the manifest before the output changes, so a killed build is never mistaken for a finished one."""
    manifest_path(cache_dir, destination).unlink(missing_ok=True)


def up_to_date(manifest: Manifest | None, destination: Path, inputs: str) -> bool:
    """True when ``destination`` already holds the build of exactly these inputs (``manifest`` is its last build's)."""
    return manifest is not None and manifest.inputs == inputs and manifest.intact(destination)
