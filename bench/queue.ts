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
import * as os from 'node:os';
import * as path from 'node:path';

import { DurstSimulator } from '../tools/simulators/durst';
import { WatcherSimulator } from '../tools/simulators/watcher';
import { N8nCluster, n8nServerPid, queueDepsInstalled } from '../tools/n8n/cluster';
import { CREDENTIAL_IDS, loadCredentials, loadFixtures } from '../tools/n8n/examples';
import type { LoadResult } from '../tools/n8n/load';
import { percentile, runLoad } from '../tools/n8n/load';
import { N8nHost } from '../tools/n8n/n8nHost';
import type { HostVersion } from '../tools/n8n/n8nHost';
import { machineInfo } from './procmem';

const VERSION: HostVersion = '2.40.7';
const DURST_WORKFLOW = 'QueueDurstPrint1';
const PLAIN_WORKFLOW = 'QueuePlainLast01';
const PRINTER_IDS = ['P-1001', 'P-1002', 'P-1003', 'P-1004'];
const WARM_UP = 20;

export interface QueueBenchOptions {
	total: number;
	concurrency: number;
	latencyMs: number;
	workers: number;
	verbose: boolean;
	noAnswerProbe: boolean;
}

export interface ProcessFigures {
	/** Peak over the wave of the summed PSS of the process and its descendants, in MB. */
	peakMb: number;
	/** CPU time (user + system) of the process and its descendants during the wave, in s. */
	cpuS: number;
}

export interface SetupResult {
	setup: string;
	total: number;
	concurrency: number;
	latencyMs: number;
	wallMs: number;
	executionsPerS: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	failed: number;
	loginsWarmUp: number;
	loginsWave: number;
	perWorker?: Record<number, number>;
	processes: Record<string, ProcessFigures>;
	error?: string;
}

function log(line: string): void {
	process.stderr.write(`[bench queue] ${line}\n`);
}

// ------------------------------------------------------------------------------------------------
// /proc sampling: PSS of process trees (peak) and their CPU time (delta)

function childrenOf(pid: number): number[] {
	const result: number[] = [];
	try {
		for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
			const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
			for (const part of text.split(/\s+/)) if (/^\d+$/.test(part)) result.push(Number(part));
		}
	} catch {
		// gone
	}
	return result;
}

function tree(pid: number): number[] {
	const all: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		const current = queue.shift() as number;
		all.push(current);
		queue.push(...childrenOf(current));
	}
	return all;
}

function pssKb(pid: number): number {
	try {
		const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
		const match = /^Pss:\s+(\d+) kB/m.exec(text);
		return match === null ? 0 : Number(match[1]);
	} catch {
		return 0;
	}
}

const TICKS_PER_S = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime, stime, cutime, cstime (fields 14-17): children that exited count in cutime/cstime.
		return fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
	} catch {
		return 0;
	}
}

class TreeSampler {
	private timer: NodeJS.Timeout | undefined;
	private readonly peakKb = new Map<string, number>();
	private readonly cpuStart = new Map<string, number>();
	private readonly cpuLast = new Map<string, number>();

	constructor(private readonly roots: Record<string, number | undefined>) {}

	private treeCpu(pid: number): number {
		return tree(pid).reduce((sum, each) => sum + cpuTicks(each), 0);
	}

	private sample(): void {
		for (const [name, pid] of Object.entries(this.roots)) {
			if (pid === undefined) continue;
			const kb = tree(pid).reduce((sum, each) => sum + pssKb(each), 0);
			this.peakKb.set(name, Math.max(this.peakKb.get(name) ?? 0, kb));
			// Backends and task runners come and go: keep the largest total seen.
			this.cpuLast.set(name, Math.max(this.cpuLast.get(name) ?? 0, this.treeCpu(pid)));
		}
	}

	start(): void {
		for (const [name, pid] of Object.entries(this.roots))
			if (pid !== undefined) this.cpuStart.set(name, this.treeCpu(pid));
		this.sample();
		this.timer = setInterval(() => this.sample(), 250);
	}

