"""A rebuild takes validated front matter, site.yaml and translation-structure verdicts from the
cache beside the output, and still reports every problem, in the same words, until it is fixed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import MINIMAL_SITE, PROJECT, run_cli, run_on_terminal, tree_digest, write_content

TODAY = "2026-01-01"
FR_SITE = MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]")
FIRST_EN = "---\ntitle: Privacy Policy\n---\nIntro.\n\n{#contact}\n## Contact\n\nWrite to us.\n"
FIRST_FR = "---\ntitle: Confidentialité\n---\nIntro.\n\n{#contact}\n## Nous écrire\n\nÉcrivez-nous.\n"
LATER_FRONT = "title: Privacy Policy\nsummary: Changed things.\nmaterial: false"
LATER_EN = f"---\n{LATER_FRONT}\n---\nIntro.\n\n{{#contact}}\n## Contact\n\nWrite to us today.\n"


def site(root: Path) -> Path:
    return write_content(
        root / "content",
        {
            "policies/privacy/2024-01-01.en.md": FIRST_EN,
            "policies/privacy/2024-01-01.fr.md": FIRST_FR,
            "policies/privacy/2025-01-01.en.md": LATER_EN,
        },
        site=FR_SITE,
    )


def build(root: Path, *extra: str, out: str = "out") -> subprocess.CompletedProcess[str]:
    return run_cli("build", "--content", "content", "--out", out, "--today", TODAY, *extra, cwd=root)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def test_front_matter_errors_are_reported_by_every_cached_build(tmp_path: Path) -> None:
    content = site(tmp_path)
    assert build(tmp_path).returncode == 0
    later = content / "policies/privacy/2025-01-01.en.md"
    edit(later, "material: false", "material: maybe")
    expected = [
        "error: content/policies/privacy/2025-01-01.en.md:4: invalid 'material': Input should be a valid boolean"
    ]
    # The other files come from the cache; the edited one is validated, and is not remembered as good.
    assert errors(build(tmp_path)) == expected
    assert errors(build(tmp_path)) == expected
    assert errors(build(tmp_path, "--no-cache")) == expected
    # The same front matter is good in a version, not in a page (pages have no summary): each is checked as such.
    edit(later, "material: maybe", "material: false")
    assert build(tmp_path).returncode == 0
    (content / "pages").mkdir()
    (content / "pages/about.en.md").write_text(f"---\n{LATER_FRONT}\n---\nAbout us.\n", "utf-8")
    about = "error: content/pages/about.en.md:3: unknown key 'summary'"
    assert about in errors(build(tmp_path))
    (content / "pages/about.en.md").unlink()
    edit(later, "today", "this week")
    assert build(tmp_path).returncode == 0
    assert build(tmp_path, "--no-cache", out="cold").returncode == 0
    assert tree_digest(tmp_path / "out") == tree_digest(tmp_path / "cold")


def test_a_translation_whose_structure_breaks_after_a_cached_build_is_caught(tmp_path: Path) -> None:
    content = site(tmp_path)
    assert build(tmp_path).returncode == 0
    french = content / "policies/privacy/2024-01-01.fr.md"
    edit(french, "{#contact}\n", "")
    expected = [
        "error: content/policies/privacy/2024-01-01.fr.md: no heading with anchor #contact "
        "(the en original 2024-01-01.en.md has it at line 7: 'Contact')",
        "error: content/policies/privacy/2024-01-01.fr.md:6: heading anchor #nous-écrire exists only in this "
        "translation, not in the en original 2024-01-01.en.md",
    ]
    uncached = errors(build(tmp_path, "--no-cache"))
    assert sorted(uncached) == sorted(expected), uncached
    # Checked once, then remembered with its problems: reported the same way while nothing changes.
    assert errors(build(tmp_path)) == uncached
    assert errors(build(tmp_path)) == uncached
    edit(french, "## Nous écrire", "{#contact}\n## Nous écrire")
    assert build(tmp_path).returncode == 0
    # An edit of the original, not the translation, is caught too.
    edit(content / "policies/privacy/2024-01-01.en.md", "Write to us.\n", "Write to us.\n\n::: region eea\nEU.\n:::\n")
    missing = errors(build(tmp_path))
    assert missing == [
        "error: content/policies/privacy/2024-01-01.fr.md: missing region block '::: region eea' "
        "(the en original 2024-01-01.en.md has it at line 11)"
    ]


def warnings_on_a_terminal(root: Path) -> list[str]:
    """Build with stderr on a terminal (where ``build`` lists its warnings); return the warning lines."""
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", "content", "--out", "out"]
    output = run_on_terminal([*command, "--today", TODAY], cwd=root, stdout_too=False)
    lines = output.replace("\r", "\n").splitlines()
    return [line for line in lines if line.startswith("warning: ")]


def test_site_yaml_warnings_are_reported_by_every_cached_build(tmp_path: Path) -> None:
    content = site(tmp_path)
    first = warnings_on_a_terminal(tmp_path)
    # MINIMAL_SITE names its regions in English only: each lacks a French name.
    assert "warning: content/site.yaml:10: region 'eea' has no translation for fr" in first
    edit(content / "policies/privacy/2025-01-01.en.md", "today", "this week")
    assert warnings_on_a_terminal(tmp_path) == first  # site.yaml came from the cache this time
    check = run_cli("check", "--content", "content", "--today", TODAY, cwd=tmp_path)
    assert [line for line in check.stderr.splitlines() if line.startswith("warning: content/site.yaml")] == [
        line for line in first if line.startswith("warning: content/site.yaml")
    ]


def imported(result: subprocess.CompletedProcess[str]) -> set[str]:
    """The top-level packages a run imported, from ``-X importtime`` lines on stderr."""
    assert result.returncode == 0, result.stderr
    names = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")]
    return {name.split(".")[0] for name in names}


def test_a_rebuild_after_editing_text_imports_neither_pydantic_nor_yaml(tmp_path: Path) -> None:
    content = site(tmp_path)
    timing = {"PYTHONPROFILEIMPORTTIME": "1"}
    command = ("build", "--content", "content", "--out", "out", "--today", TODAY)
    assert {"pydantic", "yaml"} <= imported(run_cli(*command, cwd=tmp_path, env=timing))
    later = content / "policies/privacy/2025-01-01.en.md"
    edit(later, "today", "this week")
    assert not {"pydantic", "yaml"} & imported(run_cli(*command, cwd=tmp_path, env=timing))
    # New front matter is validated, and a build without the cache validates everything.
    edit(later, "Changed things.", "Changed a few things.")
    assert {"pydantic", "yaml"} <= imported(run_cli(*command, cwd=tmp_path, env=timing))
    edit(later, "this week", "this month")
    assert {"pydantic", "yaml"} <= imported(run_cli(*command, "--no-cache", cwd=tmp_path, env=timing))


def test_damaged_caches_are_ignored(tmp_path: Path) -> None:
    content = site(tmp_path)
    assert build(tmp_path).returncode == 0
    cache = tmp_path / ".policypress-cache"
    damaged = [*(cache / "load").iterdir(), *(cache / "structure").iterdir()]
    assert len(damaged) == 2
    for path in damaged:
        path.write_bytes(path.read_bytes()[:-10])
    edit(content / "policies/privacy/2024-01-01.fr.md", "{#contact}\n", "")
    assert len(errors(build(tmp_path))) == 2
    edit(content / "policies/privacy/2024-01-01.fr.md", "## Nous écrire", "{#contact}\n## Nous écrire")
    edit(content / "policies/privacy/2025-01-01.en.md", "today", "this week")
    assert build(tmp_path).returncode == 0
    assert build(tmp_path, "--no-cache", out="cold").returncode == 0
    assert tree_digest(tmp_path / "out") == tree_digest(tmp_path / "cold")


def test_a_document_loaded_from_the_cache_has_the_same_text_and_fields(tmp_path: Path) -> None:
    from policypress.loader import load_site
    from policypress.sources import StoredDocument

    content = site(tmp_path)
    # A byte-order mark and Windows line ends: the text is normalised the same way when decoded later.
    fr = content / "policies/privacy/2024-01-01.fr.md"
    fr.write_bytes(b"\xef\xbb\xbf" + FIRST_FR.replace("\n", "\r\n").encode())
    cache = tmp_path / "cache"
    first, problems = load_site(content, cache)
    assert first is not None and not problems.errors
    again, problems = load_site(content, cache)
    assert again is not None and not problems.errors
    before = [d for p in first.policies for v in p.versions for d in v.documents]
    after = [d for p in again.policies for v in p.versions for d in v.documents]
    assert all(isinstance(document, StoredDocument) for document in after)
    assert [(d.path, d.locale, d.title, d.sha256, d.summary, d.material, d.draft) for d in after] == [
        (d.path, d.locale, d.title, d.sha256, d.summary, d.material, d.draft) for d in before
    ]
    assert [d.source for d in after] == [d.source for d in before]
    assert after[1].source.startswith("---\ntitle: Confidentialité\n")
