/**
 * Runs the flows of both variants in alternating blocks and turns their tallies into percentiles.
 */
import { WATCHER_ENDPOINTS } from '../../tools/simulators/watcher';
import type { WatcherSimulator } from '../../tools/simulators/watcher';
import { delay } from '../../tools/n8n/n8nHost';
import { percentile } from '../../tools/n8n/load';
import type { LinkFlowVariantResult, Variant } from './types';

/** Flows of one variant before the other gets its turn, so that machine noise hits both alike. */
export const BLOCK = 20;

interface Schedule {
	concurrency: number;
	gapMs: number;
	watcher: WatcherSimulator;
	/** After SIGINT/SIGTERM: start no more flows (n8n and the simulator are going away). */
	interrupted: () => boolean;
}

/** `count` flows of one variant, `concurrency` at a time; Watcher's token calls counted for it alone. */
async function runBlock(
	variant: Variant,
	count: number,
	measured: boolean,
	{ concurrency, gapMs, watcher, interrupted }: Schedule,
): Promise<void> {
	const { tally } = variant;
	watcher.resetCounters();
	let started = 0;
	const worker = async (): Promise<void> => {
		while (started < count && !interrupted()) {
			started += 1;
			const outcome = await variant.run();
			if (outcome.error !== undefined) {
				tally.errors += 1;
				tally.firstError ??= outcome.error;
			}
			if (measured) tally.measured.push(outcome);
			if (gapMs > 0) await delay(gapMs);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	// Each flow's token request is answered before n8n answers the link step, so none is pending here.
	tally.tokenCalls += watcher.callCount(WATCHER_ENDPOINTS.generateToken);
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export function summarize(variant: Variant, flows: number): LinkFlowVariantResult {
	const { tally } = variant;
	const ok = tally.measured.filter((outcome) => outcome.error === undefined);
	// A flow's latency is the sum of its steps: the client's own checks between steps are left out.
	const totals = ok.map((outcome) => [...outcome.steps.values()].reduce((a, b) => a + b, 0));
	const steps: LinkFlowVariantResult['steps'] = {};
	for (const name of variant.stepNames) {
		const values = ok.map((outcome) => outcome.steps.get(name) ?? Number.NaN);
		steps[name] = { p50Ms: round(percentile(values, 50)), p95Ms: round(percentile(values, 95)) };
	}
	const result: LinkFlowVariantResult = {
		id: variant.id,
		label: variant.label,
		flows,
		p50Ms: round(percentile(totals, 50)),
		p95Ms: round(percentile(totals, 95)),
		maxMs: round(totals.length === 0 ? Number.NaN : Math.max(...totals)),
		meanMs: round(
			totals.length === 0 ? Number.NaN : totals.reduce((a, b) => a + b, 0) / totals.length,
		),
		steps,
		watcherTokenCalls: tally.tokenCalls,
		errors: tally.errors,
	};
	if (tally.firstError !== undefined) result.firstError = tally.firstError;
	return result;
}

/**
 * Warm-up flows of each variant (not counted), then `options.flows` measured flows each in blocks
 * of BLOCK, in ABBA order: neither variant always runs right after the other's blocks.
 */
export async function measureVariants(
	variants: Variant[],
	options: { flows: number; warmup: number; verbose: boolean },
	schedule: Schedule,
	log: (line: string) => void,
): Promise<void> {
	for (const variant of variants) {
		await runBlock(variant, options.warmup, false, schedule);
		log(`${variant.id}: ${options.warmup} warm-up flows, ${variant.tally.errors} failed`);
	}
	const blocks = Math.ceil(options.flows / BLOCK);
	for (let block = 0; block < blocks; block++) {
		const size = Math.min(BLOCK, options.flows - block * BLOCK);
		const order = block % 2 === 0 ? variants : [...variants].reverse();
		for (const variant of order) {
			await runBlock(variant, size, true, schedule);
		}
		if (options.verbose) log(`block ${block + 1}/${blocks} done`);
	}
}
