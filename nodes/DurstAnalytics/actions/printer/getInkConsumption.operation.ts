import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DurstSession } from '../../transport';
import { dateRangeFields, optionsField, printerField, printerPeriodCall, showFor } from '../common';

const show = showFor('printer', 'getInkConsumption');

export const description: INodeProperties[] = [
	printerField(show),
	...dateRangeFields(show),
	optionsField(show),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject[]> {
	const { printerId, range, items } = await printerPeriodCall(
		this,
		itemIndex,
		session,
		'inkConsumption',
	);
	return items.map((litres) => ({ printerId, ...range, litres }));
}