	stop(): Record<string, ProcessFigures> {
		if (this.timer !== undefined) clearInterval(this.timer);
		this.sample();
		const result: Record<string, ProcessFigures> = {};
		for (const name of Object.keys(this.roots)) {
			if (!this.cpuStart.has(name)) continue;
			result[name] = {
				peakMb: Math.round((this.peakKb.get(name) ?? 0) / 1024),
				cpuS:
					Math.round(
						(((this.cpuLast.get(name) ?? 0) - (this.cpuStart.get(name) ?? 0)) / TICKS_PER_S) * 10,
					) / 10,
			};
		}
		return result;
	}
}

// ------------------------------------------------------------------------------------------------

interface Sims {
	durst: DurstSimulator;
	watcher: WatcherSimulator;
}

async function prepare(host: N8nHost, sims: Sims, workflows: string[]): Promise<void> {
	const targets = { n8nUrl: host.baseUrl, watcherUrl: sims.watcher.url, durstUrl: sims.durst.url };
	await host.importCredentials(
		loadCredentials(targets).filter((credential) => credential.id === CREDENTIAL_IDS.durst),
	);
	await host.importWorkflow(loadFixtures(targets, workflows));
}

function wave(port: number, total: number, concurrency: number): Promise<LoadResult> {
	return runLoad({
		port,
		path: '/webhook/durst-printer',
		total,
		concurrency,
		body: (index) => ({ printerId: PRINTER_IDS[index % PRINTER_IDS.length], request: index }),
	});
}

/** Warm-up, then the measured wave with the sampler on `roots`. */
async function measure(
	setup: string,
	port: number,
	sims: Sims,
	options: QueueBenchOptions,
	roots: () => Record<string, number | undefined>,
	perWorker?: () => Record<number, number>,
): Promise<SetupResult> {
	sims.durst.resetCounters();
	const warm = await wave(port, WARM_UP, Math.min(WARM_UP, options.concurrency));
	const loginsWarmUp = sims.durst.logins;
	// Respond to Webhook answers before the execution ends: let the warm-up's executions finish first.
	await new Promise((resolve) => setTimeout(resolve, 2_000));
	const before = perWorker?.();
	sims.durst.resetCounters();
	const sampler = new TreeSampler(roots());
	sampler.start();
	const result = await wave(port, options.total, options.concurrency);
	// Respond to Webhook answers before the execution ends: let the last ones finish in the window.
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	const processes = sampler.stop();
	const latencies = result.calls.map((call) => call.latencyMs);
	const failed =
		result.calls.filter((call) => call.status !== 200).length +
		warm.calls.filter((call) => call.status !== 200).length;
	const after = perWorker?.();
	const figures: SetupResult = {
		setup,
		total: options.total,
		concurrency: options.concurrency,
		latencyMs: options.latencyMs,
		wallMs: result.wallMs,
		executionsPerS: Math.round((options.total * 10_000) / result.wallMs) / 10,
		p50Ms: Math.round(percentile(latencies, 50)),
		p95Ms: Math.round(percentile(latencies, 95)),
		p99Ms: Math.round(percentile(latencies, 99)),
		failed,
		loginsWarmUp,
		loginsWave: sims.durst.logins,
		processes,
	};
	if (before !== undefined && after !== undefined) {
		figures.perWorker = Object.fromEntries(
			Object.entries(after).map(([worker, count]) => [
				Number(worker),
				count - (before[Number(worker)] ?? 0),
			]),
		);
	}
	log(
		`${setup}: ${options.total} calls in ${result.wallMs} ms (${figures.executionsPerS}/s), p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, ` +
			`failed ${failed}, logins ${loginsWarmUp} + ${figures.loginsWave}` +
			(figures.perWorker === undefined ? '' : `, per worker ${JSON.stringify(figures.perWorker)}`),
	);
	return figures;
}

async function regular(
	setup: string,
	packageDir: string,
	sims: Sims,
	options: QueueBenchOptions,
	env: Record<string, string>,
): Promise<SetupResult> {
	const host = await N8nHost.create({
		version: VERSION,
		packageDir,
		env,
		log: options.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
	});
	try {
		await prepare(host, sims, ['queue-durst-printer.json']);
		await host.activate(DURST_WORKFLOW);
		await host.start();
		return await measure(setup, host.port, sims, options, () => ({
			'n8n (main)': n8nServerPid(host.userFolder),
		}));
	} finally {
		await host.dispose();
	}
}

