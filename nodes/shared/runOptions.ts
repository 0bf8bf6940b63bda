/**
 * Options that belong to a whole run, not to an item: how many requests are in flight and how long
 * one may take. Both nodes offer them in their Options collection and read them once per execution
 * (from the first item), as batching and timeouts are in n8n's HTTP Request node.
 */
import type { IExecuteFunctions, ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { wholeNumber } from './values';

const MAX_CONCURRENCY_LIMIT = 50;
/**
 * Ten in flight: close to the time of n8n's HTTP Request node (which starts every item at once)
 * while an on-premises server sees at most ten requests of one node at a time.
 */
const DEFAULT_CONCURRENCY = 10;
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
		'How many items are sent to the server at the same time. 1 sends them one after another. Output order, item pairing and errors per item are the same either way.',
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

export function readTimeoutSeconds(ctx: IExecuteFunctions | ILoadOptionsFunctions): number {
	if (!('getExecutionCancelSignal' in ctx)) return EDITOR_TIMEOUT_SECONDS;
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
	if (!('getExecutionCancelSignal' in ctx)) return undefined;
	return ctx.getExecutionCancelSignal() as AbortSignal | undefined;
}
