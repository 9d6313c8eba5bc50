"""Stage 4b: the history of each policy, as readers see it.

The changelog, every published version at a stable dated URL, comparisons of
two versions (one page per pair: the picker's htmx request selects its
comparison from it), the Atom feed and the JSON export.  Comparing is
:mod:`policypress.diff`; building the feed and the JSON is
:mod:`policypress.export`.  Drafts never reach any of these, because
everything starts from :meth:`Policy.published`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, g, render_template, url_for
from werkzeug.routing import BaseConverter, ValidationError

from . import export, get_library, get_publication
from .comparisons import compare_body
from .diff import compared_versions
from .hosting import HeaderRule, register_headers
from .i18n import localized_date
from .i18n import translate as _
from .library import Shown
from .model import Policy, Version
from .views import Endpoint, TextVersions, page_locale, register_text, register_urls, shown_versions

bp = Blueprint("versions", __name__)
# The locale in the URL works as on every other page of the site.


class IsoDateConverter(BaseConverter):
    """A version's part of a URL: a real date written YYYY-MM-DD, and nothing else."""

    regex = r"\d{4}-\d{2}-\d{2}"
    part_isolating = True
    # Tried before plain segments, so a /<locale>/<policy>/<region>/ rule never swallows a date.
    weight = 50

    def to_python(self, value: str) -> str:
        try:
            date.fromisoformat(value)
        except ValueError as error:
            raise ValidationError() from error
        return value


@dataclass(frozen=True)
class Entry:
    """One version as the changelog and the feed show it, in the reader's locale."""

    shown: Shown
    status: str  # "past", "current" or "upcoming"
    until: date | None  # last day in force
    previous: Version | None
    current: Version | None

    @property
    def version(self) -> Version:
        return self.shown.version

    @property
    def vs_current(self) -> Version | None:
        """The current version, when comparing with it is not the same as comparing with the previous one."""
        return None if self.current in (self.version, self.previous) else self.current


def _today() -> date:
    return get_library().today


def _policy(slug: str) -> Policy:
    found = get_library().site.policy(slug)
    if found is None or not found.published():
        abort(404)
    return found


def _version(policy: Policy, slug: str) -> Version:
    found = policy.version(slug)
    if found is None:
        abort(404)
    return found


def entries(policy: Policy, locale: str) -> list[Entry]:
    """Every published version of ``policy``, newest first (worked out once per policy and locale)."""
    shared = get_publication().shared
    key = ("entries", policy.slug, locale)
    found = shared.get(key)
    if found is None:
        library, today = get_library(), _today()
        now = policy.current(today)
        found = shared[key] = [
            Entry(library.show(v, locale), policy.status(v, today), policy.in_force_until(v), policy.previous(v), now)
            for v in reversed(policy.published())
        ]
    return found


def named(policy: Policy) -> Shown:
    """The version whose title names ``policy`` on its pages and in its feed, in the reader's locale: the one in
    force, as on the policy's own page and in the list of policies (the soonest, when none is in force yet)."""
    history = entries(policy, g.locale)
    return next((entry.shown for entry in history if entry.status == "current"), history[-1].shown)


def pairs(policy: Policy) -> list[tuple[Version, Version]]:
    """The (older, newer) pairs whose comparison is pre-rendered, newest first (worked out once per policy)."""
    shared = get_publication().shared
    found = shared.get(("pairs", policy.slug))
    if found is None:
        compared = compared_versions(policy, _today(), current_app.config["COMPARE_ALL_PAIRS_MAX_VERSIONS"])
        found = shared[("pairs", policy.slug)] = compared[::-1]
    return found


def compare_url(policy: Policy, one: Version | None, other: Version | None, *, locale: str | None = None) -> str | None:
    """The URL comparing two versions (in either order), or None when that pair is not published."""
    if one is None or other is None or one == other:
        return None
    old, new = sorted((one, other), key=lambda v: v.effective)
    if (old, new) not in pairs(policy):
        return None
    return url_for(
        "versions.compare", locale=locale or page_locale().slug, policy=policy.slug, old=old.slug, new=new.slug
    )


def upcoming_notices(policy: Policy) -> list[Entry]:
    """The versions that take effect after today, soonest first, for the current page's notice."""
    return [entry for entry in reversed(entries(policy, g.locale)) if entry.status == "upcoming"]


def published_versions(policy_slug: str) -> tuple[Version, ...]:
    """The published versions of a policy, oldest first (for partials that get the policy's slug)."""
    return _policy(policy_slug).published()


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {
        "compare_url": compare_url,
        "upcoming_notices": upcoming_notices,
        "published_versions": published_versions,
        "named": named,
        "today": _today(),
    }


@bp.get("/<locale>/<policy>/changes/")
def changelog(locale: str, policy: str) -> str:
    """Every published version, newest first, with what changed and links to compare."""
    found = _policy(policy)
    history = entries(found, g.locale)
    return render_template("versions/changes.html", policy=found, entries=history, shown=named(found))


@bp.get("/<locale>/<policy>/<isodate:version>/")
def archive(locale: str, policy: str, version: str) -> str:
    """One published version, past, current or upcoming, at a URL that never changes."""
    found = _policy(policy)
    _version(found, version)
    entry = next(e for e in entries(found, g.locale) if e.version.slug == version)
    return render_template("versions/archive.html", policy=found, shown=entry.shown, entry=entry, region=None)


