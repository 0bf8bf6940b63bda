#!/usr/bin/env bash
# `npm run start:queue`: like `npm start` (scripts/start.sh), as an n8n queue-mode cluster: installs
# the project's dependencies if they are missing and Debian's PostgreSQL and Redis, builds the
# package and the tools, then runs scripts/start-queue.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/install-queue-deps.sh
npm run build --silent
npm run build:tools --silent
# exec: Ctrl-C reaches start-queue.ts's own handler, which stops the cluster and the simulators.
exec node .run/tools/scripts/start-queue.js
