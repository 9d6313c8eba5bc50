"""Pages added by other features get the locale, hreflang and the language switcher for free."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import EXAMPLE, TODAY
from flask import Blueprint, render_template_string
from selectolax.lexbor import LexborHTMLParser

PAGE = """{% extends "base.html" %}
{% block main %}<p class="day">{{ day|date }}</p><p class="label">{{ _("Contents") }}</p>{% endblock %}"""


@pytest.fixture
def comparison_app():
    """The example app plus a page of another blueprint, shaped like a comparison of two versions."""
    from policypress import create_app

    app = create_app({"CONTENT_DIR": EXAMPLE, "TODAY": TODAY})
    other = Blueprint("other", __name__)

    @other.get("/<locale>/<policy>/other-view/<old>/<new>/")
    def compare(locale: str, policy: str, old: str, new: str) -> str:
        return render_template_string(PAGE, day=date(2025, 6, 15))

    app.register_blueprint(other)
    return app


def test_another_blueprints_page_gets_hreflang_and_a_switcher_that_keep_every_url_part(comparison_app):
    response = comparison_app.test_client().get("/zh-hans/privacy/other-view/2025-06-15/2026-09-01/")
    tree = LexborHTMLParser(response.get_data(as_text=True))
    links = {n.attributes["hreflang"]: n.attributes["href"] for n in tree.css("link[rel=alternate][hreflang]")}
    base = "https://privacy.fernwood.example"
    assert links == {
        "en": f"{base}/en/privacy/other-view/2025-06-15/2026-09-01/",
        "fr": f"{base}/fr/privacy/other-view/2025-06-15/2026-09-01/",
        "es": f"{base}/es/privacy/other-view/2025-06-15/2026-09-01/",
        "zh-Hans": f"{base}/zh-hans/privacy/other-view/2025-06-15/2026-09-01/",
        "x-default": f"{base}/en/privacy/other-view/2025-06-15/2026-09-01/",
    }
    switcher = [a.attributes["href"] for a in tree.css("nav.language-switcher a")]
    assert switcher == [href.removeprefix(base) for lang, href in links.items() if lang != "x-default"]
    assert tree.css_first("html").attributes["lang"] == "zh-Hans"
    assert tree.css_first(".label").text() == "目录"


def test_language_links_keep_the_prefix_of_an_app_mounted_below_the_root(comparison_app):
    # Under a mount point (SCRIPT_NAME), the other languages' URLs keep it, as url_for's do.
    client = comparison_app.test_client()
    response = client.get("/fr/privacy/other-view/2025-06-15/2026-09-01/", base_url="http://localhost/legal/")
    tree = LexborHTMLParser(response.get_data(as_text=True))
    switcher = [a.attributes["href"] for a in tree.css("nav.language-switcher a")]
    assert switcher == [
        f"/legal/{slug}/privacy/other-view/2025-06-15/2026-09-01/" for slug in ("en", "fr", "es", "zh-hans")
    ]
    with comparison_app.test_request_context("/", base_url="http://localhost/legal/"):
        from flask import url_for

        assert switcher[0] == url_for(
            "other.compare", locale="en", policy="privacy", old="2025-06-15", new="2026-09-01"
        )


def test_locale_is_taken_afresh_for_each_request_inside_one_app_context(comparison_app):
    """Frozen-Flask renders every page inside one app context; nothing may carry over on ``g``."""
    client = comparison_app.test_client()
    days = []
    with comparison_app.app_context():
        for slug in ("en", "fr", "es", "en", "fr"):
            html = client.get(f"/{slug}/privacy/other-view/2025-06-15/2026-09-01/").get_data(as_text=True)
            days.append(LexborHTMLParser(html).css_first(".day").text())
    assert days == ["June 15, 2025", "15 juin 2025", "15 de junio de 2025", "June 15, 2025", "15 juin 2025"]


def test_an_unknown_locale_is_a_404_on_any_blueprint(comparison_app):
    response = comparison_app.test_client().get("/de/privacy/other-view/2025-06-15/2026-09-01/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("en", "European Economic Area: GDPR"),
        ("fr", "Espace économique européen: RGPD"),
        ("zh-hans", "欧洲经济区: 《通用数据保护条例》"),
    ],
)
def test_region_names_and_laws_follow_the_page_language(comparison_app, slug, expected):
    with comparison_app.test_request_context(f"/{slug}/privacy/other-view/a/b/"):
        comparison_app.preprocess_request()
        assert render_template_string("{{ 'eea'|region_name }}: {{ 'eea'|region_law }}") == expected
