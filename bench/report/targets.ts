/**
 * The targets the benchmark reports (never asserts): each compares rows of one N and latency and
 * says PASS or MISS, and why when it misses. bench/report/checkTargets.ts applies them to a run.
 */
import { round } from './math';
import type { Row, TargetCheck, TargetStatus } from './types';

/** Runs of one case further apart than this are called noisy in the target checks. */
const NOISY_SPREAD = 1.5;

/**
 * The headline's targets: our node against an HTTP Request case, as a ratio of node times. Issue 22:
 * at default settings (adaptive pacing) within 1.1x of the HTTP Request node as it comes.
 */
export const DEFAULT_LIMIT = 1.1;
export const EQUAL_IN_FLIGHT_LIMIT = 1.05;

export const TARGET_DEFAULT = `Healthy server, default settings <= ${DEFAULT_LIMIT}x HTTP Request`;
export const TARGET_EQUAL = `Equal requests in flight <= ${EQUAL_IN_FLIGHT_LIMIT}x HTTP Request`;
export const TARGET_WARM_CACHE = 'Warm cache: 0 logins';
/** The chat-bot link flow: our p95 over the HTTP Request version's. */
export const LINK_FLOW_LIMIT = 1.1;
/** Older targets, kept in the Targets table: sequential cost, speed-up and the Watcher bound. */
export const TARGET_SEQUENTIAL = 'Sequential <= 1.05x HTTP Request';
export const TARGET_SPEEDUP = 'Default settings >= 7x faster than one at a time';
export const TARGET_WATCHER_BOUND = 'Watcher <= 1.2 x (N x latency / concurrency)';

export function scope(n: number, latencyMs: number): string {
	return `N=${n.toLocaleString('en-US')}, ${latencyMs} ms`;
}

export function ratioCheck(
	target: string,
	limit: number,
	ours: Row,
	theirs: Row,
	what: string,
): TargetCheck {
	const ratio = ours.nodeTimeMs / Math.max(theirs.nodeTimeMs, 1);
	const check: TargetCheck = {
		target,
		scope: `${what}, ${scope(ours.n, ours.latencyMs)}`,
		measured: `${ratio.toFixed(2)}x (${ours.nodeTimeMs} vs ${theirs.nodeTimeMs} ms)`,
		limit: `<= ${limit}x`,
		status: ratio <= limit ? 'pass' : 'miss',
	};
	if (check.status === 'miss') {
		const peaks = `at most ${ours.maxInFlight ?? '?'} of ours and ${theirs.maxInFlight ?? '?'} of theirs in flight`;
		const cpu =
			ours.ourCpuMsPerItem !== null
				? ` Our own code's CPU in this case: ${ours.ourCpuMsPerItem} ms/item.`
				: '';
		check.why =
			`${round(ours.nodeTimeMs - theirs.nodeTimeMs)} ms more (ours ${ours.msPerItem} ms/item, theirs ${theirs.msPerItem} ms/item; ${peaks}). ` +
			(ours.latencyMs > 0 && (ours.maxInFlight ?? 0) < (theirs.maxInFlight ?? 0)
				? `With ${ours.latencyMs} ms per answer, fewer requests in flight means more waiting: ${ours.n} answers / ${ours.maxInFlight} at a time x ${ours.latencyMs} ms = ${round((ours.n / Math.max(ours.maxInFlight ?? 1, 1)) * ours.latencyMs)} ms at least.`
				: "The rest is CPU per item on one event loop (mostly n8n's request helper: a new TCP connection per request).") +
			cpu;
	}
	return check;
}

/** Sequential: at most 1.05x the HTTP Request node's time for the same requests. */
export function sequentialCheck(ours: Row, theirs: Row, calls: number, what: string): TargetCheck {
	const ratio = ours.nodeTimeMs / Math.max(theirs.nodeTimeMs, 1);
	const status: TargetStatus = ratio <= 1.05 ? 'pass' : 'miss';
	const check: TargetCheck = {
		target: TARGET_SEQUENTIAL,
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

export function speedupCheck(sequential: Row, concurrent: Row, what: string): TargetCheck {
	const speedup = sequential.nodeTimeMs / Math.max(concurrent.nodeTimeMs, 1);
	const status: TargetStatus = speedup >= 7 ? 'pass' : 'miss';
	const check: TargetCheck = {
		target: TARGET_SPEEDUP,
		scope: `${what}, ${scope(sequential.n, sequential.latencyMs)}`,
		measured: `${speedup.toFixed(2)}x (${sequential.nodeTimeMs} -> ${concurrent.nodeTimeMs} ms)`,
		limit: '>= 7x',
		status,
	};
	if (status === 'miss') {
		const inFlight = Math.max(concurrent.maxInFlight ?? 1, 1);
		const ideal = round((sequential.n * sequential.latencyMs) / inFlight);
		check.why =
			`Concurrency only overlaps waiting: ${sequential.n} x ${sequential.latencyMs} ms / ${inFlight} (its peak in flight) = ${ideal} ms of latency, ` +
			`the other ${round(concurrent.nodeTimeMs - ideal)} ms (${round((concurrent.nodeTimeMs - ideal) / sequential.n, 2)} ms/item) ` +
			`are CPU work per item and fixed costs, which parallel requests on one event loop do not shorten.`;
	}
	return check;
}

export function watcherBoundCheck(row: Row, concurrency: number): TargetCheck {
	const ideal = (row.n * row.latencyMs) / concurrency;
	const bound = 1.2 * ideal;
	const check: TargetCheck = {
		target: TARGET_WATCHER_BOUND,
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
export function withNoise(check: TargetCheck, involved: Row[]): TargetCheck {
	const noisy = involved.filter((row) => row.spread > NOISY_SPREAD);
	if (noisy.length === 0) return check;
	const text = `Noisy: runs of ${noisy.map((row) => `(${row.caseId}) ${row.runTimesMs.join('/')} ms`).join(', ')}.`;
	return { ...check, why: check.why === undefined ? text : `${check.why} ${text}` };
}
