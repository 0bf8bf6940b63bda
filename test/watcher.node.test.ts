import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { errorOf, expectNoSecrets, n8nLogText } from './harness/assertions';
import type { RunResult } from './harness/engine';
import { listSearch, runNodes, WATCHER_TYPE } from './harness/engine';
import {
	WATCHER_AUTOLOGIN_ERROR_MARKER,
	WATCHER_ENDPOINTS,
	WATCHER_LOGGED_IN_ID,
	WATCHER_SPECIAL_LOGIN,
	WatcherSimulator,
} from '../tools/simulators/watcher';

const API_KEY = 'wk-SECRET-7f3a9c1e';
const LINK_BASE = 'https://n8n.example.com/webhook/watcher-login';

let sim: WatcherSimulator;

beforeAll(async () => {
	sim = await WatcherSimulator.start({ apiKey: API_KEY });
});

afterAll(async () => {
	await sim.stop();
});

beforeEach(() => {
	sim.resetCounters();
	sim.clearFailures();
	sim.latencyMs = 0;
});

function credentials(overrides: IDataObject = {}) {
	return {
		flussonicWatcherApi: {
			baseUrl: sim.url,
			apiKey: API_KEY,
			ignoreSslIssues: false,
			...overrides,
		},
	};
}

function byEmail(login: string) {
	return { __rl: true, mode: 'email', value: login };
}

async function run(
	parameters: INodeParameters,
	options: {
		items?: IDataObject[];
		continueOnFail?: boolean;
		credentials?: IDataObject;
		timezone?: string;
	} = {},
): Promise<RunResult> {
	return await runNodes({
		nodes: [
			{
				type: WATCHER_TYPE,
				parameters: { resource: 'autologin', ...parameters },
				continueOnFail: options.continueOnFail,
			},
		],
		items: options.items ?? [{}],
		credentials: credentials(options.credentials),
		timezone: options.timezone,
	});
}

function tokenCalls(): number {
	return sim.callCount(WATCHER_ENDPOINTS.generateToken);
}

function unescapeHtml(text: string): string {
	return text
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&#96;/g, '`')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** Does what a browser does with the page: reads the form and posts it, then follows the redirect with the cookie. */
async function submitPage(html: string): Promise<{ status: number; page: string }> {
	const action = unescapeHtml(/<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '');
	const token = unescapeHtml(/name="autologin_token" value="([^"]*)"/.exec(html)?.[1] ?? '');
	expect(/<form[^>]*method="POST"/.test(html)).toBe(true);
	const posted = await fetch(action, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ autologin_token: token }).toString(),
	});
	if (posted.status !== 302) return { status: posted.status, page: await posted.text() };
	const cookie = posted.headers.get('set-cookie')?.split(';')[0] ?? '';
	const landing = await fetch(new URL(posted.headers.get('location') ?? '/', action), {
		headers: { cookie },
	});
	return { status: landing.status, page: await landing.text() };
}

