import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DurstSession } from '../../transport';
import { durstRequest } from '../../transport';
import { dateRangeFields, optionsField, printerField, readDateRange, readPrinterId, segment, showFor, toItems } from '../common';

const show = showFor('printer', 'getInkConsumption');

export const description: INodeProperties[] = [printerField(show), ...dateRangeFields(show), optionsField(show)];

export async function execute(this: IExecuteFunctions, itemIndex: number, session: DurstSession): Promise<IDataObject[]> {
	const printerId = readPrinterId(this, itemIndex);
	const range = readDateRange(this, itemIndex);
	const response = await durstRequest(
		this,
		session,
		{ method: 'POST', path: `/api/v1/printers/${segment(printerId)}/inkConsumption`, body: range },
		itemIndex,
	);
	return toItems(response.body).map((litres) => ({ printerId, ...range, litres }));
}
