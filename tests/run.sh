#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs gfmdkg with its test extra and what the tests need
# (Debian's Chromium for the page tests, the Oxigraph server from PyPI), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
if [ -f tests/browser_setup.sh ]; then bash tests/browser_setup.sh; fi
export GFMDKG_CACHE="${GFMDKG_CACHE:-$(mktemp -d)}"
python3 -m ruff check gfmdkg tests bench
# pytest exits 5 when it collected no test: that is a failure here, as is any failed test.
python3 -m pytest -q -p no:cacheprovider "$@"