describe('Generate Token', () => {
	test('sends only the login when no option is set, and returns the token', async () => {
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		const [item] = result.output();
		expect(sim.lastTokenRequest).toEqual({ login: 'demo@example.com' });
		expect(item.json).toEqual({
			login: 'demo@example.com',
			autologinToken: expect.stringMatching(/^demo@example\.com:\d+:[0-9a-f]{4}:[0-9a-f]{40}$/),
			validTill: null,
			sessionLifetimeSeconds: null,
			autologinUrl: `${sim.url}/vsaas/autologin`,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(sim.verifyToken(item.json.autologinToken as string)).toMatchObject({
			ok: true,
			login: 'demo@example.com',
		});
	});

	test('Valid for (Minutes) and Session Lifetime become epoch seconds and seconds', async () => {
		const before = Math.floor(Date.now() / 1000);
		const result = await run({
			operation: 'generateToken',
			login: byEmail('demo@example.com'),
			options: { validForMinutes: 30, sessionLifetimeMinutes: 90 },
		});
		const sent = sim.lastTokenRequest as { valid_till: number; lifetime: number };
		expect(sent.lifetime).toBe(5400);
		expect(sent.valid_till).toBeGreaterThanOrEqual(before + 1800 - 1);
		expect(sent.valid_till).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1800);
		const [item] = result.output();
		expect(item.json.validTill).toBe(new Date(sent.valid_till * 1000).toISOString());
		expect(item.json.sessionLifetimeSeconds).toBe(5400);
		expect(sim.verifyToken(item.json.autologinToken as string)).toMatchObject({
			ok: true,
			validTill: sent.valid_till,
			lifetime: 5400,
		});
	});

	test('Valid Till with an offset is sent as that instant', async () => {
		const result = await run({
			operation: 'generateToken',
			login: byEmail('demo@example.com'),
			options: { validTill: '2031-03-04T05:06:07+02:00' },
		});
		expect(sim.lastTokenRequest).toEqual({
			login: 'demo@example.com',
			valid_till: Date.UTC(2031, 2, 4, 3, 6, 7) / 1000,
		});
		expect(result.output()[0].json.validTill).toBe('2031-03-04T03:06:07.000Z');
	});

	test('Valid Till from the date picker (no offset) is read in the workflow timezone', async () => {
		await run(
			{
				operation: 'generateToken',
				login: byEmail('demo@example.com'),
				options: { validTill: '2031-07-01T12:00:00' },
			},
			{ timezone: 'Europe/Berlin' },
		);
		// Berlin is UTC+2 in July.
		expect((sim.lastTokenRequest as IDataObject).valid_till).toBe(
			Date.UTC(2031, 6, 1, 10, 0, 0) / 1000,
		);
	});

	test('the login picker lists Watcher users, and a search narrows it', async () => {
		const all = await listSearch(
			{ type: WATCHER_TYPE, parameters: {} },
			credentials(),
			'searchUsers',
		);
		expect(all.results.map((r) => r.value)).toEqual(
			expect.arrayContaining(['admin@example.com', 'demo@example.com', WATCHER_SPECIAL_LOGIN]),
		);
		expect(all.results.find((r) => r.value === 'demo@example.com')?.name).toBe(
			'Demo User (demo@example.com)',
		);
		const some = await listSearch(
			{ type: WATCHER_TYPE, parameters: {} },
			credentials(),
			'searchUsers',
			'viewer',
		);
		expect(some.results.map((r) => r.value)).toEqual(['viewer@example.com']);
	});

	test('a login picked from the list is used like an e-mail', async () => {
		const result = await run({
			operation: 'generateToken',
			login: { __rl: true, mode: 'list', value: 'viewer@example.com' },
		});
		expect(result.output()[0].json.login).toBe('viewer@example.com');
	});
});

describe('Generate Link and Render Login Page', () => {
	test('the link carries the URL-encoded token, and the page posts it to Watcher', async () => {
		const result = await run({
			operation: 'generateLink',
			login: byEmail('demo@example.com'),
			linkBaseUrl: `${LINK_BASE}?lang=en`,
		});
		const item = result.output()[0].json;
		const link = new URL(item.link as string);
		expect(`${link.origin}${link.pathname}`).toBe(LINK_BASE);
		expect(link.searchParams.get('lang')).toBe('en');
		expect(link.searchParams.get('token')).toBe(item.autologinToken);
		expect(item.link).not.toContain('@');
		const landing = await submitPage(item.html as string);
		expect(landing.status).toBe(200);
		expect(landing.page).toContain(`<p id="${WATCHER_LOGGED_IN_ID}">demo@example.com</p>`);
	});

	test(`a login like ${WATCHER_SPECIAL_LOGIN} round-trips through token, link and page`, async () => {
		const linkRun = await run({
			operation: 'generateLink',
			login: byEmail(WATCHER_SPECIAL_LOGIN),
			linkBaseUrl: LINK_BASE,
		});
		const link = linkRun.output()[0].json;
		expect(link.login).toBe(WATCHER_SPECIAL_LOGIN);
		const tokenFromLink = new URL(link.link as string).searchParams.get('token');
		expect(tokenFromLink).toBe(link.autologinToken);
		expect(link.link as string).not.toMatch(/["<>' ]/);

		// The webhook hands the query's token to Render Login Page.
		const pageRun = await run(
			{ operation: 'renderLoginPage', token: '={{ $json.query.token }}' },
			{ items: [{ query: { token: tokenFromLink } }] },
		);
		const html = pageRun.output()[0].json.html as string;
		expect(html).not.toContain('"x"<y>');
		expect(html).toContain('o&#39;brien+&quot;x&quot;&lt;y&gt;@example.com');
		expect(html).toContain(`action="${sim.url}/vsaas/autologin"`);
		expect(html).toContain('<button type="submit">');
		const landing = await submitPage(html);
		expect(landing.page).toContain(
			`<p id="${WATCHER_LOGGED_IN_ID}">o&#39;brien+&quot;x&quot;&lt;y&gt;@example.com</p>`,
		);
	});

	test("Render Login Page makes no API call and always targets the credential's server", async () => {
		const token = sim.issueToken('demo@example.com');
		const result = await run(
			{ operation: 'renderLoginPage', token },
			{ credentials: { baseUrl: `${sim.url}/vsaas/` } },
		);
		expect(sim.totalCalls).toBe(0);
		const html = result.output()[0].json.html as string;
		expect(html).toContain(`action="${sim.url}/vsaas/autologin"`);
	});

	test("a tampered token lands on Watcher's error page", async () => {
		const token = sim.issueToken('demo@example.com');
		const tampered = token.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0'));
		const result = await run({ operation: 'renderLoginPage', token: tampered });
		const landing = await submitPage(result.output()[0].json.html as string);
		expect(landing.status).toBe(403);
		expect(landing.page).toContain(WATCHER_AUTOLOGIN_ERROR_MARKER);
	});

	test.each([
		['empty', ''],
		['not a token', 'hello'],
		['markup', '"><script>alert(1)</script>'],
	])('a %s token is an error', async (_label, token) => {
		// From an expression, as behind a Webhook: n8n's own required-field check cannot see it.
		const result = await run(
			{ operation: 'renderLoginPage', token: '={{ $json.token }}' },
			{ items: [{ token }] },
		);
		expect(errorOf(result).message).toMatch(/^The "Token" is not valid/);
	});

	test('with continueOnFail a bad token gives a page that says the link is invalid and posts nothing', async () => {
		const good = sim.issueToken('demo@example.com');
		const result = await run(
			{ operation: 'renderLoginPage', token: '={{ $json.token }}' },
			{ continueOnFail: true, items: [{ token: good }, { token: 'garbage' }] },
		);
		const [first, second] = result.output();
		expect(first.json.html).toContain('name="autologin_token"');
		expect(second.pairedItem).toEqual({ item: 1 });
		expect(second.json.error).toMatch(/"Token" is not valid/);
		expect(second.json.html).toContain('This sign-in link is not valid');
		expect(second.json.html).not.toContain('<form');
		expect(second.json.html).not.toContain('garbage');
	});

	test('a Link Base URL that is not http(s) is an error naming the field', async () => {
		const result = await run({
			operation: 'generateLink',
			login: byEmail('demo@example.com'),
			linkBaseUrl: 'webhook/watcher-login',
		});
		expect(errorOf(result).message).toContain('"Link Base URL"');
		expect(tokenCalls()).toBe(0);
	});
});

describe('bad input is refused before any request', () => {
	const future = new Date(Date.now() + 86_400_000).toISOString();
	test.each<[string, INodeParameters, RegExp]>([
		// Logins come from expressions here: n8n's own checks refuse literal empty or invalid values before the node runs.
		['empty login', { login: byEmail('={{ $json.email }}') }, /"Login" is empty/],
		['blank login', { login: byEmail('={{ "  " }}') }, /"Login" is empty/],
		[
			'login not an e-mail',
			{ login: byEmail('={{ "demo" }}') },
			/"Login" "demo" is not an e-mail address/,
		],
		[
			'Valid Till in the past',
			{ login: byEmail('demo@example.com'), options: { validTill: '2001-01-01T00:00:00Z' } },
			/"Valid Till" \(2001-01-01T00:00:00.000Z\) is in the past/,
		],
		[
			'Valid Till not a date',
			{ login: byEmail('demo@example.com'), options: { validTill: 'tomorrow-ish' } },
			/"Valid Till" is not a date/,
		],
		[
			'both validity options',
			{ login: byEmail('demo@example.com'), options: { validTill: future, validForMinutes: 5 } },
			/either "Valid Till" or "Valid for \(Minutes\)"/,
		],
		[
			'zero minutes',
			{ login: byEmail('demo@example.com'), options: { validForMinutes: 0 } },
			/"Valid for \(Minutes\)" must be a positive number/,
		],
		[
			'negative lifetime',
			{ login: byEmail('demo@example.com'), options: { sessionLifetimeMinutes: -5 } },
			/"Session Lifetime \(Minutes\)" must be a positive number/,
		],
		[
			'text lifetime',
			{ login: byEmail('demo@example.com'), options: { sessionLifetimeMinutes: '={{ "soon" }}' } },
			/"Session Lifetime \(Minutes\)" must be a positive number/,
		],
	])('%s', async (_label, parameters, expected) => {
		const result = await run(
			{ operation: 'generateToken', ...parameters },
			{ items: [{ email: '' }] },
		);
		const { message } = errorOf(result);
		expect(message).toMatch(expected);
		expect(tokenCalls()).toBe(0);
		expectNoSecrets(result, [API_KEY]);
	});

	test('an API key pasted with spaces or a line break around it still works', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { apiKey: `  ${API_KEY}\n` } },
		);
		expect(result.error).toBeUndefined();
		expect(sim.requestLog.at(-1)?.headers['x-vsaas-api-key']).toBe(API_KEY);
	});
});

