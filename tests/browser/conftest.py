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
