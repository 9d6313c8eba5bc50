"""How problems are shown: to a terminal, as GitHub Actions annotations, or as JSON."""

from __future__ import annotations

import sys
from typing import Any

from .errors import ContentError, Problem, Severity
from .lints import LINTS

GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def _github_data(text: str) -> str:
    """Escape a workflow command's message: %, CR and LF would end or corrupt it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """Escape a workflow command's property value: also ':' and ',' which separate properties."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_problem(problem: Problem, style: str = "text") -> str:
    """Render one problem for a terminal or as a GitHub Actions annotation."""
    if style == "github":
        properties = [f"file={_github_property(problem.path)}"]
        if problem.line:
            properties.append(f"line={problem.line}")
        properties.append(f"title={_github_property('Policypress ' + problem.code)}")
        message = problem.message + (f". {problem.hint}" if problem.hint else "")
        return f"::{GITHUB_LEVELS[problem.severity]} {','.join(properties)}::{_github_data(message)}"
    code = f" [{problem.code}]" if problem.code in LINTS else ""
    text = f"{problem.severity.value}: {problem.location()}: {problem.message}{code}"
    return text + (f"\n    hint: {problem.hint}" if problem.hint else "")


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.path,
        "line": problem.line,
        "severity": problem.severity.value,
        "code": problem.code,
        "message": problem.message,
        "hint": problem.hint,
    }


def print_content_error(error: ContentError, outcome: str) -> None:
    """Show every problem that stopped a command, warnings included, and then what it left (``outcome``)."""
    for problem in error.everything:
        print(format_problem(problem), file=sys.stderr)
    warnings = f", {len(error.warnings)} warning(s)" if error.warnings else ""
    print(f"{len(error.problems)} error(s){warnings}; {outcome}", file=sys.stderr, flush=True)
