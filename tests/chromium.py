"""Debian's Chromium for the browser tests (tests/browser_setup.sh installs it; `playwright install` is never used):
its path, the flags it runs with and the marks that skip a browser test, with the reason, when it is absent."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BROWSER_MARKS = [pytest.mark.browser, pytest.mark.server, pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium: run "
    "tests/browser_setup.sh (apt-get install chromium)")]


@contextmanager
def chromium_page(profile: Path, width: int, height: int) -> Iterator:
    """A page of Debian's Chromium with its own profile folder (removed afterwards), CSP bypassed so that a test
    can inject axe-core."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS, bypass_csp=True,
            viewport={"width": width, "height": height})
        yield context.new_page()
        context.close()
    shutil.rmtree(profile, ignore_errors=True)
