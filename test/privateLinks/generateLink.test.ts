/**
 * Generate Link in node version 2 (private links by default, token in query on request) and
 * version 1 (unchanged), through n8n-core's engine and HTTP to the Watcher simulator.
 */
import type { IDataObject } from 'n8n-workflow';

import { openTicket } from '../../nodes/FlussonicWatcher/privateLinks/tickets';
import { errorOf, expectNoSecrets } from '../harness/assertions';
import { API_KEY, generateLink, key, LINK_BASE, LOGIN, sim, useLinkSimulator } from './linkSupport';

useLinkSimulator();

const lastToken = () => sim.issuedTokenLog.at(-1) ?? '';

describe('version 2', () => {
	test('default: a private link whose ticket holds the token; no token, no html in the output', async () => {
		const before = Date.now();
		const result = await generateLink({ options: {} }, 2);
		const [item] = result.output();
		const json = item.json;
		expect(Object.keys(json).sort()).toEqual([
			'link',
			'linkExpiresAt',
			'linkType',
			'login',
			'sessionLifetimeSeconds',
			'validTill',
		]);
		expect(json.linkType).toBe('private');
		const expiresAt = Date.parse(json.linkExpiresAt as string);
		expect(expiresAt).toBeGreaterThanOrEqual(before + 15 * 60_000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
		// The token's validity is the link's (whole seconds, rounded down).
		expect(json.validTill).toBe(new Date(Math.floor(expiresAt / 1000) * 1000).toISOString());
		expect((sim.lastTokenRequest as IDataObject).valid_till).toBe(Math.floor(expiresAt / 1000));

		const [base, ticket] = (json.link as string).split('#');
		expect(base).toBe(LINK_BASE);
		const opened = openTicket(key, ticket, Date.now());
		expect(opened).toEqual({
			ticket: {
				id: expect.any(String),
				page: '/webhook/watcher-login',
				login: LOGIN,
				token: lastToken(),
				expiresAt,
			},
		});
		expectNoSecrets(result, [lastToken(), lastToken().split(':').at(-1) ?? '', API_KEY]);
	});

	test('Link Validity and a shorter token validity: the link ends with the token', async () => {
		const [item] = (
			await generateLink({ options: { linkValidityMinutes: 60, validForMinutes: 5 } }, 2)
		).output();
		const expiresAt = Date.parse(item.json.linkExpiresAt as string);
		expect(expiresAt - Date.now()).toBeLessThanOrEqual(5 * 60_000);
		expect(expiresAt - Date.now()).toBeGreaterThan(4 * 60_000);
	});

	test('Token in Query: the version-1 output plus linkType and linkExpiresAt', async () => {
		const [item] = (
			await generateLink({ linkType: 'tokenInQuery', options: { validForMinutes: 30 } }, 2)
		).output();
		expect(item.json).toMatchObject({
			linkType: 'tokenInQuery',
			autologinToken: lastToken(),
			link: `${LINK_BASE}?token=${encodeURIComponent(lastToken())}`,
			linkExpiresAt: item.json.validTill,
			html: expect.stringContaining('autologin_token'),
		});
	});

	test.each([
		[{ linkBaseUrl: `${LINK_BASE}#x` }, 'without a "#"'],
		[
			{ options: { linkValidityMinutes: 0 } },
			'"Link Validity (Minutes)" must be a positive number',
		],
		[{ options: { linkValidityMinutes: 50_000 } }, 'at most 44640 (31 days)'],
		[{ linkType: 'public' }, 'The "Link Type" "public" is not known'],
	])('%j is refused before any request', async (parameters, message) => {
		const calls = sim.issuedTokenLog.length;
		const result = await generateLink(parameters, 2);
		expect(errorOf(result).message).toContain(message);
		expect(sim.issuedTokenLog.length).toBe(calls);
	});
});

test('version 1 (saved before private links): the same link and output as ever', async () => {
	const [item] = (await generateLink({ linkType: 'private', options: {} }, 1)).output();
	expect(Object.keys(item.json).sort()).toEqual([
		'autologinToken',
		'autologinUrl',
		'html',
		'link',
		'login',
		'sessionLifetimeSeconds',
		'validTill',
	]);
	expect(item.json.link).toBe(`${LINK_BASE}?token=${encodeURIComponent(lastToken())}`);
});
