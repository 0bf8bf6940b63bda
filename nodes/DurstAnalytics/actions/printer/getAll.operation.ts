import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DurstSession } from '../../transport';
import { durstRequest } from '../../transport';
import { limitItems, optionsField, returnAllFields, showFor, toItems } from '../common';

const show = showFor('printer', 'getAll');

export const description: INodeProperties[] = [...returnAllFields(show), optionsField(show)];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject[]> {
	const response = await durstRequest(
		this,
		session,
		{ method: 'GET', path: '/api/v1/printers' },
		itemIndex,
	);
	return limitItems(this, itemIndex, toItems(response.body));
}
