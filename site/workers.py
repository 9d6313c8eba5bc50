"""Run one function over shares of a list in forked worker processes.

Rendering Markdown and freezing pages are CPU-bound, and Python runs one
thread at a time, so a build uses every core by forking: each child inherits
the loaded site (no pickling of the app or the library), works through its
share, and sends back a picklable result.  Shares are fixed by position
(item ``i`` goes to worker ``i % jobs``), or by a key that keeps related
items in one worker so it can reuse what they share; every item's result
depends only on the item, so the output does not depend on the number of workers.
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
    """``items`` in ``jobs`` shares: every ``jobs``-th item, or whole groups of equal ``key``, in their order.

    Groups go, largest first, to the share with the fewest items so far.
    """
    if key is None:
        return [list(items[index::jobs]) for index in range(jobs)]
    groups: dict[Hashable, list[Item]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    shares: list[list[Item]] = [[] for _ in range(jobs)]
    for group in sorted(groups.values(), key=len, reverse=True):
        min(shares, key=len).extend(group)
    return shares


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
    With one job, everything runs here.
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
    readers: dict[Connection, int] = {}
    processes = []
    shares = split(items, jobs, key)
    # What the workers inherit is never collected by them: a collection would walk the whole loaded
    # site, and write to every page of it, which copy-on-write then copies (the gc module's advice).
    gc.freeze()
    try:
        for index, share in enumerate(shares):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(work, share, writer, on_progress is not None), daemon=True)
            process.start()
            writer.close()
            readers[reader] = index
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
                    continue
                if kind == "error":
                    raise WorkerError(payload)
                results[readers.pop(reader)] = payload
                reader.close()  # type: ignore[union-attr]
        return [results[index] for index in range(jobs)]
    finally:
        gc.unfreeze()
        for reader in readers:
            reader.close()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


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


def _child(work: Callable[..., Any], share: Sequence[Any], writer: Connection, reports: bool) -> None:
    _die_with_parent()
    try:
        result = work(share, (lambda message: writer.send(("progress", message))) if reports else _ignore)
        writer.send(("result", result))
    except BaseException:  # noqa: BLE001 - everything must reach the parent, which raises it
        writer.send(("error", traceback.format_exc()))
    finally:
        writer.close()
