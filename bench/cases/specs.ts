/**
 * The benchmark's cases: what each one measures (our node at a concurrency and pacing, or an HTTP
 * Request baseline with its Batching), and the order they run and are reported in. The matrix cases
 * run at every N and latency; the pacing cases (pacingSpecs.ts) at their own.
 */
import { PACING_CASES, PACING_ORDER } from './pacingSpecs';
import type { CaseId, CaseSpec, MatrixCaseId } from './types';

/**
 * HTTP Request "Batching" of case (f). In HttpRequestV3 (n8n-nodes-base 2.40.2) the option only
 * sleeps `batchInterval` ms before every `batchSize`-th item while the requests are being started,
 * and only when `batchInterval > 0`; it never waits for answers. With 0 it changes nothing, so 1 ms
 * (the smallest interval that engages it) is used.
 */
export const BATCH_SIZE = 10;
export const BATCH_INTERVAL_MS = 1;

/**
 * Batching that keeps about `IN_FLIGHT` requests in flight, for the like-for-like cases (f20),
 * (wH20): start IN_FLIGHT requests, wait about one answer's time (the latency; 1 ms, the least that
 * engages the option, at 0 ms), start the next IN_FLIGHT. The simulators count the real peak.
 */
export const IN_FLIGHT = 20;
export function inFlightBatching(latencyMs: number): { batchSize: number; batchInterval: number } {
	return { batchSize: IN_FLIGHT, batchInterval: Math.max(1, latencyMs) };
}

export type { CaseId, CaseSpec, MatrixCaseId, PacingCaseId, Product, Scenario } from './types';

const MATRIX_CASES: Record<MatrixCaseId, CaseSpec> = {
	a: {
		id: 'a',
		product: 'durst',
		label: 'Durst node, fixed, Max Concurrent Requests 1 (one at a time), cold cache',
		measured: ['Durst'],
		outputNode: 'Durst',
		pacing: 'fixed',
		concurrency: 1,
	},
	b: {
		id: 'b',
		product: 'durst',
		label: 'Durst node, fixed, Max Concurrent Requests 1, warm cache',
		measured: ['Durst'],
		outputNode: 'Durst',
		pacing: 'fixed',
		concurrency: 1,
		reuses: 'a',
	},
	c: {
		id: 'c',
		product: 'durst',
		label: 'HTTP Request: login once + token by expression',
		measured: ['Login', 'Get Printer'],
		outputNode: 'Get Printer',
	},
	d: {
		id: 'd',
		product: 'durst',
		label: 'HTTP Request: login per item',
		measured: ['Login', 'Get Printer'],
		outputNode: 'Get Printer',
	},
	e: {
		id: 'e',
		product: 'durst',
		label: 'Durst node, default settings (adaptive pacing), cold cache',
		measured: ['Durst'],
		outputNode: 'Durst',
		concurrency: 'default',
	},
	e20: {
		id: 'e20',
		product: 'durst',
		label: `Durst node, fixed, Max Concurrent Requests ${IN_FLIGHT}, cold cache`,
		measured: ['Durst'],
		outputNode: 'Durst',
		pacing: 'fixed',
		concurrency: IN_FLIGHT,
	},
	f: {
		id: 'f',
		product: 'durst',
		label: `HTTP Request: login once + batching ${BATCH_SIZE}/${BATCH_INTERVAL_MS} ms`,
		measured: ['Login', 'Get Printer'],
		outputNode: 'Get Printer',
		batching: 'spaced',
	},
	f20: {
		id: 'f20',
		product: 'durst',
		label: `HTTP Request: login once + batching ${IN_FLIGHT} per latency (about ${IN_FLIGHT} in flight)`,
		measured: ['Login', 'Get Printer'],
		outputNode: 'Get Printer',
		batching: 'inFlight',
	},
	g: {
		id: 'g',
		product: 'durst',
		label: 'HTTP Request: login once + Loop Over Items (1 at a time)',
		measured: ['Login', 'Get Printer'],
		outputNode: 'Get Printer',
		looped: true,
	},
	wSeq: {
		id: 'wSeq',
		product: 'watcher',
		label: 'Watcher node, Generate Link, fixed, Max Concurrent Requests 1 (one at a time)',
		measured: ['Watcher'],
		outputNode: 'Watcher',
		pacing: 'fixed',
		concurrency: 1,
	},
	wC10: {
		id: 'wC10',
		product: 'watcher',
		label: 'Watcher node, Generate Link, default settings (adaptive pacing)',
		measured: ['Watcher'],
		outputNode: 'Watcher',
		concurrency: 'default',
	},
	wWarm: {
		id: 'wWarm',
		product: 'watcher',
		label:
			'Watcher node, Generate Link, default settings, ticket key already derived (a running n8n)',
		measured: ['Watcher'],
		outputNode: 'Watcher',
		concurrency: 'default',
		warmUp: true,
	},
	w20: {
		id: 'w20',
		product: 'watcher',
		label: `Watcher node, Generate Link, fixed, Max Concurrent Requests ${IN_FLIGHT}`,
		measured: ['Watcher'],
		outputNode: 'Watcher',
		pacing: 'fixed',
		concurrency: IN_FLIGHT,
	},
	wHttp: {
		id: 'wHttp',
		product: 'watcher',
		label: 'HTTP Request: same POST',
		measured: ['Generate Token'],
		outputNode: 'Generate Token',
	},
	wH20: {
		id: 'wH20',
		product: 'watcher',
		label: `HTTP Request: same POST + batching ${IN_FLIGHT} per latency (about ${IN_FLIGHT} in flight)`,
		measured: ['Generate Token'],
		outputNode: 'Generate Token',
		batching: 'inFlight',
	},
	wLoop: {
		id: 'wLoop',
		product: 'watcher',
		label: 'HTTP Request: same POST in Loop Over Items (1 at a time)',
		measured: ['Generate Token'],
		outputNode: 'Generate Token',
		looped: true,
	},
};

const MATRIX_ORDER: MatrixCaseId[] = [
	'a',
	'b',
	'c',
	'd',
	'e',
	'e20',
	'f',
	'f20',
	'g',
	'wSeq',
	'wC10',
	'wWarm',
	'w20',
	'wHttp',
	'wH20',
	'wLoop',
];

export const CASES: Record<CaseId, CaseSpec> = { ...MATRIX_CASES, ...PACING_CASES };
export const CASE_ORDER: CaseId[] = [...MATRIX_ORDER, ...PACING_ORDER];
