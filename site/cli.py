"""Stage 5b: the command line, ``python build.py <command>``.

This is the only place that prints problems and turns them into exit codes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from . import PROJECT_DIR, create_app, default_config, get_publication
from .errors import ContentError, PolicypressError, Problem, Problems, Severity
from .lints import LINTS, run_lints

#: The folder, beside the output folder, that keeps rendered documents and build manifests between builds.
CACHE_NAME = ".policypress-cache"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from error


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
            type=Path,
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
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")

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


def _app_config(args: argparse.Namespace) -> dict[str, Any]:
    config: dict[str, Any] = {"CONTENT_DIR": args.content, "TODAY": args.today}
    if args.translations is not None:
        config["TRANSLATIONS_DIR"] = args.translations
    if getattr(args, "compare_all_pairs_up_to", None) is not None:
        config["COMPARE_ALL_PAIRS_MAX_VERSIONS"] = args.compare_all_pairs_up_to
    from .workers import default_jobs

    config["JOBS"] = getattr(args, "jobs", None) or default_jobs()
    return config


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


def ensure_htmx(htmx_path: Path) -> None:
    """Install the pinned htmx.org npm package if it is missing or outdated."""
    manifest = json.loads((PROJECT_DIR / "package.json").read_text())
    wanted = manifest["dependencies"]["htmx.org"]
    installed = htmx_path.parent.parent / "package.json"
    if htmx_path.is_file() and installed.is_file() and json.loads(installed.read_text())["version"] == wanted:
        return
    print(f"installing htmx.org {wanted} with npm ci ...", file=sys.stderr)
    try:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PROJECT_DIR, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise PolicypressError(
            f"could not install htmx with npm ({error}); install Node.js and npm, then retry"
        ) from error


def cmd_build(args: argparse.Namespace) -> int:
    ensure_htmx(Path(default_config()["HTMX_PATH"]))
    if not args.watch:
        return _build(args)
    from .watch import Watcher

    package = Path(__file__).resolve().parent
    folders = [args.content, Path(default_config()["TRANSLATIONS_DIR"]), package / "templates", package / "static"]
    watcher = Watcher(folder for folder in folders if folder.is_dir())
    _build_or_report(args)
    print(f"watching {args.content} for changes; press Ctrl+C to stop", file=sys.stderr, flush=True)
    while True:  # until Ctrl+C, which main() turns into exit code 130
        watcher.wait()
        _build_or_report(args)


def _build_or_report(args: argparse.Namespace) -> None:
    """One build of a --watch session: content errors are shown, and the watch goes on."""
    try:
        _build(args)
    except ContentError as error:
        for problem in error.problems:
            print(format_problem(problem), file=sys.stderr)
        print(f"{len(error.problems)} error(s); the output was left as it was", file=sys.stderr, flush=True)


def _build(args: argparse.Namespace) -> int:
    """Build once; when the inputs are exactly those of the last build of ``--out``, do nothing."""
    started = time.perf_counter()
    config = default_config()
    cache_dir = None if args.no_cache else args.out.resolve().parent / CACHE_NAME
    # One date for the whole build, even one that runs past midnight.
    today = args.today or date.today()
    inputs = ""
    if cache_dir is not None:
        from .buildcache import input_fingerprint, remove_stale_staging, up_to_date

        htmx, translations = Path(config["HTMX_PATH"]), Path(config["TRANSLATIONS_DIR"])
        inputs = input_fingerprint(content=args.content, translations=translations, htmx=htmx, today=today)
        unchanged = up_to_date(cache_dir, args.out, inputs)
        if unchanged is not None:
            # The output already is the build of exactly these inputs: touch nothing, and say what it said then.
            remove_stale_staging(args.out.resolve().parent)  # but clear what a killed build left beside it
            _report_build(args, started, unchanged.files, 0, unchanged.warnings, unchanged.upcoming)
            return 0

    from .freeze import count_urls, freeze

    app_config = {**_app_config(args), "TODAY": today, "CACHE_DIR": cache_dir}
    app = create_app(app_config)
    publication = app.extensions["policypress"]
    on_file, close = _progress(app, count_urls, quiet=args.quiet)
    try:
        result = freeze(app, args.out, on_file, jobs=app_config["JOBS"], cache_dir=cache_dir, inputs=inputs)
    finally:
        close()
    if args.quiet:
        return 0
    warnings = publication.problems.warnings
    _report_build(args, started, result.files, result.written, warnings, result.upcoming)
    return 0


def _report_build(
    args: argparse.Namespace,
    started: float,
    files: Iterable[str],
    written: int,
    warnings: Sequence[Problem],
    upcoming: str,
) -> None:
    """One summary line; on a terminal the warnings too (in CI logs, ``check`` lists them)."""
    if args.quiet:
        return
    on_terminal = sys.stderr.isatty()
    if on_terminal:
        for problem in warnings:
            print(format_problem(problem), file=sys.stderr)
    names = list(files)
    pages = sum(1 for name in names if name.endswith(".html"))
    elapsed = time.perf_counter() - started
    summary = f"built {len(names)} files ({pages} pages) into {args.out} in {elapsed:.1f}s, {written} written, "
    summary += f"{len(warnings)} warning(s)" + ("" if on_terminal or not warnings else " (build.py check lists them)")
    if upcoming:
        summary += f"; rebuild on or after {upcoming} to publish the next version"
    print(summary, flush=True)


def _progress(app, count_urls, *, quiet: bool):  # type: ignore[no-untyped-def]
    """A tqdm bar on a terminal; nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    # No monitor thread: the build forks workers, and forking a threaded process is unsafe.
    tqdm.monitor_interval = 0
    bar = tqdm(total=count_urls(app), unit="file", desc="building", file=sys.stderr, leave=False)
    return (lambda _url: bar.update()), bar.close


