/**
 * `npm run bench -- --queue`: the same webhook load (Webhook -> Durst Analytics Printer: Get ->
 * Respond to Webhook, 300 calls 20 at a time by default) on
 *
 *   1. one regular-mode n8n 2.40.7 with its default SQLite database,
 *   2. one regular-mode n8n 2.40.7 on PostgreSQL (separates the database from the queue),
 *   3. a queue-mode cluster: main + 2 workers, PostgreSQL, Redis (tools/n8n/cluster.ts).
 *
 * Per setup: executions per second, p50/p95/p99 latency of the HTTP calls, Durst logins (warm-up
 * and measured wave), executions per worker, CPU seconds and peak memory (PSS, so that shared pages
 * are not counted twice) of every process. A warm-up wave of 20 calls before each measured wave
 * does the logins and the key derivation. PostgreSQL here keeps its defaults (fsync on).
 *
 * `--no-answer-probe` instead reproduces why some webhook calls in queue mode never get an answer:
 * a workflow without our nodes that answers when its last node finishes, 900 calls, on n8n
 * 1.123.81 (which removes every finished job), on 2.40.7 with its default job retention and on
 * 2.40.7 keeping finished jobs, the main process at nice 19 (the race needs the main process to
 * reach Bull's job.finished() after the worker finished the job; a busy main process makes it
 * likelier).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DurstSimulator } from '../tools/simulators/durst';
import { WatcherSimulator } from '../tools/simulators/watcher';
import { N8nCluster, queueDepsInstalled } from '../tools/n8n/cluster';
import type { MachineInfo } from './procmem';
import { machineInfo } from './procmem';
import { queueMarkdown } from './queue/markdown';
import { noAnswerProbe } from './queue/noAnswerProbe';
import type { Sims } from './queue/setups';
import { DURST_WORKFLOW, emptyResult, log, measure, prepare, regular } from './queue/setups';
import type { QueueBenchOptions, SetupResult } from './queue/types';
import { VERSION } from './queue/types';

/** A setup's figures, or a row that says it failed: one broken setup must not hide the others. */
async function attempt(
	results: SetupResult[],
	setup: string,
	options: QueueBenchOptions,
	fn: () => Promise<SetupResult>,
): Promise<void> {
	try {
		results.push(await fn());
	} catch (error) {
		const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
		log(`${setup} FAILED: ${message}`);
		results.push({ ...emptyResult(setup, options), error: message });
	}
}

/** The three setups in turn: regular mode on SQLite, on PostgreSQL, then the queue-mode cluster. */
async function runSetups(
	pg: N8nCluster,
	sims: Sims,
	options: QueueBenchOptions,
): Promise<SetupResult[]> {
	const results: SetupResult[] = [];
	// Every setup loads the cluster's snapshot of the package: one build for all three.
	const packageDir = pg.packageDir;
	await attempt(results, 'regular, SQLite', options, () =>
		regular('regular, SQLite', packageDir, sims, options, {}),
	);
	await pg.sql('create database n8n_regular');
	await attempt(results, 'regular, PostgreSQL', options, () =>
		regular('regular, PostgreSQL', packageDir, sims, options, {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.postgresPort),
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_DATABASE: 'n8n_regular',
		}),
	);
	const setup = `queue, main + ${options.workers} workers`;
	await attempt(results, setup, options, async () => {
		await prepare(pg.main, sims, ['queue-durst-printer.json']);
		await pg.main.activate(DURST_WORKFLOW);
		await pg.start();
		return await measure(
			setup,
			pg.main.port,
			sims,
			options,
			() => ({
				'n8n main': pg.mainPid(),
				...Object.fromEntries(pg.workers.map((worker) => [`n8n ${worker.name}`, worker.pid])),
				PostgreSQL: pg.postgresPid,
				Redis: pg.redisPid,
			}),
			() => pg.executionsPerWorker(),
		);
	});
	return results;
}

/** bench/results/queue-<date>.json and queue-latest.md, and the markdown on stdout. */
function writeQueueResults(
	root: string,
	options: QueueBenchOptions,
	machine: MachineInfo,
	results: SetupResult[],
	durationS: number,
): void {
	const text = queueMarkdown(results, options, machine, durationS);
	const dir = path.join(root, 'bench', 'results');
	fs.mkdirSync(dir, { recursive: true });
	const stamp = new Date()
		.toISOString()
		.replace(/:/g, '-')
		.replace(/\.\d+Z$/, 'Z');
	const jsonFile = path.join(dir, `queue-${stamp}.json`);
	fs.writeFileSync(
		jsonFile,
		`${JSON.stringify({ date: new Date().toISOString(), machine, options, results }, null, 2)}\n`,
	);
	fs.writeFileSync(path.join(dir, 'queue-latest.md'), text);
	process.stdout.write(text);
	log(`wrote ${path.relative(root, jsonFile)} and bench/results/queue-latest.md`);
}

export async function runQueueBench(root: string, options: QueueBenchOptions): Promise<void> {
	if (!queueDepsInstalled())
		throw new Error('PostgreSQL or Redis is missing: run scripts/install-queue-deps.sh');
	const begun = Date.now();
	const machine = machineInfo();
	const durst = await DurstSimulator.start({ latencyMs: options.latencyMs });
	const watcher = await WatcherSimulator.start();
	let results: SetupResult[] = [];
	let cluster: N8nCluster | undefined;
	const stopAll = async () => {
		await cluster?.dispose();
		await durst.stop();
		await watcher.stop();
	};
	process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
	try {
		if (options.noAnswerProbe) {
			await noAnswerProbe(root, options);
			return;
		}
		cluster = await N8nCluster.create({
			version: VERSION,
			packageDir: root,
			workers: options.workers,
			fastPostgres: false,
			log: options.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
		});
		results = await runSetups(cluster, { durst, watcher }, options);
	} finally {
		await stopAll();
	}
	writeQueueResults(root, options, machine, results, (Date.now() - begun) / 1000);
	if (results.some((result) => result.error !== undefined || result.failed > 0))
		process.exitCode = 1;
}
