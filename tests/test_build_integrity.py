"""Atomic and reproducible builds, driven through the CLI as a subprocess.

Atomic: a build killed with SIGKILL halfway leaves the previous output complete and
unchanged, with nothing half-written inside it; the next build clears what the killed one
left beside it. Reproducible: the same content and ``--today`` give byte-identical trees,
whatever the hash seed, working directory, content folder location, time zone or locale.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE, PROJECT, TODAY, run_cli, write_content
from policypress.buildcache import FileRecord
from policypress.freezeshare import Target, freeze_share

POLICY = """\
---
title: {title}
{summary}---
{title} explains what we collect.

## What we collect {{#collect}}

Account details and the notes you write.

::: region eea uk
## Your rights in Europe {{#rights-europe}}

Access, correction and erasure.
:::

::: region california
## Your California rights {{#rights-california}}

Know, delete, correct and opt out. {change}
:::

## Contact {{#contact}}

Write to us.
"""


def big_content(root: Path, policies: int = 40) -> Path:
    """A content folder with many policies of three versions each: a build takes a while."""
    files = {}
    for number in range(policies):
        title = f"Policy {number}"
        for version, (day, change) in enumerate([("2024-01-01", ""), ("2025-01-01", "More."), ("2026-01-01", "Most.")]):
            summary = f"summary: Change {version}.\n" if version else ""
            files[f"policies/policy-{number:02d}/{day}.en.md"] = POLICY.format(
                title=title, summary=summary, change=change
            )
    return write_content(root, files)


def digest(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path (folders and links included)."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink() or not path.is_file():
            found[relative] = "link" if path.is_symlink() else "folder"
        else:
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def staging_folders(parent: Path) -> list[Path]:
    """The build's temporary folders beside the output (a cache kept there is not one)."""
    from policypress.output import TEMP_PREFIX

    return sorted(p for p in parent.iterdir() if p.name.startswith(TEMP_PREFIX))