describe('server answers and failures', () => {
	test('400: "Watcher rejected the request" with the server\'s reason', async () => {
		sim.failNext({
			status: 400,
			body: {
				errors: [{ code: 'ValidationError', title: 'invalid', detail: 'lifetime is too long' }],
			},
		});
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(errorOf(result).message).toBe(
			'Watcher rejected the request: ValidationError: invalid: lifetime is too long',
		);
		expectNoSecrets(result, [API_KEY]);
	});

	test('403 for a wrong API key says so, without the key', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { apiKey: 'wrong-key-123' } },
		);
		expect(errorOf(result).message).toBe('Watcher refused the API key: it is wrong or has expired');
		expect(sim.wrongApiKeyRejections).toBe(1);
		expectNoSecrets(result, [API_KEY, 'wrong-key-123']);
	});

	test('403 for an unknown login names the login', async () => {
		const result = await run({ operation: 'generateToken', login: byEmail('nobody@example.com') });
		expect(errorOf(result).message).toBe('Watcher does not know the login "nobody@example.com"');
		expectNoSecrets(result, [API_KEY]);
	});

	test('403 with a body that tells nothing gives both causes', async () => {
		sim.failNext({ status: 403, body: '' });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		const { message, description } = errorOf(result);
		expect(message).toMatch(/^Watcher refused the request \(403\)/);
		expect(description).toContain('API key');
		expect(description).toContain('demo@example.com');
	});

	test('404: no Watcher API at this URL', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { baseUrl: `${sim.url}/not-watcher` } },
		);
		expect(errorOf(result).message).toBe('No Watcher API at this URL: check the server URL');
	});

	test('5xx: server error with status', async () => {
		sim.failNext({ status: 503, body: 'maintenance' });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(errorOf(result).message).toBe('Watcher failed with a server error (503)');
		expect(errorOf(result).description).toContain('maintenance');
	});

	test('a 200 that is not JSON is a clear error', async () => {
		sim.failNext({ status: 200, mode: 'nonJson' });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(errorOf(result).message).toBe(
			`Flussonic Watcher at ${new URL(sim.url).host} answered POST /vsaas/api/v2/auth/generate-autologin-token with text/html, not JSON`,
		);
		expect(errorOf(result).description).toContain(
			'The answer began: "Service Unavailable Maintenance',
		);
	});

	test('a 200 JSON without autologin_token is a clear error', async () => {
		sim.failNext({ status: 200, body: { success: true } });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(errorOf(result).message).toBe('Watcher answered without an autologin token');
		expect(errorOf(result).description).toContain('no "autologin_token"');
	});

	test('connection refused names the host', async () => {
		const closed = await WatcherSimulator.start({ apiKey: API_KEY });
		const url = closed.url;
		await closed.stop();
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { baseUrl: url } },
		);
		expect(errorOf(result).message).toBe(
			`Could not connect to Flussonic Watcher at ${new URL(url).host}: connection refused`,
		);
		expectNoSecrets(result, [API_KEY]);
	});

	test('a host that does not resolve is named', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { baseUrl: 'http://watcher.invalid' } },
		);
		expect(errorOf(result).message).toBe('Could not find the host watcher.invalid');
	});

	test('a server URL that is not a URL is an error naming the credential field', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { baseUrl: 'watcher.example.com' } },
		);
		expect(errorOf(result).message).toContain('Server URL');
	});

	test('a dropped connection is reported, not hung on', async () => {
		sim.failNext({ mode: 'reset' });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(errorOf(result).message).toMatch(/closed the connection|failed/);
	});

	describe('TLS with a self-signed certificate', () => {
		let dir: string;
		let server: https.Server;
		let url: string;

		beforeAll(async () => {
			dir = mkdtempSync(path.join(tmpdir(), 'watcher-tls-'));
			execFileSync(
				'openssl',
				[
					'req',
					'-x509',
					'-newkey',
					'rsa:2048',
					'-nodes',
					'-days',
					'2',
					'-subj',
					'/CN=127.0.0.1',
					'-keyout',
					path.join(dir, 'key.pem'),
					'-out',
					path.join(dir, 'cert.pem'),
				],
				{ stdio: 'ignore' },
			);
			server = https.createServer(
				{
					key: readFileSync(path.join(dir, 'key.pem')),
					cert: readFileSync(path.join(dir, 'cert.pem')),
				},
				(req, res) => {
					const ok = req.headers['x-vsaas-api-key'] === API_KEY;
					res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
					res.end(
						JSON.stringify(
							ok
								? { autologin_token: sim.issueToken('demo@example.com'), success: true }
								: { errors: [] },
						),
					);
				},
			);
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
		});

		afterAll(async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
			rmSync(dir, { recursive: true, force: true });
		});

		test('is refused by default, and the message names the certificate option', async () => {
			const result = await run(
				{ operation: 'generateToken', login: byEmail('demo@example.com') },
				{ credentials: { baseUrl: url } },
			);
			const { message, description } = errorOf(result);
			expect(message).toMatch(/^The TLS certificate of 127\.0\.0\.1:\d+ was not accepted/);
			expect(description).toContain('Ignore SSL Issues (Insecure)');
		});

		test('works with Ignore SSL Issues on', async () => {
			const result = await run(
				{ operation: 'generateToken', login: byEmail('demo@example.com') },
				{ credentials: { baseUrl: url, ignoreSslIssues: true } },
			);
			expect(result.output()[0].json.autologinToken).toMatch(/^demo@example\.com:/);
		});
	});
});

