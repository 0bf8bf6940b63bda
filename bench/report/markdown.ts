/**
 * The markdown `npm run bench` prints and writes to bench/results/latest.md: the run's setting,
 * the headline, every case, the targets, the link flow's own section and the notes.
 */
import { BATCH_INTERVAL_MS, BATCH_SIZE, IN_FLIGHT } from '../cases/specs';
import { headline } from './headline';
import { pacingSection } from './pacingMarkdown';
import type { LinkFlowPart, Row, RunMeta, TargetCheck } from './types';

function cell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function mb(value: number): string {
	return value > 0 ? String(value) : '-';
}

function settingLines(meta: RunMeta): string[] {
	const m = meta.machine;
	return [
		`# Benchmark: our nodes vs HTTP Request nodes in n8n ${meta.n8nVersion}`,
		'',
		`- Date: ${meta.date}`,
		`- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memTotalMb.toLocaleString('en-US')} MB RAM, ${m.kernel}`,
		`- Load average (1/5/15 min) before: ${m.loadAverage.join(' / ')}, after: ${meta.loadAverageAfter.join(' / ')}`,
		`- n8n ${meta.n8nVersion} (n8n-nodes-base ${meta.nodesBaseVersion}) on Node ${meta.hostNode}; benchmark and simulators on Node ${meta.runnerNode}`,
		`- Package ${meta.packageVersion} at ${meta.gitCommit}${meta.distAtStart !== undefined ? `, dist/ build ${meta.distAtStart}` : ''}`,
		`- N: ${meta.ns.join(', ')}; simulator latency: ${meta.latencies.map((l) => `${l} ms`).join(', ')}; ` +
			(meta.repeat > 1
				? `${meta.repeat} runs per case, the fastest shown and used for the targets (other work on the machine only adds time); `
				: '1 run per case; ') +
			`total ${Math.round(meta.durationS)} s`,
		'',
	];
}

/** One row of the cases table; a case whose every run failed shows the first error instead. */
function caseLine(row: Row, multi: boolean, profiled: boolean): string {
	const label = `(${row.caseId}) ${row.label}`;
	if (row.failed.length === row.runs)
		return `| ${cell(label)} | ${row.n} | ${row.latencyMs} | FAILED: ${cell(row.failed[0].slice(0, 160))} | |${multi ? ' |' : ''} | | | |`;
	const logins =
		row.loginsRange === null
			? '-'
			: row.loginsRange[0] === row.loginsRange[1]
				? String(row.logins)
				: `${row.loginsRange[0]}-${row.loginsRange[1]}`;
	const calls =
		row.httpCallsRange[0] === row.httpCallsRange[1]
			? String(row.httpCalls)
			: `${row.httpCallsRange[0]}-${row.httpCallsRange[1]}`;
	const failed = row.failed.length > 0 ? ` (${row.failed.length} of ${row.runs} runs FAILED)` : '';
	const runs = multi ? ` ${row.runTimesMs.join(' / ')} |` : '';
	const cpu = profiled ? ` ${row.ourCpuMsPerItem ?? '-'} |` : '';
	return `| ${cell(label + failed)} | ${row.n.toLocaleString('en-US')} | ${row.latencyMs} | ${row.nodeTimeMs} | ${row.msPerItem} |${runs} ${logins} | ${calls} | ${row.maxInFlight ?? '-'} | ${mb(row.peakRssMb)} |${cpu}`;
}

function casesTable(meta: RunMeta, rows: Row[]): string[] {
	const multi = meta.repeat > 1;
	const profiled = rows.some((row) => row.ourCpuMsPerItem !== null);
	return [
		'## All cases',
		'',
		`| Case | N | Latency ms | Node time ms${multi ? ' (best)' : ''} | ms/item |${multi ? ' All runs ms |' : ''} Logins | HTTP calls | Max in flight | Peak RSS MB |${profiled ? ' Our CPU ms/item |' : ''}`,
		`|---|---:|---:|---:|---:|${multi ? '---:|' : ''}---:|---:|---:|---:|${profiled ? '---:|' : ''}`,
		...rows.filter((row) => row.pacing === undefined).map((row) => caseLine(row, multi, profiled)),
		'',
	];
}

