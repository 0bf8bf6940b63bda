/** The two call shapes several Durst operations share, and how answers become items. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { durstApiRequest } from '../transport/request';
import type { DurstSession } from '../transport/session';
import { segment } from '../../shared/ids';
import { isRecord } from '../../shared/values';
import { readDateRange, readJobId, readPrinterId } from './read';

/** Lists come out as one item per element; anything else as one item. */
export function toItems(body: unknown): IDataObject[] {
	const wrap = (value: unknown): IDataObject =>
		isRecord(value) ? (value as IDataObject) : { value: value as IDataObject[keyof IDataObject] };
	if (Array.isArray(body)) return body.map(wrap);
	if (body === undefined || body === null || body === '') return [];
	return [wrap(body)];
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
	const response = await durstApiRequest(
		session,
		{
			method: 'POST',
			path: `/api/v1/printers/${segment(printerId)}/${suffix}`,
			body: range,
			expectJson: true,
			readOnly: true,
		},
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
	const response = await durstApiRequest(
		session,
		{
			method: 'GET',
			path: `/api/v1/printers/${segment(printerId)}/jobs/${segment(jobId)}${suffix}`,
			expectJson: true,
		},
		itemIndex,
	);
	return { printerId, jobId, items: toItems(response.body) };
}
