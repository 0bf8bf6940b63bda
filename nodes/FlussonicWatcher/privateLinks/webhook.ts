/**
 * The login page's webhook: GET serves the same secret-free page to everyone; POST opens the
 * ticket the page sends, refuses it (expired, altered, another key, damaged, another page, already
 * used, forgotten) or redeems it once with the auto-submitting form to Watcher. Each POST yields one
 * item saying what happened, never with a token or a ticket, unless Output Each Visit is off.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { hasControlCharacters } from '../../shared/text';
import { apiKeyOf, autologinUrlOf, serverUrlOf } from '../transport/session';
import { CREDENTIAL_TYPE } from '../transport/vendor';
import type { Page, Refusal } from './pages';
import { autologinPage, confirmPage, holdPage, readerPage, refusalPage } from './pages';
import type { PageKey } from './pageKeys';
import { pageKey } from './pageKeys';
import type { Opened, Ticket } from './tickets';
import { openTicket, pagePath, ticketKey } from './tickets';
import { CLAIM_SECRET, CONFIRM_AFTER_MS, MAX_ATTEMPTS, newClaim } from './claims';
import { claimTicket, confirmTicket } from './confirmation';
import type { UsedTicketsData } from './usedTickets';
import { ticketState, useTicket } from './usedTickets';

const MAX_USER_AGENT_LENGTH = 512;
/** Slack for clocks of processes on different machines, added to every wait the hold page asks. */
const CLOCK_SLACK_MS = 100;

export type Outcome =
	| 'loggedIn'
	| 'confirmationShown'
	| 'alreadyUsed'
	| 'memoryFull'
	| 'unconfirmed'
	| 'expired'
	| 'invalid'
	| 'notSetUp';

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

/** A path as n8n routes it: no leading or trailing slash, percent-decoded. */
function normalisedPath(path: string): string {
	const trimmed = path.trim().replace(/^\/+|\/+$/g, '');
	try {
		return decodeURIComponent(trimmed);
	} catch {
		return trimmed;
	}
}

/**
 * Exact: the link's page path must be this page's production URL path as n8n builds it (its
 * N8N_PATH or WEBHOOK_URL path, its webhook prefix, the node's Path). A suffix match would let a
 * link for `eu/watcher-login` open again at `watcher-login`, a page with a memory of its own.
 */
function isForPage(ctx: IWebhookFunctions, ticketPage: string): boolean {
	let own: string | undefined;
	try {
		own = pagePath(new URL(ctx.getNodeWebhookUrl('default') ?? '').pathname);
	} catch {
		return false;
	}
	// The ticket's page is decoded already (see Ticket.page): decoding it again would read "%41" as "A".
	return own !== undefined && trimSlashes(ticketPage) === trimSlashes(own);
}

function trimSlashes(path: string): string {
	return path.replace(/^\/+|\/+$/g, '');
}

function outcomeOf(refusal: Refusal): Outcome {
	if (refusal === 'alreadyUsed' || refusal === 'memoryFull' || refusal === 'expired')
		return refusal;
	return 'invalid';
}

type Visit = (outcome: Outcome, login: string | null, extra?: IDataObject) => IWebhookResponseData;

/** What a POST answers n8n: one item saying what happened, unless Output Each Visit is off. */
function visitOf(ctx: IWebhookFunctions, now: number, outputEachVisit: boolean): Visit {
	return (outcome, login, extra = {}) =>
		// n8n saves static data with the answer, execution or not: the used mark is kept either way.
		!outputEachVisit && outcome !== 'notSetUp'
			? { noWebhookResponse: true }
			: {
					noWebhookResponse: true,
					workflowData: [
						[
							{
								json: {
									time: new Date(now).toISOString(),
									outcome,
									login,
									userAgent: userAgent(ctx),
									...extra,
								},
							},
						],
					],
				};
}

/**
 * The page's key and the ticket opened with it. A ticket sealed under another key reads the
 * credential again once: it may have changed since its key was kept.
 */
async function openWithPageKey(
	ctx: IWebhookFunctions,
	now: number,
	sealed: unknown,
): Promise<{ page: PageKey; opened: Opened }> {
	const node = ctx.getNode();
	const scope = `${ctx.getWorkflow().id ?? ''}|${node.id}`;
	const keyScope = `${scope}|${node.credentials?.[CREDENTIAL_TYPE]?.id ?? ''}`;
	const read = async (): Promise<PageKey> => {
		const data = await ctx.getCredentials(CREDENTIAL_TYPE);
		const baseUrl = serverUrlOf(node, data.baseUrl);
		// scrypt runs once per process and key; later reads find the derived key in memory.
		const key = await ticketKey(apiKeyOf(node, data.apiKey), new URL(baseUrl).origin).derive();
		return { baseUrl, key };
	};
	let page = await pageKey(keyScope, now, read);
	let opened = openTicket(page.key, sealed, now);
	if ('problem' in opened && opened.problem === 'unknownKey') {
		page = await pageKey(keyScope, now, read, true);
		opened = openTicket(page.key, sealed, now);
	}
	return { page, opened };
}

