/**
 * One setup of the queue benchmark: the Durst webhook workflow imported, a warm-up wave, then the
 * measured wave with its processes sampled.
 */
import type { DurstSimulator } from '../../tools/simulators/durst';
import type { WatcherSimulator } from '../../tools/simulators/watcher';
import { n8nServerPid } from '../../tools/n8n/cluster';
import { CREDENTIAL_IDS, loadCredentials, loadFixtures } from '../../tools/n8n/examples';
import type { LoadResult } from '../../tools/n8n/load';
import { percentile, runLoad } from '../../tools/n8n/load';
import { N8nHost } from '../../tools/n8n/n8nHost';
import { TreeSampler } from './sampler';
import type { QueueBenchOptions, SetupResult } from './types';
import { VERSION, WARM_UP } from './types';

export const DURST_WORKFLOW = 'QueueDurstPrint1';
const PRINTER_IDS = ['P-1001', 'P-1002', 'P-1003', 'P-1004'];

export function log(line: string): void {
	process.stderr.write(`[bench queue] ${line}\n`);
}

export interface Sims {
	durst: DurstSimulator;
	watcher: WatcherSimulator;
}

export async function prepare(host: N8nHost, sims: Sims, workflows: string[]): Promise<void> {
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
export async function measure(
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

export async function regular(
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

/** The row of a setup that failed before it measured anything. */
export function emptyResult(setup: string, options: QueueBenchOptions): SetupResult {
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
