import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DurstSession } from '../../transport';
import { durstRequest } from '../../transport';
import { jobIdField, optionsField, printerField, readJobId, readPrinterId, segment, showFor, toItems } from '../common';

const show = showFor('job', 'getInkConsumption');

export const description: INodeProperties[] = [printerField(show), jobIdField(show), optionsField(show)];

export async function execute(this: IExecuteFunctions, itemIndex: number, session: DurstSession): Promise<IDataObject[]> {
	const printerId = readPrinterId(this, itemIndex);
	const jobId = readJobId(this, itemIndex);
	const response = await durstRequest(
		this,
		session,
		{ method: 'GET', path: `/api/v1/printers/${segment(printerId)}/jobs/${segment(jobId)}/inkConsumption` },
		itemIndex,
	);
	return toItems(response.body).map((litres) => ({ printerId, jobId, litres }));
}
