import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/operation';
import type { DurstSession } from '../../transport/session';
import { optionsField } from '../fields';

const show = showFor('auth', 'login');

export const option = {
	name: 'Log In',
	value: 'login',
	action: 'Log in',
	description: "Get the shared login's token, logging in only when there is none yet",
};

export const properties: INodeProperties[] = [
	optionsField(show, [
		{
			displayName: 'Force New Login',
			name: 'forceNewLogin',
			type: 'boolean',
			default: false,
			description:
				'Whether to log in even if a cached token is still valid (the new token replaces it)',
		},
	]),
];

export const concurrency = 'option';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject> {
	const forceNewLogin = this.getNodeParameter('options.forceNewLogin', itemIndex, false) === true;
	const token = await session.cache.get({ forceNewLogin });
	return {
		userName: token.userName,
		xAuthToken: token.token,
		expiresAt: new Date(token.expiresAt).toISOString(),
		fromCache: token.fromCache,
	};
}
