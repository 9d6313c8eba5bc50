"""The editors' preview: ``build.py serve`` shows edits on the next page load,
shows broken content as a readable page, and recovers once it is fixed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, PROJECT, _free_port, write_content

POLICY = "policies/privacy/2024-01-01.en.md"
TEXT = """\
---
title: Privacy Policy
---
We keep your notes private.

## Contact {#contact}

Write to us.
"""


class Preview:
    """A ``build.py serve`` process on a free port."""

    def __init__(self, content: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(PROJECT / "build.py"),
                "serve",
                "--content",
                str(content),
                "--port",
                str(self.port),
                "--today",
                "2026-01-01",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.communicate()
            try:
                self.get("/")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise AssertionError("serve did not start")

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def stop(self) -> str:
        self.process.terminate()
        _out, err = self.process.communicate(timeout=10)
        return err


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_content(tmp_path / "content", {POLICY: TEXT})


@pytest.fixture
def preview(content: Path) -> Iterator[Preview]:
    server = Preview(content)
    yield server
    assert "Traceback" not in server.stop()


def edit(path: Path, old: str, new: str) -> None:
    """Change a file as an editor's save would: new text, new modification time."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_preview_shows_an_edit_on_the_next_page_load(preview: Preview, content: Path) -> None:
    status, html, headers = preview.get("/en/privacy/")
    assert status == 200 and "We keep your notes private." in html
    assert headers["Cache-Control"] == "no-store"

    edit(content / POLICY, "We keep your notes private.", "We never read your notes.")
    status, html, _ = preview.get("/en/privacy/")
    assert status == 200 and "We never read your notes." in html and "We keep your notes private." not in html

    # A new file is picked up too: the set of files changed.
    write_content(content, {"policies/cookies/2025-01-01.en.md": "---\ntitle: Cookie Policy\n---\nNo cookies.\n"})
    status, html, _ = preview.get("/en/cookies/")
    assert status == 200 and "No cookies." in html
    assert preview.process.poll() is None


def test_preview_moves_the_site_under_the_path_of_an_edited_base_url(preview: Preview, content: Path) -> None:
    edit(content / "site.yaml", "base_url: https://privacy.example.com", "base_url: https://example.github.io/notes")
    status, html, _ = preview.get("/notes/en/privacy/")  # the first request after the edit
    assert status == 200 and 'href="/notes/en/privacy/"' in html
    assert preview.get("/en/privacy/")[0] == 404


def test_broken_file_shows_an_error_page_and_fixing_it_recovers(preview: Preview, content: Path) -> None:
    edit(content / POLICY, "## Contact {#contact}", "::: region californa\n## Contact {#contact}")
    status, html, _ = preview.get("/en/privacy/")
    assert status == 500
    assert "<title>Content error (2)" in html
    assert "content/policies/privacy/2024-01-01.en.md:6" in html
    assert "unknown region &#39;californa&#39; (known: eea, uk, california, prc)" in html
    assert "region block is never closed" in html
    assert "Hint: fix the spelling, or define the region in site.yaml" in html
    assert "Traceback" not in html and "Internal Server Error" not in html
    assert preview.process.poll() is None  # still running

    edit(content / POLICY, "::: region californa\n", "")
    status, html, _ = preview.get("/en/privacy/")
    assert status == 200 and "Write to us." in html


def test_preview_starts_with_broken_content_and_recovers(content: Path) -> None:
    (content / POLICY).write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    server = Preview(content)
    try:
        status, html, _ = server.get("/en/privacy/")
        assert status == 500 and "malformed YAML" in html and "2024-01-01.en.md:2" in html
        (content / POLICY).write_text(TEXT, encoding="utf-8")
        status, html, _ = server.get("/en/privacy/")
        assert status == 200 and "We keep your notes private." in html
    finally:
        stderr = server.stop()
    assert "malformed YAML" in stderr and "Traceback" not in stderr


def test_preview_reloads_catalogs_and_templates(tmp_path: Path) -> None:
    """Translations and templates are watched too (in-process: templates live in the package)."""
    from policypress import create_app

    french = TEXT.replace("Privacy", "Confidentialité")
    content = write_content(
        tmp_path / "content",
        {POLICY: TEXT, "policies/privacy/2024-01-01.fr.md": french},
        site=MINIMAL_SITE.replace("locales: [en]", "locales: [en, fr]"),
    )
    po = tmp_path / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    po.write_text(header + 'msgid "Contents"\nmsgstr "Sommaire"\n')
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT / "site" / "templates", templates)
    app = create_app({"CONTENT_DIR": content, "TRANSLATIONS_DIR": tmp_path / "translations", "RELOAD": True})
    app.template_folder = str(templates)  # before the first render, so Jinja loads from the copy
    client = app.test_client()

    assert "Sommaire" in client.get("/fr/privacy/").text
    time.sleep(0.01)
    po.write_text(po.read_text().replace('msgstr "Sommaire"', 'msgstr "Table des matières"'))
    assert "Table des matières" in client.get("/fr/privacy/").text

    edit(templates / "policy.html", '<article class="policy"', '<article class="policy edited"')
    assert '<article class="policy edited"' in client.get("/en/privacy/").text


def test_build_and_check_still_fail_on_broken_content(content: Path) -> None:
    """Only the preview tolerates broken content; the app factory raises for everything else."""
    from policypress import create_app
    from policypress.errors import ContentError

    (content / POLICY).write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    with pytest.raises(ContentError, match="malformed YAML"):
        create_app({"CONTENT_DIR": content})
