import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { durstApiRequest } from '../transport/request';
import { openDurstSession } from '../transport/session';

export async function searchPrinters(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const session = await openDurstSession(this);
	const response = await durstApiRequest(session, {
		method: 'GET',
		path: '/api/v1/printers',
		expectJson: true,
	});
	const printers = Array.isArray(response.body) ? (response.body as IDataObject[]) : [];
	const needle = filter?.trim().toLowerCase() ?? '';
	const text = (value: unknown) =>
		typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 200) : '';
	const results = printers
		.filter((printer) => printer && typeof printer === 'object' && text(printer.id) !== '')
		.map((printer) => {
			const id = text(printer.id);
			const serial = text(printer.serialNumber);
			const label = [text(printer.name), serial ? `SN ${serial}` : '', text(printer.status)]
				.filter((part) => part !== '')
				.join(' · ');
			return { name: label ? `${label} (${id})` : id, value: id };
		})
		.filter((result) => !needle || result.name.toLowerCase().includes(needle));
	return { results };
}
