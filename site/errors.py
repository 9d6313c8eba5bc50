"""Content errors: what is wrong, where, and how to fix it.

The loader and the renderer collect every problem as a :class:`Problem` and
raise one :class:`ContentError` at the end, so an editor sees the whole list
at once.  Only the command layer prints them and picks an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How serious a problem is: errors stop the build, warnings and notes do not."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # information only, such as a check that was skipped


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located by file and line."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    code: str = "content"

    def location(self) -> str:
        """Return ``path:line`` (or just ``path`` when no line applies)."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass(frozen=True)
class Finding:
    """A problem without the file it was found in: what caches keep, to report again for the file's path."""

    line: int | None
    message: str
    hint: str
    severity: str
    code: str

    @classmethod
    def of(cls, problem: Problem) -> Finding:
        return cls(problem.line, problem.message, problem.hint, problem.severity.value, problem.code)

    def report(self, problems: Problems, path: Path) -> None:
        problems.add(path, self.line, self.message, self.hint, severity=Severity(self.severity), code=self.code)


class PolicypressError(Exception):
    """Base class for every error Policypress reports to a user."""


class ContentError(PolicypressError):
    """The content folder has one or more errors; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = in_order(problems)
        #: Warnings (and notes) found before the errors stopped the work: reported with them.
        self.warnings = in_order(warnings or [])
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def everything(self) -> list[Problem]:
        """The errors and the warnings, in the order of their files and lines."""
        return in_order([*self.problems, *self.warnings])


def in_order(problems: list[Problem]) -> list[Problem]:
    """By file, then line; problems about a whole file (line None) come first."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.message, p.hint))


class Problems:
    """Collect problems while walking the content; raise them all at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[Problem] = []

    def display_path(self, path: Path) -> str:
        """Show ``path`` as the editor knows it: relative to the working directory."""
        try:  # the file's own name as it is, not what a link of that name points to
            return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
        except (ValueError, OSError, RuntimeError):  # elsewhere, or a folder that loops
            return str(path)

    def add(
        self,
        path: Path,
        line: int | None,
        message: str,
        hint: str = "",
        *,
        severity: Severity = Severity.ERROR,
        code: str = "content",
    ) -> None:
        """Record one problem at ``path:line``."""
        self.items.append(Problem(self.display_path(path), line, message, hint, severity, code))

    def warn(self, path: Path, line: int | None, message: str, hint: str = "", *, code: str) -> None:
        """Record a warning: reported, but the build goes on."""
        self.add(path, line, message, hint, severity=Severity.WARNING, code=code)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def raise_if_errors(self) -> None:
        """Raise a :class:`ContentError` listing every error found so far."""
        if self.errors:
            raise ContentError(self.errors, [p for p in self.items if p.severity is not Severity.ERROR])
