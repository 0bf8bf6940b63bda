import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../../shared/operation';
import type { WatcherSession } from '../../transport/session';
import { loginField, tokenOptionsField } from './fields';
import { readTokenRequest } from './read';
import type { TokenResult } from './token';
import { generateToken } from './token';

const show = showFor('autologin', 'generateToken');

export const option = {
	name: 'Generate Token',
	value: 'generateToken',
	action: 'Generate an Auto-Login token',
	description: 'Get the Watcher Auto-Login token itself, for your own integrations',
};

export const properties: INodeProperties[] = [loginField(show), tokenOptionsField(show)];

export const concurrency = 'option';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: WatcherSession,
): Promise<TokenResult> {
	return await generateToken(session, readTokenRequest(this, itemIndex), itemIndex);
}
