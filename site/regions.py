"""Stage 4b: region views of a policy, and the fragments the region switch swaps in.

Every current policy has one view per region at ``/<locale>/<policy>/<region>/``
and one pre-rendered fragment per view (``.../content.html``, plus one for the
whole policy).  The page includes the very same fragment template, so htmx can
swap the fragment file in on a static host and get exactly what a full load of
the page shows.  On the live app an htmx request to a page URL gets that
fragment too (``request.htmx``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import unquote

from flask import Blueprint, Flask, current_app, request, url_for
from werkzeug.routing import BaseConverter, ValidationError

from . import get_library
from .library import Shown
from .model import Policy
from .views import (
    Endpoint,
    in_force,
    page_locale,
    policy_in_force,
    region_name,
    register_text,
    register_urls,
    render_view,
    shown_versions,
)

bp = Blueprint("regions", __name__)

#: A same-page link in rendered Markdown. Text never holds a raw ``"``, so this only meets attributes.
SAME_PAGE_HREF = re.compile(r'href="#([^"]+)"')


class RegionConverter(BaseConverter):
    """A URL part that matches only the region ids the site defines.

    Region ids start with a letter, so ``/en/privacy/2025-06-15/`` never looks
    like one; ``changes`` and the other reserved words are rejected too.  The
    ids are read from the loaded site on each match, so a preview that reloads
    its content picks up new regions.
    """

    regex = "[a-z][a-z0-9-]*"

    def to_python(self, value: str) -> str:
        # A preview whose content failed to load answers every URL with its error page.
        if "policypress" in current_app.extensions and value not in get_library().site.config.region_ids:
            raise ValidationError()
        return value


def gettext(message: str, **variables: object) -> str:
    """Translate ``message`` for the current page (named so Babel extracts it)."""
    return current_app.extensions["policypress.gettext"](message, **variables)


def view_title(shown: Shown, region: str | None) -> str:
    """The title of a view of a policy, without the site name."""
    if region is None:
        return shown.document.title
    return gettext("%(title)s (%(region)s)", title=shown.document.title, region=region_name(region))


#: The pages that offer the region switch: the current page of a policy, its region views, and their
#: content.  Not the version in force's dated copy: a dated page never changes.
SWITCHING_ENDPOINTS = frozenset(
    {"site.policy", "regions.region_view", "regions.region_fragment", "regions.policy_fragment"}
)


def has_region_views(policy: Policy, shown: Shown) -> bool:
    """True on a page that offers the region switch: one of the version in force, the one region views
    exist for, at its current address (see :data:`SWITCHING_ENDPOINTS`)."""
    library = get_library()
    return (
        bool(library.site.config.regions)
        and request.endpoint in SWITCHING_ENDPOINTS
        and policy.current(library.today) == shown.version
    )


def link_hidden_anchors(block: str, shown: Shown, region: str | None) -> str:
    """Point same-page links to headings this view hides at the whole policy instead.

    General text may link to ``#your-california-privacy-rights``; in the EEA
    view that heading is not on the page, but it is on the whole policy.
    """
    if region is None:
        return block
    hidden = {h.id for h in shown.rendered.headings if h.regions and region not in h.regions}
    if not hidden:
        return block
    whole = url_for("site.policy", locale=page_locale().slug, policy=shown.version.policy)

    def retarget(match: re.Match[str]) -> str:
        anchor = unquote(html.unescape(match.group(1)))
        return f'href="{whole}#{match.group(1)}"' if anchor in hidden else match.group(0)

    return SAME_PAGE_HREF.sub(retarget, block)


@bp.get("/<locale>/<policy>/<region:region>/")
def region_view(locale: str, policy: str, region: str) -> str:
    """The policy in force today with the general text and this region's blocks only."""
    found, shown = policy_in_force(policy)
    return render_view(found, shown, region)


@bp.get("/<locale>/<policy>/<region:region>/content.html")
def region_fragment(locale: str, policy: str, region: str) -> str:
    """The swappable content of a region view, for the region switch."""
    found, shown = policy_in_force(policy)
    return render_view(found, shown, region, fragment=True)


@bp.get("/<locale>/<policy>/content.html")
def policy_fragment(locale: str, policy: str) -> str:
    """The swappable content of the whole policy, for switching back to it."""
    found, shown = policy_in_force(policy)
    return render_view(found, shown, None, fragment=True)


def _policies() -> Iterator[tuple[str, str]]:
    library = get_library()
    for locale in library.site.config.locales:
        for policy, _current_version in library.current_policies():
            yield locale.slug, policy.slug


def _region_pages() -> Iterator[Endpoint]:
    region_ids = get_library().site.config.region_ids
    for locale, policy in _policies():
        for region in region_ids:
            yield "regions.region_view", {"locale": locale, "policy": policy, "region": region}


def _fragments() -> Iterator[Endpoint]:
    region_ids = get_library().site.config.region_ids
    for locale, policy in _policies():
        yield "regions.policy_fragment", {"locale": locale, "policy": policy}
        for region in region_ids:
            yield "regions.region_fragment", {"locale": locale, "policy": policy, "region": region}


def init_app(app: Flask) -> None:
    """Register the region views, their fragments and the ``region`` URL converter."""
    app.url_map.converters["region"] = RegionConverter
    app.register_blueprint(bp)
    app.add_template_global(view_title, "policy_view_title")
    app.add_template_global(has_region_views)
    app.add_template_filter(link_hidden_anchors, "link_hidden_anchors")
    register_urls(app, _region_pages, pages=True)
    register_urls(app, _fragments, pages=False)
    register_text(app, "regions.region_view", shown_versions(in_force))
