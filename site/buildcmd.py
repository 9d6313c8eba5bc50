"""The ``build`` command: install htmx, build once or on every change, report in one line.

Kept apart from the other commands because the nothing-changed fast path must
not import Flask, pydantic or markdown-it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from . import PROJECT_DIR, create_app, default_config
from .errors import ContentError, PolicypressError, Problem

CACHE_NAME = ".policypress-cache"


def app_config(args: argparse.Namespace) -> dict[str, Any]:
    config: dict[str, Any] = {"CONTENT_DIR": args.content, "TODAY": args.today}
    if args.translations is not None:
        config["TRANSLATIONS_DIR"] = args.translations
    if getattr(args, "compare_all_pairs_up_to", None) is not None:
        config["COMPARE_ALL_PAIRS_MAX_VERSIONS"] = args.compare_all_pairs_up_to
    from .workers import default_jobs

    config["JOBS"] = getattr(args, "jobs", None) or default_jobs()
    return config


def ensure_clone() -> None:
    """Every command needs the files of the clone beside the package: raise when it was installed elsewhere."""
    if not (PROJECT_DIR / "package.json").is_file():
        raise PolicypressError(
            f"Policypress runs from a clone of its repository, installed with 'python3 -m pip install -e .' "
            f"from the clone: it needs the clone's package.json and translations/ beside its code, and there are "
            f"none in {PROJECT_DIR}"
        )


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
    translations = args.translations or Path(default_config()["TRANSLATIONS_DIR"])
    folders = [args.content, translations, package]  # the package: its templates
    watcher = Watcher(folder for folder in folders if folder.is_dir())
    _build_or_report(args)
    print(f"watching {args.content} for changes; press Ctrl+C to stop", file=sys.stderr, flush=True)
    while True:  # until Ctrl+C, which main() turns into exit code 130
        changed = watcher.wait()
        # This process keeps the code it imported (templates and static files it reads afresh).
        code = sorted(
            os.path.relpath(path, package)
            for path in changed
            if path.endswith(".py") and path.startswith(os.path.join(package, ""))
        )
        if code:
            print(
                f"{', '.join(code)} changed: this --watch runs Policypress's code as it was when it started; "
                "press Ctrl+C and start it again to use the change",
                file=sys.stderr,
                flush=True,
            )
        if len(code) < len(changed):
            _build_or_report(args)


def _build_or_report(args: argparse.Namespace) -> None:
    """One build of a --watch session: content errors are shown, and the watch goes on."""
    try:
        _build(args)
    except ContentError as error:
        from .report import print_content_error

        print_content_error(error, "the output was left as it was")


def _build(args: argparse.Namespace) -> int:
    """Build once; when the inputs are exactly those of the last build of ``--out``, do nothing."""
    started = time.perf_counter()
    from .output import check_destination

    config = default_config()
    translations = args.translations or Path(config["TRANSLATIONS_DIR"])
    check_destination(args.out.resolve(), args.content, translations)  # before anything is written beside it
    cache_dir = None if args.no_cache else args.out.resolve().parent / CACHE_NAME
    # One date for the whole build, even one that runs past midnight.
    today = args.today or date.today()
    inputs = None
    previous = None
    touched = None
    settings = {**app_config(args), "TODAY": today, "CACHE_DIR": cache_dir}
    if cache_dir is None:
        from .buildcache import forget_manifest

        # This build is not recorded: the next cached build must not trust the old record of the folder.
        forget_manifest(args.out.resolve().parent / CACHE_NAME, args.out)
    else:
        from .buildcache import TouchedFiles, load_manifest, up_to_date
        from .inputs import snapshot
        from .output import remove_stale_staging

        htmx, translations = (
            Path(config["HTMX_PATH"]),
            Path(settings.get("TRANSLATIONS_DIR", config["TRANSLATIONS_DIR"])),
        )
        shaping = repr(settings.get("COMPARE_ALL_PAIRS_MAX_VERSIONS"))
        inputs = snapshot(content=args.content, translations=translations, htmx=htmx, today=today, settings=shaping)
        previous = load_manifest(cache_dir, args.out)
        if up_to_date(previous, args.out, inputs.fingerprint):
            assert previous is not None
            # The output already is the build of exactly these inputs: touch nothing, and say what it said then.
            remove_stale_staging(args.out)  # but clear what a killed build left beside it
            _report_build(args, started, previous.files, 0, previous.warnings, previous.upcoming)
            return 0
        # The loader reads the content files from the snapshot: each is read and hashed once per build.
        settings["INPUTS"] = inputs
        if previous is not None:
            touched = TouchedFiles(previous, args.out.resolve())  # checked by a child while this process loads

    from .freeze import count_urls, freeze

    try:
        app = create_app(settings)
        publication = app.extensions["policypress"]
        on_file, close = _progress(app, count_urls, quiet=args.quiet)
        try:
            result = freeze(
                app,
                args.out,
                on_file,
                jobs=settings["JOBS"],
                cache_dir=cache_dir,
                inputs=inputs,
                previous=previous,
                touched=touched,
            )
        finally:
            close()
    finally:
        if touched is not None:
            touched.close()  # when the build stopped before asking (bad content, say)
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
    if on_terminal and warnings:
        from .report import format_problem  # not imported by a build with nothing to show: it pulls in markdown-it

        for problem in warnings:
            print(format_problem(problem), file=sys.stderr)
    names = list(files)
    pages = sum(1 for name in names if name.endswith(".html"))
    elapsed = time.perf_counter() - started
    summary = f"built {len(names)} files ({pages} pages) into {args.out} in {elapsed:.1f}s, {written} written, "
    summary += f"{len(warnings)} warning(s)" + (
        "" if on_terminal or not warnings else " (build.py check lists them, and runs the compliance lints)"
    )
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
