/**
 * Watcher simulator, tokens and browser side: auto-login tokens, `POST /vsaas/autologin`, sessions.
 * Real HTTP throughout, so that the node tests built on the simulators test the nodes, not a fake.
 */
import {
	TOKEN_REJECT_MESSAGES,
	WATCHER_AUTOLOGIN_ERROR_MARKER,
	WATCHER_SPECIAL_LOGIN,
	WatcherSimulator,
	parseAutologinToken,
} from '../../tools/simulators/watcher';
import { T0_SECONDS, autologin, fixedClock, issue } from './testSupport';

describe('WatcherSimulator: tokens and auto-login', () => {
	let sim: WatcherSimulator;

	beforeEach(async () => {
		sim = await WatcherSimulator.start({ now: fixedClock });
	});

	afterEach(async () => {
		await sim.stop();
	});

	it('binds to 127.0.0.1 on a random port', () => {
		expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sim.port).toBeGreaterThan(0);
	});

	it('issues a token, accepts it at /vsaas/autologin and shows the HTML-escaped user', async () => {
		const token = await issue(sim, { login: WATCHER_SPECIAL_LOGIN, lifetime: 600 });

		const parts = parseAutologinToken(token);
		expect(parts).toEqual({
			login: WATCHER_SPECIAL_LOGIN,
			time: T0_SECONDS + 3600,
			salt: expect.stringMatching(/^[0-9a-f]{4}$/),
			signature: expect.stringMatching(/^[0-9a-f]{40}$/),
		});
		expect(sim.lastTokenRequest).toEqual({ login: WATCHER_SPECIAL_LOGIN, lifetime: 600 });
		expect(sim.verifyToken(token)).toMatchObject({
			ok: true,
			login: WATCHER_SPECIAL_LOGIN,
			validTill: T0_SECONDS + 3600,
			lifetime: 600,
		});

		const login = await autologin(sim, token);
		expect(login.status).toBe(302);
		expect(login.headers.get('location')).toBe('/vsaas/');
		const cookie = login.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/^vsaas_session=[0-9a-f]{32}; HttpOnly; Path=\/; Max-Age=600$/);
		const session = cookie.split(';')[0] ?? '';

		const page = await (await fetch(`${sim.url}/vsaas/`, { headers: { cookie: session } })).text();
		expect(page).toContain(
			'<p id="logged-in-user">o&#39;brien+&quot;x&quot;&lt;y&gt;@example.com</p>',
		);
		expect(page).not.toContain('<y>');
		expect(page).not.toContain('not-logged-in');

		const anonymous = await (await fetch(`${sim.url}/vsaas`)).text();
		expect(anonymous).toContain('id="not-logged-in"');
		expect(anonymous).not.toContain('logged-in-user');

		// The session lives exactly `lifetime` seconds on the simulator clock.
		sim.advanceClock(600_000);
		const expired = await (
			await fetch(`${sim.url}/vsaas/`, { headers: { cookie: session } })
		).text();
		expect(expired).toContain('id="not-logged-in"');
		expect(sim.autologinSuccesses).toBe(1);
		expect(sim.tokensIssued).toBe(1);
	});

	it('uses valid_till as the token time and rejects the token once it has passed', async () => {
		const token = await issue(sim, { login: 'demo@example.com', valid_till: T0_SECONDS + 60 });
		expect(token).toMatch(
			new RegExp(`^demo@example\\.com:${T0_SECONDS + 60}:[0-9a-f]{4}:[0-9a-f]{40}$`),
		);
		expect(sim.verifyToken(token)).toMatchObject({ ok: true, lifetime: undefined });

		sim.advanceClock(60_999);
		expect(sim.verifyToken(token).ok).toBe(true);
		sim.advanceClock(1);
		expect(sim.verifyToken(token)).toEqual({ ok: false, reason: 'expired' });

		const response = await autologin(sim, token);
		expect(response.status).toBe(403);
		const html = await response.text();
		expect(html).toContain(WATCHER_AUTOLOGIN_ERROR_MARKER);
		expect(html).toContain(TOKEN_REJECT_MESSAGES.expired);
		expect(response.headers.get('set-cookie')).toBeNull();
	});

	it('rejects tampered, foreign, malformed and missing tokens with the error page', async () => {
		const token = await issue(sim, { login: 'demo@example.com' });
		const last = token.slice(-1) === '0' ? '1' : '0';
		const cases: [string, string][] = [
			[token.slice(0, -1) + last, 'badSignature'],
			[token.replace('demo@example.com', 'admin@example.com'), 'badSignature'],
			[token.replace(/:\d+:/, `:${T0_SECONDS + 999_999}:`), 'badSignature'],
			['demo:1487258314:f8b1:b4bdaac58cbe94638e5b14a3728b8e6d633f3c6e', 'badSignature'],
			['not-a-token', 'malformed'],
			['', 'missing'],
		];
		for (const [candidate, reason] of cases) {
			const response = await autologin(sim, candidate);
			expect(response.status).toBe(403);
			const html = await response.text();
			expect(html).toContain(WATCHER_AUTOLOGIN_ERROR_MARKER);
			expect(html).toContain(TOKEN_REJECT_MESSAGES[reason as keyof typeof TOKEN_REJECT_MESSAGES]);
			expect(html).not.toContain('logged-in-user');
			expect(sim.verifyToken(candidate)).toEqual({ ok: false, reason });
		}
		expect(sim.autologinFailures).toBe(cases.length);
		expect(sim.autologinSuccesses).toBe(0);

		// A JSON body is not a form post: the token is not found.
		const json = await fetch(`${sim.url}/vsaas/autologin`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ autologin_token: token }),
			redirect: 'manual',
		});
		expect(json.status).toBe(403);
		expect(await json.text()).toContain(TOKEN_REJECT_MESSAGES.missing);
	});

	it('refuses GET on /vsaas/autologin with 405', async () => {
		const token = await issue(sim, { login: 'demo@example.com' });
		const response = await fetch(
			`${sim.url}/vsaas/autologin?autologin_token=${encodeURIComponent(token)}`,
			{ redirect: 'manual' },
		);
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('POST');
		expect(sim.autologinSuccesses).toBe(0);
	});

	it('keeps tokens but drops sessions on restart', async () => {
		const token = await issue(sim, { login: 'demo@example.com' });
		const cookie =
			((await autologin(sim, token)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
		expect(sim.sessions).toHaveLength(1);
		expect((await fetch(`${sim.url}/__sim/restart`, { method: 'POST' })).status).toBe(200);
		expect(await (await fetch(`${sim.url}/vsaas/`, { headers: { cookie } })).text()).toContain(
			'not-logged-in',
		);
		expect(sim.verifyToken(token).ok).toBe(true);
	});

	it('supports single-use tokens and a custom signing secret', async () => {
		const strict = await WatcherSimulator.start({ singleUseTokens: true, signingSecret: 'other' });
		try {
			const token = strict.issueToken('demo@example.com');
			expect(sim.verifyToken(token)).toEqual({ ok: false, reason: 'badSignature' });
			expect((await autologin(strict, token)).status).toBe(302);
			const again = await autologin(strict, token);
			expect(again.status).toBe(403);
			expect(await again.text()).toContain(TOKEN_REJECT_MESSAGES.alreadyUsed);
		} finally {
			await strict.stop();
		}
	});
});
