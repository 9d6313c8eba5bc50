"""The HTTP headers every response carries, live and on a static host: security headers, cache lifetimes, types."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence

#: Directives a ``<meta http-equiv>`` CSP may not carry (browsers ignore them there).
META_FORBIDDEN = ("frame-ancestors", "report-uri", "sandbox")


def content_security_policy(form_endpoints: Sequence[str] = (), *, for_meta: bool = False) -> str:
    """The site's Content Security Policy: same origin only, no inline code, no eval."""
    directives = [
        ("default-src", "'self'"),
        ("script-src", "'self'"),
        ("style-src", "'self'"),
        ("img-src", "'self'"),
        ("font-src", "'self'"),
        ("connect-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("form-action", " ".join(["'self'", *form_endpoints])),
        ("frame-ancestors", "'none'"),
    ]
    if for_meta:
        directives = [d for d in directives if d[0] not in META_FORBIDDEN]
    return "; ".join(f"{name} {value}".strip() for name, value in directives)


def security_headers(form_endpoints: Sequence[str] = ()) -> dict[str, str]:
    """Headers for every response, the same on the live app and the static host."""
    return {
        "Content-Security-Policy": content_security_policy(form_endpoints),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=()",
        "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


HTML_CACHE = "public, max-age=300, must-revalidate"
ASSET_CACHE = "public, max-age=31536000, immutable"


def static_type(path: str) -> str:
    """The Content-Type a static host gives ``path``, from its name: as text when it has no extension
    (_headers, .nojekyll, CNAME)."""
    return mimetypes.guess_type(path.rsplit("/", 1)[-1])[0] or "text/plain"
