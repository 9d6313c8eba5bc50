"""Stage 4: the Flask views of the reader-facing site.

Every page is reachable from :func:`page_urls`, which the sitemap and the
freezer both use, so the two can never disagree about what the site holds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from functools import partial
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, g, render_template, request, url_for
from markupsafe import Markup

from . import get_library, get_publication
from .headers import ASSET_CACHE, HTML_CACHE, content_security_policy, security_headers, static_type
from .i18n import translate as _
from .library import Shown
from .model import Policy, Version
from .rendered import Rendered
from .siteconfig import Locale
from .tables import Numbering, holds_tables, scrollable_tables

bp = Blueprint("site", __name__)

Endpoint = tuple[str, dict[str, Any]]
#: The versions whose text a page shows, from its URL parts (see :func:`shown_versions`).
TextVersions = Callable[[dict[str, Any]], tuple[Version, ...]]
#: The language (locale tag) of the text a page shows in a locale (tag), from its URL parts (see :func:`register_text`).
TextLanguage = Callable[[dict[str, Any], str], str]


def register_urls(app: Flask, generator: Callable[[], Iterator[Endpoint]], *, pages: bool) -> None:
    """Add a generator of (endpoint, values) to the site.

    ``pages=True`` for HTML pages readers land on (they go in the sitemap);
    ``pages=False`` for other files the build must write (feeds, fragments, JSON).
    """
    app.extensions.setdefault("policypress.urls", {True: [], False: []})[pages].append(generator)


def register_text(app: Flask, endpoint: str, language: TextLanguage) -> None:
    """Say in which language the pages of ``endpoint`` show their text, given their URL parts and locale.

    A page in a language its text is not translated into shows the original instead: the language
    links need to know, so as not to announce that page as one in the language of its URL.
    """
    app.extensions.setdefault("policypress.text_languages", {})[endpoint] = language


def page_text_language(endpoint: str, values: dict[str, Any], locale: str) -> str:
    """The language of the text the page of ``endpoint`` with ``values`` shows in ``locale``: ``locale`` itself
    for pages of interface text and for text translated into it."""
    found = current_app.extensions.get("policypress.text_languages", {}).get(endpoint)
    return found(values, locale) if found is not None else locale


def shown_versions(versions: TextVersions) -> TextLanguage:
    """The :data:`TextLanguage` of pages that show ``versions`` of a policy: the original's language when one
    of them is not translated into the page's (see :meth:`~policypress.library.Library.show`)."""

    def language(values: dict[str, Any], locale: str) -> str:
        library = get_library()
        shown = (library.show(version, locale) for version in versions(values))
        return next((one.document.locale for one in shown if one.is_fallback), locale)

    return language


def _registered(pages: bool) -> Iterator[Endpoint]:
    for generator in current_app.extensions.get("policypress.urls", {}).get(pages, []):
        yield from generator()


def page_urls() -> Iterator[Endpoint]:
    """Every HTML page of the site, as (endpoint, values): the sitemap's and freezer's list."""
    yield from _registered(pages=True)


def other_urls() -> Iterator[Endpoint]:
    """Files that are not pages: feeds, fragments, the error page, sitemap, robots.txt and assets."""
    yield from _registered(pages=False)


def _core_pages() -> Iterator[Endpoint]:
    library = get_library()
    yield "site.root", {}
    for locale in library.site.config.locales:
        yield "site.policies", {"locale": locale.slug}
        for policy, _current in library.current_policies():
            yield "site.policy", {"locale": locale.slug, "policy": policy.slug}


def _core_files() -> Iterator[Endpoint]:
    yield "site.not_found", {}
    yield "site.sitemap", {}
    yield "site.robots", {}
    for asset in get_publication().assets:
        yield "site.asset", {"filename": asset.hashed_name}


def page_locale() -> Locale:
    """The locale of the page being rendered."""
    config = get_library().site.config
    return config.locale(g.get("locale", config.default_locale))


