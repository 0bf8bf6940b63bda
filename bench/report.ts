/**
 * Turns the measured executions into rows (one per case, N and latency; medians over repetitions),
 * the target checks, and the markdown that `npm run bench` prints and README quotes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { CaseId, Product } from './workflows';
import { BATCH_INTERVAL_MS, BATCH_SIZE, CASES, CASE_ORDER, IN_FLIGHT } from './workflows';
import type { FlowFigures } from './headline';
import { headline } from './headline';
import type { MachineInfo } from './procmem';
import { checkTargets, round } from './targets';

/** One `n8n execute` of one case. */
export interface Execution {
	caseId: CaseId;
	n: number;
	latencyMs: number;
	rep: number;
	workflowId: string;
	/** Set when the execution failed or its output did not validate; the numbers are then meaningless. */
	error?: string;
	/** Sum of the measured nodes' executionTime from n8n's run data. */
	nodeTimeMs: number;
	nodeTimes: Record<string, number>;
	/** startedAt..stoppedAt of the run (the whole workflow). */
	workflowMs: number | undefined;
	/** Wall time of the `n8n execute` process, start-up included. */
	processMs: number;
	/** Calls of Durst's login endpoint; null for Watcher cases. */
	logins: number | null;
	/** Every API call both simulators received during the case. */
	httpCalls: number;
	/** The most requests the simulators were answering at once (null in results of older runs: estimated then). */
	maxInFlight: number | null;
	/** Self CPU time of our package's code, from the execution's V8 profile (`--cpu-prof` runs only). */
	ourCpuMs?: number;
	peakRssMb: number;
	treePeakRssMb: number;
	/** n8n 2.40 sometimes dies with SIGSEGV after the run completed (see N8nHost.execute). */
	crashedAtExit: boolean;
	/** Fingerprint of dist/nodes and dist/credentials when the execution started (absent in older files). */
	dist?: string;
}

export interface Row {
	caseId: CaseId;
	product: Product;
	label: string;
	measuredNodes: string[];
	n: number;
	latencyMs: number;
	runs: number;
	failed: string[];
	/** The fastest run: other work on the machine can only add time, so it is the least disturbed one. */
	nodeTimeMs: number;
	nodeTimeMedianMs: number;
	/** Every run's node time, ascending. */
	runTimesMs: number[];
	/** Slowest / fastest run; above NOISY_SPREAD the case is flagged. */
	spread: number;
	msPerItem: number;
	logins: number | null;
	loginsRange: [number, number] | null;
	httpCalls: number;
	httpCallsRange: [number, number];
	maxInFlight: number | null;
	/** Median self CPU of our code per item, when the runs were profiled. */
	ourCpuMsPerItem: number | null;
	peakRssMb: number;
	treePeakRssMb: number;
}

export type TargetStatus = 'pass' | 'miss' | 'n/a' | 'failed';

export interface TargetCheck {
	target: string;
	scope: string;
	measured: string;
	limit: string;
	status: TargetStatus;
	why?: string;
}

export interface RunMeta {
	date: string;
	machine: MachineInfo;
	loadAverageAfter: number[];
	runnerNode: string;
	hostNode: string;
	n8nVersion: string;
	nodesBaseVersion: string;
	packageVersion: string;
	gitCommit: string;
	/** Fingerprint of dist/ when the run started (absent in older files). */
	distAtStart?: string;
	ns: number[];
	latencies: number[];
	repeat: number;
	durationS: number;
	/** The token cache's scrypt key derivation, timed in the benchmark process. */
	scryptMs: number;
	executionsCrashedAtExit: number;
}

