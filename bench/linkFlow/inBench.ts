/**
 * The chat-bot link flow as part of `npm run bench`: once with n8n's defaults (what the headline
 * judges), once with the expression-isolate setting suggested for busy login pages, summed up for
 * the report.
 */
import { runLinkFlowBench } from '../linkFlow';
import type { Options } from '../options';
import type { LinkFlowPart } from '../report/types';
import type { LinkFlowResult } from './types';

/** Watcher's latency in the link flow: 20 ms per request, the cases' non-zero latency. */
const LINK_FLOW_LATENCY_MS = 20;
/**
 * A person opens the link a moment after the bot got it, and flows of different people do not
 * follow each other within milliseconds: without a pause, the work n8n does after answering
 * (saving the execution) would be timed as part of the next request.
 */
const LINK_FLOW_GAP_MS = 300;
/**
 * n8n 2.x gives every webhook request of a node other than its own Webhook node a fresh expression
 * isolate and keeps N8N_EXPRESSION_ENGINE_POOL_SIZE (default 1) of them ready: the ticket POST,
 * sent by the page as soon as it is served, waits for a new one. Two ready isolates serve the page
 * and its POST.
 */
const LINK_FLOW_RECOMMENDED_ENV = { N8N_EXPRESSION_ENGINE_POOL_SIZE: '2' };

function figures(first: LinkFlowResult, flows: number): LinkFlowPart['figures'] {
	const variant = (id: 'ours' | 'http') => {
		const found = first.variants.find((candidate) => candidate.id === id);
		if (found === undefined) throw new Error(`the link flow has no "${id}" result`);
		return { p50Ms: found.p50Ms, p95Ms: found.p95Ms, errors: found.errors };
	};
	return { latencyMs: first.latencyMs, flows, ours: variant('ours'), http: variant('http') };
}

/** Both link-flow runs; undefined when `interrupted()` turned true before one of them. */
export async function runLinkFlowPart(
	measured: string,
	options: Options,
	interrupted: () => boolean,
): Promise<LinkFlowPart | undefined> {
	// n8n's defaults first (the target), then with the setting recommended for login pages.
	const settings: Array<{ flows: number; n8nEnv?: Record<string, string> }> = [
		{ flows: options.flows },
		{ flows: Math.min(100, options.flows), n8nEnv: LINK_FLOW_RECOMMENDED_ENV },
	];
	const runs: LinkFlowResult[] = [];
	for (const setting of settings) {
		if (interrupted()) return undefined;
		runs.push(
			await runLinkFlowBench(measured, {
				...setting,
				warmup: Math.min(20, setting.flows),
				latencyMs: LINK_FLOW_LATENCY_MS,
				concurrency: 1,
				gapMs: LINK_FLOW_GAP_MS,
				verbose: options.verbose,
			}),
		);
	}
	return {
		figures: figures(runs[0], options.flows),
		markdown: runs.map((run) => run.markdown.trim()).join('\n\n'),
		errors: runs.reduce(
			(sum, run) => sum + run.variants.reduce((count, one) => count + one.errors, 0),
			0,
		),
	};
}
