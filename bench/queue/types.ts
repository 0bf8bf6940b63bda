/** The queue benchmark's options and figures, and the n8n it runs by default. */
import type { HostVersion } from '../../tools/n8n/n8nHost';

export const VERSION: HostVersion = '2.40.7';
/** Calls before each measured wave: they do the logins and the key derivation. */
export const WARM_UP = 20;

export interface QueueBenchOptions {
	total: number;
	concurrency: number;
	latencyMs: number;
	workers: number;
	verbose: boolean;
	noAnswerProbe: boolean;
}

export interface ProcessFigures {
	/** Peak over the wave of the summed PSS of the process and its descendants, in MB. */
	peakMb: number;
	/** CPU time (user + system) of the process and its descendants during the wave, in s. */
	cpuS: number;
}

export interface SetupResult {
	setup: string;
	total: number;
	concurrency: number;
	latencyMs: number;
	wallMs: number;
	executionsPerS: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	failed: number;
	loginsWarmUp: number;
	loginsWave: number;
	perWorker?: Record<number, number>;
	processes: Record<string, ProcessFigures>;
	error?: string;
}
