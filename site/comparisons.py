"""Stage 4b (comparisons): what a comparison page shows for its pair of versions.

The views are in :mod:`policypress.versions`; this is what they show for a pair
of versions: the diff (:mod:`policypress.diff`, remembered across pairs by one
:class:`~policypress.diff.Differ` per publication), marked up by
:mod:`policypress.diffhtml` in the page's language, under the heading, counts
and change notes of ``versions/_compare.html``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from markupsafe import Markup

from . import get_library, get_publication
from .diff import Comparison, Differ
from .diffhtml import Labels, body_html
from .i18n import translate as _
from .views import page_locale, region_name


def compare_body(context: dict[str, Any]) -> dict[str, Any]:
    """What ``versions/_compare.html`` shows besides ``context``: the comparison's title, the diff as
    marked-up HTML, and the versions in between."""
    old_shown, new_shown = context["old"], context["new"]
    comparison: Comparison = differ().compare(old_shown.rendered, new_shown.rendered)
    older, newer = old_shown.version, new_shown.version
    # What each version in between says it changed.
    library = get_library()
    steps = [
        library.show(v, g.locale)
        for v in context["policy"].published()
        if older.effective < v.effective <= newer.effective
    ]
    # A macro, not a template of its own: render_template costs more than the title itself.
    macros = current_app.jinja_env.get_template("versions/_macros.html").module
    title = Markup(macros.compare_title(older.effective, newer.effective))  # type: ignore[attr-defined]
    diff_body = Markup(body_html(comparison, labels()))
    # Someone arriving from a shared link must learn that the newer text is not in force yet.
    upcoming = newer.effective > library.today
    return {"comparison": comparison, "diff_body": diff_body, "steps": steps, "title": title, "upcoming": upcoming}


def differ() -> Differ:
    """The publication's differ: what it remembers belongs to the content it was loaded with."""
    shared = get_publication().shared
    found = shared.get("differ")
    if found is None:
        found = shared["differ"] = Differ()
    return found


def labels() -> Labels:
    """The words of a comparison in the page's language (worked out once per locale)."""
    locale = page_locale()
    shared = get_publication().shared
    found = shared.get(("diff labels", locale.tag))
    if found is not None:
        return found
    regions_labels: dict[tuple[str, ...], str] = {}

    def region(regions: tuple[str, ...]) -> str:
        label = regions_labels.get(regions)
        if label is None:
            names = ", ".join(region_name(r) for r in regions)
            label = regions_labels[regions] = _("Applies to: %(regions)s") % {"regions": names}
        return label

    statuses = {"added": _("Section added"), "removed": _("Section removed"), "changed": _("Section changed")}
    found = Labels(region, statuses, _("inserted:"), _("deleted:"), locale.tag, locale.direction)
    shared[("diff labels", locale.tag)] = found
    return found
