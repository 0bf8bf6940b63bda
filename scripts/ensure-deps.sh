#!/usr/bin/env bash
# Installs the project's own dependencies (`npm ci`: exactly package-lock.json) when they are not
# installed, so that `npm start` and `npm test` are the only commands a fresh clone needs. Uses
# nothing but bash and npm: it runs before any dependency exists.
#
# npm writes node_modules/.package-lock.json at the end of a complete install; without it the
# install is missing or was interrupted. An existing install is left alone (after a pull that
# changes dependencies, run `npm ci` yourself).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ]; then
	echo "[$(date -u +%H:%M:%S)] node_modules is missing: installing the project's dependencies (npm ci, about a minute, once)"
	npm ci --no-audit --no-fund
fi
