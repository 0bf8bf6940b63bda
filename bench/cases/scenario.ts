/**
 * The pacing cases' server and outcome: the simulators' capacity set for the case, and what came
 * out instead of a pass/fail check (items lost, tries, refusals), since losing items against a busy
 * server is the result being measured, not a broken case.
 */
import { runError } from '../../tools/n8n/n8nHost';
import type { DurstSimulator } from '../../tools/simulators/durst';
import { DURST_ENDPOINTS } from '../../tools/simulators/durst';
import type { WatcherSimulator } from '../../tools/simulators/watcher';
import { LINK_BASE_URL, PRINTER_ID } from './nodes';
import { isRecord, outputItems } from './runData';
import type { CaseSpec } from './types';

export interface Sims {
	durst: DurstSimulator;
	watcher: WatcherSimulator;
}

export const WATCHER_TOKEN_ENDPOINT = 'POST /vsaas/api/v2/auth/generate-autologin-token';

/** What a pacing case did with its N items. */
export interface PacingOutcome {
	/** Output items that are the expected answer. */
	good: number;
	/** N minus good: error items, missing items, or all N when the execution failed. */
	lost: number;
	/** Output items that carry an error (Continue On Fail, or n8n's On Error setting). */
	errorItems: number;
	/** Data requests the server received: every try of every item, refused ones included. */
	tries: number;
	/** Requests the server refused for want of capacity (503 + Retry-After). */
	refused: number;
	/** The longest line of waiting requests (queueing server). */
	peakWaiting: number;
	/** The execution's error, when it failed (first line). */
	runError?: string;
}

/** Whether an output item is the answer the case asked for. */
export function isExpectedItem(spec: CaseSpec, item: unknown): boolean {
	if (!isRecord(item) || 'error' in item) return false;
	if (spec.product === 'durst') return item.id === PRINTER_ID;
	if (spec.concurrency === undefined)
		return typeof item.autologin_token === 'string' && item.autologin_token !== '';
	return (
		item.linkType === 'private' &&
		typeof item.link === 'string' &&
		item.link.startsWith(`${LINK_BASE_URL}#`)
	);
}

/** Sets (or, with undefined, removes) the server's capacity for the case on both simulators. */
export function applyScenario(spec: CaseSpec | undefined, sims: Sims): void {
	const capacity = spec?.scenario?.capacity;
	sims.durst.setCapacity(capacity);
	sims.watcher.setCapacity(capacity);
}

export function pacingOutcome(spec: CaseSpec, n: number, run: unknown, sims: Sims): PacingOutcome {
	const items = outputItems(run, spec.outputNode);
	const error = runError(run);
	const good = error === undefined ? items.filter((item) => isExpectedItem(spec, item)).length : 0;
	const sim = spec.product === 'durst' ? sims.durst : sims.watcher;
	const { capacity } = sim.stats();
	const outcome: PacingOutcome = {
		good,
		lost: n - good,
		errorItems: items.filter((item) => isRecord(item) && 'error' in item).length,
		tries: sim.callCount(
			spec.product === 'durst' ? DURST_ENDPOINTS.printer : WATCHER_TOKEN_ENDPOINT,
		),
		refused: capacity.refused,
		peakWaiting: capacity.peakWaiting,
	};
	if (error !== undefined) outcome.runError = String(error.message).split('\n')[0].slice(0, 200);
	return outcome;
}
