/**
 * Turns the measured executions into rows (one per case, N and latency; medians over repetitions),
 * the target checks, and the markdown that `npm run bench` prints and README quotes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { CaseId, Product } from './workflows';
import { BATCH_INTERVAL_MS, BATCH_SIZE, CASES, CASE_ORDER } from './workflows';
import type { MachineInfo } from './procmem';

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
	/** Most requests arriving within one latency period (see maxArrivalsWithin); null at 0 ms. */
	maxInFlight: number | null;
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

/** Runs of one case further apart than this are called noisy in the target checks. */
export const NOISY_SPREAD = 1.5;

function median(values: number[]): number {
	const sorted = [...values].sort((x, y) => x - y);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value: number, digits = 0): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
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

function find(rows: Row[], caseId: CaseId, n: number, latencyMs: number): Row | undefined {
	return rows.find(
		(row) =>
			row.caseId === caseId &&
			row.n === n &&
			row.latencyMs === latencyMs &&
			row.failed.length < row.runs,
	);
}

function failedOf(...rows: Array<Row | undefined>): string | undefined {
	const broken = rows.filter((row): row is Row => row !== undefined && row.failed.length > 0);
	return broken.length > 0
		? broken.map((row) => `(${row.caseId}) ${row.failed[0]}`).join('; ')
		: undefined;
}

function scope(n: number, latencyMs: number): string {
	return `N=${n.toLocaleString('en-US')}, ${latencyMs} ms`;
}

/** Sequential: at most 1.05x the HTTP Request node's time for the same requests. */
function sequentialCheck(ours: Row, theirs: Row, calls: number, what: string): TargetCheck {
	const ratio = ours.nodeTimeMs / Math.max(theirs.nodeTimeMs, 1);
	const status: TargetStatus = ratio <= 1.05 ? 'pass' : 'miss';
	const check: TargetCheck = {
		target: 'Sequential <= 1.05x HTTP Request',
		scope: `${what}, ${scope(ours.n, ours.latencyMs)}`,
		measured: `${ratio.toFixed(2)}x (${ours.nodeTimeMs} vs ${theirs.nodeTimeMs} ms)`,
		limit: '<= 1.05x',
		status,
	};
	if (status === 'miss') {
		const floor = calls * ours.latencyMs;
		const inFlight =
			theirs.maxInFlight !== null
				? ` (up to ${theirs.maxInFlight} of its requests in flight at once)`
				: '';
		if (ours.latencyMs > 0 && theirs.nodeTimeMs < floor) {
			check.why =
				`The HTTP Request node is not sequential: HttpRequestV3 starts the request of every item before awaiting any${inFlight}, ` +
				`so it took ${theirs.nodeTimeMs} ms where ${calls} round trips one after another need at least ${floor} ms. ` +
				`Our node at Max Concurrent Requests = 1 waits for each answer by design; no sequential client can meet this target. The like-for-like check is against HTTP Request in Loop Over Items ((g), (wLoop)).`;
		} else {
			check.why =
				`${round(ours.nodeTimeMs - theirs.nodeTimeMs)} ms more (ours ${ours.msPerItem} ms/item, theirs ${theirs.msPerItem} ms/item). ` +
				`Ours waits for each answer before sending the next; the HTTP Request node sends all ${ours.n} at once, so even at 0 ms ` +
				`latency its waits for the server overlap. See the notes for the fixed and per-item costs of our node.`;
		}
	}
	return check;
}

function speedupCheck(sequential: Row, concurrent: Row, what: string): TargetCheck {
	const speedup = sequential.nodeTimeMs / Math.max(concurrent.nodeTimeMs, 1);
	const status: TargetStatus = speedup >= 7 ? 'pass' : 'miss';
	const check: TargetCheck = {
		target: 'Concurrency 10 >= 7x faster than sequential',
		scope: `${what}, ${scope(sequential.n, sequential.latencyMs)}`,
		measured: `${speedup.toFixed(2)}x (${sequential.nodeTimeMs} -> ${concurrent.nodeTimeMs} ms)`,
		limit: '>= 7x',
		status,
	};
	if (status === 'miss') {
		const ideal = (sequential.n * sequential.latencyMs) / 10;
		check.why =
			`Concurrency only overlaps waiting: ${sequential.n} x ${sequential.latencyMs} ms / 10 = ${ideal} ms of latency, ` +
			`the other ${round(concurrent.nodeTimeMs - ideal)} ms (${round((concurrent.nodeTimeMs - ideal) / sequential.n, 2)} ms/item) ` +
			`are CPU work per item and fixed costs, which 10 parallel requests on one event loop do not shorten.`;
	}
	return check;
}

