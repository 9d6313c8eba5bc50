"""Run one function over shares of a list in forked worker processes.

Rendering Markdown and freezing pages are CPU-bound, and Python runs one
thread at a time, so a build uses every core by forking: each child inherits
the loaded site (no pickling of the app or the library), works through its
shares, and sends back a picklable result per share.  Without a key, item
``i`` goes to share ``i % jobs``.  With a key, items of equal key are one share
(related items stay in one worker, which can reuse what they share); a group
larger than a fair share (``1/jobs`` of the items) is split by the next part
of its key, so a site of one policy still uses every core.  The parent hands
the shares out, largest first, to whichever worker asks for one: pages differ
in cost, and a fixed split left one core idle near the end of a build.  Every
item's result depends only on the item, so the output does not depend on the
number of workers or on which one took a share.
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

#: Before a worker's first share, no group has been seen.
_NO_GROUP = object()

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


def split(
    items: Sequence[Item], jobs: int, key: Callable[[Item], tuple[Hashable, ...]] | None = None
) -> list[list[Item]]:
    """``items`` as shares: every ``jobs``-th item, or the groups of equal ``key``, in their first item's order.

    A key is a tuple, coarsest part first: items are grouped by its first part, and a group of more
    than a fair share by its first two parts, and so on.
    """
    if key is None:
        return [list(items[index::jobs]) for index in range(jobs)]
    return _groups(items, key, 1, -(-len(items) // jobs))


def _groups(
    items: Sequence[Item], key: Callable[[Item], tuple[Hashable, ...]], depth: int, fair: int
) -> list[list[Item]]:
    groups: dict[tuple[Hashable, ...], list[Item]] = {}
    for item in items:
        groups.setdefault(key(item)[:depth], []).append(item)
    found: list[list[Item]] = []
    for group in groups.values():
        if len(group) > fair and any(len(key(item)) > depth for item in group):
            found += _groups(group, key, depth + 1, fair)
        else:
            found.append(group)
    return found


def run_shares(
    work: Callable[[Sequence[Item], Callable[[Any], None]], Result],
    items: Sequence[Item],
    jobs: int,
    on_progress: Callable[[Any], None] | None = None,
    *,
    key: Callable[[Item], tuple[Hashable, ...]] | None = None,
    on_group: Callable[[Hashable], None] | None = None,
) -> list[Result]:
    """Call ``work(share, report)`` for each share of ``items`` (see :func:`split`); return the results in share order.

    ``report(message)`` lets a worker send progress (e.g. a URL) to
    ``on_progress`` in this process; without ``on_progress`` it sends nothing.
    ``on_group(group)`` is called in a worker before a share whose group (the
    first part of its key) is not that of the worker's last share: a worker
    drops there what it remembered of the last group.  With one job,
    everything runs here, as one share.
    """
    progress = on_progress or _ignore
    if jobs <= 1:
        if on_group is not None and key is not None and items:
            on_group(key(items[0])[0])
        return [work(items, progress)]
    # Imported here: a rebuild that renders a page or two never forks, and should not pay for this.
    import multiprocessing
    from multiprocessing.connection import wait

    if "fork" not in multiprocessing.get_all_start_methods():
        return [work(items, progress)]
    context = multiprocessing.get_context("fork")
    shares = split(items, jobs, key)
    # The children inherit the shares; only their numbers travel, one at a time, to the worker that
    # asks: largest first, so the longest job starts first and the others fill in around it.
    pending = iter(sorted(range(len(shares)), key=lambda index: -len(shares[index])))
    workers: dict[Connection, int] = {}
    held: dict[Connection, int] = {}
    processes = []
    # What the workers inherit is never collected by them: a collection would walk the whole loaded
    # site, and write to every page of it, which copy-on-write then copies (the gc module's advice).
    gc.freeze()
    try:
        for worker in range(jobs):
            ours, theirs = context.Pipe()
            group_of = (lambda share: key(share[0])[0]) if key is not None and on_group is not None else None
            args = (work, shares, theirs, on_progress is not None, group_of, on_group)
            process = context.Process(target=_child, args=args, daemon=True)
            process.start()
            theirs.close()
            workers[ours] = worker
            processes.append(process)
        results: dict[int, Result] = {}
        while workers:
            for ready in wait(list(workers)):
                connection: Connection = ready  # type: ignore[assignment]
                try:
                    kind, payload = connection.recv()
                except EOFError:
                    share = f" with share {held[connection]}" if connection in held else ""
                    raise WorkerError(f"worker {workers[connection]} died{share}") from None
                if kind == "progress":
                    progress(payload)
                    continue
                if kind == "error":
                    raise WorkerError(payload)
                if kind == "oserror":  # the disk, not a bug: raised as it would be in one process
                    raise payload
                if kind == "result":
                    results[payload[0]] = payload[1]
                # "ready", or a result: the next share, or None when there is none left.
                index = next(pending, None)
                connection.send(index)
                if index is None:
                    workers.pop(connection)
                    connection.close()
                else:
                    held[connection] = index
        return [results[index] for index in range(len(shares))]
    finally:
        gc.unfreeze()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for connection in workers:
            connection.close()


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
    work: Callable[..., Any],
    shares: Sequence[Sequence[Any]],
    parent: Connection,
    reports: bool,
    group_of: Callable[[Sequence[Any]], Hashable] | None,
    on_group: Callable[[Hashable], None] | None,
) -> None:
    _die_with_parent()
    report = (lambda message: parent.send(("progress", message))) if reports else _ignore
    last: Hashable = _NO_GROUP
    try:
        parent.send(("ready", None))
        while (index := parent.recv()) is not None:
            share = shares[index]
            if group_of is not None and on_group is not None and share and (group := group_of(share)) != last:
                on_group(group)
                last = group
            parent.send(("result", (index, work(share, report))))
    except BaseException as error:  # noqa: BLE001 - everything must reach the parent, which raises it
        if isinstance(error, OSError) and error.errno is not None:
            # A full disk or a folder that cannot be written: the parent reports it as such.  (An OSError
            # without an errno, Jinja's TemplateNotFound say, is a bug: it keeps its traceback.)
            parent.send(("oserror", error))
        else:
            parent.send(("error", traceback.format_exc()))
    finally:
        parent.close()
