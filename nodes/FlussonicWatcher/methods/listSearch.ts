import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { watcherApiRequest } from '../transport/request';
import { openWatcherSession } from '../transport/session';

const PAGE_SIZE = 100;

function usersOf(response: unknown): IDataObject[] {
	if (Array.isArray(response)) return response as IDataObject[];
	if (response && typeof response === 'object') {
		// The v2 list format is not documented; accept a wrapped list as well as a bare one.
		for (const key of ['users', 'items', 'data', 'results']) {
			const list = (response as IDataObject)[key];
			if (Array.isArray(list)) return list as IDataObject[];
		}
	}
	return [];
}

export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const session = await openWatcherSession(this);
	const offset = Number(paginationToken ?? 0) || 0;
	const qs: IDataObject = { limit: PAGE_SIZE, offset };
	if (filter) qs.search = filter;
	const users = usersOf(
		await watcherApiRequest(session, { method: 'GET', path: '/vsaas/api/v2/users', qs }),
	);
	const results = users
		.filter((user) => typeof user.login === 'string' && user.login !== '')
		.map((user) => {
			const login = user.login as string;
			const name =
				typeof user.name === 'string' && user.name.trim() && user.name !== login
					? `${user.name} (${login})`
					: login;
			return { name, value: login };
		});
	return {
		results,
		paginationToken: users.length === PAGE_SIZE ? String(offset + PAGE_SIZE) : undefined,
	};
}
