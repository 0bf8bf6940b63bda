#!/usr/bin/env bash
# Installs what n8n's queue mode needs for the tests, the demo (`npm run start:queue`) and the
# benchmark (`npm run bench -- --queue`): Debian's `redis-server` and `postgresql`. Idempotent: a
# machine that has both returns at once; `apt-get update` runs only when apt knows no candidate for
# a missing package (a fresh machine whose package lists are empty or old).
#
# The tests never use the system services: tools/n8n/cluster.ts runs its own PostgreSQL (initdb in a
# temporary folder, as the `postgres` user when run as root) and its own redis-server, on free
# loopback ports, and removes them afterwards. So the packages' own services are kept from starting
# during the install (policy-rc.d), and nothing is left listening on 5432 or 6379.
set -euo pipefail

ts() { date -u +%H:%M:%S; }

pg_bin() {
	# The newest installed major version's binaries (Debian: /usr/lib/postgresql/<major>/bin).
	local dir
	dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
	[ -n "${dir}" ] && [ -x "${dir}/initdb" ] && [ -x "${dir}/postgres" ] && [ -x "${dir}/pg_dump" ] &&
		[ -x "${dir}/psql" ] && echo "${dir}"
}

redis_ok() { command -v redis-server >/dev/null 2>&1; }

missing=()
redis_ok || missing+=(redis-server)
[ -n "$(pg_bin || true)" ] || missing+=(postgresql)

if [ ${#missing[@]} -eq 0 ]; then
	echo "queue-mode deps: $(redis-server --version | cut -d' ' -f1-3), PostgreSQL in $(pg_bin) (already installed)"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "${missing[*]} missing and this user cannot install it: run 'apt-get install -y ${missing[*]}' as root" >&2
		exit 1
	}
	SUDO="sudo"
fi

# Only when apt has no candidate for a missing package (empty or stale lists) is `apt-get update` needed.
needs_update=0
for package in "${missing[@]}"; do
	candidate="$(apt-cache policy "${package}" 2>/dev/null | awk '/Candidate:/ { print $2 }')"
	if [ -z "${candidate}" ] || [ "${candidate}" = "(none)" ]; then needs_update=1; fi
done
if [ "${needs_update}" -eq 1 ]; then
	echo "[$(ts)] apt-get update (no candidate for ${missing[*]} in the package lists)"
	$SUDO apt-get update -qq
fi

# Keep the packages' services from starting (Debian's convention: policy-rc.d exit 101 = "not
# allowed"). Left alone if the machine already has one (containers usually do).
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "${policy}" ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee "${policy}" >/dev/null
	$SUDO chmod 755 "${policy}"
	own_policy=1
fi
cleanup() { if [ "${own_policy}" -eq 1 ]; then $SUDO rm -f "${policy}"; fi; }
trap cleanup EXIT

echo "[$(ts)] installing Debian's ${missing[*]} (about a minute)..."
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

redis_ok || { echo "redis-server is still missing after apt-get install" >&2; exit 1; }
[ -n "$(pg_bin || true)" ] || { echo "PostgreSQL's binaries are still missing after apt-get install" >&2; exit 1; }
echo "[$(ts)] queue-mode deps: $(redis-server --version | cut -d' ' -f1-3), PostgreSQL in $(pg_bin)"
