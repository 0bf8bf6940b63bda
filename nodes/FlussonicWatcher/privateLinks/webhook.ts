/**
 * The login page's webhook: GET serves the same secret-free page to everyone; POST opens the
 * ticket the page sends, refuses it (expired, altered, another key, damaged, already used) or
 * redeems it once with the auto-submitting form to Watcher. Each POST yields one item saying what
 * happened, never with a token or a ticket.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { hasControlCharacters } from '../../shared/text';
import { apiKeyOf, autologinUrlOf, serverUrlOf } from '../transport/session';
import { CREDENTIAL_TYPE } from '../transport/vendor';
import type { Page, Refusal } from './pages';
import { autologinPage, confirmPage, readerPage, refusalPage } from './pages';
import { openTicket, ticketKey } from './tickets';
import { UsedTickets } from './usedTickets';

const MAX_USER_AGENT_LENGTH = 512;

export type Outcome = 'loggedIn' | 'confirmationShown' | 'alreadyUsed' | 'expired' | 'invalid';

function send(ctx: IWebhookFunctions, shown: Page): void {
	const res = ctx.getResponseObject();
	res.writeHead(shown.status, {
		'Content-Type': 'text/html; charset=utf-8',
		'Cache-Control': 'no-store',
		'Referrer-Policy': 'no-referrer',
		'Content-Security-Policy': shown.csp,
		'X-Content-Type-Options': 'nosniff',
		'X-Frame-Options': 'DENY',
	});
	res.end(shown.html);
}

function userAgent(ctx: IWebhookFunctions): string | null {
	const value = ctx.getHeaderData()['user-agent'];
	if (typeof value !== 'string' || value === '') return null;
	const text = value.slice(0, MAX_USER_AGENT_LENGTH);
	return hasControlCharacters(text) ? null : text;
}

function outcomeOf(refusal: Refusal): Outcome {
	if (refusal === 'alreadyUsed' || refusal === 'expired') return refusal;
	return 'invalid';
}

export async function loginPageWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const requireClick = options.requireClick === true;
	if (ctx.getWebhookName() === 'setup') {
		// A GET, from a person, a preview bot or a scanner: no secret, nothing redeemed, no execution.
		send(ctx, readerPage(requireClick));
		return { noWebhookResponse: true };
	}

	const node = ctx.getNode();
	const data = await ctx.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = serverUrlOf(node, data.baseUrl);
	const key = ticketKey(apiKeyOf(node, data.apiKey), new URL(baseUrl).origin);
	const body = ctx.getBodyData();
	const now = Date.now();
	const opened = openTicket(key, body.ticket, now);

	let shown: Page;
	let outcome: Outcome;
	let login: string | null = null;
	if ('problem' in opened) {
		login = opened.ticket?.login ?? null;
		shown = refusalPage(opened.problem);
		outcome = outcomeOf(opened.problem);
	} else {
		const { ticket } = opened;
		login = ticket.login;
		const scope = `${ctx.getWorkflow().id ?? ''}|${node.id}`;
		const used = new UsedTickets(ctx.getWorkflowStaticData('node'), scope, now);
		if (used.isUsed(ticket.id)) {
			shown = refusalPage('alreadyUsed');
			outcome = 'alreadyUsed';
		} else if (requireClick && body.step !== 'redeem') {
			shown = confirmPage(ticket.login, String(body.ticket));
			outcome = 'confirmationShown';
		} else {
			used.markUsed(ticket.id, ticket.expiresAt);
			shown = autologinPage(autologinUrlOf(baseUrl), ticket.token);
			outcome = 'loggedIn';
		}
	}
	send(ctx, shown);
	const visit: IDataObject = {
		time: new Date(now).toISOString(),
		outcome,
		login,
		userAgent: userAgent(ctx),
	};
	return { noWebhookResponse: true, workflowData: [[{ json: visit }]] };
}
