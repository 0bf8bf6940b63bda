import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/operation';
import type { DurstSession } from '../../transport/session';
import { jobCall } from '../calls';
import { jobIdField, optionsField, printerField } from '../fields';

const show = showFor('job', 'getInkConsumption');

export const option = {
	name: 'Get Ink Consumption',
	value: 'getInkConsumption',
	action: 'Get ink consumption of a job',
	description: 'Get the liters of ink per color a print job used',
};

export const properties: INodeProperties[] = [
	printerField(show),
	jobIdField(show),
	optionsField(show),
];

export const concurrency = 'option';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject[]> {
	const { printerId, jobId, items } = await jobCall(this, itemIndex, session, '/inkConsumption');
	return items.map((litres) => ({ printerId, jobId, litres }));
}
