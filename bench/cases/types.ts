/**
 * What a benchmark case is: our node at a concurrency and pacing, or an HTTP Request baseline with
 * its Batching and Retry On Fail, and, for the pacing cases of issue 22, the server's capacity.
 */
import type { CapacitySpec } from '../../tools/simulators/common/capacity';

/** The cases of the N x latency matrix (healthy, unlimited server). */
export type MatrixCaseId =
	| 'a'
	| 'b'
	| 'c'
	| 'd'
	| 'e'
	| 'e20'
	| 'f'
	| 'f20'
	| 'g'
	| 'wSeq'
	| 'wC10'
	| 'wWarm'
	| 'w20'
	| 'wHttp'
	| 'wH20'
	| 'wLoop';

/**
 * The pacing cases (bench/cases/pacingSpecs.ts): b* a busy server that refuses what is over its
 * capacity, q* a server that queues it; D Durst, W Watcher; H the HTTP Request node.
 */
export type PacingCaseId =
	| 'bD'
	| 'bDH'
	| 'bDHb'
	| 'bDHr'
	| 'bDHc'
	| 'bW'
	| 'bWH'
	| 'bWHb'
	| 'bWHr'
	| 'qD'
	| 'qF4'
	| 'qF8'
	| 'qF16'
	| 'qF32'
	| 'qF64'
	| 'qF100';

export type CaseId = MatrixCaseId | PacingCaseId;
export type Product = 'durst' | 'watcher';

/** A server of limited capacity, and the N and latency its cases always run at. */
export interface Scenario {
	kind: 'busy' | 'queue';
	capacity: CapacitySpec;
	n: number;
	latencyMs: number;
}

export interface CaseSpec {
	id: CaseId;
	product: Product;
	label: string;
	/** Which nodes' executionTime is summed into the case's node time. */
	measured: string[];
	/** The node whose output is validated (N items, no errors). */
	outputNode: string;
	/** Our node's Max Concurrent Requests ('default': the option left unset), or undefined for HTTP Request cases. */
	concurrency?: number | 'default';
	/** Our node's Pacing option; unset: its default (adaptive). */
	pacing?: 'adaptive' | 'fixed';
	/**
	 * HTTP Request cases: the Batching option (see BATCH_SIZE and inFlightBatching; 'capacity': the
	 * scenario server's limit per latency, what a user who knows the server would set).
	 */
	batching?: 'spaced' | 'inFlight' | 'capacity';
	/** HTTP Request cases: n8n's node setting On Error = Continue (an error item per failed item). */
	continueOnError?: boolean;
	/** HTTP Request cases: n8n's node setting Retry On Fail (the whole node runs again). */
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	/**
	 * A Generate Link of one item runs before the generator: the process's ticket key (one scrypt
	 * run) is derived before the measured node starts, as in an n8n that has been running a while.
	 */
	warmUp?: boolean;
	/** b re-executes a's workflow: its static data then holds the token the cold run saved. */
	reuses?: CaseId;
	/**
	 * The measured nodes run once per item inside a Loop Over Items: node time and output are summed
	 * over all their runs. (The Loop node's own runs are not counted, which favours the baseline.)
	 */
	looped?: boolean;
	/**
	 * Pacing cases: the server's capacity, N and latency (fixed, whatever --n and --latency say).
	 * Lost items and a failed execution are then results (counted), not a broken case.
	 */
	scenario?: Scenario;
}
