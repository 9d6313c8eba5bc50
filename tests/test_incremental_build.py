"""Rebuilds redo only what changed, and always give the output a cold build would."""

from __future__ import annotations

import functools
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE, MINIMAL_SITE, PROJECT, TODAY, run_cli, tree_digest, write_content


def build(content: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = run_cli("build", "--content", content, "--out", out, "--today", TODAY.isoformat(), *extra)
    assert result.returncode == 0, result.stderr
    return result


def identities(root: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: they change exactly when the file is rewritten."""
    return {
        str(p.relative_to(root)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def cold_build(content: Path, out: Path) -> dict[str, bytes]:
    build(content, out, "--no-cache")
    return tree_digest(out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "content"))


def test_warm_rebuild_rewrites_nothing(content, tmp_path):
    out = tmp_path / "site" / "build"
    build(content, out)
    before = identities(out)
    result = build(content, out)
    assert "0 written" in result.stdout
    assert identities(out) == before


def test_incremental_rebuild_is_byte_identical_to_cold_build(content, tmp_path):
    out = tmp_path / "site" / "build"
    build(content, out)
    policies = content / "policies" / "privacy"
    edits = [
        # The version in force on TODAY: its page changes.
        (
            policies / "2026-09-01.en.md",
            "Fernwood Notes is a note-taking app",
            "Fernwood Notes is a fine note-taking app",
        ),
        # An older version: only pages that show old versions may change.
        (policies / "2025-06-15.en.md", "We collect only what we need", "We collect only what we truly need"),
    ]
    changes = []
    for number, (path, old, new) in enumerate(edits):
        before_ids, before_bytes = identities(out), tree_digest(out)
        edit(path, old, new)
        build(content, out)
        after = tree_digest(out)
        assert after == cold_build(content, tmp_path / f"cold-{number}" / "build")
        rewritten = {name for name, identity in identities(out).items() if before_ids.get(name) != identity}
        changed = {name for name, data in after.items() if before_bytes.get(name) != data}
        assert rewritten == changed
        changes.append(changed)
    assert "en/privacy/index.html" in changes[0]


def test_parallel_build_is_byte_identical_to_serial_build(tmp_path):
    serial = cold_build_with(tmp_path / "serial" / "build", "--jobs", "1")
    parallel = cold_build_with(tmp_path / "parallel" / "build", "--jobs", "2")
    assert parallel == serial


def cold_build_with(out: Path, *extra: str) -> dict[str, bytes]:
    build(EXAMPLE, out, "--no-cache", *extra)
    return tree_digest(out)


def test_tampered_output_is_rebuilt(content, tmp_path):
    out = tmp_path / "site" / "build"
    build(content, out)
    page = out / "en" / "privacy" / "index.html"
    original = page.read_bytes()
    page.write_bytes(b"defaced")
    (out / "robots.txt").unlink()
    build(content, out)
    assert page.read_bytes() == original
    assert (out / "robots.txt").is_file()


def test_render_cache_survives_a_damaged_entry(content, tmp_path):
    out = tmp_path / "site" / "build"
    build(content, out)
    for entry in (tmp_path / "site" / ".policypress-cache" / "render").rglob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:-10])
    edit(content / "policies" / "cookies" / "2025-01-10.en.md", "\n", "\n\n")  # new input, same text
    build(content, out)
    assert tree_digest(out) == cold_build(content, tmp_path / "cold" / "build")


def test_killed_build_leaves_previous_output_and_next_build_recovers(tmp_path):
    content = tmp_path / "content"
    generator = [sys.executable, str(PROJECT / "benchmarks" / "generate.py"), "--out", str(content)]
    subprocess.run([*generator, "--policies", "10", "--locales", "2", "--versions", "1"], check=True, timeout=60)
    out = tmp_path / "site" / "build"
    build(content, out)
    before = tree_digest(out)
    for path in sorted(content.glob("policies/*/*.en.md")):
        edit(path, "handles personal information.", "handles personal information with care.")
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(content), "--out", str(out)]
    process = subprocess.Popen(
        [*command, "--today", TODAY.isoformat(), "--jobs", "2"], cwd=PROJECT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while not list(out.parent.glob(".policypress-tmp-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert tree_digest(out) == before
    build(content, out)
    assert tree_digest(out) == cold_build(content, tmp_path / "cold" / "build")


def test_an_edit_moves_only_its_files_into_the_output(content, tmp_path):
    """The output folder stays (same inode); untouched pages keep their inode; nothing is left beside it."""
    out = tmp_path / "site" / "build"
    build(content, out)
    folder, before = out.stat().st_ino, identities(out)
    edit(content / "policies" / "privacy" / "2026-09-01.en.md", "note-taking app", "note-taking application")
    build(content, out)
    assert out.stat().st_ino == folder
    after = identities(out)
    moved = {name for name in after if after[name] != before[name]}
    assert "en/privacy/index.html" in moved and len(moved) < len(after) / 4
    assert {p.name for p in out.parent.iterdir()} == {"build", ".policypress-cache"}
    assert tree_digest(out) == cold_build(content, tmp_path / "cold" / "build")


def test_versions_with_identical_files_are_compared_as_themselves(tmp_path):
    """An untranslated update leaves the French file of two versions byte for byte the same."""
    front = "---\ntitle: Confidentialité\nsummary: Mise à jour.\n---\n"
    files = {
        "policies/privacy/2024-01-01.en.md": "---\ntitle: Privacy\n---\n## Data\n\nWe keep logs.\n",
        "policies/privacy/2024-01-01.fr.md": "---\ntitle: Confidentialité\n---\n## Data\n\nNous gardons.\n",
        "policies/privacy/2025-01-01.en.md": "---\ntitle: Privacy\nsummary: One.\n---\n## Data\n\nWe keep less.\n",
        "policies/privacy/2025-01-01.fr.md": front + "## Data\n\nNous gardons moins.\n",
        "policies/privacy/2026-01-01.en.md": "---\ntitle: Privacy\nsummary: Two.\n---\n## Data\n\nWe keep none.\n",
        "policies/privacy/2026-01-01.fr.md": front + "## Data\n\nNous gardons moins.\n",
    }
    content = write_content(tmp_path / "content", files, site=MINIMAL_SITE.replace("[en]", "[en, fr]"))
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}" / "build"
        build(content, out, "--no-cache", "--jobs", jobs)
        outputs.append(tree_digest(out))
    assert outputs[0] == outputs[1]
    for new, date in (("2025-01-01", "1er janvier 2025"), ("2026-01-01", "1er janvier 2026")):
        page = outputs[0][f"fr/privacy/compare/2024-01-01/{new}/index.html"].decode()
        assert date in page.split("</title>")[0], page[:200]
        assert f"/fr/privacy/{new}/" in page


def test_a_build_without_the_cache_is_never_mistaken_for_the_last_cached_one(content, tmp_path):
    out = tmp_path / "site" / "build"
    build(content, out)
    added = content / "policies" / "privacy" / "2026-10-01.en.md"
    text = (content / "policies" / "privacy" / "2026-09-01.en.md").read_text("utf-8")
    added.write_text(text.replace("summary: ", "summary: Reworded. ", 1), "utf-8")
    build(content, out, "--no-cache")
    assert (out / "en" / "privacy" / "2026-10-01" / "index.html").is_file()
    added.unlink()
    build(content, out)  # same content as the cached build's: its record must not be trusted
    assert not (out / "en" / "privacy" / "2026-10-01").exists()
    assert tree_digest(out) == cold_build(content, tmp_path / "cold" / "build")


def test_changing_the_all_pairs_threshold_rebuilds(content, tmp_path):
    out = tmp_path / "site" / "build"
    build(content, out)
    assert (out / "en" / "privacy" / "compare" / "2024-03-01" / "2025-06-15").is_dir()
    build(content, out, "--compare-all-pairs-up-to", "2")
    cold = tmp_path / "cold" / "build"
    build(content, cold, "--no-cache", "--compare-all-pairs-up-to", "2")
    assert tree_digest(out) == tree_digest(cold)
    edit(content / "policies" / "privacy" / "2026-09-01.en.md", "note-taking app", "note-taking application")
    build(content, out)  # back to every pair, and a text edit: not an in-place update of the old list
    assert tree_digest(out) == cold_build(content, tmp_path / "cold-2" / "build")


def test_a_damaged_manifest_counts_as_none(content, tmp_path):
    out = tmp_path / "site" / "build"
    build(content, out)
    for manifest in (tmp_path / "site" / ".policypress-cache" / "builds").iterdir():
        data = manifest.read_bytes()
        manifest.write_bytes(data[:40] + bytes([data[40] ^ 0xFF]) + data[41:])
    edit(content / "policies" / "privacy" / "2026-09-01.en.md", "note-taking app", "note-taking application")
    result = build(content, out)
    assert "Traceback" not in result.stderr
    assert tree_digest(out) == cold_build(content, tmp_path / "cold" / "build")


class Lines:
    """The lines a running process prints, read in the background so the test can wait with a timeout."""

    def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
        self.stream = stream
        self.queue: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=lambda: [self.queue.put(line) for line in stream], daemon=True)
        self.reader.start()

    def close(self) -> list[str]:
        """After the process ended: read to the end, close the pipe, return the lines not yet waited for."""
        self.reader.join(timeout=10)
        self.stream.close()
        return list(self.queue.queue)

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {timeout}s")


class Watching:
    """A ``build --watch`` process, and the lines it prints; stopped with Ctrl+C as in a terminal."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [*command, "--watch"],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            # Ctrl+C as in a terminal, even when the tests run as a background job (which ignores SIGINT).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.stdout, self.stderr = Lines(self.process.stdout), Lines(self.process.stderr)
        self.stdout.wait_for("built")
        self.stderr.wait_for("watching")

    def stop(self) -> None:
        """Press Ctrl+C; the watch must end with 130 and no traceback."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)
        self.stdout.close()
        rest = self.stderr.close()
        assert self.process.returncode == 130
        assert not any("Traceback" in line for line in rest)


def test_watch_rebuilds_on_every_edit_and_survives_bad_content(content, tmp_path):
    out = tmp_path / "site" / "build"
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(content), "--out", str(out)]
    watch = Watching([*command, "--today", TODAY.isoformat()], PROJECT)
    try:
        current = content / "policies" / "privacy" / "2026-09-01.en.md"
        edit(current, "Fernwood Notes is a note-taking app", "Fernwood Notes is a calm note-taking app")
        line = watch.stdout.wait_for("built")
        # Only the pages that show the edited text (the policy, its region views and fragments, its
        # archive, comparisons and export, in every locale that falls back to it) are rewritten.
        written, total = int(re.search(r"(\d+) written", line)[1]), int(re.search(r"built (\d+) files", line)[1])
        assert 0 < written < total / 3, line
        built = tree_digest(out)
        edit(current, "::: region california", "::: region californa")
        assert "unknown region 'californa'" in watch.stderr.wait_for("californa")
        watch.stderr.wait_for("the output was left as it was")
        assert tree_digest(out) == built
        edit(current, "::: region californa", "::: region california")
        watch.stdout.wait_for("built")
        assert tree_digest(out) == built
    finally:
        watch.stop()
    assert tree_digest(out) == cold_build(content, tmp_path / "cold" / "build")


def test_watch_says_that_it_keeps_the_code_it_started_with(content, tmp_path):
    """A developer who edits Policypress's own code during a --watch is told to restart it; an edit of
    the content still rebuilds."""
    lib = tmp_path / "lib"
    shutil.copytree(PROJECT / "site", lib / "policypress", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "package.json", lib)
    for shared in ("node_modules", "translations"):
        (lib / shared).symlink_to(PROJECT / shared)
    out = tmp_path / "site" / "build"
    code = "from policypress.cli import run; run()"
    command = [sys.executable, "-c", code, "build", "--content", str(content), "--out", str(out)]
    watch = Watching(command, tmp_path, {**os.environ, "PYTHONPATH": str(lib)})
    try:
        views = lib / "policypress" / "views.py"
        views.write_text(views.read_text() + "\n# edited during the watch\n")
        assert "views.py changed: this --watch runs Policypress's code as it was" in watch.stderr.wait_for("changed")
        edit(content / "policies" / "privacy" / "2026-09-01.en.md", "Fernwood Notes is a", "Fernwood Notes is a calm")
        watch.stdout.wait_for("built")
    finally:
        watch.stop()


def test_watch_rebuilds_on_an_edit_of_the_catalogs_it_was_given(content, tmp_path):
    """--watch with --translations watches that folder (it watched the default one)."""
    translations = Path(shutil.copytree(PROJECT / "translations", tmp_path / "catalogs"))
    out = tmp_path / "site" / "build"
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(content), "--out", str(out)]
    watch = Watching([*command, "--translations", str(translations), "--today", TODAY.isoformat()], PROJECT)
    try:
        edit(translations / "fr/LC_MESSAGES/messages.po", 'msgstr "Aller au contenu"', 'msgstr "Aller au texte"')
        watch.stdout.wait_for("built")
        assert "Aller au texte" in (out / "fr/privacy/index.html").read_text("utf-8")
    finally:
        watch.stop()


def test_a_damaged_render_index_counts_as_none(content, tmp_path):
    out = tmp_path / "site" / "build"
    build(content, out)
    indexes = list((tmp_path / "site" / ".policypress-cache" / "render-index").iterdir())
    assert len(indexes) == 1
    indexes[0].write_bytes(indexes[0].read_bytes()[:-10])
    edit(content / "policies" / "privacy" / "2026-09-01.en.md", "Fernwood Notes is a", "Fernwood Notes is a fine")
    build(content, out)
    assert tree_digest(out) == cold_build(content, tmp_path / "cold" / "build")


def test_an_incremental_build_works_when_started_with_sigchld_ignored(content, tmp_path):
    """Some supervisors start programs with SIGCHLD ignored: the kernel then reaps children itself."""
    out = tmp_path / "site" / "build"
    build(content, out)
    edit(content / "policies" / "privacy" / "2026-09-01.en.md", "note-taking app", "note-taking application")
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(content), "--out", str(out)]
    result = subprocess.run(
        [*command, "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: signal.signal(signal.SIGCHLD, signal.SIG_IGN),
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert tree_digest(out) == cold_build(content, tmp_path / "cold" / "build")


def test_the_snapshot_finds_content_files_whatever_the_folder_is_called(monkeypatch):
    """``--content .`` names files "policies/...": the build must still read the bytes it fingerprinted."""
    from policypress.inputs import snapshot

    monkeypatch.chdir(EXAMPLE)
    taken = snapshot(content=Path("."), translations=PROJECT / "translations", htmx=PROJECT / "none", today=TODAY)
    name = "policies/privacy/2026-09-01.en.md"
    assert taken.source(Path(".") / name) == taken.content[name]
    assert taken.source(Path(name)) == taken.content[name]
    assert taken.source(EXAMPLE / name) == taken.content[name]
    assert taken.source(Path("..") / "README.md") is None


def test_compiled_templates_are_kept_per_version_of_the_code(tmp_path, monkeypatch):
    # Jinja checks a cached template's source, not the code: a filter that came to take the render
    # context crashed every page compiled before (found after such a change). So the compiled
    # templates live in a folder named after the code, and another code's folder is removed.
    from policypress import freeze

    # Named after the modules the process runs and the versions of the libraries that compile templates.
    asked = []
    monkeypatch.setattr(freeze, "installed", lambda names: asked.append(names) or ["Jinja2-3.1.6.dist-info"])
    name = freeze._running_code.__wrapped__()
    assert set(asked[0]) == {"jinja2", "flask", "markupsafe"}
    monkeypatch.setattr(freeze, "running_modules", lambda: "other modules")
    assert freeze._running_code.__wrapped__() != name

    first = freeze.template_cache(tmp_path).directory
    (Path(first) / "__jinja2_compiled.cache").write_bytes(b"compiled by this code")
    (tmp_path / "templates" / "__jinja2_loose.cache").write_bytes(b"from before the folders")
    assert freeze.template_cache(tmp_path).directory == first  # the same code reuses them
    monkeypatch.setattr(freeze, "_running_code", lambda: "another version of the code")
    second = freeze.template_cache(tmp_path).directory
    assert second != first
    assert sorted(p.name for p in (tmp_path / "templates").iterdir()) == [Path(second).name]
    assert list(Path(second).iterdir()) == []


def test_a_build_of_other_code_removing_the_compiled_templates_fails_nothing(tmp_path):
    # Two checkouts' outputs side by side share the cache folder: each removes the other's compiled
    # templates. A template that cannot be saved is compiled again next time.
    from jinja2 import DictLoader, Environment
    from policypress import freeze

    cache = freeze.template_cache(tmp_path)
    shutil.rmtree(cache.directory)
    environment = Environment(loader=DictLoader({"page.html": "{{ 6 * 7 }}"}), bytecode_cache=cache)
    assert environment.get_template("page.html").render() == "42"


def test_the_code_fingerprint_takes_the_running_modules_once_and_templates_as_they_are(tmp_path, monkeypatch):
    # A --watch process keeps the code it imported: a build it makes after a module was edited is the
    # old code's, and must be recorded so (else a later build of the new code would call it up to date).
    # Templates and static files it reads afresh, so they count as they are now.
    from policypress import inputs

    package = tmp_path / "policypress"
    (package / "templates").mkdir(parents=True)
    (package / "views.py").write_text("VERSION = 1\n")
    (package / "templates" / "page.html").write_text("<p>one</p>")
    monkeypatch.setattr(inputs, "PACKAGE_DIR", package)
    monkeypatch.setattr(inputs, "running_modules", functools.cache(inputs.running_modules.__wrapped__))
    first = inputs.code_digest()
    (package / "views.py").write_text("VERSION = 2\n")
    assert inputs.code_digest() == first  # the modules this process runs did not change
    (package / "templates" / "page.html").write_text("<p>two</p>")
    second = inputs.code_digest()
    assert second != first
    inputs.running_modules.cache_clear()  # a new process
    assert inputs.code_digest() != second
