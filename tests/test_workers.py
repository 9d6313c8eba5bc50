"""Work split across forked processes comes back complete, in order, and failures are not swallowed."""

from __future__ import annotations

import multiprocessing
import os

import pytest
from policypress.workers import WorkerError, run_shares, split, worker_count

FORK = multiprocessing.get_context("fork")


def square_share(items, report):
    for item in items:
        report(item)
    return [(item, item * item, os.getpid()) for item in items]


def test_shares_run_in_separate_processes_and_come_back_in_order():
    reported = []
    both_running = FORK.Barrier(2)

    def square_share_beside_the_other(items, report):
        both_running.wait(timeout=30)  # breaks (and fails the test) unless the other share runs meanwhile
        return square_share(items, report)

    shares = run_shares(square_share_beside_the_other, list(range(10)), 2, reported.append)
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
    shares = run_shares(
        lambda items, _report: list(items), urls, 2, key=lambda url: (url.removesuffix("content.html"),)
    )
    assert shares == [
        ["/a/", "/a/content.html"],
        ["/b/"],
        ["/c/", "/c/content.html"],
        ["/d/"],
        ["/e/", "/e/content.html"],
    ]


def test_a_group_larger_than_a_fair_share_is_split_by_the_next_part_of_its_key():
    pages = [("en", "privacy", str(n)) for n in range(9)] + [("en", "terms", "1")]
    # Nine of ten pages in one group would keep one worker busy alone: it is split by page.
    assert split(pages, 2, lambda page: (page[:2], page[2])) == [[page] for page in pages]
    assert split(pages, 1, lambda page: (page[:2], page[2])) == [pages[:9], pages[9:]]
    assert split(pages[:5] + pages[9:], 2, lambda page: (page[:2],)) == [pages[:5], pages[9:]]  # no finer key


def test_a_free_worker_takes_the_next_share_while_the_other_is_busy():
    quick_done, count = FORK.Event(), FORK.Value("i", 0)

    def work(items, _report):
        if items[0].startswith("slow"):
            assert quick_done.wait(timeout=30)  # holds this worker until the other has done every quick share
        else:
            with count.get_lock():
                count.value += 1
                if count.value == 8:
                    quick_done.set()
        return os.getpid()

    # The largest share goes first; while it runs, the other worker takes every other share.
    items = ["slow-1", "slow-2", "slow-3", *(f"quick-{n}" for n in range(8))]
    shares = run_shares(work, items, 2, key=lambda item: (item.split("-")[0] if "slow" in item else item,))
    slow, quick = shares[0], set(shares[1:])
    assert len(shares) == 9 and len(quick) == 1 and slow not in quick


def test_thousands_of_shares_are_handed_out_without_filling_a_pipe():
    shares = run_shares(lambda items, _report: len(items), list(range(20000)), 2, key=lambda item: (item,))
    assert shares == [1] * 20000


def test_a_site_of_one_policy_in_one_language_still_uses_every_worker():
    from policypress.freeze import _share_of
    from policypress.freezeshare import Target

    urls = ["/en/privacy/", "/en/privacy/content.html", "/en/privacy/changes/"]
    urls += [f"/en/privacy/compare/2024-01-0{old}/2025-01-0{new}/" for old in range(1, 6) for new in range(1, 6)]
    urls += ["/404.html", "/sitemap.xml"]
    targets = [Target(url, url.strip("/")) for url in urls]
    shares = split(targets, 2, _share_of)
    assert max(len(share) for share in shares) <= len(targets) / 2
    # A page and its fragment stay together; so do the comparisons from one version.
    assert [t.url for t in shares[0]] == ["/en/privacy/", "/en/privacy/content.html"]
    assert all(len({t.url.split("/")[4] for t in share}) == 1 for share in shares if "/compare/" in share[0].url)
    # Every page of a policy in a language is one share while that is a fair share.
    assert len(split(targets, 1, _share_of)) == 3


def test_a_worker_that_dies_is_reported_with_the_share_it_held():
    def die_on_seven(items, _report):
        if 7 in items:
            os._exit(3)  # as a crash in C code or the kernel's OOM killer would
        return items

    with pytest.raises(WorkerError, match=r"died with share \d+"):
        run_shares(die_on_seven, list(range(10)), 2, key=lambda item: (item,))