export async function loginPageWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const requireClick = options.requireClick === true;
	// Nodes saved before the option existed redeem in one step, as they always did.
	const several = options.severalWebhookProcesses === true;
	// Nodes saved before the option existed output every visit, as they always did.
	const outputEachVisit = options.outputEachVisit !== false;
	if (ctx.getWebhookName() === 'setup') {
		// A GET, from a person, a preview bot or a scanner: no secret, nothing redeemed, no execution.
		send(ctx, readerPage(requireClick));
		return { noWebhookResponse: true };
	}

	const now = Date.now();
	const visit = visitOf(ctx, now, outputEachVisit);
	const body = ctx.getBodyData();
	let page: PageKey;
	let opened: Opened;
	try {
		({ page, opened } = await openWithPageKey(ctx, now, body.ticket));
	} catch (error) {
		// The visitor gets a page; whoever runs the workflow gets the reason (it names no secret).
		send(ctx, refusalPage('notSetUp'));
		return visit('notSetUp', null, { error: (error as Error).message });
	}

	if ('problem' in opened) {
		send(ctx, refusalPage(opened.problem));
		return visit(outcomeOf(opened.problem), opened.ticket?.login ?? null);
	}
	const { ticket } = opened;
	if (!isForPage(ctx, ticket.page)) {
		send(ctx, refusalPage('otherPage'));
		return visit('invalid', ticket.login);
	}
	// Keyed by the page's path, in global static data: renaming the node keeps the memory.
	const memoryKey = normalisedPath(String(ctx.getNodeParameter('path', '')));
	const used = {
		global: ctx.getWorkflowStaticData('global'),
		node: ctx.getWorkflowStaticData('node'),
	};
	const ticketText = String(body.ticket);
	if (several && body.step === 'finish') {
		return finish(ctx, visit, {
			used,
			memoryKey,
			ticketText,
			ticket,
			now,
			body,
			baseUrl: page.baseUrl,
		});
	}
	if (requireClick && body.step !== 'redeem') {
		const state = ticketState(used, memoryKey, ticket.id, ticket.expiresAt, now);
		if (state !== 'unused') {
			send(ctx, refusalPage(state));
			return visit(state, ticket.login);
		}
		send(ctx, confirmPage(ticket.login, ticketText));
		return visit('confirmationShown', ticket.login);
	}
	if (several) {
		const secret = newClaim();
		const state = claimTicket(used, memoryKey, ticket.id, ticket.expiresAt, secret, now);
		if (state !== 'unused') {
			send(ctx, refusalPage(state));
			return visit(state, ticket.login);
		}
		// No item yet: the visit's outcome is known when the claim is confirmed.
		send(ctx, holdPage(ticketText, secret, 1, CONFIRM_AFTER_MS + CLOCK_SLACK_MS));
		return { noWebhookResponse: true };
	}
	const state = useTicket(used, memoryKey, ticket.id, ticket.expiresAt, now);
	if (state !== 'unused') {
		send(ctx, refusalPage(state));
		return visit(state, ticket.login);
	}
	send(ctx, autologinPage(autologinUrlOf(page.baseUrl), ticket.token));
	return visit('loggedIn', ticket.login);
}

interface Finishing {
	used: UsedTicketsData;
	memoryKey: string;
	ticketText: string;
	ticket: Ticket;
	now: number;
	body: IDataObject;
	baseUrl: string;
}

/** Several Webhook Processes: the hold page posted its claim back; redeem once it is confirmed. */
function finish(ctx: IWebhookFunctions, visit: Visit, f: Finishing): IWebhookResponseData {
	const { ticket } = f;
	const secret = typeof f.body.claim === 'string' ? f.body.claim : '';
	const attempt = Number(f.body.attempt);
	if (!CLAIM_SECRET.test(secret) || !Number.isInteger(attempt) || attempt < 1) {
		send(ctx, refusalPage('malformed'));
		return visit('invalid', ticket.login);
	}
	const result = confirmTicket(f.used, f.memoryKey, ticket.id, ticket.expiresAt, secret, f.now);
	if (result.state === 'confirmed') {
		send(ctx, autologinPage(autologinUrlOf(f.baseUrl), ticket.token));
		return visit('loggedIn', ticket.login);
	}
	if (result.state !== 'wait') {
		send(ctx, refusalPage(result.state));
		return visit(result.state, ticket.login);
	}
	if (attempt >= MAX_ATTEMPTS) {
		send(ctx, refusalPage('unconfirmed'));
		return visit('unconfirmed', ticket.login);
	}
	send(ctx, holdPage(f.ticketText, secret, attempt + 1, result.waitMs + CLOCK_SLACK_MS));
	return { noWebhookResponse: true };
}
