"""Stage 4b (comparisons): the body of a comparison page, built once per pair.

The views are in :mod:`policypress.versions`; this is what they show for a pair
of versions: the diff (:mod:`policypress.diff`, remembered across pairs by one
:class:`~policypress.diff.Differ` per publication), marked up by
:mod:`policypress.diffhtml` in the page's language, under the heading, counts
and change notes of ``versions/_compare.html``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template
from markupsafe import Markup

from . import get_library, get_publication
from .diff import Comparison, Differ
from .diffhtml import Labels, body_html
from .i18n import translate as _
from .views import page_locale, region_name


def compare_body(context: dict[str, Any]) -> tuple[Markup, Markup]:
    """The comparison's title and the comparison itself, rendered once for the page and its fragment
    (the freezer gives both to one worker)."""
    old_shown, new_shown = context["old"], context["new"]
    # Read both texts even when the body is remembered: that is how the build learns what this page shows.
    old_text, new_text = old_shown.rendered, new_shown.rendered
    # Both versions by date as well as by text: two versions may have byte-identical files.
    key = (g.locale, context["policy"].slug, old_shown.version.slug, new_shown.version.slug)
    key += (old_shown.document.path, old_shown.document.sha256, new_shown.document.path, new_shown.document.sha256)
    bodies = get_publication().recent
    found = bodies.get(key)
    if found is None:
        comparison: Comparison = differ().compare(old_text, new_text)
        older, newer = old_shown.version, new_shown.version
        # What each version in between says it changed.
        steps = [
            get_library().show(v, g.locale)
            for v in context["policy"].published()
            if older.effective < v.effective <= newer.effective
        ]
        # A macro, not a template of its own: render_template costs more than the title itself.
        macros = current_app.jinja_env.get_template("versions/_macros.html").module
        title = Markup(macros.compare_title(older.effective, newer.effective))  # type: ignore[attr-defined]
        diff_body = Markup(body_html(comparison, labels()))
        body = render_template(
            "versions/_compare.html", comparison=comparison, diff_body=diff_body, steps=steps, title=title, **context
        )
        found = (title, Markup(body))
        bodies.put(key, found)
    return found


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
