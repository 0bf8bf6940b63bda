/** The queue benchmark's report: one row per setup, CPU and memory per process. */
import * as os from 'node:os';

import type { MachineInfo } from '../procmem';
import type { QueueBenchOptions, SetupResult } from './types';
import { VERSION, WARM_UP } from './types';

export function queueMarkdown(
	results: SetupResult[],
	options: QueueBenchOptions,
	machine: MachineInfo,
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
