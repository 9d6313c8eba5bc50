"""``build.py serve``, run as an editor runs it, serves what the build writes."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE, PROJECT, TODAY, _free_port, run_cli, tree_digest


def _wait_for(url: str, process: subprocess.Popen[str], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early: {process.stderr.read() if process.stderr else ''}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError("serve did not start")


@pytest.fixture(scope="module")
def preview() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "build.py"),
            "serve",
            "--content",
            str(EXAMPLE),
            "--today",
            TODAY.isoformat(),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/", process)
        yield base
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_preview_server_gives_the_same_html_as_the_frozen_files(preview: str, frozen_example: Path) -> None:
    frozen = tree_digest(frozen_example)
    pages = [name for name in frozen if name.endswith(".html")]
    assert len(pages) >= 5
    for name in pages:
        url = preview + "/" + name.removesuffix("index.html")
        with urllib.request.urlopen(url) as response:
            assert response.read() == frozen[name], url


def test_preview_server_sends_security_headers(preview: str) -> None:
    with urllib.request.urlopen(preview + "/en/privacy/") as response:
        csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp


@pytest.mark.parametrize("port", ["-1", "0", "65536", "99999"])
def test_serve_refuses_a_port_out_of_range(port: str) -> None:
    """Not a traceback (-1), nor a server on another port than the one it names (99999 wrapped to 34463)."""
    result = run_cli("serve", "--content", EXAMPLE, "--port", port, timeout=30)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"argument --port: '{port}' is not a port number from 1 to 65535" in result.stderr
    assert "previewing" not in result.stdout
