"""Stage 5b: the command line, ``python build.py <command>``.

This is the only place that prints problems and turns them into exit codes.
"""

from __future__ import annotations

import argparse
import errno
import gc
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import create_app, default_config, get_publication
from .buildcmd import CACHE_NAME, app_config, cmd_build, ensure_clone
from .errors import ContentError, PolicypressError, Problem, Problems, Severity, in_order

if TYPE_CHECKING:
    from .siteconfig import SiteConfig


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value):  # the form is right, the month or the day is not
            raise argparse.ArgumentTypeError(
                f"{value!r} is not a day of the calendar: check its month and day"
            ) from error
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from error


def _folder(value: str) -> Path:
    if not Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"there is no folder {value!r}")
    return Path(value)


def _at_least_two(value: str) -> int:
    if not value.isdigit() or int(value) < 2:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 2")
    return int(value)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return number


def _port(value: str) -> int:
    """A TCP port to listen on: a number the socket takes as written (a larger one would wrap to another)."""
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number from 1 to 65535")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Policypress: publish privacy policies from Markdown as a static website.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def content_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--content",
            type=Path,
            default=Path("content"),
            help="the content folder holding site.yaml (default: content)",
        )

    def common(sub: argparse.ArgumentParser) -> None:
        content_option(sub)
        sub.add_argument(
            "--today",
            type=_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="the date that decides which versions are in force (default: today)",
        )
        sub.add_argument(
            "--compare-all-pairs-up-to",
            type=_at_least_two,
            default=None,
            metavar="N",
            help="pre-render a comparison of every pair of versions for policies with at most N published "
            "versions; longer histories get each version with the previous and with the current one "
            "(default: 15; see docs/versions.md)",
        )
        translations_option(sub)

    def translations_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--translations",
            type=_folder,
            default=None,
            metavar="DIR",
            help="the folder of interface catalogs (default: the translations folder beside build.py)",
        )

    build = commands.add_parser(
        "build",
        help="freeze the site into a folder of static files",
        description="Freeze the site into a folder a static host can serve.",
    )
    common(build)
    build.add_argument("--out", type=Path, default=Path("build"), help="the output folder (default: build)")
    build.add_argument("--quiet", action="store_true", help="print nothing but errors")
    build.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="processes that render and freeze in parallel (default: one per CPU core)",
    )
    build.add_argument(
        "--watch",
        action="store_true",
        help="after building, rebuild whenever the content, translations or templates change (Ctrl+C stops)",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help=f"ignore and do not write the {CACHE_NAME}/ folder beside the output: rebuild everything",
    )

    serve = commands.add_parser(
        "serve",
        help="run a preview server for editors",
        description="Serve the site live from the content folder for previewing.",
    )
    common(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")

    check = commands.add_parser(
        "check",
        help="validate the content and report every problem",
        description="Validate the content; exit 1 if there is any error.",
    )
    common(check)
    check.add_argument(
        "--format", choices=("text", "github", "json"), default="text", help="how to print problems (default: text)"
    )
    translations = commands.add_parser(
        "translations",
        help="extract interface strings, update every catalog, compile them",
        description=(
            "Extract every interface string into translations/messages.pot, merge it into each "
            "locale's messages.po (creating catalogs for the site's new locales), and compile the .mo "
            "files. Safe to run any time: unchanged catalogs are not rewritten. See docs/translating.md."
        ),
    )
    translations.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        help="the content folder whose site.yaml lists the locales that need catalogs (default: content)",
    )
    translations_option(translations)

    new = commands.add_parser(
        "new-version",
        help="start a new version of a policy by copying the latest one",
        description="Copy the latest version of a policy, in every locale, to a new effective date. "
        "The copies have an empty summary, which check insists you write.",
    )
    new.add_argument("policy", help="the policy's folder name under policies/, for example privacy")
    content_option(new)
    new.add_argument(
        "--date",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day the new version takes effect (default: today)",
    )
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    from .catalogs import verify
    from .lints import run_lints
    from .report import format_problem, problem_json
    from .translation_status import format_status, status_json, status_rows

    status: list[Any] = []
    table = ""
    try:
        app = create_app(app_config(args))
        with app.app_context():
            publication = get_publication()
            config = publication.library.site.config
            verify(Path(app.config["TRANSLATIONS_DIR"]), config, publication.problems, args.content)
            problems = list(publication.problems.items)
            rows = status_rows(publication.library.site, publication.today, publication.library.rendered)
            others = [locale.tag for locale in config.locales if locale.tag != config.default_locale]
            status = status_json(rows)
            table = format_status(rows, others, config.default_locale, publication.today.isoformat())
            library = publication.library
            label = _label_in(Path(app.config["TRANSLATIONS_DIR"]), config)
            problems += run_lints(library.site, publication.today, library.rendered, label)
    except ContentError as error:
        problems = in_order([*_with_catalog_problems(args, error.everything), *_lints_despite_errors(args)])
    counts = {severity: sum(1 for p in problems if p.severity is severity) for severity in Severity}
    if args.format == "json":
        print(
            json.dumps(
                {
                    "errors": counts[Severity.ERROR],
                    "warnings": counts[Severity.WARNING],
                    "notes": counts[Severity.NOTE],
                    "problems": [problem_json(p) for p in problems],
                    "translations": status,
                },
                indent=2,
            )
        )
    else:
        for problem in problems:
            print(format_problem(problem, args.format), file=sys.stdout if args.format == "github" else sys.stderr)
        if table:
            print(table)
        if args.format == "text":
            notes = f", {counts[Severity.NOTE]} note(s)" if counts[Severity.NOTE] else ""
            print(f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s){notes}")
    return 1 if counts[Severity.ERROR] else 0


