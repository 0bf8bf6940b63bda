/**
 * The package on n8n's queue mode under load: PostgreSQL, Redis, an n8n main process and two
 * workers (tools/n8n/cluster.ts), one cluster per n8n version, webhook waves 20 calls at a time.
 *
 * - 300 executions of Webhook -> Durst Analytics (Printer: Get) -> Respond to Webhook and 100 of
 *   the chat-bot link workflow (example 1): every call answered 200 with its own data; the database
 *   holds exactly 400 successful executions; both workers ran some.
 * - Durst logins: at most one per worker (its memory cache, the workflow's static data), none on a
 *   second wave; a restart of Analytics in the middle of a wave: all succeed, at most one re-login
 *   per worker.
 * - A pg_dump of n8n's database holds no secret in clear.
 * - Why some webhook calls in queue mode may never get an answer: Bull, without our nodes.
 */
import path from 'node:path';

import { DurstSimulator } from '../../tools/simulators/durst';
import { WatcherSimulator } from '../../tools/simulators/watcher';
import { N8nCluster } from '../../tools/n8n/cluster';
import {
	CREDENTIAL_IDS,
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadFixtures,
	loadWorkflows,
} from '../../tools/n8n/examples';
import type { LoadCall, LoadResult } from '../../tools/n8n/load';
import { percentile, runLoad } from '../../tools/n8n/load';
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { HOST_VERSIONS } from '../../tools/n8n/n8nHost';

jest.setTimeout(300_000);

const ROOT = path.dirname(EXAMPLES_DIR);
const WORKERS = 2;
const CONCURRENCY = 20;
const DURST_PASSWORD = 's3cr3t&pa ss?';
const WATCHER_API_KEY = 'test-api-key';
const DURST_WORKFLOW = 'QueueDurstPrint1';
const PLAIN_WORKFLOW = 'QueuePlainLast01';
const PRINTER_IDS = ['P-1001', 'P-1002', 'P-1003', 'P-1004'];
const EMAILS = ['demo@example.com', 'viewer@example.com', 'admin@example.com'];

const fileStarted = Date.now();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

afterAll(() => {
	console.log(`queue e2e: the whole file took ${seconds(Date.now() - fileStarted)}`);
});

/** Bull as n8n loads it (the host's own copy), reduced to what the probe below uses. */
interface BullJob {
	id: string | number;
	finished(): Promise<unknown>;
}
interface BullQueue {
	add(data: object, options: object): Promise<BullJob>;
	process(handler: (job: { data: { n: number } }) => Promise<unknown>): Promise<void>;
	on(event: 'completed', listener: (job: BullJob) => void): void;
	close(): Promise<void>;
}
type BullConstructor = new (name: string, options: object) => BullQueue;

