#!/usr/bin/env python3
"""Benchmark version histories: how long a build takes as the number of versions grows.

Generates POLICIES policies x LOCALES locales x VERSIONS versions of 20-40 KB of
Markdown each (every version edits a few words, adds a section and drops a
paragraph), freezes the site in-process, and prints the time per file written
and per comparison pre-rendered.  Run it from the project folder:

    python benchmarks/history.py                      # 10 x 4 x 12
    python benchmarks/history.py --versions 20 --max-all-pairs 15

Output goes to benchmarks/out/ (ignored by git).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
LOCALES = ["en", "de", "fr", "ja"]
WORDS = (
    "we collect use share keep delete personal information data account service provider law request "
    "right access correct consent purpose security contract days months email address device notes "
    "backup transfer country safeguard processor controller cookie analytics support contact"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def _section(rng: random.Random, number: int) -> list[str]:
    blocks = [f"## Section {number} {rng.choice(WORDS)}"]
    for _ in range(rng.randint(2, 4)):
        kind = rng.random()
        if kind < 0.7:
            blocks.append(_paragraph(rng))
        elif kind < 0.85:
            blocks.append("\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(3, 6))))
        else:
            rows = "\n".join(f"| {rng.choice(WORDS)} | {_sentence(rng)} |" for _ in range(rng.randint(3, 6)))
            blocks.append("| Item | Purpose |\n|---|---|\n" + rows)
    if number % 6 == 5:
        region = rng.choice(["eea", "california", "prc"])
        return [f"::: region {region}", *blocks, ":::"]
    return blocks


def _edit(rng: random.Random, sections: list[list[str]], number: int) -> list[list[str]]:
    """The next version: a few words changed, one paragraph gone, one section added."""
    edited = [list(section) for section in sections]
    for section in rng.sample(edited, 3):
        index = rng.randrange(1, len(section))
        if not section[index].startswith(":::"):
            words = section[index].split(" ")
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            section[index] = " ".join(words)
    victim = rng.choice(edited)
    paragraphs = [i for i, block in enumerate(victim) if i > 0 and block[0].isupper() and not block.startswith("|")]
    if len(paragraphs) > 1:
        del victim[paragraphs[-1]]
    edited.insert(rng.randrange(len(edited) + 1), _section(rng, 100 + number))
    return edited


def generate(root: Path, policies: int, versions: int, seed: int = 1) -> date:
    """Write the content folder; return the date on which the last version but one is current."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "policies").mkdir(parents=True)
    (root / "site.yaml").write_text(
        "organisation: {name: Bench, legal_name: Bench Ltd., email: a@b.example, address: 1 Road}\n"
        "base_url: https://bench.example\ndefault_locale: en\n"
        f"locales: [{', '.join(LOCALES)}]\n"
        "regions:\n  - {id: eea, name: EEA, law: GDPR}\n  - {id: california, name: California, law: CCPA}\n"
        "  - {id: prc, name: PRC, law: PIPL}\n"
    )
    rng = random.Random(seed)
    start = date(2020, 1, 1)
    for number in range(policies):
        folder = root / "policies" / f"policy-{number}"
        folder.mkdir()
        sections = [_section(rng, n) for n in range(rng.randint(14, 22))]
        for version in range(versions):
            if version:
                sections = _edit(rng, sections, version)
            effective = start + timedelta(days=90 * version)
            for locale in LOCALES:
                summary = f"\nsummary: Change {version} in {locale}." if version else ""
                body = "\n\n".join("\n\n".join(section) for section in sections)
                if locale != "en":
                    body = body.replace("we ", f"we-{locale} ")
                text = f"---\ntitle: Policy {number}{summary}\n---\n{body}\n"
                (folder / f"{effective.isoformat()}.{locale}.md").write_text(text)
    return start + timedelta(days=90 * (versions - 2) + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--policies", type=int, default=10)
    parser.add_argument("--versions", type=int, default=12)
    parser.add_argument("--max-all-pairs", type=int, default=None, help="COMPARE_ALL_PAIRS_MAX_VERSIONS")
    args = parser.parse_args()

    from policypress import create_app
    from policypress.freeze import freeze

    content = OUT / "content"
    today = generate(content, args.policies, args.versions)
    sizes = [p.stat().st_size for p in content.rglob("*.md")]
    print(f"{len(sizes)} files, {min(sizes) // 1024}-{max(sizes) // 1024} KB each, today {today}")
    config = {"CONTENT_DIR": content, "TODAY": today}
    if args.max_all_pairs is not None:
        config["COMPARE_ALL_PAIRS_MAX_VERSIONS"] = args.max_all_pairs
    # CPU time as well as wall time: on a busy machine only the first is repeatable.
    started, cpu_started = time.perf_counter(), time.process_time()
    app = create_app(config)
    loaded, cpu_loaded = time.perf_counter(), time.process_time()
    result = freeze(app, OUT / "build")
    done, cpu_done = time.perf_counter(), time.process_time()
    # A comparison is one file per pair and locale: <locale>/<policy>/compare/<old>/<new>/index.html.
    compares = sum(1 for name in result.files if re.search(r"/compare/[\d-]+/[\d-]+/index\.html$", name))
    print(f"load and render: {loaded - started:.1f}s wall, {cpu_loaded - cpu_started:.1f}s CPU")
    print(f"freeze: {done - loaded:.1f}s wall, {cpu_done - cpu_loaded:.1f}s CPU")
    print(f"{len(result.files)} files, {compares} comparisons (pairs x locales)")
    print(f"{(cpu_done - cpu_loaded) / len(result.files) * 1000:.2f} ms CPU per file")


if __name__ == "__main__":
    main()