def _with_catalog_problems(args: argparse.Namespace, problems: list[Problem]) -> list[Problem]:
    """``problems`` and what :func:`~policypress.catalogs.verify` finds, once each: content that failed to load
    (a catalog whose placeholders are wrong fails it) still gets every catalog's problems listed at once."""
    from .catalogs import verify
    from .config import load_config

    config = load_config(args.content / "site.yaml", Problems(args.content))  # its errors are already listed
    if config is None:
        return problems
    found = Problems(args.content)
    verify(args.translations or Path(default_config()["TRANSLATIONS_DIR"]), config, found, args.content)
    return in_order(list(dict.fromkeys([*problems, *found.items])))


def _lints_despite_errors(args: argparse.Namespace) -> list[Problem]:
    """The lints over what loaded of content that has errors: the files with errors are left out, which is what
    each error already says.  Not with a site.yaml read only in part: the lints' levels, regions and locales
    come from it."""
    from .lints import run_lints
    from .loader import load_site

    site, _problems = load_site(args.content)  # its problems are already listed
    if site is None or site.config.unread:
        return []
    label = _label_in(args.translations or Path(default_config()["TRANSLATIONS_DIR"]), site.config)
    return run_lints(site, args.today or date.today(), label=label)


def _label_in(folder: Path, config: SiteConfig) -> Callable[[str], str]:
    """The Do Not Sell link's label in a locale of the site, as its pages show it (for the lints' hints)."""
    from babel.support import Translations

    from .lints import DO_NOT_SELL_LABEL

    catalogs = {locale.tag: Translations.load(str(folder), [locale.babel_id]) for locale in config.locales}
    return lambda tag: catalogs[tag].gettext(DO_NOT_SELL_LABEL) if tag in catalogs else DO_NOT_SELL_LABEL


