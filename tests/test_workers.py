"""Work split across forked processes comes back complete, in order, and failures are not swallowed."""

from __future__ import annotations

import os
import time

import pytest
from policypress.workers import WorkerError, run_shares, worker_count


def square_share(items, report):
    for item in items:
        report(item)
    return [(item, item * item, os.getpid()) for item in items]


def slow_square_share(items, report):
    time.sleep(0.3)  # long enough that the other worker takes the other share meanwhile
    return square_share(items, report)


def test_shares_run_in_separate_processes_and_come_back_in_order():
    reported = []
    shares = run_shares(slow_square_share, list(range(10)), 2, reported.append)
    assert [[item for item, _, _ in share] for share in shares] == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]
    assert all(square == item * item for share in shares for item, square, _ in share)
    pids = {pid for share in shares for _, _, pid in share}
    assert len(pids) == 2 and os.getpid() not in pids
    assert sorted(reported) == list(range(10))


def test_one_job_runs_here():
    shares = run_shares(square_share, [3], 1)
    assert shares == [[(3, 9, os.getpid())]]


def fail_on_seven(items, report):
    if 7 in items:
        raise ValueError("seven is not allowed")
    return items


def test_a_failing_worker_raises_with_its_traceback():
    with pytest.raises(WorkerError, match="seven is not allowed"):
        run_shares(fail_on_seven, list(range(10)), 2)


def test_small_work_is_not_worth_a_fork():
    assert worker_count(2, 1) == 1
    assert worker_count(2, 100) == 2
    assert worker_count(8, 6) == 3
    assert worker_count(2, 100, min_share=64) == 1


def test_items_with_one_key_are_one_share_in_the_order_of_their_first_item():
    urls = ["/a/", "/b/", "/a/content.html", "/c/", "/c/content.html", "/d/", "/e/", "/e/content.html"]
    shares = run_shares(lambda items, _report: list(items), urls, 2, key=lambda url: url.removesuffix("content.html"))
    assert shares == [
        ["/a/", "/a/content.html"],
        ["/b/"],
        ["/c/", "/c/content.html"],
        ["/d/"],
        ["/e/", "/e/content.html"],
    ]


def pids_after_a_pause(items, _report):
    time.sleep(0.3 * sum(1 for item in items if item.startswith("slow")))
    return os.getpid()


def test_a_free_worker_takes_the_next_share_while_the_other_is_busy():
    # The largest share goes first; while it runs, the other worker takes every other share.
    items = ["slow-1", "slow-2", "slow-3", *(f"quick-{n}" for n in range(8))]
    shares = run_shares(pids_after_a_pause, items, 2, key=lambda item: item.split("-")[0] if "slow" in item else item)
    slow, quick = shares[0], set(shares[1:])
    assert len(shares) == 9 and quick == {next(iter(quick))} and slow not in quick
