"""Stage 5: put a finished output folder in the place of the previous one, with no moment between the two.

On Linux one call exchanges the two folders (``renameat2`` with
``RENAME_EXCHANGE``), so a web server serving the output path finds the old
site or the new one, never neither.  Where that call is missing (another
system, an old C library, a file system that refuses it), two renames do it:
the old folder out, the new one in, with a moment of a few microseconds
between them in which the path does not exist.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

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