describe.each(HOST_VERSIONS)('n8n %s in queue mode: main + 2 workers', (version: HostVersion) => {
	let cluster: N8nCluster;
	let durst: DurstSimulator;
	let watcher: WatcherSimulator;
	/** Every autologin token Watcher issued in this cluster's run. */
	const autologinTokens: string[] = [];
	let began: number;
	/** Executions each wave should have added to the database, in total. */
	let expectedExecutions = 0;
	/**
	 * Lines of the main process saying that at shutdown it still waited for executions (which had
	 * ended on a worker long before: Bull's job.finished() never returned for them, see below).
	 */
	let waitingAtShutdown = 0;

	beforeAll(async () => {
		began = Date.now();
		durst = await DurstSimulator.start({ maxLogEntries: 100_000 });
		watcher = await WatcherSimulator.start({ maxLogEntries: 100_000 });
		const issue = watcher.issueToken.bind(watcher);
		watcher.issueToken = (...args) => {
			const token = issue(...args);
			autologinTokens.push(token);
			return token;
		};
		cluster = await N8nCluster.create({
			version,
			packageDir: ROOT,
			workers: WORKERS,
			log: (line) => {
				if (/cancelled because the system is shutting down|Shutdown timed out/.test(line))
					waitingAtShutdown += 1;
				console.log(line);
			},
		});
		const main = cluster.main;
		const targets = { n8nUrl: main.baseUrl, watcherUrl: watcher.url, durstUrl: durst.url };
		await main.importCredentials(loadCredentials(targets));
		await main.importWorkflow([
			...loadWorkflows(targets).filter(
				(workflow) =>
					workflow.id === EXAMPLE_IDS.watcherLink || workflow.id === EXAMPLE_IDS.watcherLoginPage,
			),
			...loadFixtures(targets, ['queue-durst-printer.json', 'queue-plain-last-node.json']),
		]);
		for (const id of [
			EXAMPLE_IDS.watcherLink,
			EXAMPLE_IDS.watcherLoginPage,
			DURST_WORKFLOW,
			PLAIN_WORKFLOW,
		])
			await main.activate(id);
		await cluster.start();
		console.log(`queue e2e ${version}: cluster up in ${seconds(Date.now() - began)}`);
	});

	afterAll(async () => {
		await cluster?.dispose();
		await durst?.stop();
		await watcher?.stop();
		console.log(`queue e2e ${version}: ${seconds(Date.now() - began)} with start and stop`);
	});

	/** Fails with what went wrong (and the processes' last lines) unless every call got a 200. */
	function expectAllAnswered(label: string, result: LoadResult, total: number): void {
		const bad = result.calls.filter((call) => call.status !== 200);
		if (result.calls.length !== total || bad.length > 0) {
			const sample = bad
				.slice(0, 5)
				.map((call) => `#${call.index}: ${call.status} ${call.error ?? call.body.slice(0, 300)}`);
			throw new Error(
				`${label}: ${bad.length} of ${total} calls not answered 200 (${result.unanswered.length} without any answer):\n` +
					`${sample.join('\n')}\n${cluster.recentLogs(20)}`,
			);
		}
		const latencies = result.calls.map((call) => call.latencyMs);
		console.log(
			`queue e2e ${version}: ${label}: ${total} calls in ${seconds(result.wallMs)}, ` +
				`${((total * 1000) / result.wallMs).toFixed(1)}/s, p50 ${Math.round(percentile(latencies, 50))} ms, ` +
				`p95 ${Math.round(percentile(latencies, 95))} ms; executions per worker so far ${JSON.stringify(cluster.executionsPerWorker())}; Durst logins ${durst.logins}`,
		);
	}

	function json(call: LoadCall): Record<string, unknown> {
		return JSON.parse(call.body) as Record<string, unknown>;
	}

	async function durstWave(total: number, onCall?: (call: LoadCall, done: number) => void) {
		const result = await runLoad({
			port: cluster.main.port,
			path: '/webhook/durst-printer',
			total,
			concurrency: CONCURRENCY,
			body: (index) => ({ printerId: PRINTER_IDS[index % PRINTER_IDS.length], request: index }),
			onCall,
		});
		expectedExecutions += total;
		return result;
	}

	/** Every answer is the printer its call asked for, as the simulator serves it. */
	function expectPrinters(result: LoadResult): void {
		const printers = new Map(durst.printers.map((printer) => [printer.id, printer]));
		for (const call of result.calls) {
			const body = json(call);
			const wanted = printers.get(PRINTER_IDS[call.index % PRINTER_IDS.length]);
			expect(body.request).toBe(call.index);
			expect(body.printer).toMatchObject({
				id: wanted?.id,
				name: wanted?.name,
				serialNumber: wanted?.serialNumber,
			});
		}
	}

	/**
	 * Waits until the database holds `expectedExecutions` finished executions and the workers have
	 * logged as many (Respond to Webhook answers before an execution ends).
	 */
	async function settled(): Promise<Record<string, number>> {
		const until = Date.now() + 60_000;
		let counts: Record<string, number> = {};
		for (;;) {
			counts = await cluster.executionCounts();
			const finished = Object.entries(counts)
				.filter(([status]) => !['new', 'running', 'waiting'].includes(status))
				.reduce((sum, [, count]) => sum + count, 0);
			const logged = Object.values(cluster.executionsPerWorker()).reduce((a, b) => a + b, 0);
			if (finished >= expectedExecutions && logged >= expectedExecutions) return counts;
			if (Date.now() > until) {
				throw new Error(
					`after 60 s the database has ${JSON.stringify(counts)} and the workers logged ${logged}, expected ${expectedExecutions}`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	test('300 Durst executions, 20 at a time: each answered with its printer; one login per worker at most', async () => {
		const result = await durstWave(300);
		expectAllAnswered('Durst wave 1', result, 300);
		expectPrinters(result);
		expect(durst.callCount('GET /api/v1/printers/{id}')).toBe(300);
		expect(durst.logins).toBeGreaterThanOrEqual(1);
		expect(durst.logins).toBeLessThanOrEqual(WORKERS);
	});

	test('100 chat-bot links (example 1), 20 at a time: each answered with a link for its user', async () => {
		const before = autologinTokens.length;
		const result = await runLoad({
			port: cluster.main.port,
			path: '/webhook/watcher-link',
			total: 100,
			concurrency: CONCURRENCY,
			body: (index) => ({ email: EMAILS[index % EMAILS.length] }),
		});
		expectedExecutions += 100;
		expectAllAnswered('chat-bot links', result, 100);
		for (const call of result.calls) {
			const link = json(call).link;
			expect(typeof link).toBe('string');
			expect((link as string).startsWith(`${cluster.main.baseUrl}/webhook/watcher-login`)).toBe(
				true,
			);
		}
		// Watcher issued one token per call, for the users asked for: no call got another's link.
		const issued = autologinTokens.slice(before);
		const loginsOf = (list: string[]) => [...list].sort();
		expect(loginsOf(issued.map((token) => token.slice(0, token.indexOf(':'))))).toEqual(
			loginsOf(result.calls.map((call) => EMAILS[call.index % EMAILS.length])),
		);
	});

	test('the database: exactly 400 successful executions, none failed; both workers ran some', async () => {
		const counts = await settled();
		expect(counts).toEqual({ success: 400 });
		const byWorkflow = await cluster.sql(
			'select "workflowId", count(*) from execution_entity group by "workflowId" order by 1',
		);
		expect(byWorkflow.split('\n').sort()).toEqual(
			[`${DURST_WORKFLOW}|300`, `${EXAMPLE_IDS.watcherLink}|100`].sort(),
		);
		const perWorker = cluster.executionsPerWorker();
		console.log(`queue e2e ${version}: 400 executions per worker ${JSON.stringify(perWorker)}`);
		expect(Object.values(perWorker).reduce((a, b) => a + b, 0)).toBe(400);
		for (const worker of cluster.workers) expect(perWorker[worker.index]).toBeGreaterThan(0);
	});

	test('a second wave of 100 Durst executions makes no login', async () => {
		const logins = durst.logins;
		const result = await durstWave(100);
		expectAllAnswered('Durst wave 2', result, 100);
		expectPrinters(result);
		expect(durst.logins).toBe(logins);
	});

	test('Analytics restarts in the middle of a wave: every execution succeeds, at most one re-login per worker', async () => {
		const logins = durst.logins;
		const rejected = durst.rejected;
		let restartedAt = -1;
		const result = await durstWave(100, (_call, done) => {
			if (done === 30) {
				durst.restart(); // every token dies, with 20 calls in flight
				restartedAt = done;
			}
		});
		expect(restartedAt).toBe(30);
		expectAllAnswered('Durst wave 3 (restart after 30)', result, 100);
		expectPrinters(result);
		expect(durst.rejected).toBeGreaterThan(rejected); // dead tokens were refused...
		expect(durst.logins - logins).toBeGreaterThanOrEqual(1); // ...and replaced
		expect(durst.logins - logins).toBeLessThanOrEqual(WORKERS);
		const counts = await settled();
		expect(counts).toEqual({ success: expectedExecutions });
	});

	test('private links: each opens once; opened again, it is refused (redeemed in the main process)', async () => {
		// The login page's webhook runs in the main process, which keeps the single-use memory; the
		// visit each opening reports is an execution that a worker runs.
		const links: string[] = [];
		for (let i = 0; i < 10; i++) {
			const answer = await cluster.main.request('POST', '/webhook/watcher-link', {
				body: { email: EMAILS[i % EMAILS.length] },
			});
			expect(answer.status).toBe(200);
			links.push(String((JSON.parse(answer.body) as { link: unknown }).link));
		}
		expectedExecutions += 10;
		const open = async (link: string) =>
			await cluster.main.request('POST', '/webhook/watcher-login', {
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: `ticket=${encodeURIComponent(link.slice(link.indexOf('#') + 1))}`,
			});
		for (const link of links) {
			const first = await open(link);
			expect(first.status).toBe(200);
			expect(first.body).toContain(`${watcher.url}/vsaas/autologin`);
			expect(first.body).toContain('autologin_token');
		}
		for (const link of links) {
			const again = await open(link);
			expect(again.body).toContain('id="alreadyUsed"');
			expect(again.body).not.toContain('autologin_token');
		}
		expectedExecutions += 20;
		await settled();
		const visits = await cluster.sql(
			`select count(*) from execution_entity where "workflowId" = '${EXAMPLE_IDS.watcherLoginPage}' and status = 'success'`,
		);
		expect(visits).toBe('20');
		// What the redemptions cost n8n's database: every visit is an execution saved with a copy
		// of the workflow and its static data (the used-link memory, 10 entries here).
		const [bytes, executions] = (
			await cluster.sql(
				`select coalesce(sum(octet_length(d.data) + octet_length(d."workflowData"::text)), 0), count(*) from execution_data d join execution_entity e on e.id = d."executionId" where e."workflowId" = '${EXAMPLE_IDS.watcherLoginPage}'`,
			)
		)
			.split('|')
			.map(Number);
		expect(executions).toBe(20);
		console.log(
			`n8n ${version} PostgreSQL, private links: ${bytes} bytes of execution data for 10 redemptions and 10 refusals, ${Math.round(bytes / executions)} per visit, ${Math.round(bytes / 10)} per redemption (its refusal included)`,
		);
		expect(bytes / executions).toBeLessThan(20_000);
	});

	test('without our nodes: Bull never reports a fast job removed on completion as finished; keeping finished jobs does', async () => {
		// n8n's main process waits for a job with Bull's job.finished(), which looks the job up and,
		// if it is not (yet) known as finished, waits for the "completed" event. A job that a worker
		// finished and Redis already removed (n8n's default: removeOnComplete) is neither: it waits
		// forever. The same calls as n8n makes, against the cluster's Redis, with n8n's own Bull.
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n's own Bull from the host's folder, found at run time
		const Bull = require(
			path.join(cluster.main.paths.dir, 'node_modules', 'bull'),
		) as BullConstructor;
		const queue = new Bull('probe', {
			redis: { host: '127.0.0.1', port: cluster.redisPort },
			prefix: 'finished-probe',
		});
		try {
			const completed: string[] = [];
			queue.on('completed', (job) => completed.push(String(job.id)));
			void queue.process(async (job) => ({ n: job.data.n }));
			const outcome = async (removeOnComplete: boolean | number): Promise<string> => {
				const job = await queue.add({ n: 1 }, { removeOnComplete });
				while (!completed.includes(String(job.id)))
					await new Promise((resolve) => setTimeout(resolve, 20));
				// The main process calls job.finished() only now, after the worker was faster.
				return await Promise.race([
					job.finished().then(() => 'finished'),
					new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 3_000)),
				]);
			};
			// 1.123.81 always passes removeOnComplete: true; 2.40.7 N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED (default 0).
			expect(await outcome(version.startsWith('1.') ? true : 0)).toBe('still waiting');
			expect(await outcome(1000)).toBe('finished');
		} finally {
			await queue.close();
		}
	});

	(version.startsWith('2.') ? test : test.skip)(
		'without our nodes: 100 webhooks answered by their last node all get their answer (finished jobs kept)',
		async () => {
			// The cluster runs with N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED=1000 (1.123.81 has no such setting).
			const result = await runLoad({
				port: cluster.main.port,
				path: '/webhook/plain-last-node',
				total: 100,
				concurrency: CONCURRENCY,
				body: (index) => ({ request: index }),
			});
			expectedExecutions += 100;
			expectAllAnswered('plain workflow, last-node answers', result, 100);
			for (const call of result.calls) expect(json(call)).toEqual({ request: call.index });
		},
	);

	test('every execution is still a success after main and workers stopped', async () => {
		const counts = await settled();
		expect(counts).toEqual({ success: expectedExecutions });
		await cluster.stopN8n();
		// n8n's shutdown cancels the executions the main process still waits for: it must not
		// turn finished ones into failures.
		expect(await cluster.executionCounts()).toEqual({ success: expectedExecutions });
		console.log(
			`queue e2e ${version}: at shutdown the main process still waited for ${waitingAtShutdown} of ${expectedExecutions} executions that had ended` +
				(version.startsWith('1.')
					? ' (1.123.81 removes every finished job at once: no setting keeps them)'
					: ' (N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED=1000)'),
		);
		if (version.startsWith('2.')) expect(waitingAtShutdown).toBe(0);
	});

	test('pg_dump of the database: no password, API key, Durst token or autologin token in clear', async () => {
		const dump = await cluster.pgDump();
		// The right database: the static-data cache entry, the credentials, the executions are there.
		expect(dump).toContain('n8nNodesWatcherDurst');
		expect(dump).toContain(CREDENTIAL_IDS.durst);
		expect(dump).toContain(DURST_WORKFLOW);
		const durstTokens = new Set(
			durst.tokenBearingRequests.map((request) => String(request.headers['x-auth-token'])),
		);
		// One token per login, the ones the restart killed included.
		expect(durstTokens.size).toBe(durst.tokensIssued);
		expect(durstTokens.size).toBeGreaterThanOrEqual(2);
		expect(autologinTokens.length).toBe(110); // 100 in the wave, 10 private links
		const secrets = [
			DURST_PASSWORD,
			encodeURIComponent(DURST_PASSWORD),
			WATCHER_API_KEY,
			...durstTokens,
			...autologinTokens,
			...autologinTokens.map((token) => token.split(':').at(-1) ?? token),
		];
		const found = secrets.filter((secret) => dump.includes(secret));
		expect(found).toEqual([]);
	});
});
