import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../shared/ids';
import { showFor } from '../../../shared/operation';
import { durstApiRequest } from '../../transport/request';
import type { DurstSession } from '../../transport/session';
import { toItems } from '../calls';
import { optionsField, printerField } from '../fields';
import { readPrinterId } from '../read';

const show = showFor('printer', 'get');

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a printer',
	description: 'Get one printer with its ink level',
};

export const properties: INodeProperties[] = [printerField(show), optionsField(show)];

export const concurrency = 'option';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject[]> {
	const printerId = readPrinterId(this, itemIndex);
	const response = await durstApiRequest(
		session,
		{ method: 'GET', path: `/api/v1/printers/${segment(printerId)}`, expectJson: true },
		itemIndex,
	);
	return toItems(response.body);
}
