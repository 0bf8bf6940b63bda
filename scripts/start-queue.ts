/**
 * `npm run start:queue`: the demo of `npm start`, as an n8n queue-mode cluster: PostgreSQL, Redis,
 * an n8n 2.40.7 main process at http://localhost:5678 and two workers, all with this package, the
 * simulators, the example credentials and workflows (and a Durst webhook workflow). Prints which
 * worker ran each execution. Ctrl-C stops everything and removes the cluster's temporary folder
 * (its database included: every run starts empty).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { N8nCluster, queueDepsInstalled } from '../tools/n8n/cluster';
import {
	CREDENTIAL_IDS,
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadFixtures,
	loadWorkflows,
} from '../tools/n8n/examples';
import { hostInstalled } from '../tools/n8n/n8nHost';
import { startSimulators } from '../tools/simulators/cli';

const ROOT = path.dirname(EXAMPLES_DIR);
const VERSION = '2.40.7';
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const WORKERS = Number(process.env.N8N_WORKERS ?? 2);
const DURST_WEBHOOK_WORKFLOW = 'QueueDurstPrint1';
const OWNER = {
	email: 'owner@example.com',
	password: 'Demo-Owner-Pass-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

function step(message: string): void {
	console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function install(script: string, args: string[], what: string): void {
	const result = spawnSync('bash', [path.join(ROOT, 'scripts', script), ...args], {
		stdio: 'inherit',
	});
	if (result.status !== 0) throw new Error(`installing ${what} failed (see above)`);
}

async function main(): Promise<void> {
	if (!hostInstalled(VERSION)) {
		step(`n8n ${VERSION} is not installed yet: installing it into .hosts/ (about 4 minutes, once)`);
		install('install-hosts.sh', ['2'], `n8n ${VERSION}`);
	}
	if (!queueDepsInstalled()) {
		step("PostgreSQL or Redis is missing: installing Debian's packages (about a minute, once)");
		install('install-queue-deps.sh', [], 'PostgreSQL and Redis');
	}

	step('starting the simulators: Watcher on 127.0.0.1:5601, Durst Analytics on 127.0.0.1:5602');
	const sims = await startSimulators({ watcherPort: 5601, durstPort: 5602 });

	const perWorker = new Map<number, number>();
	step(
		`starting PostgreSQL and Redis (own instances on free loopback ports) for n8n ${VERSION} in queue mode`,
	);
	let cluster: N8nCluster | undefined;
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		step('stopping n8n (main and workers), Redis, PostgreSQL and the simulators');
		await cluster?.dispose().catch(() => undefined);
		await sims.stop().catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		cluster = await N8nCluster.create({
			version: VERSION,
			packageDir: ROOT,
			workers: WORKERS,
			mainPort: N8N_PORT,
			log: (line) => console.log(line),
			onExecution: (event) => {
				perWorker.set(event.worker, (perWorker.get(event.worker) ?? 0) + 1);
				const counts = [...perWorker.entries()]
					.sort(([a], [b]) => a - b)
					.map(([worker, count]) => `worker ${worker}: ${count}`)
					.join(', ');
				console.log(
					`[worker ${event.worker}] execution ${event.executionId} of "${event.workflowName ?? event.workflowId ?? '?'}" ` +
						`${event.success === false ? 'FAILED' : 'succeeded'}` +
						`${event.durationMs === undefined ? '' : ` in ${event.durationMs} ms`} (so far ${counts})`,
				);
			},
		});
		const main = cluster.main;
		step(
			`PostgreSQL on 127.0.0.1:${cluster.postgresPort}, Redis on 127.0.0.1:${cluster.redisPort}, in ${cluster.folder}`,
		);
		const targets = {
			n8nUrl: main.baseUrl,
			watcherUrl: sims.watcher.url,
			durstUrl: sims.durst.url,
		};
		step(
			'importing the example credentials and workflows (the first command sets up the database)',
		);
		await main.importCredentials(loadCredentials(targets));
		await main.importWorkflow([
			...loadWorkflows(targets),
			...loadFixtures(targets, ['queue-durst-printer.json']),
		]);
		for (const id of [
			EXAMPLE_IDS.watcherLink,
			EXAMPLE_IDS.watcherLoginPage,
			DURST_WEBHOOK_WORKFLOW,
		])
			await main.activate(id);

		step(`starting the n8n main process at ${main.baseUrl} and ${WORKERS} workers (takes 30-60 s)`);
		await cluster.start();
		await main.setupOwner(OWNER.email, OWNER.password, OWNER.firstName, OWNER.lastName);
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		await stop(1);
		return;
	}

	const base = cluster.main.baseUrl;
	console.log(`
n8n ${VERSION} runs in queue mode: main at ${base}, ${WORKERS} workers (${cluster.workers
		.map((worker) => `worker ${worker.index} pid ${worker.pid ?? '?'}`)
		.join(', ')}),
PostgreSQL 127.0.0.1:${cluster.postgresPort} (database n8n, user n8n), Redis 127.0.0.1:${cluster.redisPort}.
  Editor login:   ${OWNER.email} / ${OWNER.password}
  Credentials:    "Flussonic Watcher (simulator)" (${CREDENTIAL_IDS.watcher}), "Durst Analytics (simulator)" (${CREDENTIAL_IDS.durst})
  Simulators:     Watcher ${sims.watcher.url} (API key ${sims.watcher.apiKey}), Durst ${sims.durst.url} (operator)

Webhook and trigger executions run on the workers; each one is printed with the worker that ran it.
(Executions started from the editor run in the main process, n8n's default in queue mode.)

Try:
  1. A chat bot asks for a link (example 1), then open the link in a browser (example 2 redeems it once):
       curl -s -X POST ${base}/webhook/watcher-link -H 'content-type: application/json' -d '{"email":"demo@example.com"}'
  2. A printer through a webhook (Webhook -> Durst Analytics -> Respond to Webhook):
       curl -s -X POST ${base}/webhook/durst-printer -H 'content-type: application/json' -d '{"printerId":"P-1001"}'
     40 at once, and watch both workers take them (one Durst login per worker at most):
       for i in $(seq 40); do curl -s -o /dev/null -X POST ${base}/webhook/durst-printer -H 'content-type: application/json' -d '{"printerId":"P-1002"}' & done; wait
       curl -s ${sims.durst.url}/__sim/stats
  3. Restart Analytics (all its tokens die), then call again: one re-login per worker, no failure.
       curl -s -X POST ${sims.durst.url}/__sim/restart
  4. Look into the database: psql -h 127.0.0.1 -p ${cluster.postgresPort} -U n8n n8n -c 'select id, status, "workflowId" from execution_entity order by id desc limit 5'

Ctrl-C stops everything and removes the cluster's folder.`);
}

void main();