function watcherBoundCheck(row: Row, concurrency: number): TargetCheck {
	const ideal = (row.n * row.latencyMs) / concurrency;
	const bound = 1.2 * ideal;
	const check: TargetCheck = {
		target: 'Watcher <= 1.2 x (N x latency / concurrency)',
		scope: `concurrency ${concurrency}, ${scope(row.n, row.latencyMs)}`,
		measured: `${row.nodeTimeMs} ms`,
		limit: `<= ${round(bound)} ms`,
		status: row.latencyMs === 0 ? 'n/a' : row.nodeTimeMs <= bound ? 'pass' : 'miss',
	};
	if (row.latencyMs === 0)
		check.why = 'The bound is 0 ms at 0 ms latency: only meaningful with latency.';
	else if (check.status === 'miss') {
		check.why =
			`${round(row.nodeTimeMs - ideal)} ms above the pure latency (${round(ideal)} ms), i.e. ` +
			`${round((row.nodeTimeMs - ideal) / row.n, 2)} ms of CPU work per item; the bound allows ${round((bound - ideal) / row.n, 2)} ms/item.`;
	}
	return check;
}

/** Says when the runs behind a check disagree a lot: its verdict then rests on the fastest run only. */
function withNoise(check: TargetCheck, involved: Row[]): TargetCheck {
	const noisy = involved.filter((row) => row.spread > NOISY_SPREAD);
	if (noisy.length === 0) return check;
	const text = `Noisy: runs of ${noisy.map((row) => `(${row.caseId}) ${row.runTimesMs.join('/')} ms`).join(', ')}.`;
	return { ...check, why: check.why === undefined ? text : `${check.why} ${text}` };
}

