import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/operation';
import type { DurstSession } from '../../transport/session';
import { printerPeriodCall } from '../calls';
import { dateRangeFields, optionsField, printerField, returnAllFields } from '../fields';
import { readLimit } from '../read';

const show = showFor('printer', 'getErrors');

export const option = {
	name: 'Get Errors',
	value: 'getErrors',
	action: 'Get errors of a printer',
	description: 'Get the errors of a printer in a period',
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
	const { printerId, items } = await printerPeriodCall(this, itemIndex, session, 'errors');
	return items.slice(0, limit).map((error) => ({ printerId, ...error }));
}
