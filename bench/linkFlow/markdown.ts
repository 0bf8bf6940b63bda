/**
 * The link flow's section of the report: a table of both variants, the target line (and, when it
 * misses, where the time went), and the method.
 */
import * as os from 'node:os';

import { LINK_FLOW_LIMIT } from '../report/targets';
import { BLOCK } from './measure';
import type { LinkFlowOptions, LinkFlowResult, LinkFlowVariantResult } from './types';

const REQUESTS_PER_FLOW: Record<LinkFlowVariantResult['id'], number> = { ours: 3, http: 2 };

function ms(value: number): string {
	return Number.isNaN(value) ? '-' : String(value);
}

function targetLine(
	ours: LinkFlowVariantResult,
	http: LinkFlowVariantResult,
	poolSizeSet: boolean,
): string {
	if (ours.errors > 0 || http.errors > 0 || Number.isNaN(ours.p95Ms) || Number.isNaN(http.p95Ms))
		return `Target (p95 ours / HTTP Request version ≤ ${LINK_FLOW_LIMIT}x): not judged, flows failed (ours ${ours.errors}, HTTP Request version ${http.errors}).`;
	const ratio = ours.p95Ms / http.p95Ms;
	const verdict = ratio <= LINK_FLOW_LIMIT ? 'PASS' : 'MISS';
	let line = `Target: p95 ours / HTTP Request version = ${ours.p95Ms} / ${http.p95Ms} ms = **${ratio.toFixed(2)}x**, ≤ ${LINK_FLOW_LIMIT}x: **${verdict}**.`;
	if (verdict === 'MISS') {
		const link = ours.steps.link.p95Ms / http.steps.link.p95Ms;
		line +=
			` Missed by ${Math.round((ratio / LINK_FLOW_LIMIT - 1) * 100)}%: our flow makes 3 requests to n8n against 2;` +
			` the ticket POST (the extra request that keeps the Watcher token out of the URL) costs p50 ${ours.steps.ticket.p50Ms} ms on its own,` +
			` our page GET p50 ${ours.steps.page.p50Ms} ms against the HTTP Request version's page p50 ${http.steps.page.p50Ms} ms,` +
			` and our link step's p95 is ${link.toFixed(2)}x theirs (${ours.steps.link.p95Ms} vs ${http.steps.link.p95Ms} ms).` +
			(poolSizeSet
				? ''
				: ' n8n 2.x gives every webhook request of a node other than its own Webhook node a fresh expression isolate and' +
					' keeps N8N_EXPRESSION_ENGINE_POOL_SIZE (default 1) of them ready; the ticket POST, sent by the page the moment it is' +
					' served, waits while n8n builds the one the page GET used up.');
	}
	return line;
}

function gapText(gapMs: number): string {
	return gapMs > 0
		? ` with a pause of ${gapMs} ms after each link step and after each flow (not counted)`
		: " without pauses (the work n8n does after answering, such as saving executions and our ticket POST's audit execution, falls into the next request)";
}

function envText(options: LinkFlowOptions): string {
	const entries = Object.entries(options.n8nEnv ?? {});
	return entries.length === 0
		? ', default settings'
		: `, ${entries.map(([name, value]) => `${name}=${value}`).join(' ')}`;
}

export function linkFlowMarkdown(
	result: Omit<LinkFlowResult, 'markdown'>,
	options: LinkFlowOptions,
	durationS: number,
	loadBefore: string,
): string {
	const rows = result.variants.map((variant) => {
		const steps = Object.entries(variant.steps)
			.map(([name, figures]) => `${name} ${ms(figures.p50Ms)} / ${ms(figures.p95Ms)}`)
			.join(', ');
		// An error quotes the answer, which may hold a `|` that would end the table cell.
		const first = (variant.firstError ?? '').replace(/\|/g, '\\|');
		const errors = variant.errors === 0 ? '0' : `${variant.errors} (first: ${first})`;
		return `| ${variant.label} | ${REQUESTS_PER_FLOW[variant.id]} | ${ms(variant.p50Ms)} | ${ms(variant.p95Ms)} | ${ms(variant.maxMs)} | ${ms(variant.meanMs)} | ${steps} | ${variant.watcherTokenCalls} | ${errors} |`;
	});
	const [ours, http] = [
		result.variants.find((variant) => variant.id === 'ours'),
		result.variants.find((variant) => variant.id === 'http'),
	];
	const expectedCalls = options.warmup + options.flows;
	const callNote = result.variants.every((variant) => variant.watcherTokenCalls === expectedCalls)
		? ''
		: ` **Watcher token calls differ from ${expectedCalls} (warm-up + flows).**`;
	const load = os
		.loadavg()
		.map((value) => value.toFixed(2))
		.join(' / ');
	return [
		`### Chat-bot link flow end to end (n8n ${result.n8nVersion}, Watcher latency ${result.latencyMs} ms)`,
		'',
		'| Flow | n8n requests per flow | p50 ms | p95 ms | max ms | mean ms | per step p50 / p95 ms | Watcher token calls | Errors |',
		'| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
		...rows,
		'',
		ours !== undefined && http !== undefined
			? targetLine(ours, http, 'N8N_EXPRESSION_ENGINE_POOL_SIZE' in (options.n8nEnv ?? {})) +
				callNote
			: '',
		'',
		`Method: one \`n8n start\` (n8n ${result.n8nVersion}, SQLite, executions saved${envText(options)}) with both flows active; ` +
			`${options.warmup} warm-up flows per flow (not counted), then ${options.flows} measured flows each, ` +
			`${result.concurrency === 1 ? 'one flow after another' : `${result.concurrency} flows at a time`}${gapText(options.gapMs ?? 0)}, ` +
			`in alternating blocks of ${BLOCK} (ours, HTTP, HTTP, ours, ...) so that machine noise hits both alike; ` +
			`Watcher simulator latency ${result.latencyMs} ms per request. Every request is a new connection to 127.0.0.1 (no keep-alive). ` +
			'Ours: POST /webhook/watcher-link (Watcher node, private link) -> GET the link without its fragment (the Login Page) -> ' +
			"the ticket POST the page's script makes (the autologin page): 3 n8n requests per flow, because the extra ticket POST keeps " +
			'the Watcher token out of the URL. HTTP Request version: POST /webhook/watcher-link-http (HTTP Request to Watcher) -> ' +
			'GET the token-in-query link (Respond to Webhook page): 2. Every answer is checked (status, link shape, the reader page, ' +
			'a form to Watcher holding a token Watcher accepts); the form is not posted to Watcher. ' +
			"A flow's latency is the sum of its steps' request times (process.hrtime); percentiles are nearest-rank over the successful measured flows. " +
			`Load average before ${loadBefore}, after ${load}; ${Math.round(durationS)} s in all. ` +
			'On a shared 2-core machine the figures are indicative.',
		'',
	].join('\n');
}
