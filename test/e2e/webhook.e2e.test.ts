/**
 * The chat-bot link flows in a real n8n and a real browser. Private links (examples 1 and 2): a
 * bot asks n8n for a link, a person opens it in Chromium, the one-node login page redeems its
 * sealed ticket once and the person lands logged in; used, expired, altered, foreign and damaged
 * tickets each get their page and post nothing. The version-1 flow (token in query, Webhook +
 * Render Login Page) keeps working.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { SealingKey } from '../../nodes/FlussonicWatcher/privateLinks/tickets';
import {
	newTicketId,
	sealTicket,
	ticketKey,
} from '../../nodes/FlussonicWatcher/privateLinks/tickets';
import {
	LINKS_FIELD,
	MAX_USED_TICKETS,
	useTicket,
} from '../../nodes/FlussonicWatcher/privateLinks/usedTickets';
import { WATCHER_SPECIAL_LOGIN } from '../../tools/simulators/watcher';
import type { ExampleWorkflow } from '../../tools/n8n/examples';
import { EXAMPLE_IDS, loadWorkflows } from '../../tools/n8n/examples';
import { SCREENSHOTS, useLinkFlowHost } from './linkFlow';
import { sqliteRows } from './sqlite';
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { HOST_VERSIONS } from '../../tools/n8n/n8nHost';

jest.setTimeout(300_000);

/** Polls until `check` returns a value (not undefined), up to 15 s. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
	const until = Date.now() + 15_000;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > until) throw new Error(`still not so after 15 s: ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const LIMIT_IDS = {
	anyBase: 'LinkLimitsAnyBas',
	euPage: 'LinkLimitsEuPage',
	fullPage: 'LinkLimitsFullPg',
	quietPage: 'LinkLimitsQuietP',
	severalPage: 'LinkLimitsSevral',
} as const;
const MINUTE = 60_000;
/** What one redemption at the cap may cost the database: the memory (~64 KB) and the workflow. */
const MAX_BYTES_PER_REDEMPTION_AT_CAP = 200_000;

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

		test('Require a Click: loading posts nothing; the click logs in', async () => {
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
				'Log in to Flussonic Watcher as demo@example.com?',
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
			expect(body).toEqual({
				error: 'Flussonic Watcher does not know the login "nobody@example.com"',
			});
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
				'This login link is not valid',
			);
			expect(flow.watcherPosts()).toBe(before);
		});
	});
	describe('link limits: base URL forms, page paths, the memory cap and floor (issue 19)', () => {
		/** Minutes of the floor the full page starts with: every link expiring by then is refused. */
		let floor: number;
		let key: SealingKey;

		/** A copy of an example workflow under another id, its first node changed by `change`. */
		function variant(
			source: ExampleWorkflow,
			id: string,
			name: string,
			change: (node: ExampleWorkflow['nodes'][number]) => void,
			extra: Record<string, unknown> = {},
		): ExampleWorkflow {
			const copy = JSON.parse(JSON.stringify(source)) as ExampleWorkflow;
			copy.id = id;
			copy.name = name;
			if (copy.versionId !== undefined) copy.versionId = randomUUID();
			for (const node of copy.nodes) {
				node.id = randomUUID();
				if (typeof node.webhookId === 'string') node.webhookId = randomUUID();
			}
			change(
				copy.nodes.find(
					(node) => node.type.endsWith('LoginPage') || node.type.endsWith('.webhook'),
				) ?? copy.nodes[0],
			);
			return { ...copy, ...extra };
		}

		beforeAll(async () => {
			const { host, watcher } = flow;
			const examples = loadWorkflows({
				n8nUrl: host.baseUrl,
				watcherUrl: watcher.url,
				durstUrl: 'http://127.0.0.1:1',
			});
			const linkFlow = examples.find((w) => w.id === EXAMPLE_IDS.watcherLink);
			const loginPage = examples.find((w) => w.id === EXAMPLE_IDS.watcherLoginPage);
			if (!linkFlow || !loginPage) throw new Error('examples 1 and 2 not found');

			// A full memory built with the module's own functions: one more than the cap, one minute
			// apart from half an hour ahead, so the soonest was dropped and the floor is its expiry.
			const now = Date.now();
			const global: IDataObject = {};
			const first = Math.ceil((now + 30 * MINUTE) / MINUTE);
			for (let i = 0; i <= MAX_USED_TICKETS; i++) {
				useTicket({ global }, 'e2e-full-page', `seed-${i}`, (first + i) * MINUTE, now);
			}
			const record = (
				global[LINKS_FIELD] as { usedTickets: Record<string, { f: number; u: string }> }
			).usedTickets['e2e-full-page'];
			expect(record.f).toBe(first);
			expect(record.u.length).toBe(MAX_USED_TICKETS * 18);
			floor = record.f;
			const staticData = {
				global: { [LINKS_FIELD]: { usedTickets: { 'watcher-login-full': record } } },
			};

			const workflows = [
				variant(linkFlow, LIMIT_IDS.anyBase, 'Link limits: link with any base', (webhook) => {
					webhook.parameters.path = 'watcher-link-any-base';
				}),
				variant(loginPage, LIMIT_IDS.euPage, 'Link limits: EU login page', (node) => {
					node.parameters.path = 'eu/watcher-login';
				}),
				variant(
					loginPage,
					LIMIT_IDS.fullPage,
					'Link limits: login page with a full memory',
					(node) => {
						node.parameters.path = 'watcher-login-full';
					},
					{ staticData },
				),
				variant(loginPage, LIMIT_IDS.quietPage, 'Link limits: quiet login page', (node) => {
					node.parameters.path = 'watcher-login-quiet';
					node.parameters.options = { outputEachVisit: false };
				}),
				variant(loginPage, LIMIT_IDS.severalPage, 'Link limits: confirmed login page', (node) => {
					node.parameters.path = 'watcher-login-several';
					node.parameters.options = { severalWebhookProcesses: true };
				}),
			];
			const generate = workflows[0].nodes.find((node) => node.name === 'Generate Link');
			if (!generate) throw new Error('no Generate Link node in example 1');
			generate.parameters.linkBaseUrl = '={{ $json.body.base }}';

			key = await ticketKey(flow.apiKey, new URL(watcher.url).origin).derive();
			// The running n8n registers webhooks at start: import and activate, then one restart.
			const began = Date.now();
			await host.stop();
			await host.importWorkflow(workflows);
			for (const id of Object.values(LIMIT_IDS)) await host.activate(id, { verify: false });
			await host.start();
			console.log(
				`n8n ${version}: link-limit workflows imported and n8n restarted in ${((Date.now() - began) / 1000).toFixed(1)} s`,
			);
		});

		const linkFor = async (base: string): Promise<string> => {
			const answer = await flow.host.request('POST', '/webhook/watcher-link-any-base', {
				body: { email: 'demo@example.com', base },
			});
			expect(answer.status).toBe(200);
			return String((JSON.parse(answer.body) as { link: unknown }).link);
		};
		/** What the page's script does: POST the fragment to the page. */
		const post = async (pagePath: string, linkOrTicket: string) =>
			await flow.host.request('POST', pagePath, {
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: `ticket=${encodeURIComponent(linkOrTicket.slice(linkOrTicket.indexOf('#') + 1))}`,
			});
		const expectOpens = (answer: { status: number; body: string }) => {
			expect(answer.status).toBe(200);
			expect(answer.body).toContain(`${flow.watcher.url}/vsaas/autologin`);
			expect(answer.body).toContain('autologin_token');
		};
		const expectRefused = (
			answer: { status: number; body: string },
			id: string,
			status: number,
		) => {
			expect({ status: answer.status, id: /<h1 id="([A-Za-z]+)"/.exec(answer.body)?.[1] }).toEqual({
				status,
				id,
			});
			expect(answer.body).not.toContain('autologin_token');
		};
		const seal = (page: string, expiresAt: number) =>
			sealTicket(key, {
				id: newTicketId(),
				page,
				login: 'demo@example.com',
				token: flow.watcher.issueToken('demo@example.com'),
				expiresAt,
			});
		const executionsOf = async (workflowId: string) =>
			await sqliteRows<IDataObject>(
				flow.host,
				'select e.id as id, length(cast(d.data as blob)) as data, length(cast(d.workflowData as blob)) as workflow, d.data like ? as loggedIn from execution_entity e join execution_data d on d.executionId = e.id where e.workflowId = ? order by e.id',
				['%"loggedIn"%', workflowId],
			);
		const storedRecord = async (workflowId: string, page: string) => {
			const [row] = await sqliteRows<IDataObject>(
				flow.host,
				'select staticData from workflow_entity where id = ?',
				[workflowId],
			);
			const data = JSON.parse(String(row?.staticData ?? 'null')) as {
				global?: { [LINKS_FIELD]?: { usedTickets?: Record<string, { f: number; u: string }> } };
			} | null;
			return data?.global?.[LINKS_FIELD]?.usedTickets?.[page];
		};

		test('a Link Base URL with a trailing slash gives a link that lands logged in', async () => {
			const link = await linkFor(`${flow.host.baseUrl}/webhook/watcher-login/`);
			expect(link).toMatch(
				new RegExp(`^${flow.host.baseUrl}/webhook/watcher-login#[A-Za-z0-9_-]+$`),
			);
			const before = flow.watcher.autologinSuccesses;
			const page = await flow.open(link);
			await page.locator('#logged-in-user').waitFor({ timeout: 15_000 });
			expect(await page.locator('#logged-in-user').textContent()).toBe('demo@example.com');
			expect(flow.watcher.autologinSuccesses).toBe(before + 1);
		});

		test('a link for eu/watcher-login opens only there, and one for watcher-login only there', async () => {
			const eu = await linkFor(`${flow.host.baseUrl}/webhook/eu/watcher-login`);
			expect(eu).toMatch(new RegExp(`^${flow.host.baseUrl}/webhook/eu/watcher-login#`));
			expectRefused(await post('/webhook/watcher-login', eu), 'otherPage', 400);
			expectOpens(await post('/webhook/eu/watcher-login', eu));
			expectRefused(await post('/webhook/eu/watcher-login', eu), 'alreadyUsed', 410);
			expectRefused(await post('/webhook/watcher-login', eu), 'otherPage', 400);

			const plain = await linkFor(`${flow.host.baseUrl}/webhook/watcher-login`);
			expectRefused(await post('/webhook/eu/watcher-login', plain), 'otherPage', 400);
			expectOpens(await post('/webhook/watcher-login', plain));
			expectRefused(await post('/webhook/watcher-login', plain), 'alreadyUsed', 410);
			expectRefused(await post('/webhook/eu/watcher-login', plain), 'otherPage', 400);
		});

		test(`a full memory (${MAX_USED_TICKETS} links) refuses links expiring by its floor, opens a later one once, and stays at the cap`, async () => {
			const page = '/webhook/watcher-login-full';
			expectRefused(await post(page, seal(page, Date.now() + 15 * MINUTE)), 'memoryFull', 410);
			expectRefused(await post(page, seal(page, floor * MINUTE)), 'memoryFull', 410);
			const later = seal(page, Date.now() + 120 * MINUTE);
			expectOpens(await post(page, later));
			expectRefused(await post(page, later), 'alreadyUsed', 410);

			// n8n saved the memory: still the cap, the floor one minute later (one more dropped).
			const record = await eventually('the full page saved its memory', async () => {
				const stored = await storedRecord(LIMIT_IDS.fullPage, 'watcher-login-full');
				return stored !== undefined && stored.f > floor ? stored : undefined;
			});
			expect(record.f).toBe(floor + 1);
			expect(record.u.length).toBe(MAX_USED_TICKETS * 18);

			// What the redemption cost n8n's database: its execution, with the workflow it ran.
			const rows = await eventually('four executions saved', async () => {
				const found = await executionsOf(LIMIT_IDS.fullPage);
				return found.length >= 4 ? found : undefined;
			});
			expect(rows).toHaveLength(4);
			const redemption = rows.filter((row) => row.loggedIn === 1);
			expect(redemption).toHaveLength(1);
			const bytes = Number(redemption[0].data) + Number(redemption[0].workflow);
			console.log(
				`n8n ${version} SQLite, one redemption at the cap (${MAX_USED_TICKETS} used links): ${bytes} bytes of execution data (data ${String(redemption[0].data)}, workflowData ${String(redemption[0].workflow)}); all 4 visits: ${rows.map((row) => Number(row.data) + Number(row.workflow)).join(', ')}`,
			);
			expect(bytes).toBeLessThan(MAX_BYTES_PER_REDEMPTION_AT_CAP);
		});

		test('Several Webhook Processes: the first answer holds no token; the browser confirms and lands logged in, once', async () => {
			const link = await linkFor(`${flow.host.baseUrl}/webhook/watcher-login-several`);
			const held = await post('/webhook/watcher-login-several', link);
			expect(held.status).toBe(200);
			expect(held.body).toContain('id="finish"');
			expect(held.body).not.toContain('autologin_token');

			const other = await linkFor(`${flow.host.baseUrl}/webhook/watcher-login-several`);
			const before = flow.watcher.autologinSuccesses;
			const page = await flow.open(other);
			await page.locator('#logged-in-user').waitFor({ timeout: 20_000 });
			expect(flow.watcher.autologinSuccesses).toBe(before + 1);
			const again = await flow.open(other);
			await again.locator('#alreadyUsed').waitFor({ timeout: 15_000 });
			expect(flow.watcher.autologinSuccesses).toBe(before + 1);
		});

		test('Output Each Visit off: the page answers without an execution, and the link stays used', async () => {
			const page = '/webhook/watcher-login-quiet';
			const ticket = seal(page, Date.now() + 15 * MINUTE);
			expectOpens(await post(page, ticket));
			expectRefused(await post(page, ticket), 'alreadyUsed', 410);
			// Saved by n8n with the answer, without any execution.
			const record = await eventually('the quiet page saved its memory', async () => {
				const stored = await storedRecord(LIMIT_IDS.quietPage, 'watcher-login-quiet');
				return stored?.u.length === 18 ? stored : undefined;
			});
			expect(record.f).toBe(0);
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			expect(await executionsOf(LIMIT_IDS.quietPage)).toEqual([]);
		});
	});
});