function columnLines(profiled: boolean): string[] {
	return [
		'Columns:',
		"- Node time: `executionTime` of the measured nodes in n8n's run data. Our node alone for (a), (b), (e) and the Watcher node; " +
			'for (c), (d), (f), (g) the sum of the HTTP Request nodes "Login" and "Get Printer"; for the Watcher baselines their one HTTP Request node. ' +
			"In the loop cases (g) and (wLoop) the request node runs once per item and its runs are summed; the Loop Over Items node's own " +
			'runs are not counted (which favours the baseline). ' +
			'The generator (Manual Trigger, Set, Split Out) is not counted.',
		'- Logins: calls of `GET /api/v1/login` on the Durst simulator. HTTP calls: every API call both simulators received during the case.',
		'- Max in flight: the most requests the simulators were answering at the same moment (counted by the simulators, login included).',
		...(profiled
			? [
					"- Our CPU ms/item: self time of our package's code (dist/) in the V8 CPU profile of the `n8n execute` process (`--cpu-prof`; median of the runs) divided by N. Time in n8n's request helper that our code calls is n8n's. Profiling slows everything: node times of a profiled run are not comparable to an unprofiled one.",
				]
			: []),
		"- Peak RSS: the kernel's high-water mark (VmHWM) of the `n8n execute` process, start-up included (n8n alone is most of it), " +
			'one process per case (median of the runs); sampled from /proc every 20 ms. The JSON also has the summed RSS of its process tree.',
		`- (b) executes (a)'s workflow again right after it (the CLI saved its static data). (e) and (wC10) leave Max Concurrent Requests and Pacing unset (their defaults: adaptive pacing up to the ceiling); (a), (b), (e20), (wSeq), (w20) set Pacing to fixed (exactly that many in flight); (e), (e20) are cold like (a). ` +
			`(f20) and (wH20) use Batching = ${IN_FLIGHT} items per batch with the latency as interval (1 ms at 0 ms), which keeps about ${IN_FLIGHT} requests in flight: the like-for-like partners of (e20) and (w20). ` +
			`The Watcher node is version 2 as added today: Generate Link makes a private link (the token sealed into the link's fragment); its HTTP Request partners only fetch the token. ` +
			`Sealing needs a key derived from the API key with scrypt, once per n8n process (about 1 s of one core); every case is a new process, so (wC10) pays it, overlapped with its requests. (wWarm) is (wC10) after a one-item Generate Link in the same execution: the key is derived before the measured node starts, as in an n8n that has made a link since it started. ` +
			`(f) is (c) with the HTTP Request option Batching = ${BATCH_SIZE} items per batch, ${BATCH_INTERVAL_MS} ms interval. ` +
			`(g) and (wLoop) are how users make HTTP Request wait for each answer: Loop Over Items with batch size 1 around the request node.`,
		'',
	];
}

function targetsTable(checks: TargetCheck[]): string[] {
	return [
		'## Targets',
		'',
		'| Target | Scope | Measured | Limit | Result | Why |',
		'|---|---|---|---|---|---|',
		...checks.map(
			(check) =>
				`| ${cell(check.target)} | ${cell(check.scope)} | ${cell(check.measured)} | ${cell(check.limit)} | ${check.status.toUpperCase()} | ${cell(check.why ?? '')} |`,
		),
	];
}

export function markdown(
	meta: RunMeta,
	rows: Row[],
	checks: TargetCheck[],
	notes: string[],
	linkFlow?: LinkFlowPart,
): string {
	const profiled = rows.some((row) => row.ourCpuMsPerItem !== null);
	const lines = [
		...settingLines(meta),
		...headline(rows, checks, linkFlow?.figures),
		...casesTable(meta, rows),
		...columnLines(profiled),
		...pacingSection(rows),
		...targetsTable(checks),
	];
	if (linkFlow !== undefined) lines.push('', linkFlow.markdown.trim());
	if (notes.length > 0) lines.push('', '## Notes', '', ...notes.map((note) => `- ${note}`));
	lines.push('');
	return lines.join('\n');
}
