import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DurstSession } from '../../transport';
import {
	dateRangeFields,
	limitItems,
	optionsField,
	printerField,
	printerPeriodCall,
	returnAllFields,
	showFor,
} from '../common';

const show = showFor('printer', 'getErrors');

export const description: INodeProperties[] = [
	printerField(show),
	...dateRangeFields(show),
	...returnAllFields(show),
	optionsField(show),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject[]> {
	const { printerId, items } = await printerPeriodCall(this, itemIndex, session, 'errors');
	return limitItems(this, itemIndex, items).map((error) => ({ printerId, ...error }));
}
