import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { durstApiRequest } from '../../transport/request';
import { showFor } from '../../../shared/operation';
import type { DurstSession } from '../../transport/session';
import { toItems } from '../calls';
import { optionsField, returnAllFields } from '../fields';
import { readLimit } from '../read';

const show = showFor('printer', 'getAll');

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many printers',
	description: 'List the printers',
};

export const properties: INodeProperties[] = [...returnAllFields(show), optionsField(show)];

export const concurrency = 'option';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject[]> {
	const limit = readLimit(this, itemIndex);
	const response = await durstApiRequest(
		session,
		{ method: 'GET', path: '/api/v1/printers', expectJson: true },
		itemIndex,
	);
	return toItems(response.body).slice(0, limit);
}
