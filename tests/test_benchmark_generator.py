"""The benchmark's content generator writes content that Policypress accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import PROJECT, run_cli, tree_digest


def generate(out: Path, *args: str) -> None:
    command = [sys.executable, str(PROJECT / "benchmarks" / "generate.py"), "--out", str(out), *args]
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=60)


def test_generated_content_passes_check_and_is_deterministic(tmp_path):
    size = ("--policies", "2", "--locales", "2", "--versions", "2")
    generate(tmp_path / "one", *size)
    generate(tmp_path / "two", *size)
    files = sorted((tmp_path / "one" / "policies").glob("*/*.md"))
    assert len(files) == 2 * 2 * 2
    assert all(18_000 <= path.stat().st_size <= 45_000 for path in files)
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
    result = run_cli("check", "--content", tmp_path / "one")
    assert result.returncode == 0, result.stderr
    assert result.returncode == 0 and "\n0 error(s), " in result.stdout, result.stdout
