#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (never a downloaded browser). Idempotent.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
	echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present) (already installed)"
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "chromium is missing and this user cannot install it: run 'apt-get install -y chromium' as root" >&2; exit 1; }
	SUDO="sudo"
fi
echo "[$(date -u +%H:%M:%S)] installing Debian's chromium (takes ~1-2 min)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "[$(date -u +%H:%M:%S)] chromium: $(/usr/bin/chromium --version)"
