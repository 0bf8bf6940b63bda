/**
 * Reads and checks an item's Durst parameters before anything is sent: every value may come from
 * an expression over untrusted data, so each is bounded and named in its error.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toDate } from '../../shared/dates';
import { idProblem, idText } from '../../shared/ids';
import { wholeNumber } from '../../shared/values';

/** The item's ID, trimmed; an unusable one fails the item, naming the field and its problem. */
function readId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	hint: string,
) {
	const id = idText(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true })).trim();
	const problem = idProblem(id);
	if (problem) {
		throw new NodeOperationError(ctx.getNode(), `The "${label}" ${problem}`, {
			description: hint,
			itemIndex,
		});
	}
	return id;
}

export function readPrinterId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readId(
		ctx,
		itemIndex,
		'printerId',
		'Printer',
		'Pick a printer from the list, or enter its ID.',
	);
}

export function readJobId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readId(
		ctx,
		itemIndex,
		'jobId',
		'Job ID',
		'Enter the ID of a print job, e.g. from Job: Get Many.',
	);
}

export function readDateRange(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { startDate: string; endDate: string } {
	const read = (name: 'startDate' | 'endDate', label: string): Date => {
		let date: Date | undefined;
		try {
			date = toDate(ctx.getNodeParameter(name, itemIndex, ''), ctx.getTimezone());
		} catch (error) {
			throw new NodeOperationError(
				ctx.getNode(),
				`"${label}" is not a date: ${(error as Error).message}`,
				{
					description: 'Pick a date and time, or use an expression that gives an ISO 8601 date.',
					itemIndex,
				},
			);
		}
		if (!date) {
			throw new NodeOperationError(ctx.getNode(), `"${label}" is empty`, {
				description: 'Pick a date and time.',
				itemIndex,
			});
		}
		return date;
	};
	const start = read('startDate', 'Start Date');
	const end = read('endDate', 'End Date');
	if (start.getTime() >= end.getTime()) {
		throw new NodeOperationError(ctx.getNode(), '"Start Date" must be before "End Date"', {
			description: `Start Date is ${start.toISOString()}, End Date is ${end.toISOString()}.`,
			itemIndex,
		});
	}
	return { startDate: start.toISOString(), endDate: end.toISOString() };
}

/** "Return All" or "Limit"; a limit from an expression must still be a whole number of at least 1. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return Number.POSITIVE_INFINITY;
	const value: unknown = ctx.getNodeParameter('limit', itemIndex, 50);
	const limit = wholeNumber(value);
	if (limit === undefined) {
		throw new NodeOperationError(ctx.getNode(), '"Limit" must be a whole number of at least 1', {
			description: `It is ${JSON.stringify(value)?.slice(0, 100)}. Or turn on "Return All".`,
			itemIndex,
		});
	}
	return limit;
}
