"""Stage 4: files that tell a static host how to serve the build.

``/_headers`` is the header file Netlify and Cloudflare Pages read: the
security headers the live app sends, for every path; a year's immutable cache
for the content-hashed ``/assets/``, five minutes for everything else; plus
rules other features register (such as the JSON type of ``/.well-known/gpc.json``).
``/.nojekyll`` stops GitHub Pages from dropping folders whose names start with
a dot or an underscore, such as ``.well-known``.  Both are views, so the live
app and the frozen folder hold the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import Blueprint, Flask, Response, current_app, request, url_for

from . import get_library
from .headers import ASSET_CACHE, HTML_CACHE, security_headers
from .views import Endpoint, other_urls, page_urls, register_urls

HeaderRule = tuple[str, dict[str, str]]

bp = Blueprint("hosting", __name__)


def register_headers(app: Flask, generator: Callable[[], Iterator[HeaderRule]]) -> None:
    """Add a generator of (path pattern, headers) to the static host's header file."""
    app.extensions.setdefault("policypress.headers", []).append(generator)


ASSETS_PATTERN = "/assets/*"


def cache_patterns() -> list[str]:
    """Path patterns that together cover every file of the site except the hashed assets.

    Both hosts apply *every* rule whose pattern matches and join repeated
    headers with commas, so a ``Cache-Control`` on ``/*`` plus one on
    ``/assets/*`` would send assets both lifetimes at once.  The short rule is
    therefore given per top-level folder (``/en/*``) and per top-level file,
    and never overlaps ``/assets/*``.  It follows the site's own URLs, so a
    feature that adds a folder is covered without touching this list.
    """
    patterns = set()
    for endpoint, values in [*page_urls(), *other_urls()]:
        if endpoint.startswith(bp.name + "."):
            continue  # host files: the host reads them, it never serves them
        # A pattern names a file of the output, which the host serves under the base path.
        path = url_for(endpoint, **values).removeprefix(request.script_root)
        first, slash, _rest = path[1:].partition("/")
        patterns.add(f"/{first}/*" if slash else path)
    patterns.discard(ASSETS_PATTERN)
    return sorted(patterns)


def header_rules() -> list[HeaderRule]:
    """Every rule of the header file: security headers for ``/*``, cache lifetimes, then the registered ones."""
    config = get_library().site.config
    rules: list[HeaderRule] = [("/*", security_headers(config.form_endpoints))]
    rules.append((ASSETS_PATTERN, {"Cache-Control": ASSET_CACHE}))
    rules.extend((pattern, {"Cache-Control": HTML_CACHE}) for pattern in cache_patterns())
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
