"""Real headless Chromium (Debian's package), driven by Playwright's Python API.

Without Chromium the browser tests are skipped with instructions; under CI (CI=true) a
missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT = Path(os.environ.get("OVERSIGHT_TEST_OUTPUT", Path.cwd() / "test-output"))


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = (
            f"没有找到 Chromium（{CHROMIUM}）。浏览器测试需要 Debian 的 chromium："
            "sudo apt-get install chromium fonts-noto-cjk"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        # ORM calls made while Playwright's loop ran used a connection of their own; close
        # it here, in the same context, so the test database can be dropped at the end.
        connections.close_all()
        instance.close()


@pytest.fixture
def output_dir(request: pytest.FixtureRequest) -> Path:
    path = OUTPUT / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path


class ConsoleWatch:
    """Collects what Chromium reports against the page: CSP refusals (console errors that
    name the Content Security Policy) and uncaught script errors."""

    def __init__(self) -> None:
        self.csp_violations: list[str] = []
        self.script_errors: list[str] = []

    def attach(self, page: Any) -> Any:
        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                self.csp_violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.script_errors.append(f"{page.url}: {error}"))
        return page


@pytest.fixture
def console() -> Iterator[ConsoleWatch]:
    """Every page a test opens through ``console.attach`` must be free of CSP violations and
    script errors; the test fails at teardown otherwise."""
    watch = ConsoleWatch()
    yield watch
    assert watch.csp_violations == [], "CSP violations:\n" + "\n".join(watch.csp_violations)
    assert watch.script_errors == [], "script errors:\n" + "\n".join(watch.script_errors)
