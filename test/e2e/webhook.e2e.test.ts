/**
 * The chat-bot link flows in a real n8n and a real browser. Private links (examples 1 and 2): a
 * bot asks n8n for a link, a person opens it in Chromium, the one-node login page redeems its
 * sealed ticket once and the person lands logged in; used, expired, altered, foreign and damaged
 * tickets each get their page and post nothing. The version-1 flow (token in query, Webhook +
 * Render Login Page) keeps working.
 */
import path from 'node:path';

import type { SealingKey } from '../../nodes/FlussonicWatcher/privateLinks/tickets';
import {
	newTicketId,
	sealTicket,
	ticketKey,
} from '../../nodes/FlussonicWatcher/privateLinks/tickets';
import { WATCHER_SPECIAL_LOGIN } from '../simulators/watcher';
import { EXAMPLE_IDS } from './examples';
import { SCREENSHOTS, useLinkFlowHost } from './linkFlow';
import type { HostVersion } from './n8nHost';
import { HOST_VERSIONS } from './n8nHost';

jest.setTimeout(300_000);

describe.each(HOST_VERSIONS)('n8n %s: chat-bot links in a browser', (version: HostVersion) => {
	const flow = useLinkFlowHost(version);
	const shot = (name: string) => path.join(SCREENSHOTS, `${version}-${name}.png`);

	async function privateLink(email = 'demo@example.com'): Promise<string> {
		const { status, body } = await flow.requestLink(email);
		expect(status).toBe(200);
		return body.link as string;
	}

	describe('private links (examples 1 and 2)', () => {
		let link: string;
		/** Tickets only ever posted to the login page (sealed by this test, not by the bot's workflow). */
		const pageOnlyTickets: string[] = [];

		test('the bot gets a link with a sealed ticket; opening it lands logged in', async () => {
			const { status, body } = await flow.requestLink('demo@example.com');
			expect(status).toBe(200);
			link = body.link as string;
			expect(link).toMatch(
				new RegExp(`^${flow.host.baseUrl}/webhook/watcher-login#[A-Za-z0-9_-]+$`),
			);
			expect(Date.parse(body.linkExpiresAt as string) - Date.now()).toBeGreaterThan(14 * 60_000);
			const token = flow.watcher.issuedTokenLog.at(-1) ?? '';
			expect(token).toContain('demo@example.com:');
			expect(JSON.stringify(body)).not.toContain(token.split(':').at(-1));

			const before = flow.watcher.autologinSuccesses;
			const page = await flow.open(link);
			await page.locator('#logged-in-user').waitFor({ timeout: 15_000 });
			expect(await page.locator('#logged-in-user').textContent()).toBe('demo@example.com');
			expect(flow.watcher.autologinSuccesses).toBe(before + 1);
			await page.screenshot({ path: shot('watcher-logged-in') });
		});

		test('the same link again: the used page, and nothing reaches Watcher', async () => {
			const before = flow.watcherPosts();
			const page = await flow.open(link);
			await page.locator('#alreadyUsed').waitFor({ timeout: 15_000 });
			expect(page.url()).toBe(`${flow.host.baseUrl}/webhook/watcher-login`);
			expect(flow.watcherPosts()).toBe(before);
			await page.screenshot({ path: shot('private-link-used') });
		});

		test('still used after n8n restarts', async () => {
			await flow.host.stop();
			await flow.host.start();
			const before = flow.watcherPosts();
			const page = await flow.open(link);
			await page.locator('#alreadyUsed').waitFor({ timeout: 15_000 });
			expect(flow.watcherPosts()).toBe(before);
		});

		test('expired, altered, foreign and damaged tickets: each its page, nothing posted', async () => {
			const origin = new URL(flow.watcher.url).origin;
			const [own, foreign] = await Promise.all([
				ticketKey(flow.apiKey, origin).derive(),
				ticketKey('another-api-key', origin).derive(),
			]);
			const seal = (key: SealingKey, expiresAt: number) =>
				sealTicket(key, {
					id: newTicketId(),
					page: '/webhook/watcher-login',
					login: 'demo@example.com',
					token: flow.watcher.issueToken('demo@example.com'),
					expiresAt,
				});
			const fresh = await privateLink();
			const [base, ticket] = fresh.split('#');
			const middle = Math.floor(ticket.length / 2);
			const altered = `${ticket.slice(0, middle)}${ticket[middle] === 'A' ? 'B' : 'A'}${ticket.slice(middle + 1)}`;
			const cases: Array<[string, string]> = [
				['expired', seal(own, Date.now() - 1_000)],
				['tampered', altered],
				['unknownKey', seal(foreign, Date.now() + 60_000)],
				['malformed', 'not-a-ticket'],
			];
			pageOnlyTickets.push(cases[0][1], cases[2][1]);
			const before = flow.watcherPosts();
			for (const [id, text] of cases) {
				const page = await flow.open(`${base}#${text}`);
				await page.locator(`#${id}`).waitFor({ timeout: 15_000 });
				if (id === 'expired' || id === 'tampered')
					await page.screenshot({ path: shot(`private-link-${id}`) });
			}
			expect(flow.watcherPosts()).toBe(before);
			// The untouched link still works: refusals did not use it up.
			const page = await flow.open(fresh);
			await page.locator('#logged-in-user').waitFor({ timeout: 15_000 });
		});

		test('a preview bot (plain GET) and a browser without scripts redeem nothing', async () => {
			const fresh = await privateLink();
			const token = flow.watcher.issuedTokenLog.at(-1) ?? '';
			const before = flow.watcherPosts();
			const answer = await flow.host.request('GET', '/webhook/watcher-login');
			expect(answer.status).toBe(200);
			expect(answer.body).not.toContain(token);
			expect(answer.headers['cache-control']).toBe('no-store');
			expect(answer.headers['referrer-policy']).toBe('no-referrer');
			expect(answer.headers['content-security-policy']).toMatch(
				/^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/,
			);

			const page = await flow.open(fresh, { javaScriptEnabled: false });
			await page.locator('#no-script').waitFor({ timeout: 15_000 });
			await page.screenshot({ path: shot('private-link-no-script') });
			expect(flow.watcherPosts()).toBe(before);
			const withScripts = await flow.open(fresh);
			await withScripts.locator('#logged-in-user').waitFor({ timeout: 15_000 });
		});

		test('a link made for one login page is refused at another', async () => {
			const elsewhere = (await privateLink()).replace(
				'/webhook/watcher-login#',
				'/webhook/watcher-login-click#',
			);
			const before = flow.watcherPosts();
			const page = await flow.open(elsewhere);
			await page.locator('#otherPage').waitFor({ timeout: 15_000 });
			expect(flow.watcherPosts()).toBe(before);
		});

		test('Require a Click: loading posts nothing; the click signs in', async () => {
			const { status, body } = await flow.requestLink(
				'demo@example.com',
				'/webhook/watcher-link-click',
			);
			expect(status).toBe(200);
			const fresh = body.link as string;
			expect(fresh).toContain('/webhook/watcher-login-click#');
			const before = flow.watcherPosts();
			const page = await flow.open(fresh);
			await page.locator('#confirm').waitFor({ timeout: 15_000 });
			expect(await page.locator('#confirm').textContent()).toBe(
				'Sign in to Flussonic Watcher as demo@example.com?',
			);
			await page.screenshot({ path: shot('private-link-confirm') });
			expect(flow.watcherPosts()).toBe(before);
			await page.click('#sign-in');
			await page.locator('#logged-in-user').waitFor({ timeout: 15_000 });
			expect(flow.watcherPosts()).toBe(before + 1);
		});

		test('saved executions and exported workflows hold no Watcher token', async () => {
			const tokens = flow.watcher.issuedTokenLog;
			expect(tokens.length).toBeGreaterThan(3);
			// Executions are saved: the logins are there, the tokens are not.
			await new Promise((resolve) => setTimeout(resolve, 2_000));
			const database = flow.databaseText();
			expect(database).toContain('"loggedIn"');
			expect(database).toContain('demo@example.com');
			const exported = [
				await flow.host.exportWorkflow(EXAMPLE_IDS.watcherLink),
				await flow.host.exportWorkflow(EXAMPLE_IDS.watcherLoginPage),
			].join('\n');
			expect(exported).toContain('usedTickets');
			// The login page's items say what happened, never with the ticket they were about.
			expect(pageOnlyTickets).toHaveLength(2);
			for (const ticket of pageOnlyTickets) expect(database).not.toContain(ticket.slice(8, 40));
			for (const token of tokens) {
				const signature = token.split(':').at(-1) ?? token;
				expect(database).not.toContain(signature);
				expect(exported).not.toContain(signature);
			}
		});

		test(`a login like ${WATCHER_SPECIAL_LOGIN} survives ticket, page and form post`, async () => {
			const page = await flow.open(await privateLink(WATCHER_SPECIAL_LOGIN));
			await page.locator('#logged-in-user').waitFor({ timeout: 15_000 });
			expect(await page.locator('#logged-in-user').textContent()).toBe(WATCHER_SPECIAL_LOGIN);
		});

		test('an unknown user gets an error answer, not a link', async () => {
			const { status, body } = await flow.requestLink('nobody@example.com');
			expect(status).toBe(400);
			expect(body).toEqual({ error: 'Watcher does not know the login "nobody@example.com"' });
		});
	});

	describe('token in query (node version 1, Webhook + Render Login Page)', () => {
		const legacyLink = async (email: string) => {
			const { status, body } = await flow.requestLink(email, '/webhook/legacy-watcher-link');
			expect(status).toBe(200);
			return body.link as string;
		};

		test('unchanged: the link carries the token; opening it lands logged in', async () => {
			const link = await legacyLink('demo@example.com');
			expect(link.startsWith(`${flow.host.baseUrl}/webhook/legacy-watcher-login?token=`)).toBe(
				true,
			);
			const page = await flow.open(link);
			await page.locator('#logged-in-user').waitFor({ timeout: 15_000 });
			expect(await page.locator('#logged-in-user').textContent()).toBe('demo@example.com');
		});

		test("a tampered token lands on Watcher's error page, not logged in", async () => {
			const link = new URL(await legacyLink('demo@example.com'));
			const token = link.searchParams.get('token') ?? '';
			link.searchParams.set(
				'token',
				token.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0')),
			);
			const failuresBefore = flow.watcher.autologinFailures;
			const page = await flow.open(link.toString());
			await page.locator('#autologin-error').waitFor({ timeout: 15_000 });
			expect(await page.locator('#logged-in-user').count()).toBe(0);
			expect(flow.watcher.autologinFailures).toBe(failuresBefore + 1);
			await page.screenshot({ path: shot('watcher-tampered') });
		});

		test('a malformed token gets the "link is not valid" page, which posts nothing', async () => {
			const before = flow.watcherPosts();
			const page = await flow.open(
				`${flow.host.baseUrl}/webhook/legacy-watcher-login?token=${encodeURIComponent('"><script>alert(1)</script>')}`,
			);
			expect(await page.locator('#invalid-link').textContent()).toBe(
				'This sign-in link is not valid',
			);
			expect(flow.watcherPosts()).toBe(before);
		});
	});
});