export async function runQueueBench(root: string, options: QueueBenchOptions): Promise<void> {
	if (!queueDepsInstalled())
		throw new Error('PostgreSQL or Redis is missing: run scripts/install-queue-deps.sh');
	const begun = Date.now();
	const machine = machineInfo();
	const durst = await DurstSimulator.start({ latencyMs: options.latencyMs });
	const watcher = await WatcherSimulator.start();
	const sims = { durst, watcher };
	const results: SetupResult[] = [];
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
		const run = async (setup: string, fn: () => Promise<SetupResult>) => {
			try {
				results.push(await fn());
			} catch (error) {
				const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
				log(`${setup} FAILED: ${message}`);
				results.push({ ...emptyResult(setup, options), error: message });
			}
		};
		const pg = cluster;
		// Every setup loads the cluster's snapshot of the package: one build for all three.
		const packageDir = pg.packageDir;
		await run('regular, SQLite', () => regular('regular, SQLite', packageDir, sims, options, {}));
		await pg.sql('create database n8n_regular');
		await run('regular, PostgreSQL', () =>
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
		await run(setup, async () => {
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
	} finally {
		await stopAll();
	}
	const text = render(results, options, machine, (Date.now() - begun) / 1000);
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
	if (results.some((result) => result.error !== undefined || result.failed > 0))
		process.exitCode = 1;
}

function emptyResult(setup: string, options: QueueBenchOptions): SetupResult {
	return {
		setup,
		total: options.total,
		concurrency: options.concurrency,
		latencyMs: options.latencyMs,
		wallMs: 0,
		executionsPerS: 0,
		p50Ms: 0,
		p95Ms: 0,
		p99Ms: 0,
		failed: options.total,
		loginsWarmUp: 0,
		loginsWave: 0,
		processes: {},
	};
}

function render(
	results: SetupResult[],
	options: QueueBenchOptions,
	machine: ReturnType<typeof machineInfo>,
	durationS: number,
): string {
	const lines = [
		`# Benchmark: webhook executions on regular-mode n8n and on a queue-mode cluster (n8n ${VERSION})`,
		'',
		`- Date: ${new Date().toISOString()}`,
		`- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memTotalMb.toLocaleString('en-US')} MB RAM, load average before ${machine.loadAverage.join(' / ')}, after ${os
			.loadavg()
			.map((value) => value.toFixed(2))
			.join(' / ')}`,
		`- Workflow: Webhook -> Durst Analytics (Printer: Get) -> Respond to Webhook; ${options.total} calls, ${options.concurrency} at a time, after a warm-up of ${WARM_UP}; Durst simulator latency ${options.latencyMs} ms; total ${Math.round(durationS)} s`,
		'- Everything (load generator, simulators, n8n processes, PostgreSQL with fsync on, Redis) shares the same 2 cores.',
		'',
		'| Setup | Executions/s | p50 ms | p95 ms | p99 ms | Failed | Logins (warm-up + wave) | Per worker | CPU s (process: s) | Peak memory MB, PSS (process: MB) |',
		'|---|---:|---:|---:|---:|---:|---:|---|---|---|',
	];
	for (const result of results) {
		const processes = Object.entries(result.processes);
		const cpuTotal = processes.reduce((sum, [, figures]) => sum + figures.cpuS, 0);
		const memTotal = processes.reduce((sum, [, figures]) => sum + figures.peakMb, 0);
		lines.push(
			`| ${result.setup}${result.error === undefined ? '' : ` (FAILED: ${result.error})`} | ${result.executionsPerS} | ${result.p50Ms} | ${result.p95Ms} | ${result.p99Ms} | ${result.failed} | ` +
				`${result.loginsWarmUp} + ${result.loginsWave} | ${result.perWorker === undefined ? '-' : Object.values(result.perWorker).join(' / ')} | ` +
				`${cpuTotal.toFixed(1)} (${processes.map(([name, figures]) => `${name}: ${figures.cpuS}`).join(', ')}) | ` +
				`${memTotal} (${processes.map(([name, figures]) => `${name}: ${figures.peakMb}`).join(', ')}) |`,
		);
	}
	lines.push(
		'',
		'CPU s: user + system time of each process and its children (task runner, PostgreSQL backends) during the measured wave. ' +
			'Peak memory: the largest sum of PSS over a process tree seen during the wave (sampled every 250 ms), so pages shared between processes count once.',
		'',
	);
	return lines.join('\n');
}

// ------------------------------------------------------------------------------------------------

/**
 * Why some webhook calls in queue mode never get an answer: 900 calls of a workflow without our
 * nodes that answers when its last node finishes, on 1.123.81, on 2.40.7 with n8n's default job
 * retention and with finished jobs kept, the main process at nice 19 (it then reaches Bull's
 * job.finished() later than the worker finishes the job, as on a busy machine).
 */
async function noAnswerProbe(root: string, options: QueueBenchOptions): Promise<void> {
	const total = options.total === 300 ? 900 : options.total;
	const lines = [
		"# Webhook calls without an answer in queue mode (none of this package's nodes)",
		'',
		`- Date: ${new Date().toISOString()}; ${total} calls, ${options.concurrency} at a time, of Webhook (answer: when last node finishes) -> Set; main + ${options.workers} workers; the main process at nice 19; load average before ${os
			.loadavg()
			.map((value) => value.toFixed(2))
			.join(' / ')}`,
		'',
		'| n8n | Job retention | Calls | Answered | No answer within 60 s | Executions in the database | Main still waiting for ended executions at shutdown |',
		'|---|---|---:|---:|---:|---|---:|',
	];
	const runs: Array<{ version: HostVersion; keep: number; label: string }> = [
		{ version: '1.123.81', keep: 0, label: 'removes every finished job (no setting)' },
		{ version: '2.40.7', keep: 0, label: "n8n's default: finished jobs removed at once" },
		{ version: '2.40.7', keep: 1000, label: 'N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED=1000' },
	];
	for (const { version, keep, label } of runs) {
		let cancelled = 0;
		let timedOut = false;
		const cluster = await N8nCluster.create({
			version,
			packageDir: root,
			workers: options.workers,
			keepFinishedJobs: keep,
			log: (line) => {
				if (/cancelled because the system is shutting down/.test(line)) cancelled += 1;
				if (/Shutdown timed out/.test(line)) timedOut = true;
				if (options.verbose) process.stderr.write(`${line}\n`);
			},
		});
		try {
			await cluster.main.importWorkflow(
				loadFixtures({ n8nUrl: '', watcherUrl: '', durstUrl: '' }, ['queue-plain-last-node.json']),
			);
			await cluster.main.activate(PLAIN_WORKFLOW);
			await cluster.start();
			const pid = cluster.mainPid();
			if (pid !== undefined) os.setPriority(pid, 19);
			const result = await runLoad({
				port: cluster.main.port,
				path: '/webhook/plain-last-node',
				total,
				concurrency: options.concurrency,
				body: (index) => ({ request: index }),
			});
			await new Promise((resolve) => setTimeout(resolve, 3_000));
			const counts = await cluster.executionCounts();
			await cluster.stopN8n();
			const answered = result.calls.filter((call) => call.status === 200).length;
			const waiting =
				cancelled > 0 ? String(cancelled) : timedOut ? 'yes (shutdown timed out)' : '0';
			log(
				`${version}, ${label}: ${answered} of ${total} answered, ${result.unanswered.length} without answer (calls ${result.unanswered
					.map((call) => call.index)
					.join(
						', ',
					)}), database ${JSON.stringify(counts)}, main still waiting at shutdown: ${waiting}`,
			);
			lines.push(
				`| ${version} | ${label} | ${total} | ${answered} | ${result.unanswered.length} | ${Object.entries(
					counts,
				)
					.map(([status, count]) => `${count} ${status}`)
					.join(', ')} | ${waiting} |`,
			);
		} finally {
			await cluster.dispose();
		}
	}
	lines.push('');
	const text = lines.join('\n');
	const dir = path.join(root, 'bench', 'results');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'queue-no-answer-latest.md'), text);
	process.stdout.write(text);
}
