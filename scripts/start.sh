#!/usr/bin/env bash
# `npm start`: installs the project's dependencies if they are missing, builds the package and the
# tools, then runs scripts/start.ts (a real n8n with these nodes, the simulators and the examples).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run build --silent
npm run build:tools --silent
# exec: Ctrl-C reaches start.ts's own handler, which stops n8n and the simulators.
exec node .run/tools/scripts/start.js
