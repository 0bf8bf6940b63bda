/**
 * `npm run start:queue`: the demo of `npm start`, as an n8n queue-mode cluster: PostgreSQL, Redis,
 * an n8n 2.40.7 main process at http://localhost:5678 and two workers, all with this package, the
 * simulators, the example credentials and workflows (and a Durst webhook workflow). Prints which
 * worker ran each execution. Ctrl-C stops everything and removes the cluster's temporary folder
 * (its database included: every run starts empty).
 */
import { N8nCluster, queueDepsInstalled, type WorkerExecution } from '../tools/n8n/cluster';
import {
	accessLines,
	DEMO_PORT,
	DEMO_VERSION,
	failed,
	importExamples,
	installHostIfMissing,
	OWNER,
	ROOT,
	runInstallScript,
	startDemoSimulators,
	step,
	stopOnSignals,
} from '../tools/n8n/demo';
import type { RunningSimulators } from '../tools/simulators/cli';

const WORKERS = Number(process.env.N8N_WORKERS ?? 2);
const DURST_WEBHOOK_WORKFLOW = 'QueueDurstPrint1';

/** Prints each finished execution with its worker and the count per worker so far. */
function executionPrinter(): (event: WorkerExecution) => void {
	const perWorker = new Map<number, number>();
	return (event) => {
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
	};
}

async function main(): Promise<void> {
	installHostIfMissing(`n8n ${DEMO_VERSION}`);
	if (!queueDepsInstalled()) {
		step("PostgreSQL or Redis is missing: installing Debian's packages (about a minute, once)");
		runInstallScript('install-queue-deps.sh', [], 'PostgreSQL and Redis');
	}
	const sims = await startDemoSimulators();

	step(
		`starting PostgreSQL and Redis (own instances on free loopback ports) for n8n ${DEMO_VERSION} in queue mode`,
	);
	let cluster: N8nCluster | undefined;
	const stop = stopOnSignals(
		'stopping n8n (main and workers), Redis, PostgreSQL and the simulators',
		[() => cluster?.dispose(), () => sims.stop()],
	);

	try {
		cluster = await N8nCluster.create({
			version: DEMO_VERSION,
			packageDir: ROOT,
			workers: WORKERS,
			mainPort: DEMO_PORT,
			log: (line) => console.log(line),
			onExecution: executionPrinter(),
		});
		const main = cluster.main;
		step(
			`PostgreSQL on 127.0.0.1:${cluster.postgresPort}, Redis on 127.0.0.1:${cluster.redisPort}, in ${cluster.folder}`,
		);
		step(
			'importing the example credentials and workflows (the first command sets up the database)',
		);
		await importExamples(main, sims, {
			fixtures: ['queue-durst-printer.json'],
			activate: [DURST_WEBHOOK_WORKFLOW],
		});

		step(`starting the n8n main process at ${main.baseUrl} and ${WORKERS} workers (takes 30-60 s)`);
		await cluster.start();
		await main.setupOwner(OWNER.email, OWNER.password, OWNER.firstName, OWNER.lastName);
	} catch (error) {
		await failed(error, stop);
		return;
	}

	printHowToUse(cluster, sims);
}

function printHowToUse(cluster: N8nCluster, sims: RunningSimulators): void {
	const base = cluster.main.baseUrl;
	console.log(`
n8n ${DEMO_VERSION} runs in queue mode: main at ${base}, ${WORKERS} workers (${cluster.workers
		.map((worker) => `worker ${worker.index} pid ${worker.pid ?? '?'}`)
		.join(', ')}),
PostgreSQL 127.0.0.1:${cluster.postgresPort} (database n8n, user n8n), Redis 127.0.0.1:${cluster.redisPort}.
${accessLines(sims)}

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