export function checkTargets(rows: Row[]): TargetCheck[] {
	const checks: TargetCheck[] = [];
	const combos = [...new Set(rows.map((row) => `${row.n}|${row.latencyMs}`))].map((key) =>
		key.split('|').map(Number),
	);
	const failedCheck = (target: string, where: string, reason: string): TargetCheck => ({
		target,
		scope: where,
		measured: '-',
		limit: '-',
		status: 'failed',
		why: `a case failed: ${reason}`,
	});
	const all = (caseId: CaseId, n: number, latency: number): Row | undefined =>
		rows.find((row) => row.caseId === caseId && row.n === n && row.latencyMs === latency);

	for (const [n, latency] of combos) {
		const b = find(rows, 'b', n, latency);
		if (all('b', n, latency) !== undefined) {
			const broken = failedOf(all('b', n, latency));
			if (b === undefined || broken !== undefined)
				checks.push(failedCheck('Warm cache: 0 logins', scope(n, latency), broken ?? 'no result'));
			else {
				const check: TargetCheck = {
					target: 'Warm cache: 0 logins',
					scope: scope(n, latency),
					measured: `${b.logins ?? '-'} login(s)`,
					limit: '0',
					status: b.logins === 0 ? 'pass' : 'miss',
				};
				if (check.status === 'miss')
					check.why =
						'The warm run logged in: the token saved by the cold run was not found or not usable.';
				checks.push(check);
			}
		}
	}
	/** A target that compares two cases at one N and latency: failed if either failed, else `check`. */
	const comparePair = (
		target: string,
		n: number,
		latency: number,
		[firstId, secondId, what]: [CaseId, CaseId, string],
		check: (first: Row, second: Row) => TargetCheck,
	): void => {
		if (all(firstId, n, latency) === undefined || all(secondId, n, latency) === undefined) return;
		const broken = failedOf(all(firstId, n, latency), all(secondId, n, latency));
		const first = find(rows, firstId, n, latency);
		const second = find(rows, secondId, n, latency);
		if (broken !== undefined || first === undefined || second === undefined) {
			checks.push(failedCheck(target, `${what}, ${scope(n, latency)}`, broken ?? 'no result'));
		} else checks.push(withNoise(check(first, second), [first, second]));
	};
	for (const [n, latency] of combos) {
		const pairs: Array<[CaseId, CaseId, string, number]> = [
			['a', 'c', 'Durst (a) vs (c)', n + 1],
			['a', 'g', 'Durst (a) vs (g), both one at a time', n + 1],
			['wSeq', 'wHttp', 'Watcher (wSeq) vs (wHttp)', n],
			['wSeq', 'wLoop', 'Watcher (wSeq) vs (wLoop), both one at a time', n],
		];
		for (const [oursId, theirsId, what, calls] of pairs) {
			comparePair(
				'Sequential <= 1.05x HTTP Request',
				n,
				latency,
				[oursId, theirsId, what],
				(ours, theirs) => sequentialCheck(ours, theirs, calls, what),
			);
		}
	}
	for (const [n, latency] of combos) {
		if (latency === 0) continue;
		const pairs: Array<[CaseId, CaseId, string]> = [
			['a', 'e', 'Durst (a) vs (e)'],
			['wSeq', 'wC10', 'Watcher'],
		];
		for (const pair of pairs) {
			comparePair(
				'Concurrency 10 >= 7x faster than sequential',
				n,
				latency,
				pair,
				(sequential, concurrent) => speedupCheck(sequential, concurrent, pair[2]),
			);
		}
	}
	for (const [n, latency] of combos) {
		for (const [caseId, concurrency] of [
			['wSeq', 1],
			['wC10', 10],
		] as Array<[CaseId, number]>) {
			if (all(caseId, n, latency) === undefined) continue;
			const broken = failedOf(all(caseId, n, latency));
			const row = find(rows, caseId, n, latency);
			if (broken !== undefined || row === undefined) {
				checks.push(
					failedCheck(
						'Watcher <= 1.2 x (N x latency / concurrency)',
						`concurrency ${concurrency}, ${scope(n, latency)}`,
						broken ?? 'no result',
					),
				);
			} else
				checks.push(
					row.latencyMs === 0
						? watcherBoundCheck(row, concurrency)
						: withNoise(watcherBoundCheck(row, concurrency), [row]),
				);
		}
	}
	return checks;
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

export function markdown(
	meta: RunMeta,
	rows: Row[],
	checks: TargetCheck[],
	notes: string[],
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
	const multi = meta.repeat > 1;
	lines.push(
		`| Case | N | Latency ms | Node time ms${multi ? ' (best)' : ''} | ms/item |${multi ? ' All runs ms |' : ''} Logins | HTTP calls | Max in flight | Peak RSS MB |`,
	);
	lines.push(`|---|---:|---:|---:|---:|${multi ? '---:|' : ''}---:|---:|---:|---:|`);
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
		lines.push(
			`| ${cell(label + failed)} | ${row.n.toLocaleString('en-US')} | ${row.latencyMs} | ${row.nodeTimeMs} | ${row.msPerItem} |${runs} ${logins} | ${calls} | ${row.maxInFlight ?? '-'} | ${mb(row.peakRssMb)} |`,
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
		'- Max in flight: the most requests that reached the simulators within one latency period, from their request log. A client ' +
			'that waits for each answer cannot exceed its concurrency there; one that starts every request at once reaches about N. Not defined at 0 ms.',
	);
	lines.push(
		"- Peak RSS: the kernel's high-water mark (VmHWM) of the `n8n execute` process, start-up included (n8n alone is most of it), " +
			'one process per case (median of the runs); sampled from /proc every 20 ms. The JSON also has the summed RSS of its process tree.',
	);
	lines.push(
		`- (b) executes (a)'s workflow again right after it (the CLI saved its static data). (e) is cold like (a). ` +
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
}

/** Writes `<date>.json` (or `file` when given) and latest.md; returns the markdown. */
export function writeResults(
	dir: string,
	meta: RunMeta,
	executions: Execution[],
	file?: string,
): { text: string; jsonFile: string } {
	const rows = aggregate(executions);
	const targets = checkTargets(rows);
	const notes = buildNotes(meta, rows, executions);
	const text = markdown(meta, rows, targets, notes);
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
	};
	fs.writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
	fs.writeFileSync(path.join(dir, 'latest.md'), text);
	return { text, jsonFile };
}
