"""Stage 4: serve the site under the path of its ``base_url``, live and frozen alike.

A site whose ``base_url`` has a path (``https://owner.github.io/policies``, a
GitHub Pages project site) is served under that path: every URL the app
makes starts with it.  The app stays written for the root; this module mounts
it under the path, as a WSGI server would mount it (``SCRIPT_NAME``), so that
``url_for`` adds the path and routing never sees it.  The freezer gives each
request the same ``SCRIPT_NAME`` (:func:`request_environ`) and writes the
files without the path: the host serves the output folder at it.

A static host serves a folder's page at ``folder/index.html`` too (the file
the freezer wrote for ``folder/``), so the live app answers that URL with the
folder's page, unless it is a file of ``content/public/`` of that name; and a
public folder's ``index.html`` at the folder's URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.test import EnvironBuilder
from werkzeug.utils import redirect

#: The file a static host serves for a folder's URL.
INDEX = "/index.html"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def base_path(app: Flask) -> str:
    """The path the site is served under: ``/policies``, or ``""`` at the root of its host (or while the
    preview shows a content error, which has no site to read it from)."""
    publication = app.extensions.get("policypress")
    return publication.library.site.config.base_path if publication is not None else ""


def mount(app: Flask) -> None:
    """Serve ``app`` under its site's base path, worked out per request: in the preview, after it has
    reloaded what changed, so an edit of ``base_url`` applies from the next request on."""
    preview = app.extensions.get("policypress.preview")

    def prefix() -> str:
        if preview is not None:
            preview.refresh()
        return base_path(app)

    def is_public(path: str) -> bool:
        publication = app.extensions.get("policypress")
        return publication is not None and publication.library.site.public_file(path.lstrip("/")) is not None

    app.wsgi_app = _Mounted(app.wsgi_app, prefix, is_public)  # type: ignore[method-assign]


def request_environ(app: Flask) -> dict[str, Any]:
    """A request environment for URLs of ``app`` (set ``PATH_INFO``), mounted as :func:`mount` mounts it."""
    return EnvironBuilder(path="/", base_url=f"http://localhost{base_path(app)}/").get_environ()


class _Mounted:
    """A WSGI app under a path prefix: the prefix moves into ``SCRIPT_NAME``; a request for ``/`` or the
    prefix itself is redirected to the prefix's folder, and any other request outside it is not found.
    A request for a folder's ``index.html`` is one for the folder, unless ``is_public`` says that the
    site publishes a file of that name as it is."""

    def __init__(self, app: WSGIApp, prefix: Callable[[], str], is_public: Callable[[str], bool]) -> None:
        self.app = app
        self.prefix = prefix
        self.is_public = is_public

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        prefix = self.prefix()
        path = environ.get("PATH_INFO", "") or "/"
        if path.startswith(prefix + "/"):
            inside = path[len(prefix) :]
            if inside.endswith(INDEX) and not self.is_public(inside):
                inside = inside.removesuffix(INDEX.lstrip("/"))
            elif inside.endswith("/") and self.is_public(inside + INDEX.lstrip("/")):
                inside += INDEX.lstrip("/")  # a public folder's page, at the folder's URL
            mounted = {**environ, "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + prefix, "PATH_INFO": inside}
            return self.app(mounted, start_response)
        if path in ("/", prefix):  # as a static host redirects a folder's URL without its final slash
            return redirect(prefix + "/", 308)(environ, start_response)
        return NotFound()(environ, start_response)
