#!/usr/bin/env python3
"""Run one command and report its wall time and peak memory as JSON.

Each benchmark phase runs under its own copy of this script, so
``getrusage(RUSAGE_CHILDREN)`` sees that phase's processes only.  Two memory
figures are reported: ``max_rss_mb``, the resident set of the largest single
process (from the kernel), and ``peak_pss_mb``, the largest sum of the
proportional set sizes of the command and all its descendants, sampled every
20 ms from ``/proc`` (pages shared after a fork are counted once).

    python benchmarks/measure.py -- python build.py build --out /tmp/x
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after it.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kb(root: int) -> int:
    """The summed PSS of ``root`` and every process below it."""
    tree, total, stack = _children(), 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss_kb(pid)
        stack.extend(tree.get(pid, ()))
    return total


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print("usage: measure.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    peak = [0]
    done = threading.Event()
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], tree_pss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "returncode": process.returncode,
                "wall_seconds": wall,
                "max_rss_mb": usage.ru_maxrss / 1024,
                "peak_pss_mb": peak[0] / 1024,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "stdout": stdout[-4000:],
                "stderr": stderr[-4000:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
