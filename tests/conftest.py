"""Shared fixtures: content folders, the CLI as a subprocess, the frozen example
site on a plain static server, and a real Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE = PROJECT / "content"
RTL_FIXTURE = PROJECT / "tests" / "fixtures" / "rtl"
TODAY = date(2026, 11, 22)
CHROMIUM = os.environ.get("POLICYPRESS_CHROMIUM", "/usr/bin/chromium")

MINIMAL_SITE = """\
organisation:
  name: Example Co
  legal_name: Example Company Ltd.
  email: privacy@example.com
  address: 1 Example Street, Springfield
base_url: https://privacy.example.com
default_locale: en
locales: [en]
regions:
  - {id: eea, name: European Economic Area, law: GDPR}
  - {id: uk, name: United Kingdom, law: UK GDPR}
  - {id: california, name: California, law: CCPA/CPRA}
  - {id: prc, name: People's Republic of China, law: PIPL}
"""


def write_content(root: Path, files: dict[str, str | bytes], *, site: str | None = MINIMAL_SITE) -> Path:
    """Write a content folder: ``site.yaml`` plus ``files`` (paths relative to root)."""
    root.mkdir(parents=True, exist_ok=True)
    if site is not None:
        (root / "site.yaml").write_text(site, encoding="utf-8")
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body), encoding="utf-8")
    return root


def run_cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python build.py ARGS`` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *map(str, args)],
        cwd=cwd or PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def run_on_terminal(command: list[str], *, cwd: Path, stdout_too: bool = True, timeout: float = 120) -> str:
    """Run ``command`` with stderr (and stdout) on a pseudo-terminal of 100 columns; return what it showed."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    stdout = follower if stdout_too else subprocess.DEVNULL
    process = subprocess.Popen(command, stdin=follower, stdout=stdout, stderr=follower, cwd=cwd)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=timeout) == 0, output.decode(errors="replace")
    return output.decode()


def tree_digest(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, keyed by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def _htmx_installed() -> None:
    """Install the pinned htmx npm package once, as ``build.py build`` would."""
    from policypress import default_config
    from policypress.buildcmd import ensure_htmx

    ensure_htmx(default_config()["HTMX_PATH"])


@pytest.fixture
def app():
    from policypress import create_app

    return create_app({"CONTENT_DIR": EXAMPLE, "TODAY": TODAY})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def rtl_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The right-to-left fixture site (Arabic catalog), built once per session by the CLI."""
    root = tmp_path_factory.mktemp("rtl")
    shutil.copytree(RTL_FIXTURE, root / "fixture")  # its compiled catalogs stay out of the repository
    out = root / "build"
    result = run_cli(
        "build",
        "--content",
        root / "fixture" / "content",
        "--translations",
        root / "fixture" / "translations",
        "--out",
        out,
        "--today",
        TODAY.isoformat(),
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def frozen_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once per test session by the CLI."""
    out = tmp_path_factory.mktemp("frozen") / "build"
    result = run_cli("build", "--content", EXAMPLE, "--out", out, "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_folder(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``python -m http.server`` on ``folder``; return the process and its base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"http://127.0.0.1:{port}"
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("the static file server did not start")


@pytest.fixture(scope="session")
def static_site(frozen_example: Path) -> Iterator[str]:
    """Base URL of the frozen example site on a plain static file server."""
    process, base_url = serve_folder(frozen_example)
    yield base_url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium. Under CI=true a browser that cannot start fails the test."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - depends on the machine
        if os.environ.get("CI") == "true":
            pytest.fail(f"playwright is not installed: {error}")
        pytest.skip("playwright is not installed")
    manager = sync_playwright().start()
    try:
        launched = manager.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
    except Exception as error:  # noqa: BLE001 - any launch failure means "no browser here"
        manager.stop()
        if os.environ.get("CI") == "true" or shutil.which(CHROMIUM):
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    yield launched
    launched.close()
    manager.stop()


def wait_until(page, expression: str, arg: object = None, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``expression`` (a JavaScript function of ``arg``) is true in ``page``.

    Not ``page.wait_for_function``: its polling compiles the predicate in the page, which the site's Content
    Security Policy (no 'unsafe-eval') refuses. ``evaluate`` runs through the browser's protocol instead.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


class PageWatch:
    """Console errors, CSP violations and requests seen by one browser page."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda msg: msg.type in ("error", "warning") and self.console_errors.append(msg.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def csp_violations(self) -> list[str]:
        return [text for text in self.console_errors if "Content Security Policy" in text]


@pytest.fixture
def watched_page(browser):
    """A fresh browser context and page, with its console and requests recorded."""
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page)
    yield watch
    context.close()
