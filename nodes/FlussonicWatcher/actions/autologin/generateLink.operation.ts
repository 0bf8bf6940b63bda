import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildAutologinPage, buildLink } from '../../loginPage';
import { newTicketId, sealTicket } from '../../privateLinks/tickets';
import { showFor } from '../../../shared/operation';
import type { WatcherSession } from '../../transport/session';
import { loginField, tokenOptionsField } from './fields';
import { readTokenRequest } from './read';
import { generateToken } from './token';

const show = showFor('autologin', 'generateLink');
const DEFAULT_LINK_VALIDITY_MINUTES = 15;
/** A link lives in chat history: a month at most. */
const MAX_LINK_VALIDITY_MINUTES = 31 * 24 * 60;

export const option = {
	name: 'Generate Link',
	value: 'generateLink',
	action: 'Generate an auto login link',
	description: 'Create a token and a link to a page that signs the user in',
};

export const properties: INodeProperties[] = [
	loginField(show),
	{
		displayName: 'Link Type',
		name: 'linkType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Private (Single-Use)',
				value: 'private',
				description:
					'The link carries a sealed ticket in its fragment, which no server sees; it works once. Needs a Flussonic Watcher Login Page node.',
			},
			{
				name: 'Token in Query',
				value: 'tokenInQuery',
				description:
					'The token in the "token" query parameter, for a Webhook + Render Login Page workflow. Servers and logs see it; it works until it expires.',
			},
		],
		default: 'private',
		displayOptions: { show: { ...show.show, '@version': [{ _cnd: { gte: 2 } }] } },
	},
	{
		displayName: 'Link Base URL',
		name: 'linkBaseUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://n8n.example.com/webhook/watcher-login',
		description:
			'Public URL of the login page: the production URL of a Flussonic Watcher Login Page node (private links), or of a Webhook whose workflow runs "Render Login Page" (token in query)',
		displayOptions: show,
	},
	tokenOptionsField(show, [
		{
			displayName: 'Link Validity (Minutes)',
			name: 'linkValidityMinutes',
			type: 'number',
			default: DEFAULT_LINK_VALIDITY_MINUTES,
			typeOptions: { minValue: 1, maxValue: MAX_LINK_VALIDITY_MINUTES },
			description:
				"Private links: how long the link works. Also the token's validity unless Valid Till or Valid for (Minutes) is set.",
			displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
		},
	]),
];

/** The base URL as entered and its path (the page a private link's ticket is bound to). */
function readLinkBaseUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	isPrivate: boolean,
): { value: string; pathname: string } {
	const raw = ctx.getNodeParameter('linkBaseUrl', itemIndex, '');
	const value = typeof raw === 'string' ? raw.trim() : '';
	let valid = value.length <= 2048;
	let pathname = '';
	try {
		const url = new URL(value);
		pathname = url.pathname;
		// A private link puts its ticket in the fragment; a base URL with one would swallow it.
		valid = valid && /^https?:$/.test(url.protocol) && !(isPrivate && value.includes('#'));
	} catch {
		valid = false;
	}
	if (!valid) {
		throw new NodeOperationError(
			ctx.getNode(),
			value
				? `"Link Base URL" "${value.slice(0, 200)}" is not an http(s) URL of at most 2048 characters${isPrivate ? ' without a "#"' : ''}`
				: 'The "Link Base URL" is empty',
			{
				description:
					'Enter the public URL of your login-page webhook, e.g. https://n8n.example.com/webhook/watcher-login.',
				itemIndex,
			},
		);
	}
	return { value, pathname };
}

function readLinkType(ctx: IExecuteFunctions, itemIndex: number): 'private' | 'tokenInQuery' {
	// Nodes saved as version 1 keep the links they always made.
	if (ctx.getNode().typeVersion < 2) return 'tokenInQuery';
	const value = ctx.getNodeParameter('linkType', itemIndex, 'private');
	if (value === 'private' || value === 'tokenInQuery') return value;
	throw new NodeOperationError(
		ctx.getNode(),
		`The "Link Type" "${String(value).slice(0, 50)}" is not known`,
		{
			description: 'Choose Private (Single-Use) or Token in Query.',
			itemIndex,
		},
	);
}

function readLinkValidityMinutes(ctx: IExecuteFunctions, itemIndex: number): number {
	const value = ctx.getNodeParameter(
		'options.linkValidityMinutes',
		itemIndex,
		DEFAULT_LINK_VALIDITY_MINUTES,
	);
	const minutes = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (
		typeof minutes !== 'number' ||
		!Number.isFinite(minutes) ||
		minutes <= 0 ||
		minutes > MAX_LINK_VALIDITY_MINUTES
	) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Link Validity (Minutes)" must be a positive number of minutes, at most ${MAX_LINK_VALIDITY_MINUTES} (31 days)`,
			{ description: `It is ${JSON.stringify(value)?.slice(0, 60)}.`, itemIndex },
		);
	}
	return minutes;
}

export const concurrency = 'option';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: WatcherSession,
): Promise<IDataObject> {
	const linkType = readLinkType(this, itemIndex);
	const request = readTokenRequest(this, itemIndex);
	const linkBase = readLinkBaseUrl(this, itemIndex, linkType === 'private');
	const linkBaseUrl = linkBase.value;
	if (linkType === 'private') {
		// The link's life bounds the token's, unless the token's own validity was chosen.
		let expiresAt = Date.now() + readLinkValidityMinutes(this, itemIndex) * 60_000;
		if (request.validTill === undefined) request.validTill = new Date(expiresAt);
		else expiresAt = Math.min(expiresAt, request.validTill.getTime());
		const result = await generateToken(session, request, itemIndex);
		const ticket = sealTicket(session.ticketKey, {
			id: newTicketId(),
			page: linkBase.pathname,
			login: result.login,
			token: result.autologinToken,
			expiresAt,
		});
		// The token stays inside the sealed ticket: not in this execution's data either.
		return {
			login: result.login,
			linkType,
			link: `${linkBaseUrl}#${ticket}`,
			linkExpiresAt: new Date(expiresAt).toISOString(),
			validTill: result.validTill,
			sessionLifetimeSeconds: result.sessionLifetimeSeconds,
		};
	}
	const result = await generateToken(session, request, itemIndex);
	const legacy: IDataObject = {
		...result,
		link: buildLink(linkBaseUrl, result.autologinToken),
		html: buildAutologinPage(result.autologinUrl, result.autologinToken),
	};
	if (this.getNode().typeVersion < 2) return legacy;
	return { ...legacy, linkType, linkExpiresAt: result.validTill };
}
