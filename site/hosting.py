"""Stage 4: files that tell a static host how to serve the build.

``/_headers`` is the header file Netlify and Cloudflare Pages read: the
security headers the live app sends, for every path, plus rules other
features register (such as the JSON type of ``/.well-known/gpc.json``).
``/.nojekyll`` stops GitHub Pages from dropping folders whose names start with
a dot or an underscore, such as ``.well-known``.  Both are views, so the live
app and the frozen folder hold the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import Blueprint, Flask, Response, current_app

from . import get_library
from .headers import security_headers
from .views import Endpoint, register_urls

HeaderRule = tuple[str, dict[str, str]]

bp = Blueprint("hosting", __name__)


def register_headers(app: Flask, generator: Callable[[], Iterator[HeaderRule]]) -> None:
    """Add a generator of (path pattern, headers) to the static host's header file."""
    app.extensions.setdefault("policypress.headers", []).append(generator)


def header_rules() -> list[HeaderRule]:
    """Every rule of the header file: security headers for ``/*`` first, then the registered ones."""
    config = get_library().site.config
    rules: list[HeaderRule] = [("/*", security_headers(config.form_endpoints))]
    for generator in current_app.extensions.get("policypress.headers", []):
        rules.extend(generator())
    return rules


def headers_file(rules: list[HeaderRule]) -> str:
    """Write ``rules`` in the ``_headers`` format: a path, then indented ``Name: value`` lines."""
    lines = ["# HTTP headers for Netlify and Cloudflare Pages, written by Policypress."]
    for pattern, headers in rules:
        lines.append(pattern)
        lines.extend(f"  {name}: {value}" for name, value in headers.items())
    return "\n".join(lines) + "\n"


@bp.get("/_headers")
def host_headers() -> Response:
    return Response(headers_file(header_rules()), mimetype="text/plain")


@bp.get("/.nojekyll")
def nojekyll() -> Response:
    return Response("", mimetype="text/plain")


def _files() -> Iterator[Endpoint]:
    yield "hosting.host_headers", {}
    yield "hosting.nojekyll", {}


def init_app(app: Flask) -> None:
    """Register the host files on ``app``."""
    app.register_blueprint(bp)
    register_urls(app, _files, pages=False)
