/**
 * The pacing cases of issue 22: 1,000 items at 20 ms against a server of limited capacity
 * (tools/simulators/common/capacity.ts), our nodes at default settings against the HTTP Request
 * node as users configure it, and a sweep of fixed settings that shows where the server's knee is.
 */
import type { CaseSpec, PacingCaseId, Scenario } from './types';

export const PACING_N = 1000;
export const PACING_LATENCY_MS = 20;

/**
 * "Busy": serves 8 at a time and answers the rest at once with 503 and `Retry-After: 1`, as an
 * on-premises box during a shift change or a rate-limited gateway does. 8 at a time need
 * 1,000 / 8 x 20 ms = 2.5 s; the target allows 3x that.
 */
export const BUSY: Scenario = {
	kind: 'busy',
	capacity: { limit: 8, mode: 'refuse', retryAfter: '1' },
	n: PACING_N,
	latencyMs: PACING_LATENCY_MS,
};
export const BUSY_TIME_FACTOR = 3;

/**
 * "Queue": serves K at a time and lets the rest wait in line, so that every request beyond K only
 * adds answer time. K = 4 puts the server's pace (4 / 20 ms = 200 answers/s, 5 s for 1,000) well
 * below what n8n and the node can send on this machine (about 500/s idle: the HTTP Request node
 * needs 2 s for 1,000 items even at 0 ms), so that the server, not the client's CPU, sets the time
 * and the sweep shows a knee. With K = 16 (800/s) the client would be the limit: every setting from
 * about 8 up would take the same CPU-bound time and the knee would be the client's, not the server's.
 */
export const QUEUE_LIMIT = 4;
export const QUEUE: Scenario = {
	kind: 'queue',
	capacity: { limit: QUEUE_LIMIT, mode: 'queue' },
	n: PACING_N,
	latencyMs: PACING_LATENCY_MS,
};
/** A fixed setting "at the knee" is within this of the best fixed time. */
export const KNEE_TOLERANCE = 1.05;
/** Our adaptive time against the best fixed setting's. */
export const QUEUE_TIME_LIMIT = 1.2;
/** "Near the knee": our adaptive peak in flight within this factor of the measured knee. */
export const KNEE_FACTOR = 2;

/** n8n's Retry On Fail at its most patient in the editor: 5 tries, 1 s apart. */
const RETRY = { maxTries: 5, waitBetweenTries: 1000 };

export const SWEEP = [4, 8, 16, 32, 64, 100] as const;
export type SweepId = `qF${(typeof SWEEP)[number]}`;

function durst(
	spec: Omit<CaseSpec, 'product' | 'measured' | 'outputNode'>,
	ours: boolean,
): CaseSpec {
	return ours
		? { ...spec, product: 'durst', measured: ['Durst'], outputNode: 'Durst' }
		: { ...spec, product: 'durst', measured: ['Login', 'Get Printer'], outputNode: 'Get Printer' };
}

function watcher(
	spec: Omit<CaseSpec, 'product' | 'measured' | 'outputNode'>,
	ours: boolean,
): CaseSpec {
	const node = ours ? 'Watcher' : 'Generate Token';
	return { ...spec, product: 'watcher', measured: [node], outputNode: node };
}

const CAP = `${BUSY.capacity.limit} per ${PACING_LATENCY_MS} ms`;

const BUSY_CASES: Array<[PacingCaseId, CaseSpec]> = [
	[
		'bD',
		durst(
			{
				id: 'bD',
				label: 'Busy server: Durst node, default settings',
				concurrency: 'default',
				scenario: BUSY,
			},
			true,
		),
	],
	[
		'bDH',
		durst(
			{ id: 'bDH', label: 'Busy server: HTTP Request as it comes (login once)', scenario: BUSY },
			false,
		),
	],
	[
		'bDHb',
		durst(
			{
				id: 'bDHb',
				label: `Busy server: HTTP Request, Batching ${CAP} (the server's capacity)`,
				batching: 'capacity',
				scenario: BUSY,
			},
			false,
		),
	],
	[
		'bDHr',
		durst(
			{
				id: 'bDHr',
				label: `Busy server: HTTP Request, Retry On Fail (${RETRY.maxTries} tries, ${RETRY.waitBetweenTries} ms)`,
				retryOnFail: RETRY,
				scenario: BUSY,
			},
			false,
		),
	],
	[
		'bDHc',
		durst(
			{
				id: 'bDHc',
				label:
					'Busy server: HTTP Request as it comes, On Error: Continue (an error item per refused item)',
				continueOnError: true,
				scenario: BUSY,
			},
			false,
		),
	],
	[
		'bW',
		watcher(
			{
				id: 'bW',
				label: 'Busy server: Watcher node, Generate Link, default settings',
				concurrency: 'default',
				scenario: BUSY,
			},
			true,
		),
	],
	[
		'bWH',
		watcher(
			{ id: 'bWH', label: 'Busy server: HTTP Request, same POST as it comes', scenario: BUSY },
			false,
		),
	],
	[
		'bWHb',
		watcher(
			{
				id: 'bWHb',
				label: `Busy server: HTTP Request, same POST, Batching ${CAP}`,
				batching: 'capacity',
				scenario: BUSY,
			},
			false,
		),
	],
	[
		'bWHr',
		watcher(
			{
				id: 'bWHr',
				label: `Busy server: HTTP Request, same POST, Retry On Fail (${RETRY.maxTries} tries, ${RETRY.waitBetweenTries} ms)`,
				retryOnFail: RETRY,
				scenario: BUSY,
			},
			false,
		),
	],
];

const QUEUE_CASES: Array<[PacingCaseId, CaseSpec]> = [
	[
		'qD',
		durst(
			{
				id: 'qD',
				label: `Queueing server (${QUEUE_LIMIT} at a time): Durst node, default settings (adaptive)`,
				concurrency: 'default',
				scenario: QUEUE,
			},
			true,
		),
	],
	...SWEEP.map((setting): [PacingCaseId, CaseSpec] => {
		const id: SweepId = `qF${setting}`;
		return [
			id,
			durst(
				{
					id,
					label: `Queueing server (${QUEUE_LIMIT} at a time): Durst node, Pacing fixed, Max Concurrent Requests ${setting}`,
					concurrency: setting,
					pacing: 'fixed',
					scenario: QUEUE,
				},
				true,
			),
		];
	}),
];

export const PACING_CASES = Object.fromEntries([...BUSY_CASES, ...QUEUE_CASES]) as Record<
	PacingCaseId,
	CaseSpec
>;
export const PACING_ORDER: PacingCaseId[] = [...BUSY_CASES, ...QUEUE_CASES].map(([id]) => id);
export const SWEEP_IDS: SweepId[] = SWEEP.map((setting): SweepId => `qF${setting}`);

/**
 * What `--quick` leaves out to stay a smoke run of a few minutes: the Watcher and the batched and
 * continued HTTP Request baselines, and the sweep's middle settings (the knee is then coarse).
 */
export const QUICK_SKIP: PacingCaseId[] = ['bDHb', 'bDHc', 'bWH', 'bWHb', 'bWHr', 'qF32', 'qF64'];
