"""Stage 5b: one worker's share of a freeze: each URL through the app, its response into the staging folder.

Each URL goes through the app as a GET request, as Frozen-Flask's test client
would send it, but from one request environment made once per worker:
Frozen-Flask builds a client and an environment per URL, and stats and reads
each file before writing it (over a millisecond a file, about a third of a
comparison page's cost).  As with Frozen-Flask's "error" redirect policy,
anything but a 200 is a bug, and so is a Content-Type a static host would not
guess from the file name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask

from .basepath import request_environ
from .buildcache import FileRecord, relative_name
from .headers import static_type
from .library import Library


@dataclass(frozen=True)
class Target:
    """One file to freeze: its URL and its path in the output."""

    url: str
    path: str


def freeze_share(
    app: Flask,
    staging: Path,
    previous: Path | None,
    names: dict[Path, str],
    targets: Sequence[Target],
    report: Callable[[str], None],
) -> tuple[dict[str, FileRecord], int]:
    """Freeze ``targets`` into ``staging`` (in a worker); return each file's record (the documents it read), and
    how many files it wrote.

    ``previous`` is the output folder of the last build: a file whose bytes did not change is that file,
    linked in, not written (rsync, and the in-place commit, see no change).
    """
    library: Library = app.extensions["policypress"].library
    environ = request_environ(app)
    folders: set[str] = set()
    records = {}
    written = 0
    for target in targets:
        with library.recording() as seen:
            body = fetch(app, environ, target)
        name = target.path
        folder = os.path.dirname(name)
        if folder not in folders:
            _make_folder(f"{staging}/{folder}")
            folders.add(folder)
        path = f"{staging}/{name}"
        if previous is None or not _linked_if_identical(previous / name, body, path):
            stat = _write(path, body)
            written += 1
        else:
            stat = os.stat(path)
        documents = tuple(sorted(names.get(path) or relative_name(path, library.site.root) for path in seen))
        records[name] = FileRecord(target.url, documents, stat.st_size, stat.st_mtime_ns, stat.st_ino)
        report(target.url)
    return records, written


def fetch(app: Flask, environ: dict[str, Any], target: Target) -> bytes:
    """The body the app serves at ``target.url``; a non-200 status or a mismatched type is an error."""
    with app.request_context({**environ, "PATH_INFO": target.url}):
        response = app.full_dispatch_request()
        try:
            if response.status_code != 200:
                raise ValueError(f"unexpected status {response.status!r} on URL {target.url}")
            guessed = static_type(target.path)
            if response.mimetype != guessed:
                raise ValueError(
                    f"{target.path} would be served as {guessed}, but the app sends {response.content_type}"
                )
            return response.get_data()
        finally:
            response.close()


def _make_folder(folder: str) -> None:
    """Make ``folder``: most pages are one folder below one made already, so try that first."""
    try:
        os.mkdir(folder)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    except FileExistsError:
        if not os.path.isdir(folder):  # a page's file where another page needs a folder
            raise


def _write(path: str, body: bytes) -> os.stat_result:
    """Write a new file and return its status once it is closed (some file systems, network ones and
    Windows', set the modification time at close, and the next build compares it).

    Creating thousands of files is a large part of a build's time on some disks, and Python's
    ``open()`` adds three calls a file (a status, a terminal check, a seek) that a plain write
    needs none of.  (``os.open`` gives a descriptor no other program inherits; ``O_BINARY``
    keeps Windows from translating line ends.)
    """
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(body)
        while view:
            view = view[os.write(handle, view) :]
    except OSError as error:  # a full disk, say: os.write names no file, and the message should
        error.filename = path
        raise
    finally:
        os.close(handle)
    return os.stat(path)


def _linked_if_identical(old: Path, body: bytes, new: str) -> bool:
    """Link the previous build's file to ``new`` when it holds ``body``; True when it did."""
    try:
        if old.stat().st_size != len(body) or old.read_bytes() != body:
            return False
        os.link(old, new)
    except OSError:  # gone, unreadable, or a file system without hard links: write it
        return False
    return True
