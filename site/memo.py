"""Results of earlier builds, remembered by content hash, so an unchanged input is not checked again.

A :class:`Memo` is one small table in one file, ``<cache>/<name>/<fingerprint>.pickle``,
read whole at the start of a build and written whole (only if it changed) at
the end: one file is much cheaper to read than one per source, and these
results are small.  The *fingerprint* hashes the code and library versions
that produced the results, so after an upgrade or an edit of that code the old
table is never read again (and is deleted on the next save).

As in the render cache, a checksum makes a truncated or damaged file count as
empty; it is not a defence against someone who can write to the cache folder
(they could edit the code too).  Callers store only what reports, when
replayed, exactly what the check itself would: the loader never stores a file
with an error, and the structure check stores the problems it found.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CHECKSUM_BYTES = 32
PACKAGE_DIR = Path(__file__).resolve().parent


def checksum(body: bytes) -> bytes:
    """The checksum that tells a whole cache file from a damaged one (:data:`CHECKSUM_BYTES` long).

    SHA-256, because CPUs hash it in hardware: three times faster than BLAKE2b
    here, and the render cache checks some 16 MB of renderings every build.
    """
    return hashlib.sha256(body).digest()


def write_checked(path: Path, body: bytes) -> None:
    """Write ``body`` after its :func:`checksum` to ``path``, whole or not at all (a reader never sees half).

    A write that fails (a full disk) leaves no temporary file behind, and its error names ``path``:
    ``os.write`` names no file, and the command line says which one could not be written.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(checksum(body) + body)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        error.filename = error.filename or str(path)
        raise


def fingerprint(modules: Iterable[str], distributions: Iterable[str] = (), *extra: str) -> str:
    """A hash of this package's ``modules`` (file names) as this process runs them, the installed versions
    of ``distributions``, and ``extra``."""
    digest = hashlib.sha256(f"{sys.version}\0{pickle.HIGHEST_PROTOCOL}\0".encode())
    for name in modules:
        digest.update(name.encode() + b"\0" + _running_source(name))
    digest.update("\0".join([*installed(distributions), *extra]).encode())
    return digest.hexdigest()


@functools.cache
def _running_source(module: str) -> bytes:
    """A module's source as this process runs it: read once, at its first build (a ``--watch`` process keeps
    the code it imported, so what it remembers must not be filed under code edited since; see also
    :func:`~policypress.inputs.code_digest`)."""
    return (PACKAGE_DIR / module).read_bytes()


def installed(distributions: Iterable[str]) -> list[str]:
    """The ``*.dist-info`` folder names (name and version) of ``distributions`` on ``sys.path``.

    Listing folders is much cheaper than importing the libraries (pydantic
    alone takes a tenth of a second) or :mod:`importlib.metadata`.
    """
    wanted = {_normalise(name) for name in distributions}
    return sorted(n for n in installations((".dist-info",)) if _normalise(n.split("-", 1)[0]) in wanted)


def installations(suffixes: tuple[str, ...]) -> set[str]:
    """The names on ``sys.path`` that end with ``suffixes``: what is installed, and in which version."""
    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(name for name in names if name.endswith(suffixes))
    return found


def _normalise(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


class Memo:
    """A table of results keyed by strings (content hashes), kept in ``cache_dir/name/``."""

    def __init__(self, cache_dir: Path, name: str, fingerprint: str) -> None:
        self.folder = cache_dir / name
        self.path = self.folder / f"{fingerprint[:24]}.pickle"
        self._stored = self._read()
        self._entries: dict[str, Any] = {}  # what this build used or found, which is what the next one keeps
        self._changed = False

    def _read(self) -> dict[str, Any]:
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        stored, body = data[:CHECKSUM_BYTES], data[CHECKSUM_BYTES:]
        if checksum(body) != stored:
            return {}
        try:
            table = pickle.loads(body)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return {}
        return table if isinstance(table, dict) else {}

    def get(self, key: str) -> Any | None:
        """The result stored for ``key`` (by an earlier build, or this one), or None."""
        if key not in self._entries and key in self._stored:
            self._entries[key] = self._stored[key]
        return self._entries.get(key)

    def put(self, key: str, value: Any) -> None:
        """Remember ``value`` for ``key`` (written by :meth:`save`)."""
        self._entries[key] = value
        self._changed = True

    def save(self) -> None:
        """Write the results this build used or found, if they differ from the stored ones; drop other tables."""
        if not self._changed and self._entries.keys() == self._stored.keys():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        body = pickle.dumps(self._entries, protocol=pickle.HIGHEST_PROTOCOL)
        write_checked(self.path, body)
        for other in self.folder.iterdir():
            if other != self.path and not other.name.startswith(".tmp-"):
                other.unlink(missing_ok=True)
        self._stored, self._changed = dict(self._entries), False
