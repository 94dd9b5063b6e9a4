#!/bin/sh
# Install Debian packages the tests need, only those missing: apt_install.sh PACKAGE[:PROBE-PATH] ...
# Waits (bounded) for another process's apt/dpkg lock instead of failing; never downloads outside apt.
set -eu
missing=""
for spec in "$@"; do
    pkg=${spec%%:*}; probe=${spec#*:}
    if [ "$probe" != "$spec" ] && [ -e "$probe" ]; then continue; fi
    if [ "$probe" = "$spec" ] && dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        continue
    fi
    missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
# apt-get waits for the dpkg frontend lock up to this many seconds (APT >= 1.9), then gives up with a message.
wait="-o DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT:-600}"
$SUDO apt-get $wait update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get $wait install -y -qq $missing >/dev/null
