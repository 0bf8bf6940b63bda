import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DurstSession } from '../../transport';
import { durstRequest } from '../../transport';
import { optionsField, printerField, readPrinterId, segment, showFor, toItems } from '../common';

const show = showFor('printer', 'get');

export const description: INodeProperties[] = [printerField(show), optionsField(show)];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject[]> {
	const printerId = readPrinterId(this, itemIndex);
	const response = await durstRequest(
		this,
		session,
		{ method: 'GET', path: `/api/v1/printers/${segment(printerId)}` },
		itemIndex,
	);
	return toItems(response.body);
}
