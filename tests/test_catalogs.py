"""Interface catalogs: `build.py translations` keeps them in sync; `check` refuses incomplete ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, PROJECT, TODAY, run_cli, tree_digest, write_content
from jinja2 import Template
from markupsafe import Markup, escape

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


def fr_catalog(folder: Path) -> Path:
    return folder / "fr" / "LC_MESSAGES" / "messages.po"


def first_line_not_ascii(data: bytes) -> int:
    return next(number for number, line in enumerate(data.split(b"\n"), start=1) if max(line, default=0) >= 0x80)


def break_catalog(folder: Path, breakage: str) -> tuple[int, str, str]:
    """Spoil the French catalog one way; return the line, message and hint a user should see."""
    po = fr_catalog(folder)
    text = po.read_text(encoding="utf-8")
    if breakage == "not UTF-8":  # as `iconv -f utf-8 -t latin1` would, had it not stopped at the curly apostrophe
        po.write_bytes(text.encode("latin-1", errors="replace"))
        return first_line_not_ascii(po.read_bytes()), "the file is not UTF-8", "save the file as UTF-8"
    old, new, line_text, message, hint = {
        "wrong placeholder": (
            'msgstr "Dernière mise à jour le %(date)s"',
            'msgstr "Dernière mise à jour le %(dat)s"',
            'msgid "Last updated %(date)s"',
            "'Last updated %(date)s': unknown named placeholder 'dat'",
            "use %(date)s as in the original",
        ),
        "placeholder the original lacks": (
            'msgstr "Pied de page"',
            'msgstr "Pied de page %(x)s"',
            'msgid "Footer"',
            "'Footer': unknown named placeholder 'x'",
            "the original has no placeholders: remove it from the translation",
        ),
        "a percent sign": (  # French typography: a space before %; every message is formatted, values or none
            'msgstr "Sommaire"',
            'msgstr "Sommaire (100 % du texte)"',
            'msgid "Contents"',
            "'Contents': a '%' sign that is not a placeholder",
            'write a percent sign as %% ("100 %%" shows 100 %)',
        ),
        "a percent sign beside a placeholder": (
            'msgstr "Dernière mise à jour le %(date)s"',
            'msgstr "Dernière mise à jour le %(date)s (100 %)"',
            'msgid "Last updated %(date)s"',
            "'Last updated %(date)s': a '%' sign that is not a placeholder",
            'write a percent sign as %% ("100 %%" shows 100 %)',
        ),
        "a straight double quote": (  # the translation is inserted as HTML: it would end an attribute value
            'msgstr "Pied de page"',
            'msgstr "Pied de page \\"site\\""',
            'msgid "Footer"',
            "'Footer': a '\"' in the translation, which pages insert as HTML: it would end an attribute",
            "write typographic quotation marks instead: « », “ ” or „ “",
        ),
        "no closing quote": (
            'msgstr "Sommaire"',
            'msgstr "Sommaire',
            'msgstr "Sommaire',
            "syntax error: the text after msgstr has no closing double quote",
            'end it with a double quote: msgstr "Sommaire"',
        ),
        "no quotes": (
            'msgstr "Aller au contenu"',
            "msgstr Aller au contenu",
            "msgstr Aller au contenu",
            "syntax error: the text after msgstr is not in double quotes",
            'write it as msgstr "Aller au contenu"',
        ),
    }[breakage]
    assert text.count(old) == 1
    po.write_text(text.replace(old, new), encoding="utf-8")
    return line_of(po, line_text), message, hint


BREAKAGES = (
    "wrong placeholder",
    "placeholder the original lacks",
    "a percent sign",
    "a percent sign beside a placeholder",
    "a straight double quote",
    "not UTF-8",
    "no closing quote",
    "no quotes",
)
#: Catalogs that cannot be read, as opposed to ones read whose translations would fail to format.
UNREADABLE = ("not UTF-8", "no closing quote", "no quotes")


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_broken_catalog_fails_check_and_build_alike_and_the_build_leaves_its_output(tmp_path, breakage):
    folder, content, out = copy_catalogs(tmp_path), fr_site(tmp_path), tmp_path / "build"
    build = ("build", "--content", content, "--translations", folder, "--out", out, "--today", TODAY.isoformat())
    # A cached build: the cache remembers that the catalogs were clean, which must not hide their breakage.
    first = run_cli(*build, "--quiet", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = tree_digest(out)
    line, message, hint = break_catalog(folder, breakage)
    where = f"error: translations/fr/LC_MESSAGES/messages.po:{line}: {message}"
    for args in (build, ("check", "--content", content, "--translations", folder)):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert where in result.stderr
        assert f"    hint: {hint}" in result.stderr
    assert tree_digest(out) == before


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_the_preview_shows_a_broken_catalog_on_its_error_page_and_recovers(tmp_path, breakage):
    from policypress import create_app

    folder = copy_catalogs(tmp_path)
    po = fr_catalog(folder)
    good = po.read_bytes()
    line, message, hint = break_catalog(folder, breakage)
    settings = {"CONTENT_DIR": fr_site(tmp_path), "TRANSLATIONS_DIR": folder, "TODAY": TODAY, "RELOAD": True}
    client = create_app(settings).test_client()
    page = client.get("/fr/privacy/")
    assert page.status_code == 500
    assert "<title>Content error" in page.text and "Internal Server Error" not in page.text
    assert f"fr/LC_MESSAGES/messages.po:{line}</code>" in page.text
    assert str(escape(message)) in page.text and str(escape(hint)) in page.text
    po.write_bytes(good)
    assert client.get("/fr/privacy/").status_code == 200


@pytest.mark.parametrize("breakage", UNREADABLE)
def test_translations_command_leaves_a_catalog_it_cannot_read_as_it_is(tmp_path, breakage):
    folder = copy_catalogs(tmp_path)
    (folder / "messages.pot").write_text("# stale\n", encoding="utf-8")
    line, message, hint = break_catalog(folder, breakage)
    before = texts(folder)
    result = run_cli("translations", "--content", fr_site(tmp_path), "--translations", folder, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"error: translations/fr/LC_MESSAGES/messages.po:{line}: {message}" in result.stderr
    assert f"    hint: {hint}" in result.stderr
    assert "nothing was written" in result.stderr
    assert texts(folder) == before  # not the damaged text Babel's lenient reading gives, nor a new template


def test_a_missing_catalog_is_reported_with_the_command_that_creates_it(tmp_path):
    folder = copy_catalogs(tmp_path)
    shutil.rmtree(folder / "fr")
    content = fr_site(tmp_path)
    result = run_cli("check", "--content", content, "--translations", folder, cwd=tmp_path)
    assert result.returncode == 1
    assert "error: translations/fr/LC_MESSAGES/messages.po: no interface catalog for locale fr" in result.stderr
    command = f"python build.py translations --content {content} --translations {folder}"
    assert f"    hint: run: {command}, then translate the new file" in result.stderr
    created = run_cli(*command.split()[2:], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert fr_catalog(folder).is_file()


def test_a_rebuild_that_trusts_clean_catalogs_still_compiles_a_missing_mo_file(tmp_path):
    """A rebuild does not read catalogs the cache found clean, but a lost ``.mo`` is compiled again."""
    folder, content, out = copy_catalogs(tmp_path), fr_site(tmp_path), tmp_path / "build"
    build = ("build", "--content", content, "--translations", folder, "--out", out, "--today", TODAY.isoformat())
    assert run_cli(*build, "--quiet", cwd=tmp_path).returncode == 0
    mo = fr_catalog(folder).with_suffix(".mo")
    compiled = mo.read_bytes()
    mo.unlink()
    policy = content / "policies/privacy/2024-01-01.en.md"
    policy.write_text(policy.read_text(encoding="utf-8").replace("None.", "None at all."), encoding="utf-8")
    result = run_cli(*build, "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert mo.read_bytes() == compiled
    assert "Dernière mise à jour" in (out / "fr/privacy/index.html").read_text(encoding="utf-8")


def test_a_catalog_whose_header_names_another_charset_is_read_and_compiled_as_utf8(tmp_path):
    """Catalogs are UTF-8 whatever their header's charset= says (Poedit or an old tool may write another):
    compiling with the header's charset crashed the build on the first character it cannot encode."""
    folder, content, out = copy_catalogs(tmp_path), fr_site(tmp_path), tmp_path / "build"
    po = fr_catalog(folder)
    text = po.read_text(encoding="utf-8")
    assert text.count("charset=UTF-8") + text.count("charset=utf-8") == 1
    po.write_text(text.replace("charset=UTF-8", "charset=ISO-8859-1").replace("charset=utf-8", "charset=ISO-8859-1"))
    build = ("build", "--content", content, "--translations", folder, "--out", out, "--today", TODAY.isoformat())
    result = run_cli(*build, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Dernière mise à jour" in (out / "fr/privacy/index.html").read_text(encoding="utf-8")


def test_a_translation_used_from_python_reads_a_doubled_percent_sign_as_templates_do():
    """The hint for a '%' says to write '%%': that must hold for the messages Python formats too."""
    from policypress.i18n import formatted

    assert formatted("Section ajoutée (100 %%)", "Section added", {}) == "Section ajoutée (100 %)"
    # A message with placeholders and no values yet is its caller's to format.
    assert formatted("S’applique à : %(regions)s", "Applies to: %(regions)s", {}) == "S’applique à : %(regions)s"
    assert formatted("Modifs de %(title)s", "Changes to %(title)s", {"title": "X"}) == "Modifs de X"


def test_an_obsolete_entrys_previous_text_is_read_as_the_comment_it_is(tmp_path):
    """``msgmerge --previous`` keeps an obsolete entry's earlier msgid on ``#~|`` lines; Babel refuses them,
    and check called the line's '|' an unknown keyword."""
    folder, content, out = copy_catalogs(tmp_path), fr_site(tmp_path), tmp_path / "build"
    po = fr_catalog(folder)
    obsolete = '\n#, fuzzy\n#~| msgid "Last change"\n#~ msgid "Last changed"\n#~ msgstr "Dernier changement"\n'
    po.write_text(po.read_text(encoding="utf-8") + obsolete, encoding="utf-8")
    for args in (
        ("check", "--content", content, "--translations", folder),
        ("build", "--content", content, "--translations", folder, "--out", out, "--today", TODAY.isoformat()),
    ):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert "Dernière mise à jour" in (out / "fr/privacy/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("field", "broken"),
    [
        ("Plural-Forms: nplurals=2; plural=(n > 1);", "Plural-Forms: nplurals=x; plural=(n > 1);"),
        ("Plural-Forms: nplurals=2; plural=(n > 1);", "Plural-Forms: nplurals=2; plural=(n > ;"),
    ],
)
def test_a_header_field_that_cannot_be_read_is_reported_at_its_line(tmp_path, field, broken):
    folder, content = copy_catalogs(tmp_path), fr_site(tmp_path)
    po = fr_catalog(folder)
    text = po.read_text(encoding="utf-8")
    assert text.count(field) == 1
    po.write_text(text.replace(field, broken), encoding="utf-8")
    line = line_of(po, f'"{broken}\\n"')
    result = run_cli("check", "--content", content, "--translations", folder, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"translations/fr/LC_MESSAGES/messages.po:{line}: the catalog's header cannot be read" in result.stderr


def test_a_catalog_a_locale_falls_back_to_has_its_placeholders_checked(tmp_path):
    """fr-CA pages are shown with the fr catalog when there is no fr_CA one: a wrong placeholder in it fails
    every page that shows it, so the build must report it as it does for fr pages."""
    folder, content, out = copy_catalogs(tmp_path), fr_site(tmp_path, "[en, fr-CA]"), tmp_path / "build"
    line, message, hint = break_catalog(folder, "wrong placeholder")
    result = run_cli(
        "build",
        "--content",
        content,
        "--translations",
        folder,
        "--out",
        out,
        "--today",
        TODAY.isoformat(),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"error: translations/fr/LC_MESSAGES/messages.po:{line}: {message}" in result.stderr
    assert f"    hint: {hint}" in result.stderr


def test_catalogs_found_clean_are_not_read_again_by_the_next_build(tmp_path, monkeypatch):
    """The cache remembers clean catalogs (about 40 ms of every rebuild); a catalog with a problem is read again."""
    from policypress import i18n
    from policypress.errors import Problems
    from policypress.loader import load_site

    folder, content, cache = copy_catalogs(tmp_path), fr_site(tmp_path), tmp_path / "cache"
    site, problems = load_site(content)
    assert site is not None and not problems.errors
    i18n.check_catalogs(folder, site.config, Problems(content), cache)
    reads: list[Path] = []
    real = i18n.compile_catalogs
    monkeypatch.setattr(i18n, "compile_catalogs", lambda *args: reads.append(args[0]) or real(*args))
    i18n.check_catalogs(folder, site.config, Problems(content), cache)
    assert reads == []
    break_catalog(folder, "wrong placeholder")
    found = Problems(content)
    i18n.check_catalogs(folder, site.config, found, cache)
    assert reads == [folder] and found.errors
