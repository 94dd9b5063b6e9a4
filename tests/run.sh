#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs gfmdkg with its test extra and what the tests need
# (Debian's Chromium for the page tests; Debian's Virtuoso and the Oxigraph server from PyPI for the store tests),
# then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
if [ -f tests/browser_setup.sh ]; then bash tests/browser_setup.sh; fi
# Debian's Virtuoso 7.2 for the store tests (tests/test_virtuoso.py); in CI its absence fails those tests
sh tests/apt_install.sh virtuoso-opensource:/usr/bin/virtuoso-t
export GFMDKG_CACHE="${GFMDKG_CACHE:-$(mktemp -d)}"
python3 -m ruff check gfmdkg tests bench
# pytest exits 5 when it collected no test: that is a failure here, as is any failed test.
python3 -m pytest -q -p no:cacheprovider "$@"
