"""Debian's Chromium for the browser tests (tests/browser_setup.sh installs it; `playwright install` is never used):
its path, the flags it runs with and the marks that skip a browser test, with the reason, when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BROWSER_MARKS = [pytest.mark.browser, pytest.mark.server, pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium: run "
    "tests/browser_setup.sh (apt-get install chromium)")]
