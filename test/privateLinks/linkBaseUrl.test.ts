/**
 * Generate Link's Link Base URL for private links, through n8n-core's engine and HTTP to the
 * Watcher simulator: written the way n8n routes it (no trailing slash, percent-encoded as URL
 * does), the ticket naming the decoded path; refused, naming the field, when no page could take
 * the link.
 */
import { randomBytes } from 'node:crypto';

import {
	newTicketId,
	openTicket,
	sealTicket,
} from '../../nodes/FlussonicWatcher/privateLinks/tickets';
import { errorOf, expectNoSecrets } from '../harness/assertions';
import { API_KEY, generateLink, key, LOGIN, sim, useLinkSimulator } from './linkSupport';

const HOST = 'https://n8n.example.com';
/** The simulator's tokens: `login:time:salt:signature`, 10 digits, 4 and 40 hex characters. */
const TOKEN_LENGTH = LOGIN.length + 57;

useLinkSimulator();

/** Generate Link (version 2, private) to `linkBaseUrl`. */
const generate = async (linkBaseUrl: string) => await generateLink({ linkBaseUrl, options: {} }, 2);

/** The length of a private link to `HOST + path` (sealing adds the same length under any key). */
function linkLength(path: string, tokenLength: number): number {
	const ticket = sealTicket(
		{ key: randomBytes(32), keyId: randomBytes(4) },
		{
			id: newTicketId(),
			page: path,
			login: LOGIN,
			token: 'x'.repeat(tokenLength),
			expiresAt: Date.now(),
		},
	);
	return `${HOST}${path}#${ticket}`.length;
}

/** The longest `/webhook/xxx…` path whose link, with a simulator token, is at most 2,000 long. */
function longestPath(): string {
	let path = '/webhook/';
	while (linkLength(`${path}x`, TOKEN_LENGTH) <= 2_000) path += 'x';
	return path;
}

test.each([
	[`${HOST}/webhook/watcher-login/`, `${HOST}/webhook/watcher-login`, '/webhook/watcher-login'],
	[`${HOST}/webhook/watcher login`, `${HOST}/webhook/watcher%20login`, '/webhook/watcher login'],
	[`${HOST}/webhook/médecin/`, `${HOST}/webhook/m%C3%A9decin`, '/webhook/médecin'],
	[`${HOST}/webhook/m%c3%a9decin`, `${HOST}/webhook/m%c3%a9decin`, '/webhook/médecin'],
	[
		'https://N8N.Example.com/webhook/watcher-login//?from=chat',
		`${HOST}/webhook/watcher-login?from=chat`,
		'/webhook/watcher-login',
	],
])('Link Base URL %s: link to %s, ticket for page %s', async (entered, base, page) => {
	const [item] = (await generate(entered)).output();
	const link = item.json.link as string;
	const [linkBase, ticket] = link.split('#');
	expect(linkBase).toBe(base);
	expect(openTicket(key, ticket, Date.now())).toHaveProperty('ticket.page', page);
	// What a browser requests for the link, as n8n reads it (decoded, no trailing slash).
	expect(decodeURIComponent(new URL(link).pathname)).toBe(page);
});

test.each([
	[`${HOST}/webhook/50%`, 'has a "%" that starts no percent-encoded UTF-8 character'],
	[`${HOST}/webhook/m%C3decin`, 'has a "%" that starts no percent-encoded UTF-8 character'],
	[`${HOST}/`, 'has no path'],
	[`${HOST}/webhook/${'x'.repeat(900)}`, 'more than 2000: shorten the "Link Base URL"'],
])('Link Base URL %s is refused before any request', async (entered, message) => {
	const calls = sim.issuedTokenLog.length;
	const result = await generate(entered);
	expect(errorOf(result).message).toContain('"Link Base URL"');
	expect(errorOf(result).message).toContain(message);
	expect(sim.issuedTokenLog.length).toBe(calls);
});

test('links up to 2,000 characters; one the token makes longer is refused and shows no token', async () => {
	const path = longestPath();
	const [item] = (await generate(`${HOST}${path}`)).output();
	expect((item.json.link as string).length).toBeLessThanOrEqual(2_000);
	expect((item.json.link as string).length).toBeGreaterThan(1_995);

	const longer = `${HOST}${path}xxxx`;
	expect(linkLength(`${path}xxxx`, 0)).toBeLessThanOrEqual(2_000);
	const result = await generate(longer);
	expect(errorOf(result).message).toMatch(/^The private link would be \d+ characters long/);
	expect(errorOf(result).message).toContain('"Link Base URL"');
	const token = sim.issuedTokenLog.at(-1) ?? '';
	expect(token.length).toBe(TOKEN_LENGTH);
	expectNoSecrets(result, [token, token.split(':').at(-1) ?? '', API_KEY]);
});
