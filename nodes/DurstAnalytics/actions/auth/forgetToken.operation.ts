import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DurstSession } from '../../transport/session';

export const option = {
	name: 'Forget Token',
	value: 'forgetToken',
	action: 'Forget the shared login',
	description:
		'Forget the login the nodes share for this credential; the next call logs in again. Rarely needed.',
};

export const properties: INodeProperties[] = [];

/** One cache entry per credential: forgetting it once per item in parallel would gain nothing. */
export const concurrency = 'oneByOne';

export async function execute(
	this: IExecuteFunctions,
	_itemIndex: number,
	session: DurstSession,
): Promise<IDataObject> {
	return { forgotten: session.cache.forget() };
}
