#!/usr/bin/env bash
# Installs the real n8n hosts used by the e2e tests, the demo and the benchmark into the
# git-ignored folder <repo>/.hosts/ (see /work/shared/N8N-HOSTS.md for why each step is needed):
#
#   .hosts/n8n-1.123.81/  n8n 1.123.81 for the machine's Node 20 (xlsx overridden to a registry copy,
#                         --ignore-scripts, sqlite3 built from source)
#   .hosts/node24/        Node 24 from the npm package `node` (its install script must run)
#   .hosts/n8n-2.41.3/    n8n 2.41.3 (runs on .hosts/node24; sqlite3 built from source with Node 20,
#                         it is an N-API module so the binary loads in Node 24 too). Its manifest
#                         overrides 21 of n8n's own packages that 2.41.3 pins at versions this
#                         machine's registry does not serve, each to the newest older patch of the
#                         same minor (see scripts/hosts/n8n-2.41.3/package.json).
#   .hosts/n8n-2.40.7/    n8n 2.40.7, installed the same way, only on request
#
# Usage: scripts/install-hosts.sh [VERSION|all] ...
#        no argument: the versions the e2e suite runs (tools/n8n/host/install.ts HOST_VERSIONS):
#          $N8N_E2E_VERSIONS when set (e.g. 1.123.81,2.40.7), else 1.123.81 and 2.41.3
#          1 | 1.123.81  -> n8n 1.123.81
#          2.41.3        -> node24 + n8n 2.41.3
#          2.40.7 | 2    -> node24 + n8n 2.40.7 (`2` is what `npm start` and the benchmark pass today)
#          all           -> all three
#        N8N_HOSTS_DIR=/elsewhere scripts/install-hosts.sh   installs there instead of <repo>/.hosts
#
# Each host folder gets a marker file `.installed` only after a fully successful install and smoke
# test; it records a hash of the committed package.json (and lockfile, if any) under
# scripts/hosts/<name>/, so a changed manifest triggers a clean re-install and an unchanged one is a
# no-op. The package manifests are committed under scripts/hosts/ together with the package-lock.json
# of a verified install; `npm install` then installs exactly the locked versions. (`npm ci` cannot be
# used: n8n's lockfiles cannot list some optional platform packages, e.g.
# @msgpackr-extract/msgpackr-extract-darwin-arm64@3.0.7, which this machine's registry does not
# serve, and `npm ci` rejects such a lockfile as "out of sync".)
set -Eeuo pipefail # -E: the ERR trap below also fires inside functions and subshells

# Run from an npm script (npm test, npm start), this shell inherits the project's npm settings as
# npm_config_* variables, among them ignore-scripts=true from the project's .npmrc: the hosts'
# own installs would then silently skip the sqlite3 build and node@24's install script.
while IFS='=' read -r name _; do
  case "${name}" in npm_config_*|NPM_CONFIG_*) unset "${name}" ;; esac
done < <(env)

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"
MANIFESTS="${SCRIPT_DIR}/hosts"
HOSTS_DIR="${N8N_HOSTS_DIR:-${REPO_ROOT}/.hosts}" # N8N_HOSTS_DIR: same override as tools/n8n/n8nHost.ts

N8N1=n8n-1.123.81
N8N2=n8n-2.40.7
N8N2_41=n8n-2.41.3
NODE24=node24

ts() { date '+%H:%M:%S'; }
log() { printf '[%s] install-hosts: %s\n' "$(ts)" "$*"; }
die() { printf '[%s] install-hosts: ERROR: %s\n' "$(ts)" "$*" >&2; exit 1; }

CURRENT_STEP="(starting)"
on_error() {
  local code=$?
  # with -E the trap also runs in subshells: report once, from the main shell
  if [[ ${BASH_SUBSHELL} -gt 0 ]]; then exit "${code}"; fi
  printf '[%s] install-hosts: ERROR: failed during: %s (exit code %s). The host folder was left without its .installed marker; re-run the script to retry from scratch.\n' \
    "$(ts)" "${CURRENT_STEP}" "${code}" >&2
  exit "${code}"
}
trap on_error ERR

step() { CURRENT_STEP="$*"; log "$*"; }

usage() {
  cat <<EOF
Usage: $(basename "$0") [VERSION|all] ...
  (none)        the e2e suite's versions: \$N8N_E2E_VERSIONS (comma-separated) or 1.123.81,2.41.3
  1 | 1.123.81  install n8n 1.123.81 (Node 20)           -> .hosts/${N8N1}
  2.41.3        install Node 24 + n8n 2.41.3             -> .hosts/${NODE24}, .hosts/${N8N2_41}
  2.40.7 | 2    install Node 24 + n8n 2.40.7             -> .hosts/${NODE24}, .hosts/${N8N2}
  all           all three
EOF
}

