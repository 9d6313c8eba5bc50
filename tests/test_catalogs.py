"""Interface catalogs: `build.py translations` keeps them in sync; `check` refuses incomplete ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, PROJECT, TODAY, run_cli, write_content
from jinja2 import Template
from markupsafe import Markup

TRANSLATIONS = PROJECT / "translations"
SHIPPED = ("fr", "es", "zh_Hans")


def copy_catalogs(tmp_path: Path) -> Path:
    """The shipped catalogs without compiled files, where a test may change them."""
    target = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, target, ignore=shutil.ignore_patterns("*.mo", "*.tmp"))
    return target


def texts(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.po*"))}


def test_translations_command_reproduces_the_committed_catalogs_and_is_idempotent(tmp_path):
    folder = copy_catalogs(tmp_path)
    first = run_cli("translations", "--translations", folder)
    assert first.returncode == 0, first.stderr
    # The committed catalogs are exactly what the code's strings give: nobody forgot to run the command.
    assert texts(folder) == texts(TRANSLATIONS)
    for locale in SHIPPED:
        assert f"{locale}: " in first.stdout and "complete" in first.stdout
        assert (folder / locale / "LC_MESSAGES" / "messages.mo").stat().st_size > 0
    second = run_cli("translations", "--translations", folder)
    assert second.returncode == 0
    assert texts(folder) == texts(TRANSLATIONS)
    assert second.stdout.count("unchanged") == len(SHIPPED)
    assert b"POT-Creation-Date" not in (folder / "messages.pot").read_bytes()


def test_translations_command_creates_catalogs_for_new_locales_and_restores_lost_strings(tmp_path):
    folder = copy_catalogs(tmp_path)
    po = folder / "fr" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text().replace('msgid "Footer"\nmsgstr "Pied de page"\n', ""), encoding="utf-8")
    content = write_content(tmp_path / "content", {}, site=MINIMAL_SITE.replace("locales: [en]", "locales: [en, de]"))
    result = run_cli("translations", "--translations", folder, "--content", content)
    assert result.returncode == 0, result.stderr
    assert "fr: " in result.stdout and "1 untranslated, 0 fuzzy" in result.stdout
    assert 'msgid "Footer"\nmsgstr ""' in po.read_text()
    german = folder / "de" / "LC_MESSAGES" / "messages.po"
    assert german.is_file() and '"Language: de\\n"' in german.read_text()
    assert "de: " in result.stdout and "0 fuzzy" in result.stdout


def fr_site(tmp_path: Path, locales: str = "[en, fr]") -> Path:
    return write_content(
        tmp_path / "content",
        {"policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\n---\n## Data\n\nNone.\n"},
        site=MINIMAL_SITE.replace("locales: [en]", f"locales: {locales}"),
    )


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split("\n").index(text) + 1


def test_check_fails_on_fuzzy_untranslated_and_broken_catalog_entries(tmp_path):
    folder = copy_catalogs(tmp_path)
    po = folder / "fr" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Contents"\n', '#, fuzzy\nmsgid "Contents"\n')
    text = text.replace('msgid "Footer"\nmsgstr "Pied de page"', 'msgid "Footer"\nmsgstr ""')
    text = text.replace('msgstr "Continuer en %(language)s"', 'msgstr "Continuer en %(langue)s"')
    text = text.replace('msgid "Language"\nmsgstr "Langue"\n', "")
    po.write_text(text, encoding="utf-8")
    result = run_cli("check", "--content", fr_site(tmp_path), "--translations", folder, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    where = "translations/fr/LC_MESSAGES/messages.po"
    fuzzy = line_of(po, 'msgid "Contents"')
    footer = line_of(po, 'msgid "Footer"')
    assert f"error: {where}:{fuzzy}: fuzzy (unreviewed) translation of 'Contents'" in result.stderr
    assert f"error: {where}:{footer}: untranslated string 'Footer'" in result.stderr
    assert f"error: {where}: untranslated string 'Language'" in result.stderr
    assert "'Continue in %(language)s': unknown named placeholder 'langue'" in result.stderr
    assert "hint: check the translation, then delete the '#, fuzzy' line above it" in result.stderr


def test_check_passes_with_the_shipped_catalogs_and_ignores_catalogs_the_site_does_not_use(tmp_path):
    folder = copy_catalogs(tmp_path)
    es = folder / "es" / "LC_MESSAGES" / "messages.po"
    es.write_text(es.read_text().replace('msgstr "Pie de página"', 'msgstr ""'), encoding="utf-8")
    result = run_cli("check", "--content", fr_site(tmp_path), "--translations", folder, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("locales", "fails"), [("[en, de]", True), ("[en, en-GB]", False)])
def test_check_wants_a_catalog_for_every_locale_not_written_in_english(tmp_path, locales, fails):
    result = run_cli("check", "--content", fr_site(tmp_path, locales), cwd=tmp_path)
    assert (result.returncode == 1) is fails, result.stderr
    assert ("no interface catalog for locale de" in result.stderr) is fails


def test_check_warns_when_messages_pot_is_stale(tmp_path):
    folder = copy_catalogs(tmp_path)
    pot = folder / "messages.pot"
    pot.write_text(pot.read_text().replace('msgid "Footer"\nmsgstr ""\n', ""), encoding="utf-8")
    result = run_cli("check", "--content", fr_site(tmp_path), "--translations", folder, cwd=tmp_path)
    assert result.returncode == 0
    assert "warning: translations/messages.pot: messages.pot does not match the strings in the code" in result.stderr


def test_binding_locale_must_be_a_site_locale(tmp_path):
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]\nbinding_locale: de")
    result = run_cli("check", "--content", write_content(tmp_path / "content", {}, site=site), cwd=tmp_path)
    assert result.returncode == 1
    assert "content/site.yaml:9: binding_locale 'de' is not in locales" in result.stderr


def test_site_yaml_translation_entries_reject_unknown_keys(tmp_path):
    site = MINIMAL_SITE.replace(
        "  - {id: uk, name: United Kingdom, law: UK GDPR}",
        "  - id: uk\n    name: United Kingdom\n    law: UK GDPR\n    translations:\n      fr: {nom: Royaume-Uni}",
    )
    result = run_cli("check", "--content", write_content(tmp_path / "content", {}, site=site), cwd=tmp_path)
    assert result.returncode == 1
    assert "unknown key 'translations.fr.nom' in item 2 of 'regions'" in result.stderr


def test_site_yaml_translation_for_an_unknown_locale_is_an_error_with_its_line(tmp_path):
    site = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]").replace(
        "  - {id: uk, name: United Kingdom, law: UK GDPR}",
        "  - id: uk\n    name: United Kingdom\n    law: UK GDPR\n    translations:\n"
        "      fr: {name: Royaume-Uni}\n      de: {name: Vereinigtes Königreich}",
    )
    content = write_content(tmp_path / "content", {}, site=site)
    result = run_cli("check", "--content", content, "--today", TODAY.isoformat(), cwd=tmp_path)
    assert result.returncode == 1
    assert "content/site.yaml:16: translation for unknown locale 'de'" in result.stderr
    assert "hint: translations are keyed by the site's other locales: fr" in result.stderr


def test_untranslated_region_names_are_a_warning(tmp_path):
    content = fr_site(tmp_path)
    result = run_cli("check", "--content", content, "--today", TODAY.isoformat(), cwd=tmp_path)
    assert result.returncode == 0
    assert "warning: content/site.yaml:10: region 'eea' has no translation for fr" in result.stderr


def test_templates_translate_with_values_as_their_type_escapes_them_though_pages_share_the_result(app):
    # Templates' _() and ngettext remember what they gave for each locale, message and values: a str
    # and the same text as Markup are equal, yet one must be escaped and the other not; each locale has
    # its own text, and each count its own plural.
    config = app.extensions["policypress"].library.site.config
    sentence = app.jinja_env.from_string('{{ _("Last updated %(date)s", date=value) }}')
    counted = app.jinja_env.from_string('{{ ngettext("%(num)d section added", "%(num)d sections added", value) }}')
    with app.test_request_context("/"):

        def render(template: Template, locale: str, value: object) -> str:
            return template.render(value=value, page_locale=config.locale(locale))

        plain, marked, again = (
            render(sentence, "en", "<b>1 May</b>"),
            render(sentence, "en", Markup("<b>1 May</b>")),
            render(sentence, "en", "<b>1 May</b>"),
        )
        french = render(sentence, "fr", Markup("<b>1 May</b>"))
        counts = [render(counted, locale, n) for locale in ("en", "fr", "en") for n in (1, 2, 1)]
        # Values of other types are formatted every time: 0.0 and -0.0 are equal, with one hash.
        floats = [render(sentence, "en", value) for value in (0.0, -0.0, [1])]
    assert plain == again == "Last updated &lt;b&gt;1 May&lt;/b&gt;"
    assert marked == "Last updated <b>1 May</b>"
    assert french == "Dernière mise à jour le <b>1 May</b>"
    assert floats == ["Last updated 0.0", "Last updated -0.0", "Last updated [1]"]
    assert counts == [
        *("1 section added", "2 sections added", "1 section added"),
        *("1 section ajoutée", "2 sections ajoutées", "1 section ajoutée"),
        *("1 section added", "2 sections added", "1 section added"),
    ]
