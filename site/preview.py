"""Stage 4b: the editors' preview (``build.py serve``): edits show on the next page load.

Once per request the preview compares the files it watches (content,
templates, catalogs, static files) with what it last loaded.  When anything
changed it loads the publication again; when the content has errors it shows
them as a page, and recovers as soon as the files are fixed.  Only the
preview uses this: a build or a check loads the content exactly once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort

from .errors import ContentError, Problem, Severity
from .sources import is_leftover

#: Files that never change what a page shows (besides hidden files and editors' leftovers): compiled catalogs.
IGNORED_SUFFIXES = (".mo",)

Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(folders: Iterable[Path]) -> Fingerprint:
    """Every watched file with its modification time and size, in a stable order."""
    found = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).parts
            if any(part.startswith(".") for part in relative) or path.name.endswith(IGNORED_SUFFIXES):
                continue
            if is_leftover(path.name):
                continue
            try:
                stat = path.stat()
            except OSError:  # deleted while we looked: the next request sees the new state
                continue
            if path.is_file():
                found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class Preview:
    """Keeps one app's publication in step with the files it was loaded from."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.problems: list[Problem] = []
        self._seen: Fingerprint | None = None
        self._lock = threading.Lock()

    def watched(self) -> list[Path]:
        app = self.app
        return [
            Path(app.config["CONTENT_DIR"]),
            Path(app.config["TRANSLATIONS_DIR"]),
            Path(app.root_path) / (app.template_folder or "templates"),
            Path(app.root_path) / "static",
        ]

    def refresh(self) -> None:
        """Load the publication again if a watched file changed since the last load."""
        from . import Publication

        with self._lock:
            now = fingerprint(self.watched())
            if now == self._seen:
                return
            self._seen = now
            try:
                self.app.extensions["policypress"] = Publication(self.app)
                self.problems = []
            except ContentError as error:
                self.problems = error.everything
                self.app.logger.warning(
                    "the content has %d error(s); the preview shows them until they are fixed", len(error.problems)
                )

    def error_page(self) -> Response:
        """The content's problems as a readable page (never a traceback)."""
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        # Straight from Jinja: the site's context processors need the content that failed to load.
        template = self.app.jinja_env.get_template("preview_error.html")
        body = template.render(problems=self.problems, errors=len(errors))
        return Response(body, status=500, mimetype="text/html")


def _before_every_request(_endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Refresh, then answer with the error page while the content is broken.

    Registered as an app-wide URL value preprocessor because Flask runs those
    before any blueprint's, and the site's blueprint needs a loaded publication
    to pick the locale from the URL.
    """
    from flask import current_app

    preview: Preview = current_app.extensions["policypress.preview"]
    preview.refresh()
    if preview.problems or "policypress" not in current_app.extensions:
        abort(preview.error_page())


def _never_cache(response: Response) -> Response:
    """A cached page would hide the next edit; runs after the site's own headers (registered first)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> Preview:
    """Make ``app`` a preview: load the content now if it can, and again whenever it changes."""
    preview = Preview(app)
    app.extensions["policypress.preview"] = preview
    preview.refresh()
    app.url_value_preprocessor(_before_every_request)
    app.after_request(_never_cache)
    return preview
