"""Stage 1: find the content files, validate them, and build the :class:`Site`.

Every problem is collected with its file and line; :func:`load_site` raises a
single :class:`~policypress.errors.ContentError` listing all of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

from .errors import Problem, Problems, Severity
from .inputs import Snapshot
from .model import RESERVED_SLUGS, SLUG, Document, Page, Policy, Site, Version
from .publicfiles import read_public_files
from .siteconfig import SiteConfig
from .sources import Reader, front_matter_line, is_leftover, load_memo, read_config, read_document
from .summary import SummaryReader
from .yamlsource import report_unreadable

VERSION_FILE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})\.(?P<locale>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\.md$")
#: The date a file name starts with, whatever follows it.
DATED = re.compile(r"(\d{4}-\d{2}-\d{2})")
PAGE_FILE = re.compile(r"^(?P<slug>[a-z][a-z0-9-]*)\.(?P<locale>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\.md$")


def load_site(
    root: Path, cache_dir: Path | None = None, inputs: Snapshot | None = None
) -> tuple[Site | None, Problems]:
    """Load and validate the content folder at ``root``.

    Returns the site (None when there is no ``site.yaml``) and every problem
    found.  The caller raises once the later stages have added theirs, so an
    editor sees all problems in one run: a ``site.yaml`` with errors does not stop
    the loading, the content is checked against what could be read of it (see
    :attr:`~policypress.siteconfig.SiteConfig.unread`).  With ``cache_dir``, files already
    validated in an earlier build are not validated again (see :mod:`~policypress.sources`).
    With ``inputs``, files are taken from what the build already read (see :mod:`~policypress.inputs`).
    """
    problems = Problems(root)
    if not content_folder_found(root, problems):
        return None, problems
    reader = Reader(load_memo(cache_dir), inputs)
    config = read_config(root / "site.yaml", problems, reader)
    if config is None:
        return None, problems
    policies = _load_policies(root / "policies", config, problems, reader)
    pages = _load_pages(root / "pages", config, problems, reader)
    _check_do_not_sell_page(root / "pages", config, pages, problems)
    public = read_public_files(root / "public", config, problems, reader)
    reader.save()
    unloaded = tuple(reader.unloaded)
    return Site(root=root, config=config, policies=policies, pages=pages, public=public, unloaded=unloaded), problems


def content_folder_found(root: Path, problems: Problems) -> bool:
    """Whether ``root`` is a folder; if not, record why (before any complaint about what it should hold)."""
    if root.is_dir():
        return True
    what = "is a file, not a folder" if root.is_file() else "does not exist"
    problems.add(root, None, f"the content folder {what}", "pass --content with the folder that holds site.yaml")
    return False


def _locale_of(tag: str, path: Path, config: SiteConfig, problems: Problems) -> str | None:
    try:
        return config.locale(tag).tag
    except KeyError:
        if "locales" in config.unread:  # the list in site.yaml has errors: the file may be right
            return tag
        known = ", ".join(locale.tag for locale in config.locales)
        problems.add(
            path,
            None,
            f"locale '{tag}' is not listed in site.yaml (known: {known})",
            "rename the file or add the locale to site.yaml",
        )
        return None


def _entries(folder: Path, problems: Problems) -> list[Path]:
    """What an editor put in ``folder`` (not hidden files, nor what editors' tools leave beside a file), in
    order: each one named in UTF-8 and, if a link, leading somewhere.  What is not, and a folder that cannot
    be listed, is reported."""
    try:
        found = sorted(path for path in folder.iterdir() if not (path.name.startswith(".") or is_leftover(path.name)))
    except OSError as error:
        report_unreadable(problems, folder, error, "folder")
        return []
    usable = []
    for path in found:
        try:
            path.name.encode("utf-8")
        except UnicodeEncodeError:
            problems.add(path, None, "the file name is not valid UTF-8", "rename it; names become URLs")
            continue
        if path.is_symlink() and not path.exists():
            problems.add(path, None, "a link to a file that does not exist", "remove the link, or restore its target")
            continue
        usable.append(path)
    return usable


def _load_policies(folder: Path, config: SiteConfig, problems: Problems, reader: Reader) -> tuple[Policy, ...]:
    before = len(problems.items)
    entries = _entries(folder, problems) if folder.is_dir() else []
    if not entries:
        if len(problems.items) == before:  # not when what is there could not be read
            problems.add(
                folder,
                None,
                "there are no policies",
                "add one as policies/<policy>/<YYYY-MM-DD>.<locale>.md (see docs/content.md)",
            )
        return ()
    policies = []
    for policy_dir in entries:
        if not policy_dir.is_dir():
            problems.add(
                policy_dir,
                None,
                "only folders belong in policies/",
                "move this file into policies/<policy>/ and name it <YYYY-MM-DD>.<locale>.md",
            )
            continue
        if policy_dir.name in RESERVED_SLUGS:
            problems.add(
                policy_dir,
                None,
                f"policy folder name {policy_dir.name!r} is the address of other pages of the site",
                f"choose another name (not one of {', '.join(sorted(RESERVED_SLUGS))})",
            )
            continue
        if not SLUG.match(policy_dir.name):
            problems.add(
                policy_dir,
                None,
                f"policy folder name {policy_dir.name!r} cannot be used in a URL",
                "use lowercase letters, digits and hyphens, starting with a letter",
            )
            continue
        policy = _load_policy(policy_dir, config, problems, reader)
        if policy:
            policies.append(policy)
    return tuple(policies)


def _load_policy(folder: Path, config: SiteConfig, problems: Problems, reader: Reader) -> Policy | None:
    errors_before = len(problems.errors)
    by_date: dict[date, dict[str, Document]] = defaultdict(dict)
    seen: dict[tuple[date, str], Path] = {}
    for path in _entries(folder, problems):
        match = VERSION_FILE.match(path.name)
        if path.is_dir():
            problems.add(
                path, None, "a folder inside a policy's folder", "versions are files: move its files up a level"
            )
            continue
        if not match or not path.is_file():
            problems.add(
                path,
                None,
                f"file name {path.name!r} does not match <YYYY-MM-DD>.<locale>.md",
                "rename it, for example 2024-01-15.en.md",
            )
            continue
        try:
            effective = date.fromisoformat(match["date"])
        except ValueError:
            problems.add(path, None, f"{match['date']!r} is not a real date", "use YYYY-MM-DD, for example 2024-01-15")
            continue
        locale = _locale_of(match["locale"], path, config, problems)
        if locale is None:
            continue
        if (effective, locale) in seen:
            problems.add(
                path,
                None,
                f"duplicate version: {seen[effective, locale].name} already holds {effective} in locale {locale}",
                "delete or rename one of the two files",
            )
            continue
        seen[effective, locale] = path
        document = read_document(path, locale, problems, reader)
        if document:
            by_date[effective][locale] = document
    versions = []
    in_doubt = _dates_in_error(problems.errors[errors_before:])
    for effective in sorted(by_date):
        documents = by_date[effective]
        default = config.default_locale
        if default not in documents and "default_locale" in config.unread:
            default = min(documents)  # which file is the original is unknown: any one, to check the texts
        if default not in documents:
            if effective not in in_doubt and None not in in_doubt:
                any_path = next(iter(documents.values())).path
                problems.add(
                    any_path,
                    None,
                    f"version {effective} has no {config.default_locale} file",
                    f"add {effective}.{config.default_locale}.md: every version starts in the default locale",
                )
            continue
        versions.append(Version(folder.name, effective, tuple(documents[k] for k in sorted(documents)), default))
    _check_summaries(versions, problems)
    if "default_locale" not in config.unread:
        _check_material(versions, problems)
    if not versions:
        if len(problems.errors) == errors_before:  # not when its files, or their originals, are in error
            # Only a working tree has one: git keeps no empty folders, so a clone never would.
            problems.add(
                folder,
                None,
                "this policy folder has no versions, so the site leaves it out",
                "add a file named <YYYY-MM-DD>.<locale>.md, or remove the folder",
                severity=Severity.WARNING,
            )
        return None
    return Policy(slug=folder.name, versions=tuple(versions))


def _dates_in_error(errors: list[Problem]) -> set[date | None]:
    """The versions whose original an error in a policy folder's files may hide: the date its file's name
    starts with, or None (any version) for a file whose name has none, such as a folder of versions or
    ``2024-02-30.en.md``.  An error in one version's files says nothing of another's."""
    dates: set[date | None] = set()
    for problem in errors:
        found = DATED.match(Path(problem.path).name)
        try:
            dates.add(date.fromisoformat(found[1]) if found else None)
        except ValueError:
            dates.add(None)
    return dates


def _check_summaries(versions: list[Version], problems: Problems) -> None:
    """Every version after the first says what changed, in every locale, in plain text."""
    reader = SummaryReader()
    for number, version in enumerate(versions):
        for document in version.documents:
            if number and not document.summary.strip():
                line = front_matter_line(document, "summary")
                problems.add(
                    document.path,
                    line or 2,
                    f"{'empty' if line else 'missing'} 'summary' (required on every version after the first)",
                    "say what changed, in a line such as 'summary: Added a section on cookies.' in the front matter",
                )
            found = reader.markdown_in(document.summary)
            if found:
                problems.add(
                    document.path,
                    front_matter_line(document, "summary"),
                    f"'summary' is plain text, but has Markdown ({found[0]}: {found[1]!r}), shown as written",
                    "write the summary as plain sentences; put links and emphasis in the text of the version",
                    severity=Severity.WARNING,
                )


def _check_material(versions: list[Version], problems: Problems) -> None:
    """A translation that says whether its version is material says what the original says (which decides)."""
    for version in versions:
        original = version.original
        for document in version.documents:
            if document is original or document.material is None or document.material == original.material:
                continue
            says = "does not say" if original.material is None else f"says 'material: {_yaml(original.material)}'"
            problems.add(
                document.path,
                front_matter_line(document, "material"),
                f"'material: {_yaml(document.material)}', but the original, {original.path.name}, {says}",
                "the original decides whether a change is material: remove 'material' from the translation, "
                "or change it in the original",
            )


def _yaml(value: bool) -> str:
    return "true" if value else "false"


DO_NOT_SELL = "do-not-sell"


def _load_pages(folder: Path, config: SiteConfig, problems: Problems, reader: Reader) -> tuple[Page, ...]:
    if not folder.is_dir():
        return ()
    by_slug: dict[str, dict[str, Document]] = defaultdict(dict)
    for path in _entries(folder, problems):
        match = PAGE_FILE.match(path.name)
        if not match or not path.is_file():
            problems.add(
                path,
                None,
                f"file name {path.name!r} does not match <page>.<locale>.md",
                "rename it, for example do-not-sell.en.md",
            )
            continue
        locale = _locale_of(match["locale"], path, config, problems)
        if locale is None:
            continue
        if locale in by_slug[match["slug"]]:
            problems.add(path, None, f"duplicate page {match['slug']!r} in locale {locale}", "keep one file")
            continue
        if match["slug"] != DO_NOT_SELL:  # read all the same, so that its other problems show in this run
            problems.add(
                path,
                None,
                f"no page is published from {path.name!r}: pages/ holds the Do Not Sell or Share page only",
                f"name it {DO_NOT_SELL}.{locale}.md, or make it a policy: "
                f"policies/{match['slug']}/<YYYY-MM-DD>.{locale}.md",
            )
        document = read_document(path, locale, problems, reader, page=True)
        if document:
            by_slug[match["slug"]][locale] = document
    return tuple(Page(slug, tuple(docs[k] for k in sorted(docs))) for slug, docs in sorted(by_slug.items()))


def _check_do_not_sell_page(folder: Path, config: SiteConfig, pages: tuple[Page, ...], problems: Problems) -> None:
    """The Do Not Sell page exists exactly when site.yaml says what it is for."""
    if config.unread & {"privacy_choices", "default_locale"}:
        return  # site.yaml has errors there: what it means to say is unknown
    page = next((p for p in pages if p.slug == DO_NOT_SELL), None)
    choices = config.privacy_choices
    expected = folder / f"{DO_NOT_SELL}.{config.default_locale}.md"
    if page is not None and choices is None:
        problems.add(
            page.documents[0].path,
            None,
            "there is a Do Not Sell page but site.yaml has no privacy_choices",
            "add 'privacy_choices:' with 'sells_or_shares: true' or 'false' to site.yaml (see docs/content.md)",
        )
    elif page is not None and page.document(config.default_locale) is None:
        problems.add(
            page.documents[0].path,
            None,
            f"the Do Not Sell page has no {config.default_locale} file",
            f"add {expected.name}: every page starts in the default locale",
        )
    elif page is None and choices is not None and choices.sells_or_shares:
        problems.add(
            expected,
            None,
            "privacy_choices.sells_or_shares is true but the Do Not Sell page is missing",
            "write the page's text in this file (see docs/do-not-sell.md)",
        )