@bp.get("/<locale>/<policy>/compare/")
def compare_index(locale: str, policy: str) -> str:
    """Every pre-rendered comparison as a plain link: the picker's fallback without JavaScript (none, and no
    page, for a policy with one published version, as the build writes none)."""
    found = _policy(policy)
    if len(found.published()) < 2:
        abort(404)
    groups: dict[Version, list[Version]] = {}
    for old, new in pairs(found):
        groups.setdefault(new, []).append(old)
    return render_template("versions/compare_index.html", policy=found, shown=named(found), groups=list(groups.items()))


def _comparison(policy: str, old: str, new: str) -> dict[str, Any]:
    """Everything the comparison templates need; 404 unless the pair is pre-rendered."""
    found = _policy(policy)
    older, newer = _version(found, old), _version(found, new)
    if (older, newer) not in pairs(found):
        abort(404)
    library = get_library()
    old_shown, new_shown = library.show(older, g.locale), library.show(newer, g.locale)
    if old_shown.document.locale != new_shown.document.locale:
        # One side is translated and the other is not: never diff two languages, compare the originals.
        default = library.site.config.default_locale
        old_shown, new_shown = library.show(older, default), library.show(newer, default)
    return {"policy": found, "old": old_shown, "new": new_shown}


@bp.get("/<locale>/<policy>/compare/<isodate:old>/<isodate:new>/")
def compare(locale: str, policy: str, old: str, new: str) -> str:
    """The newer text with every insertion and deletion since the older one marked.

    One page for htmx and for plain requests alike: the picker selects ``#compare-result`` from it
    (with the title, and out of band the language links and the ``<h1>``), so the static site needs
    no second file per pair.
    """
    context = _comparison(policy, old, new)
    return render_template("versions/compare.html", **context, **compare_body(context))


@bp.get("/<locale>/<policy>/feed.xml")
def feed(locale: str, policy: str) -> Response:
    """An Atom feed with one entry per published version, upcoming ones included."""
    found = _policy(policy)
    history = entries(found, g.locale)
    values = {"locale": page_locale().slug, "policy": found.slug}
    items = []
    for entry in history:
        link = _absolute("versions.archive", **values, version=entry.version.slug)
        title = _("%(title)s, effective %(date)s") % {
            "title": entry.shown.document.title,
            "date": localized_date(entry.version.effective),
        }
        items.append(
            export.FeedItem(
                id=link,
                title=title,
                effective=entry.version.effective,
                link=link,
                summary=entry.shown.document.summary or _("The first published version."),
                content=render_template("versions/_feed_entry.html", policy=found, entry=entry),
            )
        )
    home = "site.policy" if history[0].current else "versions.changelog"
    body = export.atom_feed(
        export.Feed(
            id=_absolute("versions.feed", **values),
            title=_("Changes to %(title)s") % {"title": named(found).document.title},
            home=_absolute(home, **values),
            self_url=_absolute("versions.feed", **values),
            language=page_locale().tag,
            author=get_library().site.config.organisation.name,
            items=items,
        )
    )
    # A static host serves .xml files as application/xml; the live app must answer the same.
    return Response(body, mimetype="application/xml")


@bp.get("/api/<policy>/versions.json")
def versions_json(policy: str) -> Response:
    """Every published version of a policy in every locale, for machines (docs/versions.md)."""
    found = _policy(policy)

    def compare(one: Version | None, other: Version | None, locale: str) -> str | None:
        path = compare_url(found, one, other, locale=locale)
        return _origin() + path if path else None

    document = export.versions_document(get_library(), found, _absolute, compare)
    response = Response(export.dump_json(document), mimetype="application/json")
    response.headers.update(API_HEADERS)
    return response


def _origin() -> str:
    return get_library().site.config.origin


def _absolute(endpoint: str, **values: Any) -> str:
    """An absolute URL on the site's public origin (not the host this request came to)."""
    return _origin() + url_for(endpoint, **values)


def _published_policies() -> list[Policy]:
    return [policy for policy in get_library().site.policies if policy.published()]


def _pages() -> Iterator[Endpoint]:
    for locale in get_library().site.config.locales:
        for policy in _published_policies():
            values = {"locale": locale.slug, "policy": policy.slug}
            yield "versions.changelog", values
            for version in policy.published():
                yield "versions.archive", {**values, "version": version.slug}
            if len(policy.published()) > 1:
                yield "versions.compare_index", values
            for old, new in pairs(policy):
                yield "versions.compare", {**values, "old": old.slug, "new": new.slug}


def _named_versions(*names: str) -> TextVersions:
    """The versions a page shows: those its URL parts ``names`` name (an archive's, a comparison's pair)."""

    def versions(values: dict[str, Any]) -> tuple[Version, ...]:
        policy = get_library().site.policy(values["policy"])
        found = [policy.version(values[name]) for name in names] if policy else []
        return tuple(version for version in found if version is not None)

    return versions


def _files() -> Iterator[Endpoint]:
    for policy in _published_policies():
        yield "versions.versions_json", {"policy": policy.slug}
        for locale in get_library().site.config.locales:
            values = {"locale": locale.slug, "policy": policy.slug}
            yield "versions.feed", values


#: The JSON is public data for machines: scripts on other sites may read it (it sends no cookies).
API_HEADERS = {"Access-Control-Allow-Origin": "*"}


def _host_headers() -> Iterator[HeaderRule]:
    yield "/api/*", API_HEADERS


def init_app(app: Flask) -> None:
    """Register the history views, their URL converter, diff cache and pages on ``app``."""
    app.url_map.converters["isodate"] = IsoDateConverter
    app.register_blueprint(bp)
    register_urls(app, _pages, pages=True)
    register_urls(app, _files, pages=False)
    register_text(app, "versions.archive", shown_versions(_named_versions("version")))
    register_text(app, "versions.compare", shown_versions(_named_versions("old", "new")))
    register_headers(app, _host_headers)
