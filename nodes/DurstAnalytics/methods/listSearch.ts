import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { durstRequest, openSession } from '../transport';

export async function searchPrinters(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const session = await openSession(this);
	const response = await durstRequest(this, session, { method: 'GET', path: '/api/v1/printers' });
	const printers = Array.isArray(response.body) ? (response.body as IDataObject[]) : [];
	const needle = filter?.trim().toLowerCase() ?? '';
	const results = printers
		.filter((printer) => printer.id !== undefined && printer.id !== null)
		.map((printer) => {
			const id = String(printer.id);
			const label = [
				printer.name,
				printer.serialNumber ? `SN ${String(printer.serialNumber)}` : undefined,
				printer.status,
			]
				.filter((part) => part !== undefined && part !== null && part !== '')
				.join(' · ');
			return { name: label ? `${label} (${id})` : id, value: id };
		})
		.filter((result) => !needle || result.name.toLowerCase().includes(needle));
	return { results };
}