@bp.app_url_value_preprocessor
def _pick_locale(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Take the locale from the URL of every request (any blueprint's); an unknown one is a 404.

    This runs per request and always assigns ``g.locale``: Frozen-Flask renders
    all pages in one app context, so a value left on ``g`` would leak into the next page.
    """
    config = get_library().site.config
    g.locale = config.default_locale
    if values and "locale" in values:
        slug = values["locale"]
        matches = [locale for locale in config.locales if locale.slug == slug]
        if not matches:
            abort(404)
        g.locale = matches[0].tag


@bp.app_context_processor
def _template_globals() -> dict[str, Any]:
    publication = get_publication()
    config = publication.library.site.config

    def asset_url(name: str) -> str:
        return url_for("site.asset", filename=publication.assets[name].hashed_name)

    csp_meta = publication.shared.get("csp_meta")
    if csp_meta is None:
        csp_meta = publication.shared["csp_meta"] = content_security_policy(config.form_endpoints, for_meta=True)
    locale = page_locale()
    return {
        "site": config,
        "organisation": config.organisation,
        "page_locale": locale,
        "asset_url": asset_url,
        "asset": publication.assets.__getitem__,
        "csp_meta": csp_meta,
        "canonical_url": config.origin + request.script_root + request.path,
        # Bound to the store and the page's locale once per render, not looked up per call: a dozen calls a page.
        "shared_part": partial(shared_part, publication.shared, locale.tag),
    }


def shared_part(shared: dict[Hashable, Any], locale: str, template: str, /, **values: Hashable) -> Markup:
    """``template`` rendered once per locale (and ``values``) and reused by every page that shows it.

    Only for partials that read nothing but the locale, the site and
    ``values`` (the footer, the asset links, the diff legend, a policy's
    version picker): thousands of pages show them.  ``values`` are the
    partial's variables and its cache key, so they are plain values (slugs,
    titles, dates), never objects it could read more from; and never a
    document's text, which a page must read itself (that is how the build
    learns what the page depends on).  ``shared`` is the publication's store
    and ``locale`` the page's locale tag: templates get both bound.
    """
    key = (template, locale, *sorted(values.items()))
    found = shared.get(key)
    if found is None:
        found = shared[key] = Markup(render_template(template, **values))
    return found


#: A view of a policy (whole or one region's), and what a swap of its content gets (see the template).
POLICY_PAGE = "policy.html"
POLICY_FRAGMENT = "_policy_fragment.html"


def in_force(values: dict[str, Any]) -> tuple[Version, ...]:
    """The version in force today of the policy of ``values`` (what the pages of a policy's views show)."""
    _found, current = _in_force(values["policy"])
    return (current,) if current is not None else ()


def _in_force(policy_slug: str) -> tuple[Policy | None, Version | None]:
    library = get_library()
    found = library.site.policy(policy_slug)
    return found, found.current(library.today) if found else None


def policy_in_force(policy_slug: str) -> tuple[Policy, Shown]:
    """A policy and its version in force today, shown in the page's locale; 404 when there is none."""
    found, current = _in_force(policy_slug)
    if found is None or current is None:
        abort(404)
    return found, get_library().show(current, g.locale)


def render_view(policy: Policy, shown: Shown, region: str | None, *, fragment: bool = False) -> str:
    """The page of one view of a policy (the whole policy, or one region's), or just its swappable content.

    An htmx request to the page gets the content, and out of band the page's language and head links
    (``_policy_fragment.html``): what ``content.html`` holds.
    """
    # The page a fragment stands for, whichever URL asked for it: its language links and head links name it.
    page_endpoint = "regions.region_view" if region else "site.policy"
    context = {"policy": policy, "shown": shown, "region": region, "page_endpoint": page_endpoint}
    if fragment:
        return render_template(POLICY_FRAGMENT, **context)
    return page_or_fragment(POLICY_PAGE, POLICY_FRAGMENT, **context)


def page_or_fragment(page: str, fragment: str, **context: Any) -> str:
    """Render ``page``, or only ``fragment`` (which ``page`` includes) for an htmx request.

    A history-restore request is the exception: htmx wants the whole page then.
    """
    htmx = getattr(request, "htmx", None)
    wants_fragment = bool(htmx) and not htmx.history_restore_request
    return render_template(fragment if wants_fragment else page, **context)


@bp.get("/")
def root() -> str:
    """The language picker: every locale in its own name."""
    return render_template("root.html", locales=get_library().site.config.locales)


@bp.get("/<locale>/")
def policies(locale: str) -> str:
    """The policies published in this locale."""
    library = get_library()
    shown = [(policy, library.show(current, g.locale)) for policy, current in library.current_policies()]
    return render_template("policies.html", policies=shown)


@bp.get("/<locale>/<policy>/")
def policy(locale: str, policy: str) -> str:
    """The version of a policy in force today, with every region's blocks."""
    return render_view(*policy_in_force(policy), None)


@bp.get("/404.html")
def not_found() -> str:
    """The page a static host shows for a missing URL."""
    return render_template("404.html")


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    base = get_library().site.config.origin
    urls = [base + url_for(endpoint, **values) for endpoint, values in page_urls()]
    body = render_template("sitemap.xml", urls=urls)
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots() -> Response:
    base = get_library().site.config.origin
    # The region switch's fragments are parts of pages, not pages: crawlers index the pages they belong to.
    fragments = f"{request.script_root}/*/content.html"
    body = f"User-agent: *\nAllow: /\nDisallow: {fragments}\n\nSitemap: {base}{url_for('site.sitemap')}\n"
    return Response(body, mimetype="text/plain")


@bp.get("/assets/<filename>")
def asset(filename: str) -> Response:
    """A static file under its content-hashed name."""
    found = get_publication().assets.by_hashed_name(filename)
    if found is None:
        abort(404)
    response = Response(found.data, mimetype=static_type(found.name))
    response.headers["Cache-Control"] = ASSET_CACHE
    return response


def _page_not_found(_error: Exception) -> tuple[str, int]:
    """What a static host serves for every missing URL: the page of ``/404.html``, whatever this URL held
    (rendered in this request, it would link this address's missing versions in other languages)."""
    # A context of its own, g included: this request's g (its locale) stays as it was for its after-request hooks.
    with (
        current_app.app_context(),
        current_app.test_request_context("/404.html", base_url=f"http://localhost{request.script_root}/"),
    ):
        g.locale = get_library().site.config.default_locale
        return not_found(), 404


def _add_headers(response: Response) -> Response:
    # A preview whose content failed to load has no site config: send the strictest policy.
    publication = current_app.extensions.get("policypress")
    endpoints = tuple(publication.library.site.config.form_endpoints) if publication else ()
    # Worked out once per app and set of form endpoints: every one of thousands of responses carries them.
    defaults = current_app.extensions.setdefault("policypress.response_headers", {})
    found = defaults.get(endpoints)
    if found is None:
        pairs = [*security_headers(endpoints).items(), ("Cache-Control", HTML_CACHE)]
        found = defaults[endpoints] = [(name.lower(), name, value) for name, value in pairs]
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    for lowered, name, value in found:
        if lowered not in present:  # what Headers.setdefault does, without a scan of the list per header
            headers.add(name, value)
    if response.mimetype == "text/html":
        response.vary.add("HX-Request")
    return response


@bp.app_template_filter("region_name")
def region_name(region_id: str) -> str:
    """A region's display name in the page's language (``translations:`` in site.yaml)."""
    return get_library().site.config.region(region_id).name_in(g.get("locale", ""))


@bp.app_template_filter("scrollable_tables")
def _scrollable_tables(body: str, title: str) -> Markup:
    """The tables of ``body`` (policy text, already HTML) in boxes that scroll sideways, named by the
    heading above each or else by ``title``, and "table 2 of 3" where names repeat (see :mod:`policypress.tables`)."""
    return Markup(scrollable_tables(str(body), title, _table_numbering))


@bp.app_template_global("shows_tables")
def shows_tables(rendered: Rendered) -> bool:
    """Whether any region's text of ``rendered`` holds a table: a region view without one may swap in one with."""
    return any(holds_tables(segment.html) for segment in rendered.segments)


@bp.app_template_test("holding_tables")
def _holding_tables(body: str) -> bool:
    """``{% if diff_body is holding_tables %}``: see :func:`~policypress.tables.holds_tables`."""
    return holds_tables(str(body))


def _table_numbering() -> Numbering:
    """The words that tell apart tables of one name, in the page's language."""
    locale = page_locale()
    words = _("table %(index)d of %(count)d")
    return Numbering(lambda index, count: words % {"index": index, "count": count}, locale.tag, locale.direction)


def init_app(app: Flask) -> None:
    """Register the site's views, error page and headers on ``app``."""
    app.register_blueprint(bp)
    register_urls(app, _core_pages, pages=True)
    register_urls(app, _core_files, pages=False)
    register_text(app, "site.policy", shown_versions(in_force))
    app.register_error_handler(404, _page_not_found)
    app.after_request(_add_headers)
