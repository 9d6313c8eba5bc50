"""Run one function over shares of a list in forked worker processes.

Rendering Markdown and freezing pages are CPU-bound, and Python runs one
thread at a time, so a build uses every core by forking: each child inherits
the loaded site (no pickling of the app or the library), works through its
shares, and sends back a picklable result per share.  Without a key, item
``i`` goes to share ``i % jobs``.  With a key, each group of equal key is one
share (related items stay in one worker, which can reuse what they share), and
the shares are handed out, largest first, to whichever worker is free: pages
differ in cost, and a fixed split left one core idle for the last half second
of a build.  Every item's result depends only on the item, so the output does
not depend on the number of workers or on which one took a share.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import traceback
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

Item = TypeVar("Item")
Result = TypeVar("Result")

PR_SET_PDEATHSIG = 1

#: Below this many items per worker a fork costs more than it saves.
MIN_SHARE = 2


def worker_count(jobs: int, items: int, min_share: int = MIN_SHARE) -> int:
    """How many processes ``items`` are worth, at most ``jobs``, each taking at least ``min_share``."""
    return max(1, min(jobs, items // min_share))


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class WorkerError(RuntimeError):
    """A worker process failed (a bug, not bad content); the message carries its traceback."""


def split(items: Sequence[Item], jobs: int, key: Callable[[Item], Hashable] | None = None) -> list[list[Item]]:
    """``items`` as shares: every ``jobs``-th item, or each group of equal ``key``, in their first item's order."""
    if key is None:
        return [list(items[index::jobs]) for index in range(jobs)]
    groups: dict[Hashable, list[Item]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.values())


def run_shares(
    work: Callable[[Sequence[Item], Callable[[Any], None]], Result],
    items: Sequence[Item],
    jobs: int,
    on_progress: Callable[[Any], None] | None = None,
    *,
    key: Callable[[Item], Hashable] | None = None,
) -> list[Result]:
    """Call ``work(share, report)`` for each share of ``items`` (see :func:`split`); return the results in share order.

    ``report(message)`` lets a worker send progress (e.g. a URL) to
    ``on_progress`` in this process; without ``on_progress`` it sends nothing.
    With one job, everything runs here, as one share.
    """
    progress = on_progress or _ignore
    if jobs <= 1:
        return [work(items, progress)]
    # Imported here: a rebuild that renders a page or two never forks, and should not pay for this.
    import multiprocessing
    from multiprocessing.connection import wait

    if "fork" not in multiprocessing.get_all_start_methods():
        return [work(items, progress)]
    context = multiprocessing.get_context("fork")
    shares = split(items, jobs, key)
    # The children inherit the shares; only their numbers travel, largest share first (the longest
    # job starts first, so the others fill in around it).
    queue = context.SimpleQueue()
    for index in sorted(range(len(shares)), key=lambda index: -len(shares[index])):
        queue.put(index)
    for _ in range(jobs):
        queue.put(None)
    readers: dict[Connection, int] = {}
    processes = []
    # What the workers inherit is never collected by them: a collection would walk the whole loaded
    # site, and write to every page of it, which copy-on-write then copies (the gc module's advice).
    gc.freeze()
    try:
        for worker in range(jobs):
            reader, writer = context.Pipe(duplex=False)
            args = (work, shares, queue, writer, on_progress is not None)
            process = context.Process(target=_child, args=args, daemon=True)
            process.start()
            writer.close()
            readers[reader] = worker
            processes.append(process)
        results: dict[int, Result] = {}
        while readers:
            for ready in wait(list(readers)):
                reader = ready  # type: ignore[assignment]
                try:
                    kind, payload = reader.recv()  # type: ignore[union-attr]
                except EOFError:
                    raise WorkerError(f"worker {readers[reader]} died without a result") from None
                if kind == "progress":
                    progress(payload)
                elif kind == "error":
                    raise WorkerError(payload)
                elif kind == "result":
                    results[payload[0]] = payload[1]
                else:  # "done": the queue is empty
                    readers.pop(reader)
                    reader.close()  # type: ignore[union-attr]
        return [results[index] for index in range(len(shares))]
    finally:
        gc.unfreeze()
        for reader in readers:
            reader.close()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
        queue.close()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the build process dies, even by SIGKILL.

    Otherwise a killed build would leave workers writing into its staging folder.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's own cleanup still stops them
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def _ignore(_message: Any) -> None:
    """Progress nobody asked for."""


def _child(
    work: Callable[..., Any], shares: Sequence[Sequence[Any]], queue: Any, writer: Connection, reports: bool
) -> None:
    _die_with_parent()
    report = (lambda message: writer.send(("progress", message))) if reports else _ignore
    try:
        while (index := queue.get()) is not None:
            writer.send(("result", (index, work(shares[index], report))))
        writer.send(("done", None))
    except BaseException:  # noqa: BLE001 - everything must reach the parent, which raises it
        writer.send(("error", traceback.format_exc()))
    finally:
        writer.close()
