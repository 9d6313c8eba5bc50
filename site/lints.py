"""Compliance lints for ``build.py check``: what a careful colleague would point out.

Each lint reads the immutable model and ``today`` and reports
:class:`~policypress.errors.Problem` s under its own code.  ``lints:`` in
site.yaml sets each one to error, warn or off; docs/lints.md explains them.
Nothing here prints or knows Flask.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import Problem, Problems, Severity
from .history import History, NoHistory, Removal, read_history
from .loader import VERSION_FILE
from .model import Document, Policy, Site
from .render import Renderer
from .rendered import Rendered, Segment
from .siteconfig import SiteConfig
from .sources import front_matter_line
from .translation_status import State, changed_labels, status_rows

LEVELS = {"error": Severity.ERROR, "warn": Severity.WARNING}

_VERB = r"(?:check|review|visit|consult|re-?read|revisit|look\s+at|refer\s+(?:back\s+)?to)"
_OBJECT = r"(?:back|(?:this|the|our)\s+(?:privacy\s+)?(?:page|policy|policies|notice|statement|website|site))"
_OFTEN = (
    r"(?:regularly|periodically|frequently|often|occasionally|from\s+time\s+to\s+time|on\s+a\s+regular\s+basis"
    r"|every\s+so\s+often|each\s+time\s+you|whenever\s+you)"
)
#: Ways of telling readers that it is up to them to notice changes (WP260 rev.01, paragraph 29).
CHECK_REGULARLY = re.compile(
    "|".join(
        (
            rf"\b{_VERB}\s+{_OBJECT}\b[^.!?]{{0,60}}?\b{_OFTEN}\b",  # check this page regularly
            rf"\b{_OFTEN}\s+(?:to\s+)?{_VERB}\s+{_OBJECT}\b",  # periodically review this policy
            rf"\b{_VERB}\s+{_OBJECT}\s+(?:for|to\s+(?:see|learn\s+about|find\s+out\s+about))\s+(?:any\s+)?"
            r"(?:updates|changes|modifications|revisions)\b",  # check this page for updates
            rf"\byour\s+responsibility\s+to\s+(?:\w+\s+)?{_VERB}\b",  # it is your responsibility to review
        )
    ),
    re.IGNORECASE,
)
#: "We review this policy regularly" describes the company's own habit; it is not an instruction.
_WE_BEFORE = re.compile(r"\bwe\s+(?:will\s+|may\s+|also\s+|shall\s+)?$", re.IGNORECASE)
_HREF = re.compile(r'href="([^"]*)"')
CALIFORNIA_LAWS = re.compile(r"\bC[CP]PA\b")
#: The Do Not Sell link's label, as templates/_privacy_choices_link.html writes it (the catalogs' msgid).
DO_NOT_SELL_LABEL = "Do Not Sell or Share My Personal Information"


@dataclass(frozen=True)
class _Run:
    """One lint's view of the site, and where it reports."""

    site: Site
    today: date
    render: Callable[[Document], Rendered]
    problems: Problems
    code: str
    severity: Severity
    label: Callable[[str], str]
    #: The site's Markdown parser: what a lint reads of a text is what readers see of it.
    parser: MarkdownIt
    #: The content's git history, read once for every lint that asks (see :class:`_GitHistory`).
    history: _GitHistory

    def in_force_instead(self, document: Document, made: Callable[[Document], bool]) -> str:
        """See :func:`_in_force_instead`; empty for a file git has not seen committed: its text is not
        published yet (a late translation being written, say), and it may still be edited."""
        instead = _in_force_instead(self.site, self.today, document, made)
        return "" if instead and self.history.uncommitted(document.path) else instead

    def report(self, path: Path, line: int | None, message: str, hint: str) -> None:
        self.problems.add(path, line, message, hint, severity=self.severity, code=self.code)

    def note(self, path: Path, message: str, hint: str = "") -> None:
        self.problems.add(path, None, message, hint, severity=Severity.NOTE, code=self.code)


