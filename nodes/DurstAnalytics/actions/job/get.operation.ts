import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/operation';
import type { DurstSession } from '../../transport/session';
import { jobCall } from '../calls';
import { jobIdField, optionsField, printerField } from '../fields';

const show = showFor('job', 'get');

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a job',
	description: 'Get one print job',
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
	const { printerId, items } = await jobCall(this, itemIndex, session, '');
	return items.map((job) => ({ printerId, ...job }));
}
