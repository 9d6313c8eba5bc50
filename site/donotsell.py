"""Stage 4: the Do Not Sell or Share page and ``/.well-known/gpc.json``.

A static host has no server to remember a visitor's choice, so the opt-out
lives in the browser (``static/optout.js``); the page only carries the
settings that script needs.  The live app also honours a ``Sec-GPC: 1``
request header by rendering the page in its honoured state; the frozen page
cannot vary by header, so there the script reads ``navigator.globalPrivacyControl``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Flask, Response, abort, g, make_response, render_template, request

from . import get_library
from .hosting import register_headers
from .model import GPC_FILE, Document, Page
from .siteconfig import PrivacyChoices
from .views import Endpoint, register_text, register_urls

PAGE = "do-not-sell"
GPC_PATH = "/" + GPC_FILE

bp = Blueprint("donotsell", __name__)
# The locale comes from the URL here exactly as on the site's other pages.


def _choices() -> PrivacyChoices | None:
    return get_library().site.config.privacy_choices


def _published_page() -> Page | None:
    """The page, when site.yaml says what it is for (the loader checks the two agree)."""
    if _choices() is None:
        return None
    return get_library().site.page(PAGE)


def gpc_document(choices: PrivacyChoices) -> dict[str, object]:
    """The GPC support resource: the site honours the signal (and since when, if known)."""
    data: dict[str, object] = {"gpc": True}
    if choices.gpc_last_update is not None:
        data["lastUpdate"] = choices.gpc_last_update.isoformat()
    return data


def signals_gpc() -> bool:
    """True when the request carries the Global Privacy Control header, ``Sec-GPC: 1``."""
    return request.headers.get("Sec-GPC", "").strip() == "1"


@bp.get("/<locale>/do-not-sell/")
def page(locale: str) -> Response:
    """The editor's text, the opt-out control and the request form."""
    found, choices = _published_page(), _choices()
    if found is None or choices is None:
        abort(404)
    library = get_library()
    document = _page_document(found, g.locale)
    body = render_template(
        "do_not_sell.html",
        document=document,
        shown={"rendered": library.rendered(document), "document": document},
        region=None,
        choices=choices,
        gpc_honoured=choices.control and signals_gpc(),
    )
    response = make_response(body)
    response.vary.add("Sec-GPC")
    return response


def _page_document(page: Page, locale: str) -> Document:
    """The page's text for a reader of ``locale``: translated, or the original."""
    found = page.document(locale) or page.document(get_library().site.config.default_locale)
    assert found is not None  # the loader requires the default locale
    return found


def _text_language(_values: dict[str, Any], locale: str) -> str:
    """The language of the page's text in ``locale`` (see :func:`~policypress.views.register_text`)."""
    page = _published_page()
    return _page_document(page, locale).locale if page is not None else locale


@bp.get(GPC_PATH)
def gpc_json() -> Response:
    """``{"gpc": true, "lastUpdate": "YYYY-MM-DD"}``, from site.yaml."""
    choices = _choices()
    if choices is None:
        abort(404)
    return Response(json.dumps(gpc_document(choices), sort_keys=True) + "\n", mimetype="application/json")


def _pages() -> Iterator[Endpoint]:
    if _published_page() is None:
        return
    for locale in get_library().site.config.locales:
        yield "donotsell.page", {"locale": locale.slug}


def _files() -> Iterator[Endpoint]:
    if _choices() is not None:
        yield "donotsell.gpc_json", {}


def _host_headers() -> Iterator[tuple[str, dict[str, str]]]:
    # Static hosts guess types from extensions; say it outright for the one file
    # GPC clients fetch, so no host serves it as text or a download.
    if _choices() is not None:
        yield GPC_PATH, {"Content-Type": "application/json"}


def init_app(app: Flask) -> None:
    """Register the page, gpc.json and its host header rule on ``app``."""
    app.register_blueprint(bp)
    register_urls(app, _pages, pages=True)
    register_urls(app, _files, pages=False)
    register_text(app, "donotsell.page", _text_language)
    register_headers(app, _host_headers)
