"""Per-version translations: honest fallbacks, changed sections, structure checks, the status table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, TODAY, run_cli, write_content
from selectolax.lexbor import LexborHTMLParser

FR_SITE = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]")

V1_EN = """\
---
title: Privacy Policy
---
We respect your privacy.

## What we collect

Your email address.

## Sharing

We share nothing.

## Old section

This section goes away later.

::: region california
## California rights

You may opt out.
:::
"""

V1_FR = """\
---
title: Politique de confidentialité
---
Nous respectons votre vie privée.

{#what-we-collect}
## Ce que nous collectons

Votre adresse e-mail.

{#sharing}
## Partage

Nous ne partageons rien.

{#old-section}
## Ancienne section

Cette section disparaîtra plus tard.

::: region california
{#california-rights}
## Droits en Californie

Vous pouvez refuser.
:::
"""

V2_EN = """\
---
title: Privacy Policy
summary: We now collect your name, dropped a section and added one on security.
---
We respect your privacy.

## What we collect

Your email address and your name.

## Sharing

We share nothing.

## Security

We encrypt everything.

::: region california
## California rights

You may opt out.
:::
"""


def fallback_site(tmp_path: Path) -> Path:
    return write_content(
        tmp_path / "content",
        {
            "policies/privacy/2024-01-01.en.md": V1_EN,
            "policies/privacy/2024-01-01.fr.md": V1_FR,
            "policies/privacy/2025-01-01.en.md": V2_EN,
            "policies/terms/2025-01-01.en.md": "---\ntitle: Terms\n---\n## Use\n\nBe nice.\n",
            # Only the front matter changes: no section of the text is outdated.
            "policies/notice/2024-01-01.en.md": "---\ntitle: Notice\n---\n## Scope\n\nAll apps.\n",
            "policies/notice/2024-01-01.fr.md": "---\ntitle: Avis\n---\n{#scope}\n## Portée\n\nToutes les apps.\n",
            "policies/notice/2025-01-01.en.md": "---\ntitle: Notice\nsummary: Retitled.\n---\n## Scope\n\nAll apps.\n",
        },
        site=FR_SITE,
    )


@pytest.fixture
def fallback_client(tmp_path):
    from policypress import create_app

    return create_app({"CONTENT_DIR": fallback_site(tmp_path), "TODAY": TODAY}).test_client()


def page(client, url: str) -> LexborHTMLParser:
    response = client.get(url)
    assert response.status_code == 200, url
    return LexborHTMLParser(response.get_data(as_text=True))


def test_fallback_lists_changed_added_and_removed_sections_since_the_last_translation(fallback_client):
    tree = page(fallback_client, "/fr/privacy/")
    notice = tree.css_first("aside.translation-notice")
    assert "celle du 1er janvier 2024" in notice.text()
    items = [(li.attributes["data-change"], li.text(strip=True)) for li in notice.css(".changed-sections li")]
    assert items == [
        ("changed", "Ce que nous collectons"),  # the French title the reader knows
        ("added", "Security(nouvelle section)"),  # only in English so far
        ("removed", "Ancienne section(supprimée)"),
    ]
    links = [a.attributes["href"] for a in notice.css(".changed-sections a")]
    # a removed section is linked in the archived translation it was last in
    assert links == ["#what-we-collect", "#security", "/fr/privacy/2024-01-01/#old-section"]
    assert [a.attributes["lang"] for a in notice.css(".changed-sections a")] == ["fr", "en", "fr"]
    # Unchanged sections (Sharing, the introduction, the California block) are not listed.
    assert "Partage" not in notice.text() and "Californie" not in notice.text()


def test_never_translated_policy_says_so(fallback_client):
    notice = page(fallback_client, "/fr/terms/").css_first("aside.translation-notice")
    assert "Aucune version de cette politique n’est encore disponible en français." in notice.text()
    assert notice.css(".changed-sections") == []


def test_unchanged_sections_are_reported_as_unchanged(fallback_client):
    notice = page(fallback_client, "/fr/notice/").css_first("aside.translation-notice")
    assert "Le texte de ses sections n’a pas changé depuis." in notice.text()


def test_changed_sections_can_be_limited_to_a_region_view(tmp_path):
    from policypress import create_app, get_library
    from policypress.diff import Status as Change
    from policypress.translation_status import changed_sections

    v3 = V2_EN.replace("You may opt out.", "You may opt out of sale and sharing.").replace(
        "summary: We now", "summary: California. We now"
    )
    content = fallback_site(tmp_path)
    (content / "policies/privacy/2026-01-01.en.md").write_text(v3, encoding="utf-8")
    app = create_app({"CONTENT_DIR": content, "TODAY": TODAY})
    with app.app_context():
        library = get_library()
        versions = library.site.policy("privacy").versions
        old, new = (library.rendered(v.original) for v in (versions[1], versions[2]))
        everything = changed_sections(old, new)
        assert [(c.id, c.change) for c in everything] == [("california-rights", Change.CHANGED)]
        assert changed_sections(old, new, "california") == everything
        assert changed_sections(old, new, "eea") == ()


def check_translation(tmp_path: Path, english: str, french: str):  # type: ignore[no-untyped-def]
    """``check`` of a site with one version of the privacy policy, in English and French."""
    files = {"policies/privacy/2024-01-01.en.md": english, "policies/privacy/2024-01-01.fr.md": french}
    content = write_content(tmp_path / "content", files, site=FR_SITE)
    return run_cli("check", "--content", content, "--today", TODAY.isoformat(), cwd=tmp_path)


def test_check_fails_when_a_translation_lacks_a_region_block(tmp_path):
    without_california = V1_FR.split("::: region california")[0]
    result = check_translation(tmp_path, V1_EN, without_california)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "error: content/policies/privacy/2024-01-01.fr.md: missing region block '::: region california' "
        "(the en original 2024-01-01.en.md has it at line 18)" in result.stderr
    )
    assert "4 sections, but the en original 2024-01-01.en.md has 5" in result.stderr
    # A build of the same content fails too, leaving nothing behind.
    build = run_cli("build", "--content", tmp_path / "content", "--out", tmp_path / "out", "--today", TODAY.isoformat())
    assert build.returncode == 1 and not (tmp_path / "out").exists()


def test_check_reports_anchors_that_exist_in_one_language_only(tmp_path):
    no_id = V1_FR.replace("{#sharing}\n", "")
    content = write_content(
        tmp_path / "content",
        {"policies/privacy/2024-01-01.en.md": V1_EN, "policies/privacy/2024-01-01.fr.md": no_id},
        site=FR_SITE,
    )
    result = run_cli("check", "--content", content, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr
    missing = "no heading with anchor #sharing (the en original 2024-01-01.en.md has it at line 10: 'Sharing')"
    assert f"2024-01-01.fr.md: {missing}" in lines
    assert "2024-01-01.fr.md:11: heading anchor #partage exists only in this translation" in lines
    assert "hint: put {#sharing} on the line above the translated heading" in lines


def test_check_reports_an_extra_region_block_at_its_line(tmp_path):
    extra = V1_FR + "\n::: region eea\n{#eu}\n## UE\n\nTexte.\n:::\n"
    content = write_content(
        tmp_path / "content",
        {"policies/privacy/2024-01-01.en.md": V1_EN, "policies/privacy/2024-01-01.fr.md": extra},
        site=FR_SITE,
    )
    result = run_cli("check", "--content", content, cwd=tmp_path)
    assert result.returncode == 1
    assert "2024-01-01.fr.md:28: region block '::: region eea' is not in the en original" in result.stderr


def test_check_prints_the_translation_status_table(tmp_path):
    fallback_site(tmp_path)
    result = run_cli("check", "--content", "content", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0] == "translation status on 2026-11-22 (en is the original):"
    rows = {line.split()[0]: line.split(maxsplit=2)[2] for line in out[2:5]}
    assert rows == {
        "notice": "outdated since 2024-01-01",
        "privacy": "outdated since 2024-01-01",
        "terms": "missing",
    }
    assert "  privacy 2025-01-01 fr: What we collect; Security (added); Old section (removed)" in out


def test_check_json_has_the_translation_status(tmp_path):
    fallback_site(tmp_path)
    result = run_cli("check", "--content", "content", "--format", "json", "--today", TODAY.isoformat(), cwd=tmp_path)
    report = json.loads(result.stdout)
    privacy = next(row for row in report["translations"] if row["policy"] == "privacy")
    assert privacy["status"] == "outdated" and privacy["translated_version"] == "2024-01-01"
    assert [c["id"] for c in privacy["changed_sections"]] == ["what-we-collect", "security", "old-section"]


def test_example_site_status_has_exactly_one_outdated_current_translation():
    result = run_cli("check", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    current = [line for line in result.stdout.splitlines() if line.startswith("  ") and "2027" not in line]
    outdated = [line for line in current if "outdated" in line]
    assert len(outdated) == 1 and outdated[0].split()[:2] == ["privacy", "2026-09-01"]
    assert "outdated since 2025-06-15" in outdated[0]
    assert (
        "  privacy 2026-09-01 fr: How we use information; International transfers (added); "
        "Users in the People's Republic of China (added); Your rights under the PIPL (added)" in result.stdout
    )


SHARING_FR = "{#sharing}\n## Partage\n\nNous ne partageons rien.\n\n"


def check_with_sharing_moved(tmp_path: Path, to: str, *, after: bool = False):  # type: ignore[no-untyped-def]
    """``check`` of V1_FR with its "Partage" section moved just before (or after) the text ``to``, which must
    fail; and the line of that section's heading in the translation."""
    moved = V1_FR.replace(SHARING_FR, "").replace(to, to + SHARING_FR if after else SHARING_FR + to)
    result = check_translation(tmp_path, V1_EN, moved)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    return result, moved.split("\n").index("## Partage") + 1


def test_check_reports_a_section_a_translation_moved_into_a_region_block(tmp_path):
    """A section that applies everywhere in the original must not be read only by one region's readers in a
    translation (its region views would silently lack it)."""
    result, line = check_with_sharing_moved(tmp_path, "::: region california\n", after=True)
    assert (
        f"error: content/policies/privacy/2024-01-01.fr.md:{line}: heading #sharing is in region block "
        "'::: region california' here, but outside the region blocks in the en original 2024-01-01.en.md (line 10)"
    ) in result.stderr


def test_check_reports_sections_a_translation_puts_in_another_order(tmp_path):
    """Two sections swapped in a translation: the first one out of place is named, once."""
    result, line = check_with_sharing_moved(tmp_path, "{#what-we-collect}")
    assert (
        f"error: content/policies/privacy/2024-01-01.fr.md:{line}: heading #sharing is out of order: at this place "
        "the en original 2024-01-01.en.md has #what-we-collect (line 6: 'What we collect')"
    ) in result.stderr
    assert "hint: keep the sections in the order of the original" in result.stderr
    assert result.stderr.count("out of order") == 1


def test_a_repeated_anchor_in_a_translation_is_reported_not_a_crash(tmp_path):
    """The order check compares each anchor's first heading: an anchor written twice is its own error."""
    twice = V1_FR.replace("{#california-rights}", "{#old-section}")
    result = check_translation(tmp_path, V1_EN, twice)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no heading with anchor #california-rights" in result.stderr
    assert "heading anchor #old-section is also the anchor of the heading on line" in result.stderr


def test_level_5_headings_have_no_anchor_to_repeat_or_order(tmp_path):
    """Headings below level 4 get no anchor: two of them are not one anchor written twice, and a translation
    may have another number of them."""
    notes = "##### Note\n\nOne.\n\n##### Note\n\nTwo.\n\n"
    english = V1_EN.replace("## Sharing\n", notes + "## Sharing\n")
    result = check_translation(tmp_path, english, V1_FR.replace("{#sharing}", "##### Remarque\n\nUne.\n\n{#sharing}"))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def test_a_mistake_in_the_original_is_reported_once_not_in_every_translation(tmp_path):
    """A misspelt region in the original is its error alone: comparing translations with it would add
    errors to each, one asking translators to copy the mistake."""
    content = write_content(
        tmp_path / "content",
        {
            "policies/privacy/2024-01-01.en.md": V1_EN.replace("::: region california", "::: region californa"),
            "policies/privacy/2024-01-01.fr.md": V1_FR,
        },
        site=FR_SITE,
    )
    result = run_cli("check", "--content", content, "--today", TODAY.isoformat(), cwd=tmp_path)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 1 and len(errors) == 1, result.stderr
    assert "2024-01-01.en.md:18: unknown region 'californa'" in errors[0]


def test_an_error_in_the_originals_text_does_not_hide_its_translations_structure_errors(tmp_path):
    """Only errors in the original's structure (its region markers, ids and headings) stop the comparison."""
    # A broken link, and a footnote never defined (an error of the text, found while rendering it).
    with_link = V1_EN.replace("We share nothing.", "We share nothing ([see](/en/nowhere/)).[^nope]")
    without_california = V1_FR.split("::: region california")[0]
    result = check_translation(tmp_path, with_link, without_california)
    assert result.returncode == 1
    assert "2024-01-01.en.md:12: broken link: no page at '/en/nowhere/'" in result.stderr
    assert "2024-01-01.en.md:12: footnote [^nope] is never defined" in result.stderr
    assert "2024-01-01.fr.md: missing region block '::: region california'" in result.stderr
