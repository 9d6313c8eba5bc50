"""Stage 5: the output folder: where a build may write, its staging folders, and putting a build in place.

A build may only replace a new or empty folder or an earlier build
(:func:`check_destination`).  It is built into a staging folder beside the
output, named after the output and the building process, so that a killed
build's leftovers can be told from a running one's (:func:`remove_stale_staging`).
A finished build then takes the output's place whole (:func:`replace_folder`),
or, after a text-only edit, has its few files moved in (:func:`commit_in_place`).

On Linux one call exchanges the two folders (``renameat2`` with
``RENAME_EXCHANGE``), so a web server serving the output path finds the old
site or the new one, never neither.  Where that call is missing (another
system, an old C library, a file system that refuses it), two renames do it:
the old folder out, the new one in, with a moment of a few microseconds
between them in which the path does not exist.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from .errors import PolicypressError
from .inputs import PACKAGE_DIR

#: Staging folders of builds in progress, beside the output folder.
TEMP_PREFIX = ".policypress-tmp-"


def destination_key(destination: Path) -> str:
    """A short name for an output folder, the same however its path is written."""
    return hashlib.sha256(str(destination.resolve()).encode()).hexdigest()[:16]


#: What every build's 404.html holds (base.html): a folder whose 404.html says so is an earlier build.
GENERATOR = b'<meta name="generator" content="Policypress">'


def check_destination(destination: Path, content: Path, translations: Path | None = None) -> None:
    """Refuse a destination that a build must not replace.

    A build puts a new folder where ``destination`` was and deletes the old one whole, so it may only
    be a new or empty folder or an earlier build: never a file, a folder that holds the build's inputs
    (the content, the translations, Policypress's own code) or the current folder, a folder inside an
    input (every build would read its own output), or a folder of something else.
    """
    inputs = {"the content folder": content, "Policypress's code": PACKAGE_DIR}
    if translations is not None:
        inputs["the translations folder"] = translations
    inputs = {name: folder.resolve() for name, folder in inputs.items()}
    fix = "choose a new or empty folder for --out, or an earlier build's"
    if destination.exists() and not destination.is_dir():
        raise PolicypressError(f"the output {destination} is a file, which a build would replace: {fix}")
    for name, folder in {**inputs, "the current folder": Path.cwd().resolve()}.items():
        if destination == folder or destination in folder.parents:
            raise PolicypressError(
                f"the output {destination} holds {name} ({folder}), which a build would delete: {fix}"
            )
    for name, folder in inputs.items():
        if folder in destination.parents:
            raise PolicypressError(f"the output {destination} is inside {name} ({folder}): {fix} outside it")
    if destination.is_dir() and any(destination.iterdir()) and not _earlier_build(destination):
        raise PolicypressError(
            f"the output {destination} is not empty and is not a Policypress build (its 404.html does not say it "
            f"is); a build replaces the folder whole, deleting what is in it: {fix}, or empty it yourself"
        )


def _earlier_build(folder: Path) -> bool:
    try:
        with open(folder / "404.html", "rb") as page:
            return GENERATOR in page.read(4096)
    except OSError:
        return False


def staging_prefix(destination: Path) -> str:
    """How this process's staging folders for ``destination`` are named: the folder's key and our PID.

    Other output folders have other keys; another build of the same folder has another PID.
    """
    return f"{TEMP_PREFIX}{destination_key(destination)}-{os.getpid()}-"


def remove_stale_staging(destination: Path) -> None:
    """Delete staging folders that a killed build of ``destination`` left beside it.

    Builds of other output folders in the same parent folder may be running, and so may another
    build of this one (say a ``--watch`` session beside a one-shot build): the folders of a process
    that is still alive are left alone.
    """
    prefix = f"{TEMP_PREFIX}{destination_key(destination)}-"
    for stale in destination.resolve().parent.iterdir():
        if stale.name.startswith(prefix) and not _alive(stale.name[len(prefix) :].split("-", 1)[0]):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: str) -> bool:
    """True when ``pid`` names another process that is still running."""
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


def commit_in_place(staging: Path, destination: Path) -> None:
    """Move every file of ``staging`` to the same place in ``destination``, then delete ``staging``.

    Each file is replaced atomically, and the moves take milliseconds.  A
    build killed during them leaves some new files beside old ones; the
    caller forgets the manifest first, so the next build is a full one, built
    aside and swapped in whole.
    """
    for folder, _dirs, files in os.walk(staging):
        relative = os.path.relpath(folder, staging)
        for name in files:
            target = os.path.normpath(os.path.join(destination, relative, name))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(os.path.join(folder, name), target)
    shutil.rmtree(staging, ignore_errors=True)


AT_FDCWD = -100
RENAME_EXCHANGE = 2


def replace_folder(new: Path, destination: Path, prefix: str) -> None:
    """Put the folder ``new`` where ``destination`` is, and remove the old one after.

    ``prefix`` names a temporary folder beside them (the old one is moved there when the two cannot be
    exchanged); a build that dies before removing it leaves a folder of that name, which the next one removes.
    """
    if not destination.exists():
        os.rename(new, destination)
        return
    if _exchange(new, destination):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` is now the old site
        return
    retired = Path(tempfile.mkdtemp(prefix=prefix, dir=destination.parent))
    os.rename(destination, retired / "old")
    os.rename(new, destination)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(one: Path, other: Path) -> bool:
    """Swap two paths in one call; False where this system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a C library from before 2018
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(AT_FDCWD, os.fsencode(one), AT_FDCWD, os.fsencode(other), RENAME_EXCHANGE) == 0
