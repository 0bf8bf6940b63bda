import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/operation';
import type { DurstSession } from '../../transport/session';
import { printerPeriodCall } from '../calls';
import { dateRangeFields, optionsField, printerField } from '../fields';

const show = showFor('printer', 'getInkConsumption');

export const option = {
	name: 'Get Ink Consumption',
	value: 'getInkConsumption',
	action: 'Get ink consumption of a printer',
	description: 'Get the liters of ink per color a printer used in a period',
};

export const properties: INodeProperties[] = [
	printerField(show),
	...dateRangeFields(show),
	optionsField(show),
];

export const concurrency = 'option';

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
