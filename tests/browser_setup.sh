#!/bin/sh
# Install Debian's Chromium for the browser tests (tests/test_browser*.py), only when it is missing.
# playwright-python drives /usr/bin/chromium directly; never run `playwright install`.
set -eu
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
test -x /usr/bin/chromium
/usr/bin/chromium --version
