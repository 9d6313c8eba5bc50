"""Time the edit-to-output loop of ``build.py build --watch``.

The watch process stays up; each round edits one file and waits for the
"built" line, so the figure is what an editor sees: from saving the file to
the rebuilt folder (poll interval and settling included).
"""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _lines(stream: Any, into: queue.Queue[str]) -> threading.Thread:
    reader = threading.Thread(target=lambda: [into.put(line) for line in stream], daemon=True)
    reader.start()
    return reader


def _wait_for(lines: queue.Queue[str], text: str, timeout: float = 600) -> str:
    deadline = time.monotonic() + timeout
    while True:
        line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        if text in line:
            return line


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def watch_rounds(command: list[str], edit: Callable[[], None], rounds: int) -> dict[str, Any]:
    """Start ``command`` (a ``build --watch``), then ``rounds`` times: edit, and time until it has rebuilt."""
    lines: queue.Queue[str] = queue.Queue()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    reader = _lines(process.stdout, lines)
    seconds, reports = [], []
    try:
        _wait_for(lines, "built")
        time.sleep(0.5)  # let the watcher take its first look
        for _ in range(rounds):
            edit()
            started = time.perf_counter()
            reports.append(_wait_for(lines, "built").strip())
            seconds.append(time.perf_counter() - started)
        peak = _peak_rss_mb(process.pid)
    finally:
        process.terminate()  # not SIGINT: a job started in the background ignores it
        process.wait(timeout=60)
        reader.join(timeout=10)
        assert process.stdout is not None
        process.stdout.close()
    return {"seconds": seconds, "reports": reports, "max_rss_mb": peak}
