import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DurstSession } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	_itemIndex: number,
	session: DurstSession,
): Promise<IDataObject> {
	return { forgotten: session.cache.forget() };
}
