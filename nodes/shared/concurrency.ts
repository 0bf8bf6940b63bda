import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const MAX_CONCURRENCY_LIMIT = 50;

export const concurrencyOption: INodeProperties = {
	displayName: 'Max Concurrent Requests',
	name: 'maxConcurrency',
	type: 'number',
	default: 1,
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY_LIMIT },
	description:
		'How many items are sent to the server at the same time. 1 sends them one after another, as n8n nodes usually do; output order stays that of the input either way.',
};

/**
 * Read once per execution (from the first item): concurrency is a property of the run, not of an
 * item. It lives in the node's Options collection, as batching does in n8n's HTTP Request node.
 */
export function readConcurrency(ctx: IExecuteFunctions): number {
	const value = ctx.getNodeParameter('options.maxConcurrency', 0, 1);
	const number = typeof value === 'string' ? Number(value) : value;
	if (
		typeof number !== 'number' ||
		!Number.isInteger(number) ||
		number < 1 ||
		number > MAX_CONCURRENCY_LIMIT
	) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Max Concurrent Requests" must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT}`,
			{
				description: `It is ${JSON.stringify(value)}.`,
			},
		);
	}
	return number;
}