def test_killed_build_leaves_the_previous_output_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    out = site / "public"
    small = write_content(tmp_path / "small", {"policies/privacy/2024-01-01.en.md": "---\ntitle: P\n---\nText.\n"})
    first = run_cli("build", "--content", small, "--out", out, "--today", TODAY.isoformat(), "--quiet")
    assert first.returncode == 0, first.stderr
    before = digest(out)
    assert "index.html" in before and "en/privacy/index.html" in before and not staging_folders(site)

    big = big_content(tmp_path / "big")
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(big), "--out", str(out)]
        + ["--today", TODAY.isoformat(), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    written = 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            # Kill once the new build is well under way: it has written pages of its own.
            written = sum(1 for folder in staging_folders(site) for _ in folder.rglob("*.html"))
            if written > 30:
                break
            time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, f"the build ended before it was killed: {stderr.decode()[-500:]}"
    assert written > 30, "the build never started writing pages"

    # The previous output: every file still there, byte for byte, and nothing added to it.
    assert digest(out) == before
    # What the killed build left lies beside the output, never inside it ...
    assert staging_folders(site)
    # ... and the next build clears it away.
    again = run_cli("build", "--content", small, "--out", out, "--today", TODAY.isoformat(), "--quiet")
    assert again.returncode == 0, again.stderr
    assert not staging_folders(site)
    assert digest(out) == before


def test_a_build_clears_only_what_killed_builds_of_its_folder_left(tmp_path: Path) -> None:
    """Staging folders beside the output: a killed build's go; a running build's stay, whichever folder it builds."""
    from policypress.output import TEMP_PREFIX, destination_key

    small = write_content(tmp_path / "small", {"policies/privacy/2024-01-01.en.md": "---\ntitle: P\n---\nText.\n"})
    site = tmp_path / "site"
    ours, theirs = site / "public", site / "public-preview"
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed, running = int(ended.stdout), os.getpid()  # a process that is gone, and one that is not

    def staging(out: Path, pid: int) -> Path:
        folder = site / f"{TEMP_PREFIX}{destination_key(out)}-{pid}-abc"
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("being written")
        return folder

    ours_killed, ours_running = staging(ours, killed), staging(ours, running)  # the latter: a --watch session
    theirs_killed, theirs_running = staging(theirs, killed), staging(theirs, running)
    result = run_cli("build", "--content", small, "--out", ours, "--today", TODAY.isoformat(), "--quiet")
    assert result.returncode == 0, result.stderr
    assert not ours_killed.exists()
    assert staging_folders(site) == sorted([ours_running, theirs_killed, theirs_running])
    assert (ours_running / "index.html").read_text() == "being written"


def test_builds_are_byte_identical_whatever_the_seed_directory_zone_and_locale(tmp_path: Path) -> None:
    """Two builds at once (two cores), each in its own working directory and environment."""
    runs = []
    for name, content_dir, env in [
        ("one", "content", {"PYTHONHASHSEED": "1", "TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}),
        ("two", "elsewhere/site-content", {"PYTHONHASHSEED": "2718281828", "TZ": "Asia/Tokyo", "LANG": "fr_FR.UTF-8"}),
    ]:
        cwd = tmp_path / name
        shutil.copytree(EXAMPLE, cwd / content_dir)
        command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", content_dir, "--out", "out"]
        command += ["--today", TODAY.isoformat(), "--quiet"]
        environment = {key: value for key, value in os.environ.items() if key != "LC_ALL"} | env
        runs.append((cwd, subprocess.Popen(command, cwd=cwd, env=environment, stderr=subprocess.PIPE, text=True)))
    for _cwd, process in runs:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    one, two = (digest(cwd / "out") for cwd, _ in runs)
    assert len(one) > 200
    differing = sorted(name for name in one.keys() | two.keys() if one.get(name) != two.get(name))
    assert not differing, differing[:20]


def test_a_small_site_builds_the_same_twice_in_one_directory(tmp_path: Path) -> None:
    """And rebuilding over an existing output changes nothing either."""
    content = write_content(tmp_path / "content", {"policies/privacy/2024-01-01.en.md": "---\ntitle: P\n---\nText.\n"})
    out = tmp_path / "out"
    for seed in ("3", "4"):
        result = run_cli(
            "build", "--content", content, "--out", out, "--today", TODAY.isoformat(), env={"PYTHONHASHSEED": seed}
        )
        assert result.returncode == 0, result.stderr
        if seed == "3":
            first = digest(out)
    assert digest(out) == first


def test_the_freezer_refuses_a_page_it_could_not_serve_as_a_static_file(app, tmp_path: Path) -> None:
    """Anything but a 200, or a file whose name a static host would serve as another type, stops the build."""

    def freeze_one(url: str, path: str) -> dict[str, FileRecord]:
        records, written = freeze_share(app, tmp_path, None, {}, [Target(url, path)], lambda _url: None)
        assert written == 1
        return records

    records = freeze_one("/en/privacy/", "en/privacy/index.html")
    assert list(records) == ["en/privacy/index.html"] and records["en/privacy/index.html"].documents  # the policy
    assert records["en/privacy/index.html"].matches(tmp_path / "en/privacy/index.html")
    assert (tmp_path / "en/privacy/index.html").read_bytes().lower().startswith(b"<!doctype html>")
    with pytest.raises(ValueError, match="unexpected status '404 NOT FOUND' on URL /en/no-such-policy/"):
        freeze_one("/en/no-such-policy/", "en/no-such-policy/index.html")
    wrong_type = "en/privacy.json would be served as application/json, but the app sends text/html"
    with pytest.raises(ValueError, match=wrong_type):
        freeze_one("/en/privacy/", "en/privacy.json")


def test_a_page_file_where_another_page_needs_a_folder_is_an_error(tmp_path):
    # Folders are made with one mkdir when their parent exists, and one that exists already is fine;
    # a file in its place is not, and says so there, not later as a failed write below it.
    from policypress.freezeshare import _make_folder

    _make_folder(f"{tmp_path}/en/privacy")
    _make_folder(f"{tmp_path}/en/privacy")
    (tmp_path / "en" / "privacy" / "changes").write_text("a page's file")
    with pytest.raises(FileExistsError):
        _make_folder(f"{tmp_path}/en/privacy/changes")
    assert (tmp_path / "en" / "privacy").is_dir()


def test_a_build_refuses_an_output_it_would_delete_something_else_with(tmp_path: Path) -> None:
    """A build replaces its output folder whole: the content, a folder above it, the current folder, a
    file or a folder of something else is refused with a message, and left as it was."""
    project = tmp_path / "project"
    content = write_content(project / "content", {"policies/privacy/2024-01-01.en.md": "---\ntitle: P\n---\nText.\n"})
    (project / "notes.txt").write_text("mine\n")
    (tmp_path / "a-file").write_text("keep\n")
    (tmp_path / "other-site").mkdir()
    (tmp_path / "other-site" / "index.html").write_text("<p>not ours</p>\n")
    for name in ("404.html", "robots.txt", "sitemap.xml"):  # what any static site may have
        (tmp_path / "other-site" / name).write_text("theirs\n")
    before = digest(tmp_path)
    refusals = {
        content: "holds the content folder",
        project: "holds the content folder",
        content / "policies" / "out": "is inside the content folder",
        tmp_path / "a-file": "is a file",
        tmp_path / "other-site": "is not empty and is not a Policypress build",
    }
    for out, reason in refusals.items():
        result = run_cli("build", "--content", content, "--out", out, "--today", TODAY.isoformat(), cwd=tmp_path)
        assert result.returncode == 1, (out, result.stdout, result.stderr)
        assert reason in result.stderr and "Traceback" not in result.stderr, result.stderr
    result = run_cli("build", "--content", "content", "--out", ".", "--today", TODAY.isoformat(), cwd=project)
    assert result.returncode == 1 and "holds the content folder" in result.stderr, result.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("build", "--content", content, "--out", ".", "--today", TODAY.isoformat(), cwd=elsewhere)
    assert result.returncode == 1 and "holds the current folder" in result.stderr, result.stderr
    elsewhere.rmdir()
    shutil.copytree(PROJECT / "translations", tmp_path / "translations")
    result = run_cli(
        "build",
        "--content",
        content,
        "--translations",
        tmp_path / "translations",
        "--out",
        tmp_path / "translations" / "out",
        "--today",
        TODAY.isoformat(),
    )
    assert result.returncode == 1 and "is inside the translations folder" in result.stderr, result.stderr
    shutil.rmtree(tmp_path / "translations")
    assert digest(tmp_path) == before
    # An empty folder, a new one and an earlier build are fine.
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "empty", tmp_path / "new", tmp_path / "new"):
        result = run_cli("build", "--content", content, "--out", out, "--today", TODAY.isoformat())
        assert result.returncode == 0, result.stderr


def _file_size_limit() -> None:
    """In the child: no file may grow past 8 KB.  Python ignores SIGXFSZ, so a longer write fails with
    an OSError (EFBIG), as one does on a full disk (ENOSPC); a page of the example is larger."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_a_build_that_cannot_write_a_page_says_which_and_leaves_the_previous_output(tmp_path: Path) -> None:
    """A write that fails halfway (a full disk) is a message naming the file, not a worker's traceback,
    whether the pages are written by worker processes or by the build itself."""
    site = tmp_path / "site"
    site.mkdir()
    out = site / "public"
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    first = run_cli("build", "--content", content, "--out", out, "--today", TODAY.isoformat(), "--quiet")
    assert first.returncode == 0, first.stderr
    before = digest(out)
    # A new name in every page's header: every page is written anew (an unchanged one is linked).
    config = content / "site.yaml"
    config.write_text(config.read_text().replace("name: Fernwood Notes\n", "name: Fernwood Notes Two\n"))
    # A page's write fails (the cache left out), in a worker process or in the build's own; then the cache's.
    attempts = [("--no-cache", "--jobs", "2"), ("--no-cache", "--jobs", "1"), ()]
    for options, failed in zip(attempts, (".html", ".html", ".pickle"), strict=True):
        command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(content), "--out", str(out)]
        command += ["--today", TODAY.isoformat(), "--quiet", *options]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=120, preexec_fn=_file_size_limit, check=False
        )
        assert result.returncode == 1, (options, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith(f"error: {site}/"), result.stderr
        assert f"{failed}: File too large; " in result.stderr, result.stderr
        assert digest(out) == before and not staging_folders(site)
    assert not [path for path in (site / ".policypress-cache").rglob(".tmp-*")]


def test_a_full_disk_is_named_with_what_to_do() -> None:
    import errno

    from policypress.cli import _disk_problem

    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/srv/site/en/index.html")
    assert _disk_problem(full) == (
        "/srv/site/en/index.html: No space left on device; free some space on that disk, then try again"
    )
    assert _disk_problem(OSError(errno.EACCES, os.strerror(errno.EACCES))) == (
        "Permission denied; check that it exists and that you may use it"
    )


def test_the_new_output_replaces_the_old_with_no_moment_between(tmp_path: Path) -> None:
    """A web server serving the output folder finds the old site or the new one, never neither (Linux)."""
    from policypress.output import replace_folder

    destination = tmp_path / "build"
    destination.mkdir()
    (destination / "index.html").write_text("0")
    watcher = subprocess.Popen(
        [sys.executable, "-c", MISSING_WATCHER, str(destination / "index.html")],
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE,
        text=True,
    )
    assert watcher.stdout is not None and watcher.stdout.readline() == "watching\n"
    for turn in range(1, 300):
        new = tmp_path / f"new-{turn}"
        new.mkdir()
        (new / "index.html").write_text(str(turn))
        replace_folder(new, destination, ".build-")
    missed, _ = watcher.communicate("stop\n", timeout=30)
    assert (destination / "index.html").read_text() == "299"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build"]
    assert int(missed) == 0, f"the output folder was missing {missed} times"


#: Reads a file as fast as it can until told to stop on stdin; prints how often it was not there.
MISSING_WATCHER = """
import os, sys, threading
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
print("watching", flush=True)
missed = 0
while not stop.is_set():
    try:
        os.stat(sys.argv[1])
    except FileNotFoundError:
        missed += 1
print(missed)
"""
