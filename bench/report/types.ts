/**
 * What a benchmark run records and reports: the executions as measured, the rows and target checks
 * computed from them, and the results file that holds them all.
 */
import type { PacingOutcome } from '../cases/scenario';
import type { CaseId, Product } from '../cases/specs';
import type { MachineInfo } from '../procmem';

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
	/** Pacing cases (a server of limited capacity): what happened to the items. */
	pacing?: PacingOutcome;
}

/** A pacing case's outcomes over its runs: [fewest, most] of each count. */
export interface PacingRow {
	lost: [number, number];
	tries: [number, number];
	refused: [number, number];
	peakWaiting: number;
	/** Runs that lost at least one item. */
	runsLosing: number;
	/** The first error of a failed execution, if any run failed. */
	runError?: string;
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
	/** Pacing cases only. */
	pacing?: PacingRow;
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

/** What the headline needs of the link-flow run (bench/linkFlow.ts). */
export interface FlowFigures {
	latencyMs: number;
	flows: number;
	ours: { p50Ms: number; p95Ms: number; errors: number };
	http: { p50Ms: number; p95Ms: number; errors: number };
}

/** The chat-bot link flow's part of a run (bench/linkFlow.ts): figures for the headline, its own section. */
export interface LinkFlowPart {
	figures: FlowFigures;
	markdown: string;
	/** Failed flows over every link-flow run. */
	errors: number;
}

/**
 * What bench/results/<date>.json holds; `render.js` rebuilds notes, rows and targets from `meta`
 * and `executions` (and keeps `linkFlow`, which the link flow rendered itself).
 */
export interface ResultsFile {
	meta: RunMeta;
	notes: string[];
	rows: Row[];
	targets: TargetCheck[];
	executions: Execution[];
	batching: { batchSize: number; batchIntervalMs: number };
	linkFlow?: LinkFlowPart;
}
