import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildAutologinPage } from '../../autologinPage';
import { buildLink } from '../../legacyLoginPage';
import { newTicketId, pagePath, sealedTicketLength, sealTicket } from '../../privateLinks/tickets';
import { Later } from '../../../shared/items';
import { showFor } from '../../../shared/operation';
import { positiveNumber } from '../../../shared/values';
import type { WatcherSession } from '../../transport/session';
import { loginField, tokenOptionsField } from './fields';
import { readTokenRequest } from './read';
import { generateToken } from './token';

const show = showFor('autologin', 'generateLink');
const DEFAULT_LINK_VALIDITY_MINUTES = 15;
/** A link lives in chat history: a month at most. */
const MAX_LINK_VALIDITY_MINUTES = 31 * 24 * 60;
const MAX_LINK_BASE_LENGTH = 2048;
/**
 * The longest private link made. The ticket rides in the fragment, which neither n8n nor any
 * server sees (the page takes up to MAX_TICKET_LENGTH), but a link travels through chat apps,
 * email and SMS, which cut or refuse long URLs: about 2,000 characters is what every browser and
 * client carries (the smallest common limit, Internet Explorer's, is 2,083). A link of an email
 * login is about 400 characters.
 */
const MAX_LINK_LENGTH = 2_000;

export const option = {
	name: 'Generate Link',
	value: 'generateLink',
	action: 'Generate a link that logs a user in',
	description: 'Create a link that logs a Watcher user in, without a password',
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
					'A link that works once, for Link Validity (Minutes). It opens your Flussonic Watcher Login Page node; the token in it cannot be read.',
			},
			{
				name: 'Token in Query (Legacy)',
				value: 'tokenInQuery',
				description:
					'The older link, for a Webhook + Render Login Page (Legacy) workflow: the token is readable in the link, so servers and logs see it, and it works until the token expires',
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
			'Paste the Production URL of your Flussonic Watcher Login Page node here. For Token in Query (Legacy) links: the Production URL of the Webhook before Render Login Page (Legacy).',
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
				'How long, from now, a private link works (once). Its token lasts as long, unless Token Valid for (Minutes) or Token Valid Till is set.',
			displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
		},
	]),
];

function refuseLinkBase(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description = 'Enter the public URL of your login-page webhook, e.g. https://n8n.example.com/webhook/watcher-login.',
): never {
	throw new NodeOperationError(ctx.getNode(), message, { description, itemIndex });
}

/** The base URL as entered, checked: an http(s) URL, and for a private link no fragment of its own. */
function readLinkBaseUrl(ctx: IExecuteFunctions, itemIndex: number, isPrivate: boolean): URL {
	const raw = ctx.getNodeParameter('linkBaseUrl', itemIndex, '');
	const value = typeof raw === 'string' ? raw.trim() : '';
	if (!value) refuseLinkBase(ctx, itemIndex, 'The "Link Base URL" is empty');
	let url: URL | undefined;
	try {
		url = new URL(value);
	} catch {
		url = undefined;
	}
	// A private link puts its ticket in the fragment; a base URL with one would swallow it.
	if (
		value.length > MAX_LINK_BASE_LENGTH ||
		url === undefined ||
		!/^https?:$/.test(url.protocol) ||
		(isPrivate && value.includes('#'))
	) {
		refuseLinkBase(
			ctx,
			itemIndex,
			`"Link Base URL" "${value.slice(0, 200)}" is not an http(s) URL of at most ${MAX_LINK_BASE_LENGTH} characters${isPrivate ? ' without a "#"' : ''}`,
		);
	}
	return url;
}

/**
 * A private link's base as browsers will request it and the page its ticket names: n8n routes
 * `/webhook/x/` as `/webhook/x` and decodes the path, so the link drops trailing slashes, keeps
 * URL's percent-encoding (spaces, non-ASCII) and the ticket's page is that path decoded.
 */
function privateLinkBase(ctx: IExecuteFunctions, itemIndex: number, url: URL) {
	const entered = url.href.slice(0, 200);
	url.pathname = url.pathname.replace(/\/+$/, '');
	const page = pagePath(url.pathname);
	if (page === undefined) {
		refuseLinkBase(
			ctx,
			itemIndex,
			`"Link Base URL" "${entered}" has a "%" that starts no percent-encoded UTF-8 character`,
			'n8n cannot route such a path to any page. Write a space as it is or as %20, a "%" as %25.',
		);
	}
	if (page === '') {
		refuseLinkBase(ctx, itemIndex, `"Link Base URL" "${entered}" has no path`);
	}
	return { base: url.href, page };
}

function refuseLongLink(ctx: IExecuteFunctions, itemIndex: number, length: number): never {
	refuseLinkBase(
		ctx,
		itemIndex,
		`The private link would be ${length} characters long, more than ${MAX_LINK_LENGTH}: shorten the "Link Base URL"`,
		`Links longer than ${MAX_LINK_LENGTH} characters break in chat apps, email and SMS. The link is the Link Base URL, "#" and a ticket of about 250 characters plus twice the login and once the page path.`,
	);
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
			description: 'Choose Private (Single-Use) or Token in Query (Legacy).',
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
	const minutes = positiveNumber(value, MAX_LINK_VALIDITY_MINUTES);
	if (minutes === undefined) {
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
): Promise<IDataObject | Later> {
	const linkType = readLinkType(this, itemIndex);
	const request = readTokenRequest(this, itemIndex);
	const linkBaseUrl = readLinkBaseUrl(this, itemIndex, linkType === 'private');
	if (linkType === 'private') {
		const { base, page } = privateLinkBase(this, itemIndex, linkBaseUrl);
		// The link's life bounds the token's, unless the token's own validity was chosen.
		let expiresAt = Date.now() + readLinkValidityMinutes(this, itemIndex) * 60_000;
		if (request.validTill === undefined) request.validTill = new Date(expiresAt);
		else expiresAt = Math.min(expiresAt, request.validTill.getTime());
		const id = newTicketId();
		const ticket = (login: string, token: string) => ({
			id,
			page,
			login,
			token,
			expiresAt,
		});
		// Without its token the link is as short as it can be: too long already means no request.
		const shortest = base.length + 1 + sealedTicketLength(ticket(request.login, ''));
		if (shortest > MAX_LINK_LENGTH) refuseLongLink(this, itemIndex, shortest);
		const result = await generateToken(session, request, itemIndex);
		// The ticket key (one scrypt run per process) may still be in the making: the item's place
		// goes to the next item's request meanwhile.
		const sealed = async (): Promise<IDataObject> => {
			const key = await session.ticketKey.derive();
			const made = `${base}#${sealTicket(key, ticket(result.login, result.autologinToken))}`;
			// The token goes nowhere: it stays unknown to everyone until it expires.
			if (made.length > MAX_LINK_LENGTH) refuseLongLink(this, itemIndex, made.length);
			// The token stays inside the sealed ticket: not in this execution's data either.
			return {
				login: result.login,
				linkType,
				link: made,
				linkExpiresAt: new Date(expiresAt).toISOString(),
				validTill: result.validTill,
				sessionLifetimeSeconds: result.sessionLifetimeSeconds,
			};
		};
		return new Later(sealed());
	}
	const result = await generateToken(session, request, itemIndex);
	const legacy: IDataObject = {
		...result,
		link: buildLink(linkBaseUrl.href, result.autologinToken),
		html: buildAutologinPage(result.autologinUrl, result.autologinToken),
	};
	if (this.getNode().typeVersion < 2) return legacy;
	return { ...legacy, linkType, linkExpiresAt: result.validTill };
}
