import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DurstSession } from '../transport';
import { durstRequest } from '../transport';

import { concurrencyOption } from '../../shared/concurrency';
import { toDate } from '../../shared/dates';

export type Show = { show: { resource: string[]; operation: string[] } };

export function showFor(resource: string, operation: string): Show {
	return { show: { resource: [resource], operation: [operation] } };
}

export function printerField(displayOptions: Show): INodeProperties {
	return {
		displayName: 'Printer',
		name: 'printerId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The printer, picked from the list of Durst Analytics or given by its ID',
		displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a printer...',
				typeOptions: { searchListMethod: 'searchPrinters', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. P-1001',
			},
		],
	};
}

export function jobIdField(displayOptions: Show): INodeProperties {
	return {
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. J-1001-1',
		description: 'ID of the print job, as returned by Job: Get Many',
		displayOptions,
	};
}

export function dateRangeFields(displayOptions: Show): INodeProperties[] {
	return [
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			default: '={{ $now.minus({ days: 1 }).toISO() }}',
			required: true,
			description: 'Start of the period (sent as ISO 8601)',
			displayOptions,
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			default: '={{ $now.toISO() }}',
			required: true,
			description: 'End of the period (sent as ISO 8601)',
			displayOptions,
		},
	];
}

export function returnAllFields(displayOptions: Show): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...displayOptions.show, returnAll: [false] } },
		},
	];
}

/** Every operation that calls the API gets the concurrency option; some add their own options. */
export function optionsField(displayOptions: Show, extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [...extra, concurrencyOption].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

export function readPrinterId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('printerId', itemIndex, '', { extractValue: true });
	const id = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (!id) {
		throw new NodeOperationError(ctx.getNode(), 'The "Printer" is empty', {
			description: 'Pick a printer from the list, or enter its ID.',
			itemIndex,
		});
	}
	return id;
}

export function readJobId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('jobId', itemIndex, '');
	const id = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (!id) {
		throw new NodeOperationError(ctx.getNode(), 'The "Job ID" is empty', {
			description: 'Enter the ID of a print job, e.g. from Job: Get Many.',
			itemIndex,
		});
	}
	return id;
}

/** Path segments are user input: encoded so an ID cannot change the path. */
export function segment(value: string): string {
	return encodeURIComponent(value);
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

/** Lists come out as one item per element; anything else as one item. */
export function toItems(body: unknown): IDataObject[] {
	const wrap = (value: unknown): IDataObject =>
		value && typeof value === 'object' && !Array.isArray(value)
			? (value as IDataObject)
			: { value: value as IDataObject[keyof IDataObject] };
	if (Array.isArray(body)) return body.map(wrap);
	if (body === undefined || body === null || body === '') return [];
	return [wrap(body)];
}

export function limitItems(
	ctx: IExecuteFunctions,
	itemIndex: number,
	items: IDataObject[],
): IDataObject[] {
	if (ctx.getNodeParameter('returnAll', itemIndex, false)) return items;
	const limit = ctx.getNodeParameter('limit', itemIndex, 50) as number;
	return items.slice(0, limit);
}

/** POST /api/v1/printers/{id}/<suffix> with the item's period: the shape of errors, inkConsumption and jobs. */
export async function printerPeriodCall(
	ctx: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
	suffix: 'errors' | 'inkConsumption' | 'jobs',
): Promise<{
	printerId: string;
	range: { startDate: string; endDate: string };
	items: IDataObject[];
}> {
	const printerId = readPrinterId(ctx, itemIndex);
	const range = readDateRange(ctx, itemIndex);
	const response = await durstRequest(
		ctx,
		session,
		{ method: 'POST', path: `/api/v1/printers/${segment(printerId)}/${suffix}`, body: range },
		itemIndex,
	);
	return { printerId, range, items: toItems(response.body) };
}

/** GET /api/v1/printers/{printerId}/jobs/{jobId}[/<suffix>]. */
export async function jobCall(
	ctx: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
	suffix: '' | '/inkConsumption',
): Promise<{ printerId: string; jobId: string; items: IDataObject[] }> {
	const printerId = readPrinterId(ctx, itemIndex);
	const jobId = readJobId(ctx, itemIndex);
	const response = await durstRequest(
		ctx,
		session,
		{
			method: 'GET',
			path: `/api/v1/printers/${segment(printerId)}/jobs/${segment(jobId)}${suffix}`,
		},
		itemIndex,
	);
	return { printerId, jobId, items: toItems(response.body) };
}
