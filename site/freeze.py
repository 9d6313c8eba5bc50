"""Stage 5a: freeze the Flask app into a folder of static files, atomically.

The site is frozen into a temporary folder beside the destination, and only a
complete build replaces the old one.  A failed or killed build leaves the
previous output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_frozen import Freezer, MissingURLGeneratorWarning

from .views import other_urls, page_urls

TEMP_PREFIX = ".policypress-tmp-"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    destination: Path
    files: tuple[str, ...]

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))


def _make_freezer(app: Flask, destination: Path) -> Freezer:
    app.config.update(
        FREEZER_DESTINATION=str(destination),
        FREEZER_REMOVE_EXTRA_FILES=False,
        FREEZER_BASE_URL=None,
        FREEZER_REDIRECT_POLICY="error",
        # Only host files such as _headers and .nojekyll lack an extension; they are text.
        FREEZER_DEFAULT_MIMETYPE="text/plain",
    )
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    freezer.register_generator(page_urls)
    freezer.register_generator(other_urls)
    return freezer


def count_urls(app: Flask) -> int:
    """How many files a freeze of ``app`` will write (for a progress bar)."""
    return sum(1 for _ in _make_freezer(app, Path(tempfile.gettempdir())).all_urls())


def freeze(app: Flask, destination: Path, on_file: Callable[[str], None] | None = None) -> BuildResult:
    """Freeze ``app`` into ``destination``, replacing it only once the build is complete."""
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(destination.parent)
    staging = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=destination.parent))
    try:
        freezer = _make_freezer(app, staging)
        files = []
        with warnings.catch_warnings():
            # A feature the site does not use (no Do Not Sell page, say) leaves its endpoints unfrozen.
            warnings.simplefilter("ignore", MissingURLGeneratorWarning)
            for page in freezer.freeze_yield():
                files.append(str(page.path))
                if on_file:
                    on_file(page.url)
        staging.chmod(0o755)
        _swap(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(destination, tuple(sorted(files)))


def _swap(staging: Path, destination: Path) -> None:
    """Put ``staging`` where ``destination`` is; the old folder goes only after."""
    if not destination.exists():
        os.rename(staging, destination)
        return
    retired = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=destination.parent))
    os.rename(destination, retired / "old")
    os.rename(staging, destination)
    shutil.rmtree(retired, ignore_errors=True)


def _remove_stale_temporaries(parent: Path) -> None:
    """Delete staging folders left behind by a build that was killed."""
    for stale in parent.glob(TEMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
