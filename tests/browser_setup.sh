#!/bin/sh
# Install Debian's Chromium for the browser tests (tests/test_browser*.py), only when it is missing.
# playwright-python drives /usr/bin/chromium directly; never run `playwright install`.
set -eu
sh "$(dirname "$0")/apt_install.sh" chromium:/usr/bin/chromium
/usr/bin/chromium --version
