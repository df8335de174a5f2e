#!/usr/bin/env bash
# System packages the test suite needs, installed when missing:
#   chromium, chromium-driver  headless browser for the web UI's end-to-end and XSS tests
#   openjdk-17-jre-headless    the Java runtime `newsfuse spark` (pyspark) runs on
# Debian's packages; run as root, or with sudo available.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v java > /dev/null || missing+=(openjdk-17-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo > /dev/null; then
    as_root=(sudo -n)
else
    echo "setup-system: need root (or sudo) to install ${missing[*]} with apt-get" >&2
    exit 1
fi
if ! command -v apt-get > /dev/null; then
    echo "setup-system: ${missing[*]} missing and apt-get not found; install them by hand" >&2
    exit 1
fi
echo "setup-system: installing ${missing[*]} (Debian packages)" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
