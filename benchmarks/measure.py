#!/usr/bin/env python3
"""Run one command and report its wall time and peak memory as JSON.

Each benchmark phase runs under its own copy of this script, so
``getrusage(RUSAGE_CHILDREN)`` sees that phase's processes only.  Two memory
figures are reported: ``max_rss_mb``, the resident set of the largest single
process (from the kernel), and ``peak_pss_mb``, the largest sum of the
proportional set sizes of the command and all its descendants, sampled every
50 ms from ``/proc`` (pages shared after a fork are counted once).

On a machine shared with other work, wall time says more about the others
than about the command.  ``critical_cpu_seconds`` estimates the wall time on
an idle machine: the CPU time of the command's own process plus that of its
worker processes divided by how many ran at once (the build's workers take
equal shares).  Worker CPU is sampled from ``/proc`` at the same rate.

    python benchmarks/measure.py -- python build.py build --out /tmp/x
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    """The direct children of ``pid`` (every thread's list: a child belongs to the thread that forked it)."""
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(child) for child in (task / "children").read_text().split())
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


class Sampler:
    """Peak PSS of a process tree, and the CPU time of each process below its root."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_pss_kb = 0
        self.most_workers = 0
        self.worker_ticks: dict[int, int] = {}

    def sample(self) -> None:
        total, stack = 0, [self.root]
        workers = 0
        while stack:
            pid = stack.pop()
            total += _pss_kb(pid)
            if pid != self.root:
                workers += 1
                self.worker_ticks[pid] = max(self.worker_ticks.get(pid, 0), _cpu_ticks(pid))
            stack.extend(_children(pid))
        self.peak_pss_kb = max(self.peak_pss_kb, total)
        self.most_workers = max(self.most_workers, workers)

    def critical_cpu(self, total_cpu: float) -> float:
        workers = sum(self.worker_ticks.values()) / os.sysconf("SC_CLK_TCK")
        workers = min(workers, total_cpu)
        return total_cpu - workers + workers / max(1, self.most_workers)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print("usage: measure.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    done = threading.Event()
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(process.pid)

    def sample() -> None:
        while not done.wait(0.05):
            sampler.sample()

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    thread.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    print(
        json.dumps(
            {
                "returncode": process.returncode,
                "wall_seconds": wall,
                "max_rss_mb": usage.ru_maxrss / 1024,
                "peak_pss_mb": sampler.peak_pss_kb / 1024,
                "cpu_seconds": cpu,
                "critical_cpu_seconds": sampler.critical_cpu(cpu),
                "most_workers": sampler.most_workers,
                "stdout": stdout[-4000:],
                "stderr": stderr[-4000:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
