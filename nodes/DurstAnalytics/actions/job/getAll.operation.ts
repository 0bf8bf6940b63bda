import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/operation';
import type { DurstSession } from '../../transport/session';
import { printerPeriodCall } from '../calls';
import { dateRangeFields, optionsField, printerField, returnAllFields } from '../fields';
import { readLimit } from '../read';

const show = showFor('job', 'getAll');

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many jobs',
	description: 'List the print jobs of a printer in a period',
};

export const properties: INodeProperties[] = [
	printerField(show),
	...dateRangeFields(show),
	...returnAllFields(show),
	optionsField(show),
];

export const concurrency = 'option';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject[]> {
	const limit = readLimit(this, itemIndex);
	const { printerId, items } = await printerPeriodCall(this, itemIndex, session, 'jobs');
	return items.slice(0, limit).map((job) => ({ printerId, ...job }));
}
