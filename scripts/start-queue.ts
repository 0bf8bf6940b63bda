/**
 * `npm run start:queue`: the demo of `npm start`, as an n8n queue-mode cluster: PostgreSQL, Redis,
 * an n8n 2.41.3 main process, two workers and two webhook processes behind a round-robin proxy at
 * http://localhost:5678 (the editor through it too), all with this package, the simulators, the
 * example credentials and workflows (and a Durst webhook workflow). Prints which worker ran each
 * execution and which webhook process answered each production webhook request (the login
 * links' included). Ctrl-C stops everything and removes the cluster's temporary folder (its
 * database included: every run starts empty).
 */
import {
	N8nCluster,
	queueDepsInstalled,
	type ProxiedRequest,
	type WorkerExecution,
} from '../tools/n8n/cluster';
import {
	accessLines,
	DEMO_PORT,
	DEMO_VERSION,
	failed,
	installHostIfMissing,
	OWNER,
	ROOT,
	runInstallScript,
	startDemoSimulators,
	step,
	stopOnSignals,
} from '../tools/n8n/demo';
import { EXAMPLE_IDS, loadCredentials, loadFixtures, loadWorkflows } from '../tools/n8n/examples';
import type { RunningSimulators } from '../tools/simulators/cli';

const WORKERS = Number(process.env.N8N_WORKERS ?? 2);
/** `n8n webhook` processes; 0 gives the cluster without them (main serves the webhooks). */
const WEBHOOK_PROCESSES = Number(process.env.N8N_WEBHOOK_PROCESSES ?? 2);
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

/** Prints each production webhook request with the process that answered it (the proxy's log). */
function printAnswer(entry: ProxiedRequest): void {
	if (!entry.path.startsWith('/webhook/')) return;
	// A link's ticket is in its #fragment, which no server sees: the path holds no secret.
	const path = entry.path.split('?')[0];
	const what = /\/webhook\/watcher-(login|invite)/.test(path) ? ' (login link)' : '';
	console.log(
		`[proxy] ${entry.method} ${path}${what} answered by ${entry.process}: ${entry.status}`,
	);
}

/**
 * The example credentials and workflows, their links pointing at `n8nUrl` (the proxy when there are
 * webhook processes: main serves no production webhook then); the webhook examples activated.
 */
async function importExamples(
	cluster: N8nCluster,
	sims: RunningSimulators,
	n8nUrl: string,
): Promise<void> {
	const targets = { n8nUrl, watcherUrl: sims.watcher.url, durstUrl: sims.durst.url };
	await cluster.main.importCredentials(loadCredentials(targets));
	await cluster.main.importWorkflow([
		...loadWorkflows(targets),
		...loadFixtures(targets, ['queue-durst-printer.json']),
	]);
	for (const id of [EXAMPLE_IDS.watcherLink, EXAMPLE_IDS.watcherLoginPage, DURST_WEBHOOK_WORKFLOW])
		await cluster.main.activate(id);
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
		'stopping n8n (main, workers, webhook processes), the proxy, Redis, PostgreSQL and the simulators',
		[() => cluster?.dispose(), () => sims.stop()],
	);

	try {
		cluster = await N8nCluster.create({
			version: DEMO_VERSION,
			packageDir: ROOT,
			workers: WORKERS,
			webhookProcesses: WEBHOOK_PROCESSES,
			// With webhook processes the proxy takes the usual port and main a free one behind it.
			...(WEBHOOK_PROCESSES > 0 ? { proxyPort: DEMO_PORT } : { mainPort: DEMO_PORT }),
			log: (line) => console.log(line),
			onExecution: executionPrinter(),
		});
		const main = cluster.main;
		const url = cluster.proxy?.url ?? main.baseUrl;
		if (cluster.proxy !== undefined) cluster.proxy.onRequest = printAnswer;
		step(
			`PostgreSQL on 127.0.0.1:${cluster.postgresPort}, Redis on 127.0.0.1:${cluster.redisPort}, in ${cluster.folder}`,
		);
		step(
			'importing the example credentials and workflows (the first command sets up the database)',
		);
		await importExamples(cluster, sims, url);

		step(
			`starting the n8n main process at ${main.baseUrl}, ${WORKERS} workers and ${WEBHOOK_PROCESSES} webhook processes (takes 30-90 s)`,
		);
		await cluster.start();
		await main.setupOwner(OWNER.email, OWNER.password, OWNER.firstName, OWNER.lastName);
	} catch (error) {
		await failed(error, stop);
		return;
	}

	printHowToUse(cluster, sims);
}

function processesLine(cluster: N8nCluster): string {
	const workers = `${WORKERS} workers (${cluster.workers
		.map((worker) => `worker ${worker.index} pid ${worker.pid ?? '?'}`)
		.join(', ')})`;
	if (cluster.proxy === undefined) return `main at ${cluster.main.baseUrl}, ${workers}`;
	const webhooks = cluster.webhookProcesses
		.map((webhook) => `${webhook.name} on :${webhook.port} pid ${webhook.pid ?? '?'}`)
		.join(', ');
	return `a round-robin proxy at ${cluster.proxy.url} (/webhook/* to the webhook processes in turn, the rest to main),
main on :${cluster.main.port}, ${workers}, webhook processes ${webhooks}`;
}

function printHowToUse(cluster: N8nCluster, sims: RunningSimulators): void {
	const base = cluster.proxy?.url ?? cluster.main.baseUrl;
	console.log(`
n8n ${DEMO_VERSION} runs in queue mode: ${processesLine(cluster)},
PostgreSQL 127.0.0.1:${cluster.postgresPort} (database n8n, user n8n), Redis 127.0.0.1:${cluster.redisPort}.
${accessLines(sims)}

Webhook and trigger executions run on the workers; each one is printed with the worker that ran it.
Each production webhook request is printed with the webhook process that answered it ([proxy] lines).
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
