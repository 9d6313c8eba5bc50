"""Stage 3d: a policy's history as documents for machines: an Atom feed and a JSON export.

Views decide what goes in (texts in the reader's language, absolute URLs);
this module only shapes it, with feedgen for Atom.  Nothing here knows of Flask.
The JSON format is documented in docs/versions.md and checked against
docs/schema/versions.schema.json by the tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from .library import Library
from .model import Policy, Version

FORMAT = "policypress.versions/1"

#: Builds an absolute URL from an endpoint and its values.
UrlFor = Callable[..., str]
#: The absolute URL comparing two versions in a locale, or None when that comparison is not published.
CompareUrl = Callable[[Version | None, Version | None, str], str | None]


@dataclass(frozen=True)
class FeedItem:
    """One version as an Atom entry."""

    id: str
    title: str
    effective: date
    link: str
    summary: str
    content: str  # HTML, with the links to the comparisons


@dataclass(frozen=True)
class Feed:
    """The Atom feed of one policy in one locale."""

    id: str
    title: str
    home: str
    self_url: str
    language: str
    author: str
    items: Sequence[FeedItem]  # newest first


def _instant(day: date) -> datetime:
    """Midnight UTC of ``day``: versions take effect on a date, Atom wants an instant."""
    return datetime.combine(day, time(), tzinfo=UTC)


def atom_feed(feed: Feed) -> bytes:
    """Serialise ``feed`` as Atom.  Every timestamp comes from content, so output is reproducible."""
    # Imported here: an edit-and-rebuild that writes no feed should not pay for feedgen (and lxml).
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
    generator.id(feed.id)
    generator.title(feed.title)
    generator.author(name=feed.author)
    generator.link(href=feed.home, rel="alternate")
    generator.link(href=feed.self_url, rel="self")
    generator.language(feed.language)
    newest = max((item.effective for item in feed.items), default=date(1970, 1, 1))
    generator.updated(_instant(newest))
    for item in feed.items:
        entry = generator.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        # Only the one alternate link: feedgen 1.0 drops the rel of entry links
        # (lkiesow/python-feedgen#135), so a "related" link would become a second alternate.
        entry.link(href=item.link, rel="alternate")
        entry.published(_instant(item.effective))
        entry.updated(_instant(item.effective))
        entry.summary(item.summary)
        entry.content(item.content, type="html")
    return generator.atom_str(pretty=True)


def versions_document(library: Library, policy: Policy, url: UrlFor, compare: CompareUrl) -> dict[str, Any]:
    """Every published version of ``policy``, in every locale, as JSON-ready data."""
    site, today = library.site, library.today
    published = policy.published()
    current = policy.current(today)
    upcoming = policy.upcoming(today)
    locales = [locale.slug for locale in site.config.locales]

    def version(v: Version) -> dict[str, Any]:
        until = policy.in_force_until(v)
        return {
            "effective": v.effective.isoformat(),
            "status": policy.status(v, today),
            "in_force_until": until.isoformat() if until else None,
            "material": v.material,
            "title": v.title,
            "summary": v.summary,
            "documents": [
                {
                    "locale": document.locale,
                    "source": document.path.relative_to(site.root).as_posix(),
                    "sha256": document.sha256,
                    "title": document.title,
                    "summary": document.summary,
                    "sections": [
                        {
                            "id": section.id,
                            "heading": section.title,
                            "level": section.level,
                            "regions": list(section.regions),
                            "digest": section.digest,
                        }
                        for section in library.rendered(document).sections()
                    ],
                }
                for document in v.documents
                if not document.draft
            ],
            "urls": {
                locale: {
                    "page": url("versions.archive", locale=locale, policy=policy.slug, version=v.slug),
                    "compare_previous": compare(policy.previous(v), v, locale),
                    "compare_current": compare(v, current, locale),
                }
                for locale in locales
            },
        }

    return {
        "format": FORMAT,
        "policy": policy.slug,
        "as_of": today.isoformat(),
        "current": current.slug if current else None,
        "next": upcoming[0].slug if upcoming else None,
        "urls": {
            locale: {
                "current": url("site.policy", locale=locale, policy=policy.slug) if current else None,
                "changelog": url("versions.changelog", locale=locale, policy=policy.slug),
                "feed": url("versions.feed", locale=locale, policy=policy.slug),
            }
            for locale in locales
        },
        "versions": [version(v) for v in published],
    }


def dump_json(document: dict[str, Any]) -> str:
    """Serialise with sorted keys and a final newline, so equal data gives equal bytes.

    Compact, not indented: the file is for machines, and Python's fast (C) encoder cannot indent.
    """
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
