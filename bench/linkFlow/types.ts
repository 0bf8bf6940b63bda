/**
 * The link flow benchmark's options and results, and what its parts pass each other: one flow's
 * outcome, a variant (ours or the HTTP Request version) and its tally.
 */
import type { WatcherSimulator } from '../../tools/simulators/watcher';
import type { N8nHost } from '../../tools/n8n/n8nHost';

export interface LinkFlowOptions {
	/** Measured flows per variant. */
	flows: number;
	/** Flows per variant before measuring (n8n's first runs load code and warm its caches). */
	warmup: number;
	/** Watcher simulator latency per request. */
	latencyMs: number;
	/** Flows in flight at once; 1: one flow after another. */
	concurrency: number;
	/**
	 * Pause after a flow's link step and after each flow (not counted): a person's time to click.
	 * Without it the background work n8n does after answering (saving the execution; for the ticket
	 * POST the whole audit execution) falls into the next request's time. Default 0.
	 */
	gapMs?: number;
	verbose: boolean;
	/**
	 * Extra environment for n8n, e.g. N8N_EXPRESSION_ENGINE_POOL_SIZE (n8n 2.x keeps one warm
	 * expression isolate by default; a request that needs a second one waits for a cold start).
	 */
	n8nEnv?: Record<string, string>;
}

export interface LinkFlowVariantResult {
	id: 'ours' | 'http';
	label: string;
	flows: number;
	p50Ms: number;
	p95Ms: number;
	maxMs: number;
	meanMs: number;
	steps: Record<string, { p50Ms: number; p95Ms: number }>;
	/** Token requests Watcher saw during warm-up and measured flows (one per flow). */
	watcherTokenCalls: number;
	/** Failed flows, warm-up included. */
	errors: number;
	firstError?: string;
}

export interface LinkFlowResult {
	n8nVersion: string;
	latencyMs: number;
	concurrency: number;
	variants: LinkFlowVariantResult[];
	markdown: string;
}

/** One flow: each step's time, or why it failed. */
export interface FlowOutcome {
	/** ms per step, in order; only complete for a flow without error. */
	steps: Map<string, number>;
	error?: string;
}

interface Tally {
	measured: FlowOutcome[];
	tokenCalls: number;
	errors: number;
	firstError?: string;
}

export interface Variant {
	id: 'ours' | 'http';
	label: string;
	stepNames: string[];
	run(): Promise<FlowOutcome>;
	tally: Tally;
}

export interface FlowContext {
	host: N8nHost;
	watcher: WatcherSimulator;
	gapMs: number;
}