def cmd_check(args: argparse.Namespace) -> int:
    from .catalogs import verify
    from .translation_status import format_status, status_json, status_rows

    status: list[Any] = []
    table = ""
    try:
        app = create_app(_app_config(args))
        with app.app_context():
            publication = get_publication()
            config = publication.library.site.config
            verify(Path(app.config["TRANSLATIONS_DIR"]), config, publication.problems)
            problems = list(publication.problems.items)
            rows = status_rows(publication.library)
            others = [locale.tag for locale in config.locales if locale.tag != config.default_locale]
            status = status_json(rows)
            table = format_status(rows, others, config.default_locale, publication.today.isoformat())
            problems += run_lints(publication.library.site, publication.today, publication.library.rendered)
    except ContentError as error:
        problems = error.problems
    counts = {severity: sum(1 for p in problems if p.severity is severity) for severity in Severity}
    if args.format == "json":
        print(
            json.dumps(
                {
                    "errors": counts[Severity.ERROR],
                    "warnings": counts[Severity.WARNING],
                    "notes": counts[Severity.NOTE],
                    "problems": [_problem_json(p) for p in problems],
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


def cmd_translations(args: argparse.Namespace) -> int:
    from .catalogs import refresh
    from .loader import load_config

    folder = args.translations or Path(default_config()["TRANSLATIONS_DIR"])
    problems = Problems(args.content)
    config = load_config(args.content / "site.yaml", problems)
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


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.path,
        "line": problem.line,
        "severity": problem.severity.value,
        "code": problem.code,
        "message": problem.message,
        "hint": problem.hint,
    }


def cmd_serve(args: argparse.Namespace) -> int:
    app = create_app({**_app_config(args), "RELOAD": True})
    for problem in app.extensions["policypress.preview"].problems:
        print(format_problem(problem), file=sys.stderr)
    print(f"previewing {args.content} at http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    print("edits to the content, templates and translations show when you reload a page", flush=True)
    # Flask's own reloader restarts the process; the preview reloads the content in place instead.
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)
    return 0


def cmd_new_version(args: argparse.Namespace) -> int:
    from .scaffold import new_version

    effective = args.date or date.today()
    created = new_version(args.content, args.policy, effective)
    for item in created:
        print(f"created {Problems(args.content).display_path(item.path)} (a copy of {item.source.name})")
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
        return COMMANDS[args.command](args)
    except ContentError as error:
        for problem in error.problems:
            print(format_problem(problem), file=sys.stderr)
        print(f"{len(error.problems)} error(s); nothing was written", file=sys.stderr)
        return 1
    except PolicypressError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