# --- preconditions ---------------------------------------------------------------------------
command -v npm >/dev/null 2>&1 || die "npm not found on PATH"
command -v node >/dev/null 2>&1 || die "node not found on PATH"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[[ "${NODE_MAJOR}" == "20" ]] || die "expected the machine's Node 20 first on PATH (found $(node --version) at $(command -v node)); n8n 1.x and the sqlite3 source build need it"
command -v make >/dev/null 2>&1 || die "make not found (needed to build sqlite3 from source)"
command -v g++ >/dev/null 2>&1 || die "g++ not found (needed to build sqlite3 from source)"
command -v python3 >/dev/null 2>&1 || die "python3 not found (needed by node-gyp)"

# --- helpers ---------------------------------------------------------------------------------
manifest_hash() { # $1 = host name; hash of the committed package.json (+ lockfile)
  local src="${MANIFESTS}/$1"
  [[ -f "${src}/package.json" ]] || die "missing manifest ${src}/package.json"
  cat "${src}/package.json" "${src}/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1
}

is_installed() { # $1 = host name
  local marker="${HOSTS_DIR}/$1/.installed"
  [[ -f "${marker}" ]] && [[ "$(head -n1 "${marker}")" == "$(manifest_hash "$1")" ]]
}

prepare_dir() { # $1 = host name: fresh folder with the committed manifest (and lockfile) copied in
  local name="$1" dst="${HOSTS_DIR}/$1"
  if [[ -e "${dst}" ]]; then
    log "removing incomplete or outdated ${dst}"
    rm -rf "${dst}"
  fi
  mkdir -p "${dst}"
  cp "${MANIFESTS}/${name}/package.json" "${dst}/package.json"
  if [[ -f "${MANIFESTS}/${name}/package-lock.json" ]]; then
    cp "${MANIFESTS}/${name}/package-lock.json" "${dst}/package-lock.json"
  fi
}

npm_install() { # $1 = dir, rest = extra npm flags; versions pinned by the copied lockfile, if any
  local dir="$1"; shift
  if [[ -f "${dir}/package-lock.json" ]]; then
    log "  (versions pinned by the committed package-lock.json)"
  else
    log "  (no committed package-lock.json: resolving the newest matching versions)"
  fi
  (cd "${dir}" && npm install --no-audit --no-fund "$@")
}

write_marker() { # $1 = host name, $2 = version line
  local dst="${HOSTS_DIR}/$1"
  printf '%s\n%s\ninstalled %s\n' "$(manifest_hash "$1")" "$2" "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" >"${dst}/.installed"
}

elapsed() { # $1 = start epoch seconds
  local s=$(( $(date +%s) - $1 ))
  printf '%dm%02ds' $((s / 60)) $((s % 60))
}

smoke_n8n() { # $1 = host dir, $2 = node binary, $3 = expected version, rest = env assignments
  local dir="$1" nodebin="$2" want="$3"; shift 3
  local tmp out
  tmp="$(mktemp -d)"
  # sqlite3 must load under the node that runs n8n
  (cd "${dir}" && "${nodebin}" -e "require('sqlite3'); process.stdout.write('')") \
    || { rm -rf "${tmp}"; die "sqlite3 native module does not load in ${dir} with $("${nodebin}" --version)"; }
  out="$(cd "${dir}" && env "$@" N8N_USER_FOLDER="${tmp}" N8N_DIAGNOSTICS_ENABLED=false \
    PATH="$(dirname "${nodebin}"):${PATH}" "${nodebin}" "${dir}/node_modules/n8n/bin/n8n" --version 2>&1 | tail -n1)" \
    || { rm -rf "${tmp}"; die "n8n --version failed in ${dir}: ${out:-}"; }
  rm -rf "${tmp}"
  [[ "${out}" == "${want}" ]] || die "n8n --version in ${dir} printed '${out}', expected '${want}'"
}

# --- hosts -----------------------------------------------------------------------------------
install_node24() {
  local dst="${HOSTS_DIR}/${NODE24}"
  if is_installed "${NODE24}"; then
    log "Node 24 already installed in ${dst} (marker present), nothing to do"
    return
  fi
  local t0; t0=$(date +%s)
  step "installing Node 24 (npm package node) into ${dst} (takes ~1 min)…"
  prepare_dir "${NODE24}"
  step "node24: npm install (install scripts must run)"
  npm_install "${dst}" --ignore-scripts=false
  local bin="${dst}/node_modules/node/bin/node" v
  [[ -x "${bin}" ]] || die "expected ${bin} after installing the npm package node"
  v="$("${bin}" --version)"
  [[ "${v}" == v24.* ]] || die "${bin} printed ${v}, expected v24.x"
  write_marker "${NODE24}" "node ${v}"
  log "Node ${v} installed in $(elapsed "${t0}")"
}

