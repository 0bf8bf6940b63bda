#!/usr/bin/env bash
# `npm test`: everything the tests need is installed here (idempotent, reused between runs): the
# project's own dependencies when they are missing (a fresh clone), the n8n hosts, chromium. Then
# all tests run: unit tests against the simulators, the packed package and the CI workflows, and
# end-to-end tests in real n8n 1.123.81 and 2.41.3 (N8N_E2E_VERSIONS picks others) (CLI, webhooks, a browser, the editor, queue mode).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/install-hosts.sh
bash scripts/install-chromium.sh
# PostgreSQL and Redis for the queue-mode test (test/e2e/queue.e2e.test.ts runs its own instances).
bash scripts/install-queue-deps.sh
npm run build --silent
# One test file at a time: the e2e files each run real n8n processes and a browser on 2 cores.
npx jest --runInBand "$@"
