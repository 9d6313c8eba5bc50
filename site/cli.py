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
from .errors import ContentError, PolicypressError, Problem, Severity

#: The folder, beside the output folder, that keeps rendered documents and build manifests between builds.
CACHE_NAME = ".policypress-cache"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from error


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

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--content",
            type=Path,
            default=Path("content"),
            help="the content folder holding site.yaml (default: content)",
        )
        sub.add_argument(
            "--today",
            type=_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="the date that decides which versions are in force (default: today)",
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
    return parser


def _app_config(args: argparse.Namespace) -> dict[str, Any]:
    from .workers import default_jobs

    return {"CONTENT_DIR": args.content, "TODAY": args.today, "JOBS": getattr(args, "jobs", None) or default_jobs()}


def format_problem(problem: Problem, style: str = "text") -> str:
    """Render one problem for a terminal, GitHub Actions, or a JSON consumer."""
    if style == "github":
        level = "error" if problem.severity is Severity.ERROR else "warning"
        line = f",line={problem.line}" if problem.line else ""
        message = problem.message + (f". {problem.hint}" if problem.hint else "")
        return f"::{level} file={problem.path}{line}::{message}"
    text = f"{problem.severity.value}: {problem.location()}: {problem.message}"
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
        from .buildcache import input_fingerprint, up_to_date

        htmx, translations = Path(config["HTMX_PATH"]), Path(config["TRANSLATIONS_DIR"])
        inputs = input_fingerprint(content=args.content, translations=translations, htmx=htmx, today=today)
        unchanged = up_to_date(cache_dir, args.out, inputs)
        if unchanged is not None:
            # The output already is the build of exactly these inputs: touch nothing, and say what it said then.
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
    if args.quiet:
        return
    for problem in warnings:
        print(format_problem(problem), file=sys.stderr)
    names = list(files)
    pages = sum(1 for name in names if name.endswith(".html"))
    elapsed = time.perf_counter() - started
    print(
        f"built {len(names)} files ({pages} pages) into {args.out} in {elapsed:.2f}s, "
        f"{written} written, {len(warnings)} warning(s)",
        flush=True,
    )
    if upcoming:
        print(f"rebuild on or after {upcoming} to publish the next version", flush=True)


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
    try:
        app = create_app(_app_config(args))
        with app.app_context():
            problems = list(get_publication().problems.items)
    except ContentError as error:
        problems = error.problems
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if args.format == "json":
        print(
            json.dumps(
                {
                    "errors": len(errors),
                    "warnings": len(problems) - len(errors),
                    "problems": [_problem_json(p) for p in problems],
                },
                indent=2,
            )
        )
    else:
        for problem in problems:
            print(format_problem(problem, args.format), file=sys.stdout if args.format == "github" else sys.stderr)
        if args.format == "text":
            print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)")
    return 1 if errors else 0


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
    app = create_app(_app_config(args))
    print(f"previewing {args.content} at http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False)
    return 0


COMMANDS = {"build": cmd_build, "check": cmd_check, "serve": cmd_serve}


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
