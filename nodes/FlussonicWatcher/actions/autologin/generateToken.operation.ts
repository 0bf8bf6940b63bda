import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WatcherServer } from '../../transport';
import type { TokenResult } from './shared';
import { generateToken, loginField, readTokenRequest, tokenOptionsField } from './shared';

const showFor = { show: { resource: ['autologin'], operation: ['generateToken'] } };

export const description: INodeProperties[] = [
	{ ...loginField, displayOptions: showFor },
	{ ...tokenOptionsField, displayOptions: showFor },
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	server: WatcherServer,
): Promise<TokenResult> {
	return await generateToken(this, server, readTokenRequest(this, itemIndex), itemIndex);
}
