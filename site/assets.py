"""Static assets with a content hash in their file names, and their integrity hashes.

Hashed names let a CDN cache CSS and JavaScript for a year; the ``integrity``
value lets the browser refuse a file that was altered on the way.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import PolicypressError


@dataclass(frozen=True)
class Asset:
    """One file served from ``/assets/`` under its hashed name."""

    source: Path
    name: str  # "style.css"
    hashed_name: str  # "style.1a2b3c4d5e.css"
    integrity: str  # "sha384-..."
    data: bytes


def site_stylesheet(origin: str) -> bytes:
    """``site.css``: what style.css needs to know of this site, the ``https://host`` of its ``base_url``
    (links within the site print their whole address). A stylesheet, not an inline style: the Content
    Security Policy forbids those."""
    quoted = origin.replace("\\", "\\\\").replace('"', '\\"')
    return f'/* Policypress: this site\'s values for style.css. */\n:root {{ --site-origin: "{quoted}"; }}\n'.encode()


def _asset(source: Path, name: str, data: bytes | None = None) -> Asset:
    data = source.read_bytes() if data is None else data
    digest = hashlib.sha256(data).hexdigest()[:12]
    stem, _, suffix = name.rpartition(".")
    integrity = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    return Asset(source, name, f"{stem}.{digest}.{suffix}", integrity, data)


class Assets:
    """The site's own static files plus htmx, from the pinned npm package, and ``site.css``, made for the site."""

    def __init__(self, static_dir: Path, htmx_path: Path, origin: str) -> None:
        """``origin``: the ``https://host`` of the site's ``base_url``, for ``site.css``."""
        if not htmx_path.is_file():
            raise PolicypressError(
                f"htmx is not installed at {htmx_path}: run 'npm ci' in the project folder "
                "(python build.py build does this for you)"
            )
        found = [_asset(path, path.name) for path in sorted(static_dir.iterdir()) if path.is_file()]
        found.append(_asset(htmx_path, "htmx.min.js"))
        found.append(_asset(static_dir / "site.css", "site.css", site_stylesheet(origin)))
        self._by_name = {asset.name: asset for asset in found}
        self._by_hashed = {asset.hashed_name: asset for asset in found}

    def __getitem__(self, name: str) -> Asset:
        return self._by_name[name]

    def by_hashed_name(self, hashed_name: str) -> Asset | None:
        return self._by_hashed.get(hashed_name)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._by_name.values())
