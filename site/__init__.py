"""Policypress: publish privacy policies from Markdown as a static website.

:func:`create_app` lives here, with the :class:`Publication` it attaches to the
app (the loaded content, catalogs and assets, and the parts of pages rendered
once and reused); nothing runs at import time.  The heavy imports (Flask,
pydantic, markdown-it) happen when an app is created, so that ``build.py
build`` can tell that nothing changed before paying for them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problems

if TYPE_CHECKING:
    from flask import Flask

    from .library import Library

PROJECT_DIR = Path(__file__).resolve().parent.parent


def default_config() -> dict[str, Any]:
    """Settings every app starts from; tests and the CLI override them."""
    return {
        "CONTENT_DIR": PROJECT_DIR / "content",
        "TRANSLATIONS_DIR": PROJECT_DIR / "translations",
        "HTMX_PATH": PROJECT_DIR / "node_modules" / "htmx.org" / "dist" / "htmx.min.js",
        "TODAY": None,
        # The editors' preview: reload on every change and show content errors as a page.
        "RELOAD": False,
        # Where the build keeps rendered documents between runs (None: no cache), and how many processes render.
        "CACHE_DIR": None,
        "JOBS": 1,
        # Up to this many published versions, every pair is compared (docs/versions.md).
        "COMPARE_ALL_PAIRS_MAX_VERSIONS": 15,
    }


class Publication:
    """The loaded content, catalogs and assets of one app: what views read."""

    def __init__(self, app: Flask) -> None:
        from .assets import Assets
        from .i18n import Catalogs
        from .library import Library
        from .loader import load_site

        config = app.config
        self.today: date = config["TODAY"] or date.today()
        site, self.problems = load_site(Path(config["CONTENT_DIR"]), config.get("CACHE_DIR"), config.get("INPUTS"))
        if site is None:
            self.problems.raise_if_errors()
        assert site is not None
        # A site.yaml with errors: the content is checked all the same (and the errors stop the build below),
        # without the caches, which would remember what only stand-ins for the unread settings gave.
        cache_dir = None if site.config.unread else config.get("CACHE_DIR")
        self.library = Library(
            site,
            self.today,
            self.problems,
            cache_dir=cache_dir,
            jobs=config.get("JOBS", 1),
            compare_limit=config["COMPARE_ALL_PAIRS_MAX_VERSIONS"],
        )
        # Before raising: a broken catalog is listed with the content's errors.
        self.catalogs = Catalogs(Path(config["TRANSLATIONS_DIR"]), site.config, self.problems, cache_dir)
        self.problems.raise_if_errors()
        self.assets = Assets(Path(app.root_path) / "static", Path(config["HTMX_PATH"]), site.config.origin)
        #: Parts of pages that depend only on the page's locale (the footer, say), rendered once per locale.
        self.shared: dict[Hashable, Any] = {}

    def forget(self) -> None:
        """Drop what pages worked out from the texts (their unpickled HTML, the differ's sections): a
        freezing worker does before each share, a policy in one language, which shares little with the last."""
        self.library.forget_texts()
        self.shared.pop("differ", None)


def get_publication() -> Publication:
    """The current app's publication (the one accessor views use)."""
    from flask import current_app

    return current_app.extensions["policypress"]


def get_library() -> Library:
    return get_publication().library


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask app for one content folder.

    Raises :class:`~policypress.errors.ContentError` when the content is invalid,
    except with ``RELOAD`` (the preview), which starts anyway and shows the errors.
    """
    from flask import Flask
    from htmx_flask import Htmx

    from .basepath import mount
    from .i18n import install

    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(default_config())
    if test_config:
        app.config.from_mapping(test_config)
    if app.config["RELOAD"]:
        app.config["TEMPLATES_AUTO_RELOAD"] = True  # read before jinja_env is first touched below
    app.json.sort_keys = True  # type: ignore[attr-defined]
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    Htmx(app)
    if app.config["RELOAD"]:
        from . import preview

        preview.init_app(app)
    else:
        app.extensions["policypress"] = Publication(app)
    # The app itself, not the current_app proxy: templates ask for the catalogs some 20 times a page.
    install(app, lambda: app.extensions["policypress"].catalogs)

    from . import donotsell, hosting, locales, public, regions, versions, views

    views.init_app(app)
    hosting.init_app(app)
    locales.init_app(app)
    regions.init_app(app)
    versions.init_app(app)
    donotsell.init_app(app)
    public.init_app(app)
    mount(app)
    return app


__all__ = ["create_app", "get_library", "get_publication", "Problems"]
