"""End to end in a real headless Chromium: the demo as a user meets it, from sign-in to sign-out.

No pytest-django database here: the audit table's triggers refuse the DELETE/TRUNCATE a transactional
teardown does. Instead the test prepares a throw-away demo with `tipims demo --no-serve` in a temporary
folder (SQLite, always, whatever DATABASE_URL the suite itself runs against), serves it with
`tipims runserver`, and drives Debian's Chromium through Playwright. It never downloads a browser.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import isolated_env

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "browser-test-demo-password"
TIPIMS = Path(sys.executable).parent / "tipims"
SERVER_START_TIMEOUT = 30.0
TIMEOUT_MS = 15_000

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Server:
    url: str
    log: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"tipims runserver exited with {process.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"tipims runserver did not answer within {SERVER_START_TIMEOUT:.0f}s:\n{_tail(log)}")


@contextmanager
def demo_server(tmp_path: Path) -> Iterator[Server]:
    """A fresh demo served by `tipims runserver`; the server is always terminated on the way out."""
    if not TIPIMS.exists():
        pytest.fail(f"the tipims command is missing next to the interpreter: {TIPIMS}")
    # Nothing inherited that names a database, secret or TIPIMS setting: a SQLite demo of its own,
    # also when the suite itself runs against PostgreSQL.
    env = isolated_env(tmp_path / "var")
    prepared = subprocess.run(
        [str(TIPIMS), "demo", "--no-serve", "--size", "small", "--password", DEMO_PASSWORD],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert prepared.returncode == 0, f"tipims demo failed:\n{prepared.stdout}\n{prepared.stderr}"
    assert "coordinator" in prepared.stdout

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "runserver.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [str(TIPIMS), "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(url, process, log)
        yield Server(url=url, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _browser_storage(page) -> dict[str, dict[str, str]]:
    return page.evaluate(
        "() => ({local: Object.fromEntries(Object.entries(localStorage)),"
        " session: Object.fromEntries(Object.entries(sessionStorage))})"
    )


def test_sign_in_switch_language_and_sign_out(tmp_path: Path):
    # Missing Chromium fails, never skips: CI installs Debian's package, and nothing downloads one.
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    with demo_server(tmp_path) as server, sync_playwright() as p:
        base = server.url
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # A browser set up in Guatemala: LocaleMiddleware follows Accept-Language, so the locale
            # is pinned rather than left to whatever the machine running the suite says.
            context = browser.new_context(locale="es-GT")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            html = page.locator("html")

            page.goto(base + "/")
            expect(page).to_have_url(f"{base}/accounts/login/?next=/")
            expect(html).to_have_attribute("lang", "es")

            page.locator("input[name=login]").fill("coordinator")
            page.locator("input[name=password]").fill(DEMO_PASSWORD)
            page.locator("main button[type=submit]").click()

            expect(page).to_have_url(base + "/")
            expect(page.locator('[data-testid="card-institutions"]')).to_have_count(1)
            expect(page.get_by_test_id("mfa-banner")).to_be_visible()
            heading = page.get_by_role("heading", level=1)
            expect(heading).not_to_have_text("Dashboard")  # Spanish until asked otherwise
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

            # No victim data in browser storage. htmx 2 always writes the page's own path and query
            # under "htmx-current-path-for-history" into sessionStorage: on the dashboard that is
            # "/", the address bar and nothing more; any other key is a failure.
            storage = _browser_storage(page)
            assert storage["local"] == {}
            extra = {k: v for k, v in storage["session"].items() if k != "htmx-current-path-for-history"}
            assert extra == {}
            assert storage["session"].get("htmx-current-path-for-history", "/") == "/"

            page.get_by_test_id("lang-en").click()
            expect(html).to_have_attribute("lang", "en")
            expect(heading).to_have_text("Dashboard")
            expect(page).to_have_url(base + "/")

            page.get_by_test_id("lang-es").click()
            expect(html).to_have_attribute("lang", "es")
            expect(heading).not_to_have_text("Dashboard")
            expect(page.get_by_test_id("lang-en")).to_be_visible()
            expect(page.locator('[data-testid="card-institutions"]')).to_have_count(1)

            page.get_by_test_id("logout").click()
            expect(page).to_have_url(base + "/accounts/login/")
            expect(page.locator("input[name=login]")).to_be_visible()
            expect(page.get_by_test_id("logout")).to_have_count(0)
        finally:
            browser.close()
