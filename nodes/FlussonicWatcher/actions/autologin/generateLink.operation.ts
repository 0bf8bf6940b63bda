import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildAutologinPage, buildLink } from '../../loginPage';
import type { WatcherServer } from '../../transport';
import { generateToken, loginField, readTokenRequest, tokenOptionsField } from './shared';

const showFor = { show: { resource: ['autologin'], operation: ['generateLink'] } };

export const description: INodeProperties[] = [
	{ ...loginField, displayOptions: showFor },
	{
		displayName: 'Link Base URL',
		name: 'linkBaseUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://n8n.example.com/webhook/watcher-login',
		description:
			'Public URL of the page that posts the token to Watcher: usually the production URL of a Webhook whose workflow runs "Render Login Page". The token is added as the "token" query parameter.',
		displayOptions: showFor,
	},
	{ ...tokenOptionsField, displayOptions: showFor },
];

function readLinkBaseUrl(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('linkBaseUrl', itemIndex, '');
	const value = typeof raw === 'string' ? raw.trim() : '';
	let valid = false;
	try {
		valid = /^https?:$/.test(new URL(value).protocol);
	} catch {
		valid = false;
	}
	if (!valid) {
		throw new NodeOperationError(
			ctx.getNode(),
			value ? `"Link Base URL" "${value}" is not an http(s) URL` : 'The "Link Base URL" is empty',
			{
				description:
					'Enter the public URL of your login-page webhook, e.g. https://n8n.example.com/webhook/watcher-login.',
				itemIndex,
			},
		);
	}
	return value;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	server: WatcherServer,
): Promise<IDataObject> {
	const request = readTokenRequest(this, itemIndex);
	const linkBaseUrl = readLinkBaseUrl(this, itemIndex);
	const result = await generateToken(this, server, request, itemIndex);
	return {
		...result,
		link: buildLink(linkBaseUrl, result.autologinToken),
		html: buildAutologinPage(result.autologinUrl, result.autologinToken),
	};
}
