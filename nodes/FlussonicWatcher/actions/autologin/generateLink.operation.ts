import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildAutologinPage, buildLink } from '../../loginPage';
import { showFor } from '../../../shared/operation';
import type { WatcherSession } from '../../transport/session';
import { loginField, tokenOptionsField } from './fields';
import { readTokenRequest } from './read';
import { generateToken } from './token';

const show = showFor('autologin', 'generateLink');

export const option = {
	name: 'Generate Link',
	value: 'generateLink',
	action: 'Generate an auto login link',
	description: 'Create a token and a link to a page that signs the user in',
};

export const properties: INodeProperties[] = [
	loginField(show),
	{
		displayName: 'Link Base URL',
		name: 'linkBaseUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://n8n.example.com/webhook/watcher-login',
		description:
			'Public URL of the page that posts the token to Watcher: usually the production URL of a Webhook whose workflow runs "Render Login Page". The token is added as the "token" query parameter.',
		displayOptions: show,
	},
	tokenOptionsField(show),
];

function readLinkBaseUrl(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('linkBaseUrl', itemIndex, '');
	const value = typeof raw === 'string' ? raw.trim() : '';
	let valid = value.length <= 2048;
	try {
		valid = valid && /^https?:$/.test(new URL(value).protocol);
	} catch {
		valid = false;
	}
	if (!valid) {
		throw new NodeOperationError(
			ctx.getNode(),
			value
				? `"Link Base URL" "${value.slice(0, 200)}" is not an http(s) URL of at most 2048 characters`
				: 'The "Link Base URL" is empty',
			{
				description:
					'Enter the public URL of your login-page webhook, e.g. https://n8n.example.com/webhook/watcher-login.',
				itemIndex,
			},
		);
	}
	return value;
}

export const concurrency = 'option';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: WatcherSession,
): Promise<IDataObject> {
	const request = readTokenRequest(this, itemIndex);
	const linkBaseUrl = readLinkBaseUrl(this, itemIndex);
	const result = await generateToken(session, request, itemIndex);
	return {
		...result,
		link: buildLink(linkBaseUrl, result.autologinToken),
		html: buildAutologinPage(result.autologinUrl, result.autologinToken),
	};
}