describe('items', () => {
	test('with continueOnFail a failing item gives an error item paired with its input; the others succeed', async () => {
		const result = await run(
			{ operation: 'generateLink', login: byEmail('={{ $json.email }}'), linkBaseUrl: LINK_BASE },
			{
				continueOnFail: true,
				items: [
					{ email: 'demo@example.com' },
					{ email: 'not-an-email' },
					{ email: 'nobody@example.com' },
					{ email: 'viewer@example.com' },
				],
			},
		);
		const output = result.output();
		expect(output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(output[0].json.login).toBe('demo@example.com');
		expect(output[1].json.error).toMatch(/not an e-mail address/);
		expect(output[2].json.error).toBe('Watcher does not know the login "nobody@example.com"');
		expect(output[3].json.login).toBe('viewer@example.com');
		expect(tokenCalls()).toBe(3);
		expectNoSecrets(result, [API_KEY]);
	});

	test('without continueOnFail the first bad item stops the node and is named', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('={{ $json.email }}') },
			{ items: [{ email: 'demo@example.com' }, { email: 'bad' }] },
		);
		expect(errorOf(result).message).toMatch(/"Login" "bad"/);
		expect(
			(result.error as unknown as { context?: { itemIndex?: number } }).context?.itemIndex,
		).toBe(1);
	});

	test('the API key is sent as X-Vsaas-Api-Key and appears in no output', async () => {
		const result = await run({
			operation: 'generateLink',
			login: byEmail('demo@example.com'),
			linkBaseUrl: LINK_BASE,
		});
		expect(sim.requestLog.at(-1)?.headers['x-vsaas-api-key']).toBe(API_KEY);
		expectNoSecrets(result, [API_KEY]);
	});
});

