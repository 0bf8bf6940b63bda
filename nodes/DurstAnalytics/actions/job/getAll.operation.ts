import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DurstSession } from '../../transport';
import { durstRequest } from '../../transport';
import {
	dateRangeFields,
	limitItems,
	optionsField,
	printerField,
	readDateRange,
	readPrinterId,
	returnAllFields,
	segment,
	showFor,
	toItems,
} from '../common';

const show = showFor('job', 'getAll');

export const description: INodeProperties[] = [
	printerField(show),
	...dateRangeFields(show),
	...returnAllFields(show),
	optionsField(show),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, session: DurstSession): Promise<IDataObject[]> {
	const printerId = readPrinterId(this, itemIndex);
	const range = readDateRange(this, itemIndex);
	const response = await durstRequest(
		this,
		session,
		{ method: 'POST', path: `/api/v1/printers/${segment(printerId)}/jobs`, body: range },
		itemIndex,
	);
	return limitItems(this, itemIndex, toItems(response.body)).map((job) => ({ printerId, ...job }));
}