install_n8n() { # $1 = host name, $2 = n8n version, $3 = node binary that runs it, rest = env for the smoke test
  local name="$1" version="$2" nodebin="$3"; shift 3
  local dst="${HOSTS_DIR}/${name}"
  if is_installed "${name}"; then
    log "n8n ${version} already installed in ${dst} (marker present), nothing to do"
    return
  fi
  local t0; t0=$(date +%s)
  step "installing n8n ${version} into ${dst} (takes ~4 min)…"
  prepare_dir "${name}"
  step "n8n ${version}: npm install --ignore-scripts"
  npm_install "${dst}" --ignore-scripts
  # Always built with the machine's Node 20: sqlite3 is an N-API module, so the binary also loads
  # in the Node 24 that runs n8n 2.x.
  step "n8n ${version}: npm rebuild sqlite3 --build-from-source (~1 min)…"
  (cd "${dst}" && npm rebuild sqlite3 --build-from-source --ignore-scripts=false)
  step "n8n ${version}: smoke test (n8n --version on $("${nodebin}" --version))"
  smoke_n8n "${dst}" "${nodebin}" "${version}" "$@"
  write_marker "${name}" "n8n ${version} on $("${nodebin}" --version)"
  log "n8n ${version} installed in $(elapsed "${t0}") ($(du -sh "${dst}" | cut -f1))"
}

# --- main ------------------------------------------------------------------------------------
want1=0 want2=0 want241=0
want() { # $1 = a version or alias
  case "$1" in
    1 | 1.123.81 | n8n-1.123.81) want1=1 ;;
    2 | 2.40.7 | n8n-2.40.7) want2=1 ;;
    2.41.3 | n8n-2.41.3) want241=1 ;;
    all) want1=1 want2=1 want241=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
}
if [[ $# -eq 0 ]]; then
  # The same default and override as HOST_VERSIONS in tools/n8n/host/install.ts, so `npm test`
  # installs exactly the hosts the e2e suite will run on.
  IFS=',' read -r -a e2e_versions <<<"${N8N_E2E_VERSIONS:-1.123.81,2.41.3}"
  for v in "${e2e_versions[@]}"; do
    v="${v//[[:space:]]/}"
    case "${v}" in
      '') ;;
      1.123.81 | 2.40.7 | 2.41.3) want "${v}" ;;
      *) die "N8N_E2E_VERSIONS names '${v}'; known versions: 1.123.81, 2.40.7, 2.41.3" ;;
    esac
  done
fi
for arg in "$@"; do want "${arg}"; done

mkdir -p "${HOSTS_DIR}"
if [[ -f "${REPO_ROOT}/.gitignore" ]] && ! grep -qxE '/?\.hosts/?' "${REPO_ROOT}/.gitignore"; then
  log "warning: .hosts/ is not listed in .gitignore"
fi

requested=()
if [[ ${want1} -eq 1 ]]; then requested+=("${N8N1}"); fi
if [[ ${want2} -eq 1 || ${want241} -eq 1 ]]; then requested+=("${NODE24}"); fi
if [[ ${want241} -eq 1 ]]; then requested+=("${N8N2_41}"); fi
if [[ ${want2} -eq 1 ]]; then requested+=("${N8N2}"); fi
all_done=1
for h in "${requested[@]}"; do is_installed "${h}" || all_done=0; done
if [[ ${all_done} -eq 1 ]]; then
  log "already installed in ${HOSTS_DIR}: ${requested[*]} (markers present), nothing to do"
  exit 0
fi

t_all=$(date +%s)
NODE24_BIN="${HOSTS_DIR}/${NODE24}/node_modules/node/bin/node"
if [[ ${want1} -eq 1 ]]; then install_n8n "${N8N1}" 1.123.81 "$(command -v node)" N8N_EXPRESSION_ENGINE=legacy; fi
if [[ ${want2} -eq 1 || ${want241} -eq 1 ]]; then install_node24; fi
if [[ ${want241} -eq 1 ]]; then install_n8n "${N8N2_41}" 2.41.3 "${NODE24_BIN}"; fi
if [[ ${want2} -eq 1 ]]; then install_n8n "${N8N2}" 2.40.7 "${NODE24_BIN}"; fi
CURRENT_STEP="(done)"
log "done in $(elapsed "${t_all}")"
