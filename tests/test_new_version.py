"""``build.py new-version``: copy the latest version to a new date in every locale,
with an empty summary that ``check`` insists on."""

from __future__ import annotations

from pathlib import Path

from conftest import MINIMAL_SITE, run_cli, tree_digest, write_content

SITE = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]")
EN = """\
---
title: Privacy Policy  # shown as the page title
summary: Added a contact section.
material: true
draft: false
---
We keep your notes private.

## Contact {#contact}

Write to us.
"""
FR = EN.replace("Privacy Policy", "Politique de confidentialité").replace("Added a contact", "Ajout d'une")


def content_with_two_versions(tmp_path: Path) -> Path:
    first = "---\ntitle: Privacy Policy\n---\nOld text.\n"
    return write_content(
        tmp_path / "content",
        {
            "policies/privacy/2024-01-01.en.md": first,
            "policies/privacy/2024-01-01.fr.md": first,
            "policies/privacy/2025-01-01.en.md": EN,
            "policies/privacy/2025-01-01.fr.md": FR,
        },
        site=SITE,
    )


def test_new_version_copies_every_locale_and_check_insists_on_the_summary(tmp_path: Path) -> None:
    folder = content_with_two_versions(tmp_path) / "policies" / "privacy"
    result = run_cli("new-version", "privacy", "--date", "2026-03-01", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning: 2026-03-01 has passed" in result.stderr  # the tests' dates lie before the real today
    assert "created content/policies/privacy/2026-03-01.en.md (a copy of 2025-01-01.en.md)" in result.stdout
    assert "created content/policies/privacy/2026-03-01.fr.md (a copy of 2025-01-01.fr.md)" in result.stdout
    assert "next:" in result.stdout and "summary:" in result.stdout and "python build.py check\n" in result.stdout

    new_en = (folder / "2026-03-01.en.md").read_text()
    assert new_en.startswith('---\ntitle: Privacy Policy  # shown as the page title\nsummary: ""')
    assert "\nmaterial:  #" in new_en and "Added a contact" not in new_en and "draft" not in new_en
    assert new_en.split("\n---\n", 1)[1] == EN.split("\n---\n", 1)[1]  # the text itself is copied unchanged
    assert (folder / "2026-03-01.fr.md").read_text().startswith("---\ntitle: Politique de confidentialité")

    check = run_cli("check", "--content", "content", "--today", "2026-03-01", cwd=tmp_path)
    assert check.returncode == 1
    for locale in ("en", "fr"):
        assert f"content/policies/privacy/2026-03-01.{locale}.md:3: empty 'summary'" in check.stderr

    for locale in ("en", "fr"):
        path = folder / f"2026-03-01.{locale}.md"
        path.write_text(path.read_text().replace('summary: ""', "summary: Shorter retention."))
    check = run_cli("check", "--content", "content", "--today", "2026-03-01", cwd=tmp_path)
    assert check.returncode == 0, check.stderr

    # While the new version is upcoming, check also wants the material flag decided.
    check = run_cli("check", "--content", "content", "--today", "2026-02-01", cwd=tmp_path)
    assert check.returncode == 1 and "2026-03-01.en.md:4: upcoming version 2026-03-01" in check.stderr


def test_new_version_defaults_to_today(tmp_path: Path) -> None:
    from datetime import date

    content_with_two_versions(tmp_path)
    result = run_cli("new-version", "privacy", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert (tmp_path / "content/policies/privacy" / f"{date.today().isoformat()}.en.md").is_file()


def test_new_version_refuses_existing_files_unknown_policies_and_earlier_dates(tmp_path: Path) -> None:
    content = content_with_two_versions(tmp_path)
    before = tree_digest(content)
    cases = [
        (
            "privacy",
            "2025-01-01",
            "error: not creating version 2025-01-01 of 'privacy': "
            "content/policies/privacy/2025-01-01.en.md, content/policies/privacy/2025-01-01.fr.md already exists",
        ),
        ("cookies", "2026-01-01", "error: there is no policy 'cookies' in content (known: privacy)"),
        ("privacy", "2024-06-01", "the latest version takes effect on 2025-01-01, and a new version must come after"),
    ]
    for policy, day, expected in cases:
        result = run_cli("new-version", policy, "--date", day, cwd=tmp_path)
        assert result.returncode == 1 and expected in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(content) == before


def test_new_version_refuses_to_copy_a_broken_policy(tmp_path: Path) -> None:
    content = content_with_two_versions(tmp_path)
    (content / "policies/privacy/2025-01-01.fr.md").write_text("---\ntitle: [broken\n---\n")
    result = run_cli("new-version", "privacy", "--date", "2026-01-01", cwd=tmp_path)
    assert result.returncode == 1 and "2025-01-01.fr.md:2: malformed YAML" in result.stderr
    assert not list((content / "policies/privacy").glob("2026-*"))


def test_new_version_on_an_unfinished_new_version_says_so(tmp_path: Path) -> None:
    content = content_with_two_versions(tmp_path)
    assert run_cli("new-version", "privacy", "--date", "2026-01-01", cwd=tmp_path).returncode == 0
    # The editor meant another date, and runs it again instead of renaming the files.
    result = run_cli("new-version", "privacy", "--date", "2026-02-01", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "2026-01-01.en.md: new-version copies the latest version, 2026-01-01, which has errors" in result.stderr
    assert "rename its files instead of starting another version" in result.stderr
    assert "2026-01-01.en.md:3: empty 'summary'" in result.stderr
    assert not list((content / "policies/privacy").glob("2026-02-*"))


def test_new_version_copies_the_latest_published_version_never_a_draft(tmp_path: Path) -> None:
    """A draft is unapproved text: the copy is of the published version, in all its locales, and the draft
    stays as it is, after the new version if it is dated later."""
    content = content_with_two_versions(tmp_path)
    draft = "---\ntitle: Privacy Policy\nsummary: Not yet approved by legal review.\ndraft: true\n---\nDraft text.\n"
    (content / "policies/privacy/2026-12-15.en.md").write_text(draft)
    before = (content / "policies/privacy/2026-12-15.en.md").read_bytes()
    result = run_cli("new-version", "privacy", "--date", "2026-12-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "created content/policies/privacy/2026-12-01.en.md (a copy of 2025-01-01.en.md)" in result.stdout
    assert "created content/policies/privacy/2026-12-01.fr.md (a copy of 2025-01-01.fr.md)" in result.stdout
    assert "note: the draft of 2026-12-15 is not approved text, so it was not copied" in result.stdout
    assert "Draft text" not in (content / "policies/privacy/2026-12-01.en.md").read_text()
    assert (content / "policies/privacy/2026-12-15.en.md").read_bytes() == before
    # 2026-12-01 is now the latest published version, unfinished (no summary yet): it is what a copy waits for.
    result = run_cli("new-version", "privacy", "--date", "2027-01-01", cwd=tmp_path)
    assert result.returncode == 1
    assert "2026-12-01" in result.stderr and "Traceback" not in result.stderr


def test_new_version_of_a_policy_with_only_a_draft_is_a_draft(tmp_path: Path) -> None:
    draft = "---\ntitle: AI Policy\nsummary: First draft.\ndraft: true\n---\nDraft text.\n"
    content = write_content(tmp_path / "content", {"policies/ai/2026-06-01.en.md": draft}, site=MINIMAL_SITE)
    result = run_cli("new-version", "ai", "--date", "2026-07-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    copy = (content / "policies/ai/2026-07-01.en.md").read_text()
    assert "\ndraft: true\n" in copy and "Draft text." in copy
    assert "once you remove 'draft: true'" in result.stdout


def test_a_draft_with_errors_of_its_own_does_not_stop_a_copy_of_the_published_version(tmp_path: Path) -> None:
    content = content_with_two_versions(tmp_path)
    unfinished = "---\ntitle: Privacy Policy\nsummary:\ndraft: true\n---\nDraft text.\n"
    (content / "policies/privacy/2026-12-15.en.md").write_text(unfinished)
    assert run_cli("check", "--content", "content", cwd=tmp_path).returncode == 1  # the draft's own error
    result = run_cli("new-version", "privacy", "--date", "2026-12-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "created content/policies/privacy/2026-12-01.en.md (a copy of 2025-01-01.en.md)" in result.stdout


def test_new_version_of_an_empty_folder_says_there_is_nothing_to_copy(tmp_path: Path) -> None:
    content = content_with_two_versions(tmp_path)
    (content / "policies/cookies").mkdir()
    result = run_cli("new-version", "cookies", "--date", "2026-12-01", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/policies/cookies has no versions to copy" in result.stderr


def test_new_version_of_a_draft_insists_on_its_own_files_being_sound(tmp_path: Path) -> None:
    """Drafts left as they are may have errors; the draft being copied may not (its broken translation would
    silently be left out of the copy)."""
    draft = "---\ntitle: Privacy Policy\nsummary: First draft.\ndraft: true\n---\nText.\n"
    broken = draft.replace("summary: First draft.", "summary: Premier jet.\nmaterial: peut-être")
    files = {"policies/privacy/2026-06-01.en.md": draft, "policies/privacy/2026-06-01.fr.md": broken}
    write_content(tmp_path / "content", files, site=SITE)
    result = run_cli("new-version", "privacy", "--date", "2026-12-01", cwd=tmp_path)
    assert result.returncode == 1 and "2026-06-01.fr.md" in result.stderr, result.stdout + result.stderr
    assert not list((tmp_path / "content/policies/privacy").glob("2026-12-01.*"))


def test_new_version_takes_the_policy_as_a_shell_completes_it(tmp_path: Path) -> None:
    """``privacy/`` (a shell's completion) and a path to the folder name the policy; '..' or another folder is
    refused as no policy, not as a policy with "no versions to copy"."""
    content = content_with_two_versions(tmp_path)
    for given, day in (("privacy/", "2026-01-01"), ("content/policies/privacy/", "2026-02-01")):
        result = run_cli("new-version", given, "--date", day, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert f"created content/policies/privacy/{day}.en.md (a copy of" in result.stdout
        (content / f"policies/privacy/{day}.en.md").write_text(EN)  # a finished version, as the next copy wants
        (content / f"policies/privacy/{day}.fr.md").write_text(FR)
    before = tree_digest(content)
    for given in ("..", ".", "", "content/policies", str(tmp_path / "elsewhere/privacy")):
        result = run_cli("new-version", given, "--date", "2027-01-01", cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"error: {given!r} is not a policy: give the name of its folder in content/policies" in result.stderr
        assert "(known: privacy)" in result.stderr and "no versions to copy" not in result.stderr
    assert tree_digest(content) == before


def test_new_version_keeps_a_draft_translation_a_draft(tmp_path: Path) -> None:
    """A translation that is a draft of its own is unapproved text: its copy must not publish it."""
    content = content_with_two_versions(tmp_path)
    (content / "policies/privacy/2025-01-01.fr.md").write_text(FR.replace("draft: false", "draft: true"))
    result = run_cli("new-version", "privacy", "--date", "2026-03-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "note: 2025-01-01.fr.md is a draft, not approved text, so its copy is a draft too" in result.stdout
    copy = (content / "policies/privacy/2026-03-01.fr.md").read_text()
    assert "\ndraft: true\n" in copy and 'summary: ""' in copy
    assert "draft" not in (content / "policies/privacy/2026-03-01.en.md").read_text()