def cmd_translations(args: argparse.Namespace) -> int:
    from .catalogs import refresh
    from .config import load_config
    from .loader import content_folder_found

    folder = args.translations or Path(default_config()["TRANSLATIONS_DIR"])
    problems = Problems(args.content)
    config = load_config(args.content / "site.yaml", problems) if content_folder_found(args.content, problems) else None
    problems.raise_if_errors()
    for report in refresh(folder, config):
        state = "updated" if report.written else "unchanged"
        todo = (
            f"{report.untranslated} untranslated, {report.fuzzy} fuzzy"
            if report.untranslated or report.fuzzy
            else "complete"
        )
        print(f"{report.locale}: {report.total} strings, {todo} ({report.path}, {state})")
    print(f"wrote {folder / 'messages.pot'} and compiled the catalogs")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .report import format_problem

    app = create_app({**app_config(args), "RELOAD": True})
    for problem in app.extensions["policypress.preview"].problems:
        print(format_problem(problem), file=sys.stderr)
    from .basepath import base_path

    print(f"previewing {args.content} at http://{args.host}:{args.port}{base_path(app)}/ (Ctrl+C to stop)")
    print("edits to the content, templates and translations show when you reload a page", flush=True)
    # Flask's own reloader restarts the process; the preview reloads the content in place instead.
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)
    return 0


def cmd_new_version(args: argparse.Namespace) -> int:
    from .scaffold import new_version

    effective = args.date or date.today()
    result = new_version(args.content, args.policy, effective)
    for item in result.created:
        print(f"created {Problems(args.content).display_path(item.path)} (a copy of {item.source.name})")
    if result.drafts_skipped:
        drafts = ", ".join(day.isoformat() for day in result.drafts_skipped)
        print(f"note: the draft of {drafts} is not approved text, so it was not copied; it stays as it is")
    if result.draft_translations:
        names = ", ".join(result.draft_translations)
        print(
            f"note: {names} is a draft, not approved text, so its copy is a draft too: "
            "remove 'draft: true' from it once the translation is approved"
        )
    if effective < date.today():
        print(
            f"warning: {effective.isoformat()} has passed: from the next build this version shows as in force "
            "since that day; readers were not told in advance",
            file=sys.stderr,
        )
    content = "" if args.content == Path("content") else f" --content {args.content}"
    print(
        "\nnext:\n"
        "  1. edit the text of the new file(s)\n"
        "  2. write what changed after 'summary:' in each file (check fails until you do)\n"
        "  3. set 'material: true' if readers must be told about the change prominently, else 'material: false'\n"
        f"  4. preview it:  python build.py serve{content} --today {effective.isoformat()}\n"
        f"  5. check it:    python build.py check{content}\n"
        f"  6. commit the files; the first build on or after {effective.isoformat()} publishes the version"
        + (" once you remove 'draft: true' (it copies a draft)" if result.draft else "")
    )
    return 0


COMMANDS = {
    "build": cmd_build,
    "check": cmd_check,
    "serve": cmd_serve,
    "new-version": cmd_new_version,
    "translations": cmd_translations,
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit code (0 success, 1 content errors, 2 usage)."""
    args = _parser().parse_args(argv)
    try:
        ensure_clone()
        return COMMANDS[args.command](args)
    except ContentError as error:
        # Imported only to show problems: the report pulls in the lints, and they the Markdown parser.
        from .report import print_content_error

        print_content_error(error, "nothing was written")
        return 1
    except PolicypressError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader of our output left (check | head): nothing more to say
        return 1
    except OSError as error:  # the disk, not the content: an output folder that cannot be written, say
        print(f"error: {_disk_problem(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _disk_problem(error: OSError) -> str:
    """Say which file or folder failed, why, and what to do: a full disk needs room, not a check of the path."""
    where = f"{error.filename}: " if error.filename else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{where}{error.strerror}; free some space on that disk, then try again"
    return f"{where}{error.strerror or error}; check that it exists and that you may use it"


def run() -> NoReturn:
    """``build.py``: run :func:`main` and exit with its code.

    On the way out the interpreter's last garbage collections walk every object still alive: for a
    build, the whole loaded site, a tenth of a second of a rebuild that takes under one.  Frozen,
    those objects are left to the operating system instead (they are still freed, not collected).
    """
    status = main()
    gc.freeze()
    sys.exit(status)
