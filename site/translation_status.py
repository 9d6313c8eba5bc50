"""Stage 3c: how far each translation lags behind the original, section by section.

A version that is not translated into a locale is shown in the default locale.
To tell the reader exactly which parts of the older translation no longer hold,
we compare the *default-locale* text of the version the translation was made
for with the default-locale text of the version shown, section by section (a
section is a heading and its text, see :meth:`Rendered.sections`).  Comparing
the originals, not the translations, is what makes this honest: it is the
English change that the translation has not caught up with.

That every translation has the structure of its original is checked by
:mod:`~policypress.structure`.  Nothing here knows of Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .diff import Status
from .model import Document, Policy, Site, Version
from .rendered import Rendered


@dataclass(frozen=True)
class SectionChange:
    """One section of the original that changed since a translation was made."""

    id: str  # the heading anchor; "" for the text before the first heading
    title: str
    level: int
    change: Status  # changed, added or removed: how the original differs from the one translated


class State(StrEnum):
    UP_TO_DATE = "up to date"
    OUTDATED = "outdated"
    MISSING = "missing"


@dataclass(frozen=True)
class TranslationStatus:
    """Whether ``version`` of a policy exists in ``locale``, and if not, what the last translation misses."""

    version: Version
    locale: str
    #: The latest version, up to ``version``, that exists in ``locale`` (None: never translated).
    translated: Version | None
    #: Sections of the original that changed between ``translated`` and ``version``.
    changes: tuple[SectionChange, ...] = ()

    @property
    def state(self) -> State:
        if self.translated is None:
            return State.MISSING
        return State.UP_TO_DATE if self.translated == self.version else State.OUTDATED


def changed_sections(old: Rendered, new: Rendered, region: str | None = None) -> tuple[SectionChange, ...]:
    """Sections of ``new`` that are new or differ from ``old``, then sections ``new`` dropped.

    Sections are matched by anchor and compared by digest; with ``region``, only
    sections a reader of that region view sees are listed.
    """

    def seen(regions: tuple[str, ...]) -> bool:
        return region is None or not regions or region in regions

    before = {section.id: section for section in old.sections()}
    after = new.sections()
    found = []
    for section in after:
        previous = before.get(section.id)
        if previous is None or previous.digest != section.digest:
            change = Status.ADDED if previous is None else Status.CHANGED
            if seen(section.regions):
                found.append(SectionChange(section.id, section.title, section.level, change))
    kept = {section.id for section in after}
    for section in old.sections():
        if section.id not in kept and seen(section.regions):
            found.append(SectionChange(section.id, section.title, section.level, Status.REMOVED))
    return tuple(found)


def _translated(version: Version, locale: str) -> bool:
    document = version.document(locale)
    return document is not None and not document.draft


def latest_translation(policy: Policy, version: Version, locale: str) -> Version | None:
    """The latest published version on or before ``version`` whose text exists in ``locale``."""
    earlier = [v for v in policy.published() if v.effective <= version.effective and _translated(v, locale)]
    return earlier[-1] if earlier else None


def translation_status(
    render: Callable[[Document], Rendered], policy: Policy, version: Version, locale: str, region: str | None = None
) -> TranslationStatus:
    """Where the ``locale`` text of ``version`` stands, with the changed sections when it is outdated
    (``render`` gives a document's rendering: :meth:`~policypress.library.Library.rendered`)."""
    translated = latest_translation(policy, version, locale)
    if translated is None or translated == version:
        return TranslationStatus(version, locale, translated)
    old = render(translated.original)
    new = render(version.original)
    return TranslationStatus(version, locale, translated, changed_sections(old, new, region))


@dataclass(frozen=True)
class StatusRow:
    """One line of the status table: a version of a policy in every other locale."""

    policy: str
    version: Version
    upcoming: bool
    statuses: tuple[TranslationStatus, ...]


def status_rows(site: Site, today: date, render: Callable[[Document], Rendered]) -> list[StatusRow]:
    """The version in force on ``today`` and every upcoming version of each policy, in every non-default locale."""
    config = site.config
    others = [locale.tag for locale in config.locales if locale.tag != config.default_locale]
    rows = []
    for policy in site.policies:
        current = policy.current(today)
        versions = [(current, False)] if current else []
        versions += [(version, True) for version in policy.upcoming(today)]
        for version, upcoming in versions:
            statuses = tuple(translation_status(render, policy, version, tag) for tag in others)
            rows.append(StatusRow(policy.slug, version, upcoming, statuses))
    return rows


def describe(status: TranslationStatus) -> str:
    """A table cell: "up to date", "outdated since 2025-06-15" or "missing"."""
    if status.state is State.OUTDATED:
        assert status.translated is not None
        return f"outdated since {status.translated.slug}"
    return status.state.value


def changed_labels(status: TranslationStatus) -> str:
    """The sections of the original changed since ``status``'s translation: "Contact us; Cookies (added)"."""
    return "; ".join(_change_label(change) for change in status.changes)


def _change_label(change: SectionChange) -> str:
    title = change.title or "(introduction)"
    return title if change.change is Status.CHANGED else f"{title} ({change.change.value})"


def format_status(rows: list[StatusRow], locales: list[str], default_locale: str, today: str) -> str:
    """The translation status table, then the changed sections of every outdated cell."""
    if not locales:
        return ""
    header = ["policy", "version", *locales]
    lines = [header]
    for row in rows:
        version = row.version.slug + (" (upcoming)" if row.upcoming else "")
        lines.append([row.policy, version, *(describe(status) for status in row.statuses)])
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    out = [f"translation status on {today} ({default_locale} is the original):"]
    for line in lines:
        out.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    details = [
        f"  {row.policy} {row.version.slug} {status.locale}: {changed_labels(status)}"
        for row in rows
        for status in row.statuses
        if status.changes
    ]
    if details:
        out += ["sections changed since the last translation:", *details]
    return "\n".join(out)


def status_json(rows: list[StatusRow]) -> list[dict[str, object]]:
    """The status table for ``check --format json``."""
    return [
        {
            "policy": row.policy,
            "version": row.version.slug,
            "upcoming": row.upcoming,
            "locale": status.locale,
            "status": status.state.value,
            "translated_version": status.translated.slug if status.translated else None,
            "changed_sections": [{"id": c.id, "title": c.title, "change": c.change.value} for c in status.changes],
        }
        for row in rows
        for status in row.statuses
    ]