class _GitHistory:
    """The git history of a content folder, read when a lint first asks for it, and at most once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @functools.cached_property
    def _read(self) -> History | None | NoHistory:
        try:
            return read_history(self.root)
        except NoHistory as error:
            return error

    def read(self) -> History | None:
        """The history (None: nothing is committed yet); raises :class:`NoHistory` outside a git work tree."""
        if isinstance(self._read, NoHistory):
            raise self._read
        return self._read

    def uncommitted(self, path: Path) -> bool:
        """Whether git knows the content and has never seen ``path`` committed (outside git: False)."""
        history = self._read
        if isinstance(history, NoHistory):
            return False
        return history is None or not history.committed(path)


def run_lints(
    site: Site,
    today: date,
    render: Callable[[Document], Rendered] | None = None,
    label: Callable[[str], str] | None = None,
) -> list[Problem]:
    """Run every lint that site.yaml does not turn off; return what they found, sorted.  ``label`` translates
    the Do Not Sell link's label into a locale, as the site's pages show it (None: it stays in English)."""
    if label is None:
        label = lambda _locale: DO_NOT_SELL_LABEL  # noqa: E731
    # Unchunked: its parser reads a whole text as a whole parse does (chunking only saves time).
    renderer = Renderer(site.config.region_ids, base_path=site.config.base_path, chunked=False)
    if render is None:
        render = lambda document: renderer.render(document, Problems(site.root))  # noqa: E731
    problems = Problems(site.root)
    parser = renderer.md
    history = _GitHistory(site.root)
    for code, lint in LINTS.items():
        level = getattr(site.config.lints, code)
        if level != "off":
            lint(_Run(site, today, render, problems, code, LEVELS[level], label, parser, history))
    return sorted(problems.items, key=lambda p: (p.path, p.line or 0, p.code, p.message))


def _one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _block_start(document: Document, line: int) -> int:
    """The line of the ``::: region`` marker that opens the block whose content starts at ``line``."""
    lines = document.source.split("\n")
    return next((n for n in range(line, 0, -1) if lines[n - 1].lstrip().startswith(":::")), line)


def _in_force_instead(site: Site, today: date, document: Document, made: Callable[[Document], bool]) -> str:
    """Where to make a change a lint asks for in ``document`` when its version took effect before ``today``, so
    that its text must not change any more (``published_edited``): in the next version, or a new one; or that
    the next version makes it already (``made`` of that version's file in the same language).  Empty when the
    file may still be edited (an upcoming version, a draft, a page, or the version's first day)."""
    for policy in site.policies:
        for version in policy.published():
            if version.effective < today and any(d.path == document.path for d in version.documents):
                upcoming = policy.upcoming(today)
                if not upcoming:
                    where = f"publish a new version with the change: python build.py new-version {policy.slug}"
                elif (following := upcoming[0].document(document.locale)) is None:  # not in this language yet
                    where = (
                        f"make the change in the next version, {upcoming[0].effective}, when you translate it "
                        f"(as {upcoming[0].effective}.{document.locale}.md)"
                    )
                elif made(following) and not following.draft:
                    where = (
                        f"the next version, {upcoming[0].effective} ({following.path.name}), makes this change "
                        "already: nothing to do, readers see it from that day"
                    )
                elif made(following):
                    where = (
                        f"the draft translation of the next version, {following.path.name}, makes this change "
                        f"already: readers see it once that draft is approved, from {upcoming[0].effective}"
                    )
                else:
                    where = (
                        f"make the change in the next version, {upcoming[0].effective} ({following.path.name}): "
                        "that file can still be edited"
                    )
                return f"this version took effect on {version.effective} and its text must not change: {where}"
    return ""


def _living_documents(site: Site, today: date, *, pages: bool = True) -> Iterator[Document]:
    """The current and later versions (drafts too) and the pages: text an editor can still change."""
    for policy in site.policies:
        current = policy.current(today)
        for version in policy.versions:
            if current is None or version.effective >= current.effective:
                yield from version.documents
    for page in site.pages if pages else ():
        yield from page.documents


def stale_policy(run: _Run) -> None:
    """The version in force is more than 12 months old (CCPA: update at least yearly)."""
    limit = _one_year_before(run.today)
    for policy in run.site.policies:
        current = policy.current(run.today)
        if current is None or current.effective >= limit or _unloaded(run.site, policy, current.effective, run.today):
            continue
        upcoming = policy.upcoming(run.today)
        next_step = (
            f"the next version takes effect on {upcoming[0].effective}"
            if upcoming
            else f"review it and publish a new version: python build.py new-version {policy.slug}"
        )
        run.report(
            current.original.path,
            1,
            f"the current version of '{policy.slug}' took effect on {current.effective}, "
            f"more than 12 months before {run.today}",
            f"{next_step}; CCPA requires a privacy policy to be updated at least once every 12 months",
        )


def _unloaded(site: Site, policy: Policy, after: date, today: date) -> bool:
    """Whether ``policy``'s folder holds a version file dated after ``after`` and on or before ``today`` that
    did not load: a file with errors (reported as such), which may be the version in force.  Content without
    errors has none."""
    return any(after.isoformat() < day <= today.isoformat() for day, _locale in _unloaded_files(site, policy))


def _unloaded_files(site: Site, policy: Policy) -> list[tuple[str, str]]:
    """The date and locale tag (as written) of each version file in ``policy``'s folder that did not load: a file
    with errors, reported as such.  Content without errors has none."""
    loaded = {document.path.name for version in policy.versions for document in version.documents}
    found = []
    for path in (site.root / "policies" / policy.slug).iterdir():
        match = VERSION_FILE.match(path.name)
        if match and path.name not in loaded:
            found.append((match["date"], match["locale"]))
    return found


def check_regularly(run: _Run) -> None:
    """Wording that leaves it to readers to notice changes by re-reading the page."""
    for document in _living_documents(run.site, run.today):
        for line, text, match in _regular_checks(run.parser, document):
            phrase = " ".join(match.group().split())
            instead = run.in_force_instead(document, lambda d: not _regular_checks(run.parser, d))
            run.report(
                document.path,
                line + text.count("\n", 0, match.start()),
                f'tells readers to check for changes themselves: "{phrase}"',
                "WP260 (paragraph 29) calls this insufficient and unfair: say how you will tell readers "
                "about changes instead (for example by email or a notice in the app)"
                + (f"; {instead}" if instead else ""),
            )


def _regular_checks(parser: MarkdownIt, document: Document) -> list[tuple[int, str, re.Match[str]]]:
    """The passages of ``document`` that tell readers to check for changes themselves (see :func:`_matches`)."""
    return [
        (line, text, match)
        for line, text, match in _matches(parser, document.source, CHECK_REGULARLY)
        if not _WE_BEFORE.search(text[max(0, match.start() - 30) : match.start()])
    ]


def _matches(parser: MarkdownIt, source: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, str, re.Match[str]]]:
    """Each match of ``pattern`` in the text readers see of ``source`` (without emphasis markers, link addresses
    or code marks), block by block: the block's line, its text (a line break where the source has one), and
    the match."""
    for token in parser.parse(source):
        if token.type == "inline" and token.map:
            text = "".join(_shown(child) for child in token.children or ())
            for match in pattern.finditer(text):
                yield token.map[0] + 1, text, match


def _shown(token: Token) -> str:
    """What a reader sees of an inline token, with a line break where its source line ends."""
    if token.type in ("text", "code_inline"):
        return token.content
    return "\n" if token.type in ("softbreak", "hardbreak") else ""


def sells_or_shares(config: SiteConfig) -> bool | None:
    """What site.yaml says under ``privacy_choices.sells_or_shares``; None when it does not say."""
    return config.privacy_choices.sells_or_shares if config.privacy_choices else None


def do_not_sell_link(run: _Run) -> None:
    """A California block with no link to the Do Not Sell page, when the business sells or shares."""
    config = run.site.config
    california = {r.id for r in config.regions if r.id == "california" or CALIFORNIA_LAWS.search(r.law)}
    if not california or sells_or_shares(config) is not True:
        return  # nothing to sell or share, or no setting (yet) that says so
    for document in _living_documents(run.site, run.today, pages=False):
        target = _do_not_sell_path(config, document.locale)
        for segment in _unlinked_blocks(run, document, california):
            label = run.label(document.locale)
            untranslated = label == DO_NOT_SELL_LABEL and not document.locale.lower().startswith("en")
            example = f"[{label}]({target})" + (" (in the file's language)" if untranslated else "")
            instead = run.in_force_instead(document, lambda d: not _unlinked_blocks(run, d, california))
            run.report(
                document.path,
                _block_start(document, segment.line),
                "California block has no link to the Do Not Sell or Share page",
                "site.yaml says you sell or share personal information: "
                + (
                    f"the block needs a link to it, for example {example}; {instead}"
                    if instead
                    else f"link to it inside the block, for example {example}"
                ),
            )


def _do_not_sell_path(config: SiteConfig, locale: str) -> str:
    """The Do Not Sell page of ``locale``, as an editor links to it (from the site's root)."""
    return f"/{config.locale(locale).slug}/do-not-sell/"


def _unlinked_blocks(run: _Run, document: Document, california: set[str]) -> list[Segment]:
    """The blocks of ``document`` for ``california``'s regions with no link to the Do Not Sell page."""
    config = run.site.config
    target = config.base_path + _do_not_sell_path(config, document.locale)  # the HTML's links lead under it
    return [
        segment
        for segment in run.render(document).segments
        if california.intersection(segment.regions)
        and not any(href.split("#")[0] == target for href in _HREF.findall(segment.html))
    ]


def published_edited(run: _Run) -> None:
    """Text of a version already in force changed later, or its file was removed (or renamed, which
    moves its date), in a commit or in the working tree."""
    published = {
        document.path: version.effective
        for policy in run.site.policies
        for version in policy.published()
        if version.effective < run.today
        for document in version.documents
    }
    translations = {
        document.path: document.locale
        for policy in run.site.policies
        for version in policy.published()
        for document in version.documents
        if document is not version.original
    }
    try:
        history = run.history.read()
    except NoHistory as error:
        run.note(run.site.root, f"skipped the published-version check: {error}", "keep the content in git")
        return
    if history is None:
        return  # nothing committed yet: nothing has been published from git
    if history.shallow:
        run.note(
            run.site.root,
            "the git history is shallow: edits older than the oldest fetched commit are not seen",
            "fetch the whole history (in GitHub Actions: actions/checkout with fetch-depth: 0)",
        )
    removals = history.removed(run.today)
    policies_gone = _policies_gone(run.site, removals)
    for folder, (removed, renamed) in policies_gone.items():
        days = sorted({removal.effective for removal in removed})
        commits = {removal.last_in for removal in removed}
        back = f"git checkout {commits.pop().short} -- {folder.name}, in policies/" if len(commits) == 1 else ""
        run.report(
            folder,
            None,
            f"the published policy '{folder.name}' is gone"
            + (f" (renamed to '{renamed}'?)" if renamed else "")
            + f": {_files_phrase(len(removed))} of {_in_force_phrase(days)}, whose pages are where readers find "
            "what they agreed to",
            "a policy's folder name is part of every URL it publishes, so a new name is a new policy: put the "
            f"folder back ({back or 'git log -- policies/' + folder.name + ' shows where it went'}), and start "
            "the new one with its own first version",
        )
    for removal in removals:
        if removal.path.parent in policies_gone:
            continue
        gone = f"in commit {removal.removed_in.short} on {removal.removed_in.day}" if removal.removed_in else ""
        run.report(
            removal.path,
            None,
            f"a published version was removed {gone or 'from the working tree'}: it took effect on "
            f"{removal.effective}, and its page is where readers find what they agreed to",
            f"put it back as it was (git checkout {removal.last_in.short} -- {removal.path.name}, in its folder); "
            "a correction is a new version (build.py new-version), and every published version stays online",
        )
    for change in history.changes_after(published):
        where = [f"in commit {c.short} on {c.day}" for c in change.later_commits[:3]]
        where += ["in the working tree (not committed)"] if change.uncommitted else []
        run.report(
            change.path,
            change.line,
            f"published text changed after it took effect on {published[change.path]}: " + ", ".join(where),
            "published text must not change silently: undo the edit (the published text is in commit "
            f"{change.published_in.short}) and put the change in a new version with build.py new-version"
            + (
                f"; this is the {translations[change.path]} translation, which its readers were shown: a site "
                "that lets translations be corrected in place can set published_edited: warn in site.yaml"
                if change.path in translations
                else ""
            ),
        )


def _policies_gone(site: Site, removals: list[Removal]) -> dict[Path, tuple[list[Removal], str | None]]:
    """The removed published files whose whole policy folder is gone, by folder, with the policy that now
    holds files of all those names, if one does (the folder was most likely renamed; it may have gained
    versions since). Each policy is the guess of one folder at most: the one it shares most files with."""
    gone: dict[Path, list[Removal]] = {}
    for removal in removals:
        if not removal.path.parent.exists():
            gone.setdefault(removal.path.parent, []).append(removal)
    names = {policy.slug: {d.path.name for v in policy.versions for d in v.documents} for policy in site.policies}
    candidates = sorted(
        (len(removed), str(folder), slug)
        for folder, removed in gone.items()
        for slug, have in names.items()
        if {removal.path.name for removal in removed} <= have
    )
    renamed: dict[str, str] = {}
    for _shared, folder, slug in reversed(candidates):  # most shared files first
        if folder not in renamed and slug not in renamed.values():
            renamed[folder] = slug
    return {folder: (removed, renamed.get(str(folder))) for folder, removed in gone.items()}


def _files_phrase(count: int) -> str:
    return f"{count} published file{'s' if count > 1 else ''}"


def _in_force_phrase(days: list[date]) -> str:
    return (
        f"the version in force from {days[0]}" if len(days) == 1 else f"versions in force from {days[0]} to {days[-1]}"
    )


def material_unset(run: _Run) -> None:
    """An upcoming version that does not say whether its change is material."""
    for policy in run.site.policies:
        for version in policy.upcoming(run.today):
            document = version.original
            if document.material is None:
                run.report(
                    document.path,
                    front_matter_line(document, "material") or 2,
                    f"upcoming version {version.effective} of '{policy.slug}' does not say whether it is material",
                    "add 'material: true' if readers must be told about the change prominently, "
                    "or 'material: false' for a minor change",
                )


def translation_outdated(run: _Run) -> None:
    """A locale that the version in force, or an upcoming one, is not translated into: its readers see the
    original meanwhile (with a notice saying so, and which sections changed since their translation)."""
    default = run.site.config.default_locale
    for row in status_rows(run.site, run.today, run.render):
        original = row.version.original
        policy = run.site.policy(row.policy)
        unloaded = {(day, tag.lower()) for day, tag in _unloaded_files(run.site, policy)} if policy else set()
        for status in row.statuses:
            if status.state is State.UP_TO_DATE or (row.version.slug, status.locale.lower()) in unloaded:
                continue  # translated, or a file that did not load, whose errors are reported
            what = f"upcoming version {row.version.slug}" if row.upcoming else f"version {row.version.slug}, in force,"
            if status.translated is None:
                message = f"{what} has no {status.locale} text, nor has any earlier version of '{row.policy}'"
            elif not status.changes:
                message = (
                    f"{what} has no {status.locale} text: the last is of {status.translated.slug}, whose original "
                    "text is the same"
                )
            else:
                count = len(status.changes)
                message = (
                    f"{what} has no {status.locale} text: the last is of {status.translated.slug}, and {count} "
                    f"section{'s' if count != 1 else ''} changed since ({changed_labels(status)})"
                )
            readers = "will see" if row.upcoming else "see"
            draft = row.version.document(status.locale)
            name = f"{row.version.slug}.{status.locale}.md"
            todo = (
                f"finish the draft translation {draft.path.name} and remove its 'draft: true'"
                if draft is not None
                else f"translate {original.path.name} as {name}"
                + (
                    f" (a copy of {status.translated.slug}'s text will do)"
                    if status.translated and not status.changes
                    else ""
                )
            )
            run.report(
                original.path,
                None,
                f"{message}; readers in {status.locale} {readers} the {default} original, and are told so",
                todo
                + (f", before it takes effect on {row.version.slug}" if row.upcoming else "")
                + " (docs/translating.md); a site that publishes some policies in fewer languages can set "
                "translation_outdated: off in site.yaml",
            )


#: Every lint by its code, which is also its key under ``lints:`` in site.yaml.
LINTS: dict[str, Callable[[_Run], None]] = {
    "stale_policy": stale_policy,
    "check_regularly": check_regularly,
    "do_not_sell_link": do_not_sell_link,
    "published_edited": published_edited,
    "material_unset": material_unset,
    "translation_outdated": translation_outdated,
}
