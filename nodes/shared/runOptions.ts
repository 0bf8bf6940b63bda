/**
 * Options that belong to a whole run, not to an item: how many requests are in flight and how long
 * one may take. Both nodes offer them in their Options collection and read them once per execution
 * (from the first item), as batching and timeouts are in n8n's HTTP Request node.
 */
import type { IExecuteFunctions, ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Endpoint } from './transport/call';
import { MAX_PACE_LIMIT, paceFor } from './transport/pace/registry';
import { wholeNumber } from './values';

const MAX_CONCURRENCY_LIMIT = MAX_PACE_LIMIT;
/**
 * A ceiling, not a pace: adaptive pacing starts at 8 in flight and doubles only while that brings
 * more answers per second. On the benchmark's healthy server Generate Link still got 8% faster from
 * 140 to 200 in flight, and 200 matched the HTTP Request node sending all at once (docs/benchmark.md,
 * run K).
 */
export const DEFAULT_CONCURRENCY = 200;
const DEFAULT_TIMEOUT_SECONDS = 60;
const MAX_TIMEOUT_SECONDS = 600;
/** Pickers in the editor: a person is waiting for the list. */
export const EDITOR_TIMEOUT_SECONDS = 20;

export const concurrencyOption: INodeProperties = {
	displayName: 'Max Concurrent Requests',
	name: 'maxConcurrency',
	type: 'number',
	default: DEFAULT_CONCURRENCY,
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY_LIMIT },
	description:
		'The most requests sent to the server at the same time. With Pacing "Adaptive" the node finds the pace below this by itself; with "Fixed" it keeps exactly this many in flight. 1 sends the items one after another. Output order, item pairing and errors per item are the same either way.',
};

export type Pacing = 'adaptive' | 'fixed';

export const pacingOption: INodeProperties = {
	displayName: 'Pacing',
	name: 'pacing',
	type: 'options',
	default: 'adaptive',
	options: [
		{
			name: 'Adaptive',
			value: 'adaptive',
			description:
				'Start with a few requests at a time and send more while that brings more answers per second; fewer as soon as the server says it is busy. Shared by every workflow using this credential on this server.',
		},
		{
			name: 'Fixed',
			value: 'fixed',
			description: 'Always keep Max Concurrent Requests in flight, whatever the server says',
		},
	],
	description:
		'How fast requests go out. Either way a request the server refuses as busy (429, 503) or drops is tried again, up to 5 times within the timeout.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: DEFAULT_TIMEOUT_SECONDS,
	typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
	description:
		'How long one request may take, answer included, before the item fails with a timeout error',
};

function readWholeNumber(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	fallback: number,
	max: number,
): number {
	const value = ctx.getNodeParameter(`options.${name}`, 0, fallback);
	const number = wholeNumber(value, max);
	if (number === undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"${label}" must be a whole number from 1 to ${max}`,
			{
				description: `It is ${JSON.stringify(value)?.slice(0, 100)}.`,
			},
		);
	}
	return number;
}

export function readConcurrency(ctx: IExecuteFunctions): number {
	return readWholeNumber(
		ctx,
		'maxConcurrency',
		'Max Concurrent Requests',
		DEFAULT_CONCURRENCY,
		MAX_CONCURRENCY_LIMIT,
	);
}

export function readPacing(ctx: IExecuteFunctions): Pacing {
	const value = ctx.getNodeParameter('options.pacing', 0, 'adaptive');
	if (value === 'adaptive' || value === 'fixed') return value;
	throw new NodeOperationError(ctx.getNode(), '"Pacing" must be Adaptive or Fixed', {
		description: `It is ${JSON.stringify(value)?.slice(0, 100)}.`,
	});
}

/**
 * How an execution's requests go out: through the shared pace of the server and credential when
 * Pacing is Adaptive (the ceiling is Max Concurrent Requests), as the item loop starts them when
 * Fixed. Transient failures are retried either way.
 */
export function pacingOf(
	ctx: IExecuteFunctions,
	vendor: string,
	server: string,
	credential: string,
): Pick<Endpoint, 'pacing' | 'retries'> {
	if (readPacing(ctx) === 'fixed') return { retries: true };
	const pace = paceFor(vendor, server, credential);
	return { pacing: { pace, ceiling: readConcurrency(ctx) }, retries: true };
}

/**
 * An execution, not a picker: only an execution has per-run options, a pace and a cancel signal.
 * n8n gives both the same helpers, so the cancel signal's getter is what tells them apart.
 */
export function isExecution(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
): ctx is IExecuteFunctions {
	return 'getExecutionCancelSignal' in ctx;
}

export function readTimeoutSeconds(ctx: IExecuteFunctions | ILoadOptionsFunctions): number {
	if (!isExecution(ctx)) return EDITOR_TIMEOUT_SECONDS;
	return readWholeNumber(
		ctx,
		'timeout',
		'Timeout (Seconds)',
		DEFAULT_TIMEOUT_SECONDS,
		MAX_TIMEOUT_SECONDS,
	);
}

/** The execution's cancel signal, so a cancelled execution stops its requests at once. */
export function cancelSignalOf(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
): AbortSignal | undefined {
	if (!isExecution(ctx)) return undefined;
	return ctx.getExecutionCancelSignal() as AbortSignal | undefined;
}
