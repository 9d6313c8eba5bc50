"""What the command line prints: text, GitHub annotations and JSON from ``check``;
a progress bar from ``build`` on a terminal and one summary line elsewhere."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE, PROJECT, TODAY, run_cli, run_on_terminal, write_content

ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,:\r\n]+(,line=\d+)?,title=[^,:\r\n]+::[^\r\n]+$")
PROBLEMS = {
    # two lint errors (wording, material flag), a warning (raw HTML) and a note (no git repository)
    "policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\n---\nHi <b>there</b>.\n\n"
    "Please check this page at 100% regularly: really.\n",
    "policies/privacy/2030-01-01.en.md": "---\ntitle: Privacy\nsummary: Later.\n---\nText.\n",
}


def check_problems(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run ``check`` on the PROBLEMS content, outside any git repository."""
    write_content(tmp_path / "content", PROBLEMS)
    return run_cli(
        "check",
        "--content",
        "content",
        "--today",
        "2024-06-01",
        *options,
        cwd=tmp_path,
        env={"GIT_CEILING_DIRECTORIES": str(tmp_path)},
    )


def test_check_prints_github_annotations(tmp_path: Path) -> None:
    result = check_problems(tmp_path, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and all(ANNOTATION.match(line) for line in lines), lines
    assert {line.split(" ", 1)[0] for line in lines} == {"::error", "::warning", "::notice"}
    assert (
        "::error file=content/policies/privacy/2030-01-01.en.md,line=2,title=Policypress material_unset::"
        "upcoming version 2030-01-01 of 'privacy' does not say whether it is material. add 'material: true'"
    ) in result.stdout
    assert '"check this page at 100%25 regularly"' in result.stdout  # a literal % is escaped


def test_github_annotations_escape_properties_and_data() -> None:
    from policypress.errors import Problem, Severity
    from policypress.report import format_problem

    problem = Problem("a,b:c%.md", 3, "50% done\r\nnext: line", "hint, too", Severity.WARNING, "raw-html")
    assert format_problem(problem, "github") == (
        "::warning file=a%2Cb%3Ac%25.md,line=3,title=Policypress raw-html::50%25 done%0D%0Anext: line. hint, too"
    )


def test_check_prints_text_with_location_severity_and_hint(tmp_path: Path) -> None:
    result = check_problems(tmp_path)
    assert result.returncode == 1
    assert (
        "error: content/policies/privacy/2024-01-01.en.md:6: tells readers to check for changes themselves: "
        '"check this page at 100% regularly" [check_regularly]\n    hint: WP260' in result.stderr
    )
    assert "warning: content/policies/privacy/2024-01-01.en.md:4: raw HTML is shown as text" in result.stderr
    assert "note: content: skipped the published-version check" in result.stderr
    assert result.stdout == "2 error(s), 1 warning(s), 1 note(s)\n"


def test_check_prints_json(tmp_path: Path) -> None:
    result = check_problems(tmp_path, "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1 and (data["errors"], data["warnings"], data["notes"]) == (2, 1, 1)
    assert {"file", "line", "severity", "code", "message", "hint"} == set(data["problems"][0])
    assert {p["code"] for p in data["problems"]} == {
        "material_unset",
        "check_regularly",
        "raw-html",
        "published_edited",
    }


def test_check_on_the_example_content_has_no_errors() -> None:
    # Developers of Policypress edit the example's past versions; keep git out of this content check.
    result = run_cli("check", "--today", TODAY.isoformat(), env={"GIT_CEILING_DIRECTORIES": str(PROJECT)})
    assert result.returncode == 0, result.stderr
    # The translation status table comes first; the summary is the last line.
    assert result.stdout.splitlines()[-1].startswith("0 error(s)"), result.stdout


def test_build_off_a_terminal_prints_one_summary_line(tmp_path: Path) -> None:
    write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": "---\ntitle: P\n---\nA <b>b</b>.\n"})
    result = run_cli("build", "--content", "content", "--out", "out", "--today", "2025-01-01", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert re.fullmatch(
        r"built \d+ files \(\d+ pages\) into out in \d+\.\ds, \d+ written, "
        r"1 warning\(s\) \(build.py check lists them, and runs the compliance lints\)\n",
        result.stdout,
    ), result.stdout
    quiet = run_cli("build", "--content", "content", "--out", "out", "--quiet", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stdout == quiet.stderr == ""


def test_build_on_a_terminal_draws_a_progress_bar(tmp_path: Path) -> None:
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(EXAMPLE)]
    text = run_on_terminal([*command, "--out", str(tmp_path / "out"), "--today", TODAY.isoformat()], cwd=tmp_path)
    assert re.search(r"building: +\d+%\|.*\| \d+/\d+ \[", text), text  # tqdm's bar: "building:  40%|████ | 4/10 ["
    assert "built " in text and "pages) into" in text


def test_warnings_are_reported_with_the_errors_that_stop_a_command(tmp_path: Path) -> None:
    """check and build report every problem in one run: a warning found before an error stopped the
    work is shown with it, and counted."""
    text = "---\ntitle: Privacy Policy\n---\nSee [x](/en/nosuch/) and <b>this</b>.\n"
    # In force since less than a year: check's lints, which run despite the errors, raise no stale_policy warning.
    write_content(tmp_path / "content", {"policies/privacy/2026-01-01.en.md": text})
    name = "content/policies/privacy/2026-01-01.en.md:4"
    for command, last in (("check", "1 error(s), 1 warning(s)"), ("build", "1 error(s), 1 warning(s); nothing")):
        result = run_cli(command, "--content", "content", "--today", TODAY, cwd=tmp_path)
        assert result.returncode == 1
        assert f"error: {name}: broken link" in result.stderr
        assert f"warning: {name}: raw HTML is shown as text" in result.stderr
        summary = result.stdout if command == "check" else result.stderr  # check's report goes to stdout
        assert summary.strip().splitlines()[-1].startswith(last)


def test_what_editors_tools_leave_beside_a_file_is_not_content(tmp_path: Path) -> None:
    """Backups, swap files and merge leftovers (2024-01-01.en.md~, .orig, #…#) are skipped like hidden files:
    they were errors that blocked the build ("rename it")."""
    text = "---\ntitle: Privacy Policy\n---\nText.\n"
    leftovers = ["2024-01-01.en.md~", "2024-01-01.en.md.orig", "2024-01-01.en.md.bak", "#2024-01-01.en.md#"]
    files = {"policies/privacy/2024-01-01.en.md": text}
    files.update({f"policies/privacy/{name}": text.replace("Text.", "Old text.") for name in leftovers})
    write_content(tmp_path / "content", files)
    result = run_cli("build", "--content", "content", "--out", "out", "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Old text" not in (tmp_path / "out/en/privacy/index.html").read_text()
    # A file that only looks wrong is still an error: it may be a version with a mistyped name.
    (tmp_path / "content/policies/privacy/2024-01-01.en (copy).md").write_text(text)
    result = run_cli("check", "--content", "content", "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 1 and "'2024-01-01.en (copy).md' does not match" in result.stderr


def test_a_site_yml_is_named_and_an_empty_policy_folder_only_warns(tmp_path: Path) -> None:
    text = "---\ntitle: Privacy Policy\n---\nText.\n"
    content = write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": text})
    (content / "policies/cookies").mkdir()  # git keeps no empty folder: only a working tree has one
    result = run_cli("build", "--content", "content", "--out", "out", "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 0 and "1 warning(s)" in result.stdout, result.stderr
    result = run_cli("check", "--content", "content", "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 0
    assert "warning: content/policies/cookies: this policy folder has no versions, so the site leaves it out" in (
        result.stderr
    )
    (content / "site.yaml").rename(content / "site.yml")
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "error: content/site.yaml: site.yaml is missing\n    hint: rename site.yml to site.yaml" in result.stderr
