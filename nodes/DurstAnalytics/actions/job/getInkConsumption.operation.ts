import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DurstSession } from '../../transport';
import { jobCall, jobIdField, optionsField, printerField, showFor } from '../common';

const show = showFor('job', 'getInkConsumption');

export const description: INodeProperties[] = [
	printerField(show),
	jobIdField(show),
	optionsField(show),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject[]> {
	const { printerId, jobId, items } = await jobCall(this, itemIndex, session, '/inkConsumption');
	return items.map((litres) => ({ printerId, jobId, litres }));
}