export function median(values: number[]): number {
	const sorted = [...values].sort((x, y) => x - y);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function aggregate(executions: Execution[]): Row[] {
	const groups = new Map<string, Execution[]>();
	for (const execution of executions) {
		const key = `${execution.caseId}|${execution.n}|${execution.latencyMs}`;
		const list = groups.get(key) ?? [];
		list.push(execution);
		groups.set(key, list);
	}
	const rows: Row[] = [];
	for (const list of groups.values()) {
		const first = list[0];
		const spec = CASES[first.caseId];
		const ok = list.filter((execution) => execution.error === undefined);
		// A failed repetition never contributes a number: a broken case must not look fast.
		const source = ok.length > 0 ? ok : list;
		const times = source.map((execution) => execution.nodeTimeMs);
		const logins = source
			.map((execution) => execution.logins)
			.filter((value): value is number => value !== null);
		const calls = source.map((execution) => execution.httpCalls);
		const inFlight = source
			.map((execution) => execution.maxInFlight)
			.filter((value): value is number => value !== null);
		const nodeTimeMs = Math.min(...times);
		const ourCpu = source
			.map((execution) => execution.ourCpuMs)
			.filter((value): value is number => value !== undefined);
		rows.push({
			caseId: first.caseId,
			product: spec.product,
			label: spec.label,
			measuredNodes: spec.measured,
			n: first.n,
			latencyMs: first.latencyMs,
			runs: list.length,
			failed: list
				.filter((execution) => execution.error !== undefined)
				.map((execution) => execution.error as string),
			nodeTimeMs: round(nodeTimeMs),
			nodeTimeMedianMs: round(median(times)),
			runTimesMs: [...times].sort((x, y) => x - y),
			spread: round(Math.max(...times) / Math.max(nodeTimeMs, 1), 2),
			msPerItem: round(nodeTimeMs / first.n, 2),
			logins: logins.length > 0 ? Math.max(...logins) : null,
			loginsRange: logins.length > 0 ? [Math.min(...logins), Math.max(...logins)] : null,
			httpCalls: Math.max(...calls),
			httpCallsRange: [Math.min(...calls), Math.max(...calls)],
			maxInFlight: inFlight.length > 0 ? Math.max(...inFlight) : null,
			ourCpuMsPerItem: ourCpu.length > 0 ? round(median(ourCpu) / first.n, 3) : null,
			peakRssMb: round(median(source.map((execution) => execution.peakRssMb))),
			treePeakRssMb: round(median(source.map((execution) => execution.treePeakRssMb))),
		});
	}
	const order = (row: Row): number[] => [
		row.latencyMs,
		row.product === 'durst' ? 0 : 1,
		row.n,
		CASE_ORDER.indexOf(row.caseId),
	];
	return rows.sort((x, y) => {
		const a = order(x);
		const b = order(y);
		for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
		return 0;
	});
}

/** Observations that explain the numbers, computed from this run's rows where they can be. */
export function buildNotes(meta: RunMeta, rows: Row[], executions: Execution[]): string[] {
	const notes: string[] = [];
	const load = Math.max(meta.machine.loadAverage[0], meta.loadAverageAfter[0]);
	// The benchmark keeps about one core busy itself (n8n, the simulators): only more than that is other work.
	if (load > meta.machine.cores) {
		notes.push(
			`Noise: the machine was busy (1-minute load average up to ${load} on ${meta.machine.cores} cores) while n8n, the simulators and ` +
				'other work shared it. Times of a few hundred ms can move by tens of percent between runs; compare ratios, not single digits.',
		);
	}
	const inFlight = (caseId: CaseId): string =>
		rows
			.filter((row) => row.caseId === caseId && row.maxInFlight !== null)
			.map((row) => `${row.maxInFlight} at N=${row.n}`)
			.join(', ');
	if (rows.some((row) => row.caseId === 'c' && row.maxInFlight !== null)) {
		notes.push(
			`The HTTP Request node is concurrent, without limit: HttpRequestV3 (n8n-nodes-base ${meta.nodesBaseVersion}) builds the request of every ` +
				`input item and starts it at once, then awaits all of them together (Promise.allSettled). Seen at the simulator: (c) up to ` +
				`${inFlight('c')} requests in flight; our node (a) ${inFlight('a')}, (e) ${inFlight('e')}.`,
		);
	}
	notes.push(
		`HTTP Request Batching, checked in the V3 source: it only sleeps \`batchInterval\` ms before every \`batchSize\`-th item while the requests ` +
			`are being started, and not at all when the interval is 0 (then it changes nothing). It never waits for answers, so it spaces ` +
			`requests out in time but does not bound how many are in flight` +
			(rows.some((row) => row.caseId === 'f' && row.maxInFlight !== null)
				? ` (seen: (f) up to ${inFlight('f')})`
				: '') +
			`. (f) uses ${BATCH_SIZE} items per ${BATCH_INTERVAL_MS} ms.`,
	);
	notes.push(
		`Fixed cost of the Durst node in every new n8n process: one scrypt key derivation for the encrypted token entry in static data ` +
			`(${meta.scryptMs} ms on this machine), paid by the cold run to write the entry and by the warm run to read it. A long-running n8n ` +
			`keeps the derived key in memory, so there only the first execution pays it; here every case is a fresh \`n8n execute\`.`,
	);
	const watcherGap = rows
		.filter((row) => row.caseId === 'wSeq')
		.map((row) => {
			const durst = rows.find(
				(other) =>
					other.caseId === 'b' &&
					other.n === row.n &&
					other.latencyMs === row.latencyMs &&
					other.failed.length < other.runs,
			);
			return durst === undefined
				? undefined
				: `${round(row.msPerItem - durst.msPerItem, 2)} ms/item at N=${row.n}, ${row.latencyMs} ms`;
		})
		.filter((text): text is string => text !== undefined);
	if (watcherGap.length > 0) {
		notes.push(
			`Extra time per item of the sequential Watcher node over the warm Durst node (both send one request per item and wait for it): ` +
				`${watcherGap.join('; ')} (negative: the Watcher node is cheaper). The Watcher node sends through ` +
				`helpers.httpRequestWithAuthentication with the credential it read once per execution, and its credential's authenticate is a ` +
				`function (no expression to evaluate per request); the Durst node sends its cached token with plain helpers.httpRequest. ` +
				`What is left of either is mostly n8n's request helper (axios, a new TCP connection per request: n8n's agent does not keep ` +
				`connections alive), which \`--cpu-prof DIR\` shows.`,
		);
	}
	const builds = [
		...new Set(
			executions
				.map((execution) => execution.dist)
				.filter((dist): dist is string => dist !== undefined),
		),
	];
	if (builds.length > 1) {
		const byBuild = builds.map((dist) => {
			const ran = executions.filter((execution) => execution.dist === dist);
			return `${dist}: ${ran.length} executions, first (${ran[0].caseId}) N=${ran[0].n} ${ran[0].latencyMs} ms`;
		});
		notes.unshift(
			`WARNING: dist/ was rebuilt with different code during this run (someone ran \`npm run build\`), so the rows mix code versions: ` +
				`${byBuild.join('; ')}. Re-run before quoting these numbers.`,
		);
	}
	if (meta.executionsCrashedAtExit > 0) {
		notes.push(
			`${meta.executionsCrashedAtExit} execution(s) ended with n8n 2.40's known SIGSEGV at exit, after the run had completed and been printed; ` +
				'their results are complete and counted.',
		);
	}
	notes.push(
		"Method: every case is one `n8n execute --id` (a fresh process, so the Durst node's in-memory cache is empty and only static data " +
			'carries a token from (a) to (b)); simulator counters are reset before each case. `n8n execute` is started with a preload that makes ' +
			'its stdout blocking: otherwise n8n exits before a large printed run (about 2 MB at N=1,000) is written out.',
	);
	return notes;
}

function cell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function mb(value: number): string {
	return value > 0 ? String(value) : '-';
}

/** The chat-bot link flow's part of a run (bench/linkFlow.ts): figures for the headline, its own section. */
export interface LinkFlowPart {
	figures: FlowFigures;
	markdown: string;
	/** Failed flows over every link-flow run. */
	errors: number;
}

export function markdown(
	meta: RunMeta,
	rows: Row[],
	checks: TargetCheck[],
	notes: string[],
	linkFlow?: LinkFlowPart,
): string {
	const lines: string[] = [];
	const m = meta.machine;
	lines.push(`# Benchmark: our nodes vs HTTP Request nodes in n8n ${meta.n8nVersion}`);
	lines.push('');
	lines.push(`- Date: ${meta.date}`);
	lines.push(
		`- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memTotalMb.toLocaleString('en-US')} MB RAM, ${m.kernel}`,
	);
	lines.push(
		`- Load average (1/5/15 min) before: ${m.loadAverage.join(' / ')}, after: ${meta.loadAverageAfter.join(' / ')}`,
	);
	lines.push(
		`- n8n ${meta.n8nVersion} (n8n-nodes-base ${meta.nodesBaseVersion}) on Node ${meta.hostNode}; benchmark and simulators on Node ${meta.runnerNode}`,
	);
	lines.push(
		`- Package ${meta.packageVersion} at ${meta.gitCommit}${meta.distAtStart !== undefined ? `, dist/ build ${meta.distAtStart}` : ''}`,
	);
	lines.push(
		`- N: ${meta.ns.join(', ')}; simulator latency: ${meta.latencies.map((l) => `${l} ms`).join(', ')}; ` +
			(meta.repeat > 1
				? `${meta.repeat} runs per case, the fastest shown and used for the targets (other work on the machine only adds time); `
				: '1 run per case; ') +
			`total ${Math.round(meta.durationS)} s`,
	);
	lines.push('');
	lines.push(...headline(rows, checks, linkFlow?.figures));
	lines.push('## All cases');
	lines.push('');
	const multi = meta.repeat > 1;
	const profiled = rows.some((row) => row.ourCpuMsPerItem !== null);
	lines.push(
		`| Case | N | Latency ms | Node time ms${multi ? ' (best)' : ''} | ms/item |${multi ? ' All runs ms |' : ''} Logins | HTTP calls | Max in flight | Peak RSS MB |${profiled ? ' Our CPU ms/item |' : ''}`,
	);
	lines.push(
		`|---|---:|---:|---:|---:|${multi ? '---:|' : ''}---:|---:|---:|---:|${profiled ? '---:|' : ''}`,
	);
	for (const row of rows) {
		const label = `(${row.caseId}) ${row.label}`;
		if (row.failed.length === row.runs) {
			lines.push(
				`| ${cell(label)} | ${row.n} | ${row.latencyMs} | FAILED: ${cell(row.failed[0].slice(0, 160))} | |${multi ? ' |' : ''} | | | |`,
			);
			continue;
		}
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
		const failed =
			row.failed.length > 0 ? ` (${row.failed.length} of ${row.runs} runs FAILED)` : '';
		const runs = multi ? ` ${row.runTimesMs.join(' / ')} |` : '';
		const cpu = profiled ? ` ${row.ourCpuMsPerItem ?? '-'} |` : '';
		lines.push(
			`| ${cell(label + failed)} | ${row.n.toLocaleString('en-US')} | ${row.latencyMs} | ${row.nodeTimeMs} | ${row.msPerItem} |${runs} ${logins} | ${calls} | ${row.maxInFlight ?? '-'} | ${mb(row.peakRssMb)} |${cpu}`,
		);
	}
	lines.push('');
	lines.push('Columns:');
	lines.push(
		"- Node time: `executionTime` of the measured nodes in n8n's run data. Our node alone for (a), (b), (e) and the Watcher node; " +
			'for (c), (d), (f), (g) the sum of the HTTP Request nodes "Login" and "Get Printer"; for the Watcher baselines their one HTTP Request node. ' +
			"In the loop cases (g) and (wLoop) the request node runs once per item and its runs are summed; the Loop Over Items node's own " +
			'runs are not counted (which favours the baseline). ' +
			'The generator (Manual Trigger, Set, Split Out) is not counted.',
	);
	lines.push(
		'- Logins: calls of `GET /api/v1/login` on the Durst simulator. HTTP calls: every API call both simulators received during the case.',
	);
	lines.push(
		'- Max in flight: the most requests the simulators were answering at the same moment (counted by the simulators, login included).',
	);
	if (profiled)
		lines.push(
			"- Our CPU ms/item: self time of our package's code (dist/) in the V8 CPU profile of the `n8n execute` process (`--cpu-prof`; median of the runs) divided by N. Time in n8n's request helper that our code calls is n8n's. Profiling slows everything: node times of a profiled run are not comparable to an unprofiled one.",
		);
	lines.push(
		"- Peak RSS: the kernel's high-water mark (VmHWM) of the `n8n execute` process, start-up included (n8n alone is most of it), " +
			'one process per case (median of the runs); sampled from /proc every 20 ms. The JSON also has the summed RSS of its process tree.',
	);
	lines.push(
		`- (b) executes (a)'s workflow again right after it (the CLI saved its static data). (e) and (wC10) leave Max Concurrent Requests unset (its default, 10); (e), (e20) are cold like (a). ` +
			`(f20) and (wH20) use Batching = ${IN_FLIGHT} items per batch with the latency as interval (1 ms at 0 ms), which keeps about ${IN_FLIGHT} requests in flight: the like-for-like partners of (e20) and (w20). ` +
			`The Watcher node is version 2 as added today: Generate Link makes a private link (the token sealed into the link's fragment); its HTTP Request partners only fetch the token. ` +
			`(f) is (c) with the HTTP Request option Batching = ${BATCH_SIZE} items per batch, ${BATCH_INTERVAL_MS} ms interval. ` +
			`(g) and (wLoop) are how users make HTTP Request wait for each answer: Loop Over Items with batch size 1 around the request node.`,
	);
	lines.push('');
	lines.push('## Targets');
	lines.push('');
	lines.push('| Target | Scope | Measured | Limit | Result | Why |');
	lines.push('|---|---|---|---|---|---|');
	for (const check of checks) {
		lines.push(
			`| ${cell(check.target)} | ${cell(check.scope)} | ${cell(check.measured)} | ${cell(check.limit)} | ${check.status.toUpperCase()} | ${cell(check.why ?? '')} |`,
		);
	}
	if (linkFlow !== undefined) {
		lines.push('');
		lines.push(linkFlow.markdown.trim());
	}
	if (notes.length > 0) {
		lines.push('');
		lines.push('## Notes');
		lines.push('');
		for (const note of notes) lines.push(`- ${note}`);
	}
	lines.push('');
	return lines.join('\n');
}

/** What bench/results/<date>.json holds; `render.js` rebuilds everything but `meta` and `executions` from it. */
export interface ResultsFile {
	meta: RunMeta;
	notes: string[];
	rows: Row[];
	targets: TargetCheck[];
	executions: Execution[];
	batching: { batchSize: number; batchIntervalMs: number };
	linkFlow?: LinkFlowPart;
}

/** Writes `<date>.json` (or `file` when given) and latest.md; returns the markdown. */
export function writeResults(
	dir: string,
	meta: RunMeta,
	executions: Execution[],
	file?: string,
	linkFlow?: LinkFlowPart,
): { text: string; jsonFile: string } {
	const rows = aggregate(executions);
	const targets = checkTargets(rows);
	const notes = buildNotes(meta, rows, executions);
	const text = markdown(meta, rows, targets, notes, linkFlow);
	fs.mkdirSync(dir, { recursive: true });
	// Colons are not allowed in file names everywhere (Windows checkouts).
	const jsonFile =
		file ?? path.join(dir, `${meta.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
	const json: ResultsFile = {
		meta,
		notes,
		rows,
		targets,
		executions,
		batching: { batchSize: BATCH_SIZE, batchIntervalMs: BATCH_INTERVAL_MS },
		linkFlow,
	};
	fs.writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
	fs.writeFileSync(path.join(dir, 'latest.md'), text);
	return { text, jsonFile };
}
