"""Ask git whether published files changed after the day they took effect.

A version's text is "as published" in the last commit on or before its
effective date (or, for a file first committed later, in the commit that
added it).  Anything that differs from that, in a later commit or in the
working tree, changed after publication.  Only the lints call this; the
build never depends on git.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import PolicypressError
from .sources import says_draft

COMMIT = re.compile(r"^\x01(?P<hash>[0-9a-f]{40}) (?P<date>\d{4}-\d{2}-\d{2})$")


class NoHistory(PolicypressError):
    """Git cannot answer: it is missing, or the folder is not in a repository."""


@dataclass(frozen=True)
class Commit:
    hash: str
    day: date

    @property
    def short(self) -> str:
        return self.hash[:7]


@dataclass(frozen=True)
class Change:
    """A file whose text differs from how it was published."""

    path: Path
    line: int  # first changed line in the file as it is now
    published_in: Commit
    later_commits: tuple[Commit, ...]  # newest first
    uncommitted: bool


@dataclass(frozen=True)
class Removal:
    """A version file that was in force and is gone from the content folder (deleted, or renamed)."""

    path: Path
    effective: date
    last_in: Commit  # the last commit that had the file as it was published
    removed_in: Commit | None  # None: removed in the working tree, not committed


#: A version file of a policy: ``policies/<policy>/<YYYY-MM-DD>.<locale>.md``.
VERSION_PATH = re.compile(r"^policies/[^/]+/(?P<date>\d{4}-\d{2}-\d{2})\.[^/]+\.md$")


@dataclass(frozen=True)
class History:
    """The git history of one content folder."""

    root: Path
    shallow: bool
    commits_by_file: Mapping[str, tuple[Commit, ...]]  # newest first, paths relative to root
    #: The commit that deleted each file whose last change in the history is its deletion.
    deletions: Mapping[str, Commit] = field(default_factory=dict)

    def removed(self, today: date) -> list[Removal]:
        """Version files dated before ``today`` that are gone although they were there on their date (not
        drafts then): each was a published version, whose page would disappear."""
        found = []
        for relative, commits in sorted(self.commits_by_file.items()):
            match = VERSION_PATH.match(relative)
            if not match or _still_there(self.root / relative):
                continue
            try:
                effective = date.fromisoformat(match["date"])
            except ValueError:
                continue
            deleted = self.deletions.get(relative)  # None: still in the last commit, gone from the working tree
            if effective >= today or (deleted is not None and deleted.day < effective):
                continue  # not in force yet, or gone before it took effect: never published
            if says_draft(_git(self.root, "cat-file", "blob", f"{commits[0].hash}:./{relative}")):
                continue
            found.append(Removal(self.root / relative, effective, commits[0], deleted))
        return found

    def name_of(self, path: Path) -> str:
        """``path`` as the history names it: relative to the content folder, with ``/``."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def committed(self, path: Path) -> bool:
        """Whether any commit holds ``path``."""
        return self.name_of(path) in self.commits_by_file

    def changes_after(self, files: Mapping[Path, date]) -> list[Change]:
        """Every file in ``files`` whose text changed after its date, in git or the working tree."""
        plans: list[tuple[Path, str, Commit, tuple[Commit, ...]]] = []
        for path, effective in sorted(files.items()):
            relative = self.name_of(path)
            commits = self.commits_by_file.get(relative, ())
            if not commits:
                continue  # never committed: nothing to compare with
            on_or_before = [c for c in commits if c.day <= effective]
            baseline = on_or_before[0] if on_or_before else commits[-1]
            later = commits[: commits.index(baseline)]
            plans.append((path, relative, baseline, later))
        if not plans:
            return []
        working = _git(self.root, "hash-object", "--", *(relative for _, relative, _, _ in plans)).split()
        specs = [
            f"{c.hash}:./{relative}"
            for _, relative, baseline, later in plans
            for c in (baseline, (later or (baseline,))[0])
        ]
        blobs = _git(self.root, "rev-parse", *specs).split()
        changes = []
        for index, (path, _relative, baseline, later) in enumerate(plans):
            published, committed = blobs[2 * index], blobs[2 * index + 1]
            if working[index] == published:
                continue
            old = _git(self.root, "cat-file", "blob", published)
            changes.append(Change(path, _first_changed_line(old, path), baseline, later, working[index] != committed))
        return changes


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace", check=False
        )
    except OSError as error:
        raise NoHistory(f"git is not available ({error.strerror or error})") from error
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        raise NoHistory(lines[-1] if lines else f"git {args[0]} failed")
    return result.stdout


def read_history(root: Path) -> History | None:
    """Read the history of the folder ``root``; None when nothing is committed yet.

    Raises :class:`NoHistory` when git is missing or ``root`` is not in a repository.
    """
    try:
        inside, shallow = _git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository").split()
    except NoHistory as error:
        if "not a git repository" in str(error):
            raise NoHistory("the content folder is not in a git repository") from error
        raise
    if inside != "true":
        raise NoHistory("the content folder is not in a git work tree")
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    except NoHistory:
        return None
    by_file: dict[str, list[Commit]] = defaultdict(list)
    deletions: dict[str, Commit] = {}
    for commit, status, name in _file_log(root):  # newest first
        if status == "D":
            if name not in by_file:  # its last change: the file is gone from the history's end
                deletions.setdefault(name, commit)
        else:
            by_file[name].append(commit)
    commits = {name: tuple(found) for name, found in by_file.items()}
    return History(root, shallow == "true", commits, deletions)


def _file_log(root: Path) -> Iterator[tuple[Commit, str, str]]:
    """(commit, status letter, file relative to ``root``) for every file each commit touched, newest first.

    --first-parent with first-parent diffs: a change merged from a branch counts on the day it was merged.
    """
    log = _git(
        root,
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--no-renames",
        "--relative",
        "--name-status",
        "-z",
        "--format=%x01%H %cs",
        "--",
        ".",
    )
    current: Commit | None = None
    tokens = iter(log.split("\0"))
    for token in tokens:
        token = token.lstrip("\n")
        match = COMMIT.match(token)
        if match:
            current = Commit(match["hash"], date.fromisoformat(match["date"]))
        elif token and current is not None:
            yield current, token[0], next(tokens, "")


def _still_there(path: Path) -> bool:
    """True when ``path`` exists, or a file of its name in another case (a locale's case corrected,
    ``.zh-hans.md`` to ``.zh-Hans.md``, moves no page: the loader matches locales in any case)."""
    if path.exists():
        return True
    try:
        return any(other.name.lower() == path.name.lower() for other in path.parent.iterdir())
    except OSError:
        return False


def _first_changed_line(old: str, path: Path) -> int:
    """The 1-based line of ``path`` (as it is now) where it first differs from ``old``."""
    new = path.read_text(encoding="utf-8", errors="replace").splitlines()
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new, autojunk=False)
    for tag, _i1, _i2, j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            return min(j1 + 1, max(len(new), 1))
    return 1
