#!/usr/bin/env bash
# Installs Debian's chromium for the browser end-to-end tests (test/e2e-browser), unless it is
# already there. playwright-core drives it through executablePath; no browser is downloaded.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-chromium: installing chromium (apt-get)" >&2
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version >&2 2>/dev/null || true
