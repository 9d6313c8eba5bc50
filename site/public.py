"""Stage 4: the files of ``content/public/``, served as they are (security.txt, a host's verification file).

Each file is served at its path in the folder, live and frozen, with the
type a static host gives it (:func:`~policypress.headers.static_type`); the
loader has refused names that would take the place of the site's own files.
The files are answered before routing would redirect ``/CNAME`` to ``/CNAME/``
(as it does for a page's URL without its final slash); their URL rule only
builds the freezer's list.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, Response, current_app, request

from .headers import static_type
from .views import Endpoint, register_urls

ENDPOINT = "public_file"


def _public_file() -> Response | None:
    """The file of ``content/public/`` this request asks for, or None to go on to the site's pages."""
    publication = current_app.extensions.get("policypress")  # none in a preview showing a content error
    found = publication.library.site.public_file(request.path.removeprefix("/")) if publication else None
    return Response(found.data, mimetype=static_type(found.name)) if found else None


def _files() -> Iterator[Endpoint]:
    for found in current_app.extensions["policypress"].library.site.public:
        yield ENDPOINT, {"name": found.name}


def init_app(app: Flask) -> None:
    app.add_url_rule("/<path:name>", ENDPOINT, build_only=True)
    app.before_request(_public_file)
    register_urls(app, _files, pages=False)