describe('Max Concurrent Requests', () => {
	test('20 links with 10 in flight: input order, pairedItem, each link for its own login', async () => {
		sim.latencyMs = 10;
		const logins = [
			'admin@example.com',
			'demo@example.com',
			'viewer@example.com',
			WATCHER_SPECIAL_LOGIN,
		];
		const items = Array.from({ length: 20 }, (_, i) => ({ email: logins[i % logins.length] }));
		const result = await run(
			{
				operation: 'generateLink',
				login: byEmail('={{ $json.email }}'),
				linkBaseUrl: LINK_BASE,
				options: { maxConcurrency: 10 },
			},
			{ items },
		);
		const output = result.output();
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		output.forEach((item, i) => {
			expect(item.json.login).toBe(items[i].email);
			const token = new URL(item.json.link as string).searchParams.get('token') as string;
			expect(sim.verifyToken(token)).toMatchObject({ ok: true, login: items[i].email });
		});
		expect(tokenCalls()).toBe(20);
	});
});

describe('logs', () => {
	test('n8n logged the failures of this suite, and no secret is in any log line', () => {
		const text = n8nLogText();
		expect(text).toMatch(/error|not|refused|rejected/i);
		for (const secret of [API_KEY, 'wrong-key-123']) {
			expect(text).not.toContain(secret);
			expect(text).not.toContain(encodeURIComponent(secret));
		}
	});
});
