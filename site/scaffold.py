"""Start a new version of a policy by copying the latest published one, in every locale.

The copy keeps the text and the front matter (comments included) but empties
``summary`` and ``material``: the editor must say what changed, and ``check``
insists on it.  A draft is not approved text, so it is never the copy's source
while a published version exists, and it stays where it is: the new version
may come before it.  (A policy with only drafts gets a copy of its latest
draft, still a draft.)  Nothing is written unless every file can be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from .errors import ContentError, PolicypressError, Problem, Problems
from .loader import VERSION_FILE, content_folder_found, load_site
from .model import Document
from .sources import says_draft
from .yamlsource import split_front_matter

#: Front matter keys the copy does not inherit: they describe one version only.
RESET_KEYS = frozenset({"summary", "material", "draft"})
NEW_KEYS = (
    'summary: ""  # required: what changed in this version, in a sentence or two',
    "material:  # required while upcoming: true if readers must be told prominently, false for a minor change",
)


@dataclass(frozen=True)
class Created:
    """One file written by :func:`new_version`, and the file it copies."""

    path: Path
    source: Path


@dataclass(frozen=True)
class NewVersion:
    """What :func:`new_version` wrote, and the drafts it did not copy (dated after the version it copied)."""

    created: list[Created]
    drafts_skipped: tuple[date, ...]
    #: The copy is of a draft (the policy has no published version), so it is a draft too.
    draft: bool = False
    #: The files of translations that are drafts of their own in the version copied: their copies are drafts too.
    draft_translations: tuple[str, ...] = ()


def new_version(root: Path, policy_slug: str, effective: date) -> NewVersion:
    """Copy the latest published version of ``policy_slug`` to ``effective`` in every locale it has (a
    translation that is a draft to a draft).

    Raises :class:`~policypress.errors.ContentError` when the content has errors and
    :class:`PolicypressError` when the policy is unknown or the files exist.
    """
    unfound = Problems(root)
    if not content_folder_found(root, unfound):
        raise ContentError(unfound.errors)
    policy_slug = _policy_name(root, policy_slug)
    folder = root / "policies" / policy_slug
    if not folder.is_dir():
        raise PolicypressError(f"there is no policy {policy_slug!r} in {root} (known: {_known(root)})")
    existing = sorted(folder.glob(f"{effective.isoformat()}.*.md"))
    if existing:
        names = ", ".join(str(path) for path in existing)
        raise PolicypressError(f"not creating version {effective} of {policy_slug!r}: {names} already exists")
    site, problems = load_site(root)
    # Errors elsewhere do not matter here, but a broken file in this policy could hide its latest version.
    ours = (problems.display_path(root / "site.yaml"), problems.display_path(folder) + "/")
    blocking = [p for p in problems.errors if p.path == ours[0] or p.path.startswith(ours[1])]
    policy = site.policy(policy_slug) if site is not None else None
    if policy is None and not problems.errors:  # a folder with no version files at all
        raise PolicypressError(
            f"not creating a version of {policy_slug!r}: {folder} has no versions to copy "
            "(start the policy with a file named <YYYY-MM-DD>.<locale>.md)"
        )
    if policy is None:
        raise ContentError([*(blocking or problems.errors), *_unfinished_latest(folder, blocking, problems)])
    published = policy.published()
    latest = published[-1] if published else policy.versions[-1]
    # What is copied, and what might be newer than it, must be sound; a draft left as it is (or an older
    # version) may have errors of its own.
    drafts = {problems.display_path(d.path) for v in policy.versions if v.draft and v != latest for d in v.documents}
    copied = problems.display_path(folder / latest.slug)  # the files of what is copied, drafts or not
    blocking = [
        p
        for p in blocking
        if p.path.startswith(copied + ".")
        or (p.path not in drafts and not _dated_before(p.path, latest.effective) and not _says_draft(p.path))
    ]
    if blocking:
        raise ContentError([*blocking, *_unfinished_latest(folder, blocking, problems)])
    if effective < latest.effective:
        raise PolicypressError(
            f"not creating version {effective} of {policy_slug!r}: the latest version takes effect on "
            f"{latest.effective}, and a new version must come after it (edit that version instead while it is upcoming)"
        )
    created = [Created(folder / f"{effective.isoformat()}.{_locale_part(d)}", d.path) for d in latest.documents]
    # A translation that is a draft of its own is unapproved text too: its copy stays a draft.
    texts = [_copy_text(document, keep_draft=latest.draft or document.draft) for document in latest.documents]
    for item, text in zip(created, texts, strict=True):
        item.path.write_text(text, encoding="utf-8")
    skipped = tuple(v.effective for v in policy.versions if v.draft and v.effective > latest.effective)
    draft_translations = () if latest.draft else tuple(d.path.name for d in latest.documents if d.draft)
    return NewVersion(created, skipped, latest.draft, draft_translations)


def _known(root: Path) -> str:
    found = sorted(p.name for p in (root / "policies").glob("*") if p.is_dir() and not p.name.startswith("."))
    return ", ".join(found) or "none"


def _policy_name(root: Path, given: str) -> str:
    """The policy folder's name in ``given``: the name itself, the name with the slash a shell's completion
    adds (``privacy/``), or a path to the folder (``content/policies/privacy``)."""
    name = given.rstrip("/")
    if name and "/" not in name and name not in (".", ".."):
        return name
    path = Path(given)
    if path.is_dir() and path.resolve().parent == (root / "policies").resolve():
        return path.resolve().name
    raise PolicypressError(
        f"{given!r} is not a policy: give the name of its folder in {root / 'policies'} (known: {_known(root)})"
    )


def _unfinished_latest(folder: Path, blocking: list[Problem], problems: Problems) -> list[Problem]:
    """Why errors stop the copy when they are in the latest version's own files: the copy would be of an
    unfinished version (most likely one that new-version made, which someone now wants to re-date)."""
    dates = sorted({match["date"] for path in folder.iterdir() if (match := VERSION_FILE.match(path.name))})
    latest = problems.display_path(folder / dates[-1]) + "." if dates else None
    found = next((problem for problem in blocking if latest and problem.path.startswith(latest)), None)
    if found is None:
        return []
    note = Problems(problems.root)
    note.add(
        Path(found.path),
        None,
        f"new-version copies the latest version, {dates[-1]}, which has errors of its own",
        f"finish {dates[-1]} first; to give it another date, rename its files instead of starting another version",
    )
    return note.errors


def _says_draft(path: str) -> bool:
    """Whether the file a problem names (a display path: from the working folder) is a draft; one too broken
    to load still says so in its front matter."""
    found = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    try:
        return found.is_file() and says_draft(found.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return False


def _dated_before(path: str, day: date) -> bool:
    """Whether the file at ``path`` is a version's, dated before ``day``."""
    match = VERSION_FILE.match(Path(path).name)
    return match is not None and match["date"] < day.isoformat()


def _locale_part(document: Document) -> str:
    """``en.md`` from ``2024-01-01.en.md``: keep the locale exactly as the editor spelled it."""
    return document.path.name.split(".", 1)[1]


def _copy_text(document: Document, *, keep_draft: bool) -> str:
    """The document's text with ``summary`` and ``material`` emptied, and ``draft`` removed unless
    ``keep_draft`` (a copy of a draft is a draft)."""
    split = split_front_matter(document.source)
    assert split is not None, "the loader only accepts files with front matter"
    lines = document.source.split("\n")
    front = lines[1 : split.body_line - 2]
    drop: set[int] = set()
    node = yaml.compose(split.yaml, Loader=yaml.SafeLoader)
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        if key.value in RESET_KEYS and not (keep_draft and key.value == "draft"):
            last = value.end_mark.line if value.end_mark.column > 0 else value.end_mark.line - 1
            drop.update(range(key.start_mark.line, max(last, key.start_mark.line) + 1))
    kept = [line for index, line in enumerate(front) if index not in drop]
    return "\n".join(["---", *kept, *NEW_KEYS, "---", *lines[split.body_line - 1 :]])
