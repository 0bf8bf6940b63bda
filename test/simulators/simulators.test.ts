/**
 * Proves the simulators behave as documented, over real HTTP, so that the node tests built on them
 * test the nodes and not a broken fake.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NON_JSON_FAILURE_BODY } from './common';
import type { SimStats } from './common';
import {
	DURST_ENDPOINTS,
	DURST_PRINTERS,
	DURST_TOKEN_TTL_MS,
	DurstSimulator,
	parseIsoDate,
} from './durst';
import type {
	DurstError,
	DurstInkConsumption,
	DurstJob,
	DurstJobDetail,
	DurstPrinter,
} from './durst';
import {
	TOKEN_REJECT_MESSAGES,
	WATCHER_AUTOLOGIN_ERROR_MARKER,
	WATCHER_ENDPOINTS,
	WATCHER_SPECIAL_LOGIN,
	WATCHER_WRONG_API_KEY_BODY,
	WatcherSimulator,
	parseAutologinToken,
} from './watcher';
import type { WatcherErrorBody, WatcherUser } from './watcher';
import { parseCliArgs, startSimulators } from './cli';

/** A fixed instant (a Saturday noon UTC) so that time-grid data is predictable. */
const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);
const T0_SECONDS = T0 / 1000;
const fixedClock = (): number => T0;

const GENERATE = '/vsaas/api/v2/auth/generate-autologin-token';
const KEY = { 'X-Vsaas-Api-Key': 'test-api-key' };
const JSON_HEADERS = { ...KEY, 'Content-Type': 'application/json' };

async function readJson<T>(response: Response): Promise<T> {
	return (await response.json()) as T;
}

function generate(
	sim: WatcherSimulator,
	body: unknown,
	headers: Record<string, string> = JSON_HEADERS,
): Promise<Response> {
	return fetch(`${sim.url}${GENERATE}`, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

function autologin(sim: WatcherSimulator, token: string): Promise<Response> {
	return fetch(`${sim.url}/vsaas/autologin`, {
		method: 'POST',
		body: new URLSearchParams({ autologin_token: token }),
		redirect: 'manual',
	});
}

async function issue(sim: WatcherSimulator, body: Record<string, unknown>): Promise<string> {
	const response = await generate(sim, body);
	expect(response.status).toBe(200);
	const json = await readJson<{ autologin_token: string; success: boolean }>(response);
	expect(json.success).toBe(true);
	return json.autologin_token;
}

describe('WatcherSimulator', () => {
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

	it('answers 403 WrongApikey on every v2 endpoint without the right key', async () => {
		const paths = [
			GENERATE,
			'/vsaas/api/v2/users',
			'/vsaas/api/v2/cameras',
			'/vsaas/api/v2/settings',
			'/vsaas/api/v2/nope',
		];
		const headerSets: Record<string, string>[] = [
			{},
			{ 'X-Vsaas-Api-Key': 'wrong' },
			{ 'x-vsaas-api-key': 'test-api-key-2' },
		];
		for (const path of paths) {
			for (const headers of headerSets) {
				const method = path === GENERATE ? 'POST' : 'GET';
				const response = await fetch(`${sim.url}${path}`, {
					method,
					headers,
					...(method === 'POST' ? { body: '{}' } : {}),
				});
				expect(response.status).toBe(403);
				expect(await readJson<WatcherErrorBody>(response)).toEqual({
					errors: [{ code: 'WrongApikey', title: 'wrong api key' }],
				});
			}
		}
		expect(WATCHER_WRONG_API_KEY_BODY.errors[0]?.code).toBe('WrongApikey');
		expect(sim.wrongApiKeyRejections).toBe(15);
		expect(sim.tokensIssued).toBe(0);

		const unknown = await fetch(`${sim.url}/vsaas/api/v2/nope`, { headers: KEY });
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toBe('');
	});

	it('honours a custom api key', async () => {
		const custom = await WatcherSimulator.start({ apiKey: 'k&y=1' });
		try {
			expect((await fetch(`${custom.url}/vsaas/api/v2/cameras`, { headers: KEY })).status).toBe(
				403,
			);
			expect(
				(
					await fetch(`${custom.url}/vsaas/api/v2/cameras`, {
						headers: { 'X-Vsaas-Api-Key': 'k&y=1' },
					})
				).status,
			).toBe(200);
		} finally {
			await custom.stop();
		}
	});

	it('validates the generate-autologin-token body with 400 ValidationError naming the field', async () => {
		const cases: [unknown, string, Record<string, string>?][] = [
			['login=demo@example.com', 'body'],
			['{"login":', 'body'],
			[[{ login: 'demo@example.com' }], 'body'],
			[null, 'body'],
			[{}, 'login'],
			[{ login: 5 }, 'login'],
			[{ login: '' }, 'login'],
			[{ login: 'demo@example.com', valid_till: String(T0_SECONDS + 60) }, 'valid_till'],
			[{ login: 'demo@example.com', valid_till: T0_SECONDS + 60.5 }, 'valid_till'],
			[{ login: 'demo@example.com', valid_till: null }, 'valid_till'],
			[{ login: 'demo@example.com', valid_till: T0_SECONDS - 1 }, 'valid_till'],
			[{ login: 'demo@example.com', lifetime: '60' }, 'lifetime'],
			[{ login: 'demo@example.com', lifetime: 0 }, 'lifetime'],
			[{ login: 'demo@example.com', lifetime: 1.5 }, 'lifetime'],
			[{ login: 'demo@example.com' }, 'body', { ...KEY, 'Content-Type': 'text/plain' }],
		];
		for (const [body, field, headers] of cases) {
			const response = await generate(sim, body, headers);
			expect(response.status).toBe(400);
			const json = await readJson<WatcherErrorBody>(response);
			expect(json.errors[0]).toMatchObject({ code: 'ValidationError', field });
			expect(json.errors[0]?.detail).toMatch(new RegExp(`^${field}: `));
		}
		expect(sim.tokensIssued).toBe(0);
		expect(sim.lastTokenRequest).toEqual({ login: 'demo@example.com' });

		// valid_till equal to now is still in the future for the whole current second.
		expect(
			(await generate(sim, { login: 'demo@example.com', valid_till: T0_SECONDS })).status,
		).toBe(200);
	});

	it('answers 403 UserNotFound for an unknown login', async () => {
		const response = await generate(sim, { login: 'nobody@example.com' });
		expect(response.status).toBe(403);
		const json = await readJson<WatcherErrorBody>(response);
		expect(json.errors[0]?.code).toBe('UserNotFound');
		expect(sim.tokensIssued).toBe(0);
	});

	it('lists users with search, limit and offset', async () => {
		const all = await readJson<WatcherUser[]>(
			await fetch(`${sim.url}/vsaas/api/v2/users`, { headers: KEY }),
		);
		expect(all.map((user) => user.login)).toEqual([
			'admin@example.com',
			'demo@example.com',
			'viewer@example.com',
			WATCHER_SPECIAL_LOGIN,
		]);
		expect(all[0]).toEqual({
			id: 1,
			login: 'admin@example.com',
			email: 'admin@example.com',
			name: 'Administrator',
			is_admin: true,
			organization_id: 1,
			enabled: true,
		});

		const search = new URLSearchParams({ search: `O'BRIEN+"x"` });
		const found = await readJson<WatcherUser[]>(
			await fetch(`${sim.url}/vsaas/api/v2/users?${search.toString()}`, { headers: KEY }),
		);
		expect(found.map((user) => user.login)).toEqual([WATCHER_SPECIAL_LOGIN]);

		const paged = await readJson<WatcherUser[]>(
			await fetch(`${sim.url}/vsaas/api/v2/users?limit=2&offset=1`, { headers: KEY }),
		);
		expect(paged.map((user) => user.login)).toEqual(['demo@example.com', 'viewer@example.com']);

		const bad = await fetch(`${sim.url}/vsaas/api/v2/users?limit=-1`, { headers: KEY });
		expect(bad.status).toBe(400);
		expect((await readJson<WatcherErrorBody>(bad)).errors[0]?.field).toBe('limit');
	});

	it('lists cameras with limit, and exposes the api key only on /settings', async () => {
		const cameras = await readJson<{ name: string }[]>(
			await fetch(`${sim.url}/vsaas/api/v2/cameras?limit=1`, { headers: KEY }),
		);
		expect(cameras).toEqual([
			{ name: 'cam-entrance', title: 'Entrance', enabled: true, organization_id: 1, alive: true },
		]);
		expect(sim.callCount(WATCHER_ENDPOINTS.settings)).toBe(0);
		const settings = await readJson<{ api_key: string }>(
			await fetch(`${sim.url}/vsaas/api/v2/settings`, { headers: KEY }),
		);
		expect(settings.api_key).toBe('test-api-key');
		expect(sim.calls).toEqual({ [WATCHER_ENDPOINTS.cameras]: 1, [WATCHER_ENDPOINTS.settings]: 1 });
	});

	it('answers 404 with an empty body for unknown paths', async () => {
		const response = await fetch(`${sim.url}/nothing/here`);
		expect(response.status).toBe(404);
		expect(await response.text()).toBe('');
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

describe('DurstSimulator', () => {
	let sim: DurstSimulator;

	beforeEach(async () => {
		sim = await DurstSimulator.start({ now: fixedClock });
	});

	afterEach(async () => {
		await sim.stop();
	});

	function loginUrl(username: string, password: string): string {
		return `${sim.url}/api/v1/login?${new URLSearchParams({ username, password }).toString()}`;
	}

	async function login(username = 'operator', password = 's3cr3t&pa ss?'): Promise<string> {
		const response = await fetch(loginUrl(username, password));
		expect(response.status).toBe(200);
		const token = response.headers.get('x-auth-token');
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		return token ?? '';
	}

	function api(path: string, token: string | undefined, init: RequestInit = {}): Promise<Response> {
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (token !== undefined) headers['x-auth-token'] = token;
		return fetch(`${sim.url}${path}`, {
			...init,
			headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
		});
	}

	const last24h = JSON.stringify({
		startDate: new Date(T0 - 86_400_000).toISOString(),
		endDate: new Date(T0).toISOString(),
	});

	it.each([
		['1.4', (u: string, t: string) => ({ userName: u, xAuthToken: t })],
		['1.6', (u: string, t: string) => ({ userName: u, xAuthToken: t, x_auth_token: t })],
		['header-only', (u: string) => ({ username: u })],
	] as const)('answers a login in the %s format', async (version, expected) => {
		sim.version = version;
		const response = await fetch(loginUrl('operator', 's3cr3t&pa ss?'));
		expect(response.status).toBe(200);
		const token = response.headers.get('x-auth-token') ?? '';
		expect(token).not.toBe('');
		expect(await response.json()).toEqual(expected('operator', token));
		expect(sim.isTokenValid(token)).toBe(true);
	});

	it('needs a correctly encoded query string', async () => {
		expect(
			(await fetch(`${sim.url}/api/v1/login?username=operator&password=s3cr3t&pa ss?`)).status,
		).toBe(401);
		await login('jürgen+admin', 'p+q=r#1/ü%20;');
		const naive = await fetch(
			`${sim.url}/api/v1/login?username=${encodeURI('jürgen+admin')}&password=${encodeURI('p+q=r#1/ü%20;')}`,
		);
		expect(naive.status).toBe(401);
		expect(sim.logins).toBe(3);
		expect(sim.loginFailures).toBe(2);
	});

	it('rejects wrong or missing credentials with an empty 401, or 403 when configured', async () => {
		for (const url of [
			loginUrl('operator', 'wrong'),
			loginUrl('nobody', 's3cr3t&pa ss?'),
			`${sim.url}/api/v1/login`,
			`${sim.url}/api/v1/login?username=operator`,
		]) {
			const response = await fetch(url);
			expect(response.status).toBe(401);
			expect(await response.text()).toBe('');
			expect(response.headers.get('x-auth-token')).toBeNull();
		}
		sim.loginRejectStatus = 403;
		expect((await fetch(loginUrl('operator', 'wrong'))).status).toBe(403);
		expect(sim.rejected).toBe(5);
		expect(sim.tokensIssued).toBe(0);
	});

	it('can answer a login without any token', async () => {
		sim.loginMode = 'noToken';
		const response = await fetch(loginUrl('operator', 's3cr3t&pa ss?'));
		expect(response.status).toBe(200);
		expect(response.headers.get('x-auth-token')).toBeNull();
		expect(await response.json()).toEqual({ userName: 'operator' });
		expect(sim.tokensIssued).toBe(0);
	});

	it('protects every data endpoint: 401 (or 403) with an empty body', async () => {
		const paths = [
			'/api/v1/printers',
			'/api/v1/printers/P-1001',
			'/api/v1/printers/NOPE',
			'/api/v1/echo',
			'/api/v1/unknown',
		];
		for (const path of paths) {
			for (const token of [undefined, '', 'forged-token']) {
				const response = await api(path, token);
				expect(response.status).toBe(401);
				expect(await response.text()).toBe('');
			}
		}
		sim.rejectStatus = 403;
		expect((await api('/api/v1/printers', 'forged')).status).toBe(403);
		expect(sim.rejected).toBe(16);
		expect(sim.requests).toBe(0);
		expect((await api('/not-api', undefined)).status).toBe(404);
	});

	it('expires tokens after 10 days of simulator time and on restart', async () => {
		const token = await login();
		sim.advanceClock(DURST_TOKEN_TTL_MS - 1);
		expect((await api('/api/v1/printers', token)).status).toBe(200);
		sim.advanceClock(1);
		expect((await api('/api/v1/printers', token)).status).toBe(401);
		expect(sim.clockMs).toBe(T0 + DURST_TOKEN_TTL_MS);

		const fresh = await login();
		const other = await login();
		expect(sim.activeTokens).toBe(2);
		sim.restart();
		expect((await api('/api/v1/printers', fresh)).status).toBe(401);
		expect(sim.activeTokens).toBe(0);

		const afterRestart = await login();
		expect((await api('/api/v1/printers', afterRestart)).status).toBe(200);
		expect((await fetch(`${sim.url}/__sim/restart`, { method: 'POST' })).status).toBe(200);
		expect((await api('/api/v1/printers', afterRestart)).status).toBe(401);
		expect((await api('/api/v1/printers', other)).status).toBe(401);
		expect(sim.restarts).toBe(2);
	});

	it('serves printers and printer details', async () => {
		const token = await login();
		const printers = await readJson<DurstPrinter[]>(await api('/api/v1/printers', token));
		expect(printers).toEqual([
			{ id: 'P-1001', serialNumber: 'DRH1312-0001', name: 'Rho 1312', status: 'Running' },
			{ id: 'P-1002', serialNumber: 'DRH2500-0002', name: 'Rho 2500', status: 'Idle' },
			{ id: 'P-1003', serialNumber: 'DP5350-0003', name: 'P5 350', status: 'Setup' },
			{ id: 'P-1004', serialNumber: 'DTAU330-0004', name: 'Tau 330 RSC', status: 'Breakdown' },
		]);
		expect(await readJson<DurstPrinter>(await api('/api/v1/printers/P-1002', token))).toEqual(
			DURST_PRINTERS[1],
		);
		sim.setPrinterStatus('P-1002', 'Running');
		expect(await readJson<DurstPrinter>(await api('/api/v1/printers/P-1002', token))).toMatchObject(
			{ status: 'Running', inkLevelPercent: 47 },
		);

		const unknown = await api('/api/v1/printers/P-9999', token);
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toBe('');
		expect((await api('/api/v1/printers/P-1001', token, { method: 'DELETE' })).status).toBe(405);
	});

	it('returns deterministic errors of the last 24 hours', async () => {
		const token = await login();
		const response = await api('/api/v1/printers/P-1001/errors', token, {
			method: 'POST',
			body: last24h,
		});
		expect(response.status).toBe(200);
		const errors = await readJson<DurstError[]>(response);
		expect(errors.map((error) => error.dateTime)).toEqual(
			[
				'2024-05-31T12:10',
				'2024-05-31T15:10',
				'2024-05-31T18:10',
				'2024-05-31T21:10',
				'2024-06-01T00:10',
				'2024-06-01T03:10',
				'2024-06-01T06:10',
				'2024-06-01T09:10',
			].map((time) => `${time}:00.000Z`),
		);
		for (const error of errors) {
			expect(Object.keys(error).sort()).toEqual([
				'dateTime',
				'errorMessage',
				'errorNr',
				'operator',
			]);
			expect(typeof error.errorNr).toBe('number');
		}
		const again = await readJson<DurstError[]>(
			await api('/api/v1/printers/P-1001/errors', token, { method: 'POST', body: last24h }),
		);
		expect(again).toEqual(errors);

		// Nothing from the future, even if the range asks for it.
		const future = JSON.stringify({
			startDate: '2024-06-01T12:00:00Z',
			endDate: '2024-06-02T12:00:00Z',
		});
		expect(
			await readJson<DurstError[]>(
				await api('/api/v1/printers/P-1001/errors', token, { method: 'POST', body: future }),
			),
		).toEqual([]);
		// Offsets are honoured: 14:00+02:00 is 12:00Z.
		const zoned = JSON.stringify({
			startDate: '2024-06-01T08:00:00+02:00',
			endDate: '2024-06-01T14:00:00+02:00',
		});
		const inZone = await readJson<DurstError[]>(
			await api('/api/v1/printers/P-1004/errors', token, { method: 'POST', body: zoned }),
		);
		expect(inZone.map((error) => error.dateTime)).toEqual([
			'2024-06-01T06:55:00.000Z',
			'2024-06-01T07:55:00.000Z',
			'2024-06-01T08:55:00.000Z',
			'2024-06-01T09:55:00.000Z',
			'2024-06-01T10:55:00.000Z',
			'2024-06-01T11:55:00.000Z',
		]);
	});

	it('answers 400 for missing or invalid dates', async () => {
		const token = await login();
		const bodies = [
			'',
			'not json',
			'{}',
			JSON.stringify({ startDate: '2024-05-31T12:00:00Z' }),
			JSON.stringify({ startDate: 'yesterday', endDate: '2024-06-01T12:00:00Z' }),
			JSON.stringify({ startDate: 1717156800000, endDate: 1717243200000 }),
			JSON.stringify({ startDate: '2024-06-01T12:00:00Z', endDate: '2024-05-31T12:00:00Z' }),
		];
		for (const path of ['errors', 'inkConsumption', 'jobs']) {
			for (const body of bodies) {
				const response = await api(`/api/v1/printers/P-1001/${path}`, token, {
					method: 'POST',
					body,
				});
				expect(response.status).toBe(400);
				expect(await response.text()).toBe('');
			}
		}
	});

	it('parses ISO 8601 independently of the host time zone', () => {
		expect(parseIsoDate('2024-06-01')).toBe(Date.UTC(2024, 5, 1));
		expect(parseIsoDate('2024-06-01T12:00')).toBe(T0);
		expect(parseIsoDate('2024-06-01T14:00:00.123456+0200')).toBe(T0 + 123);
		expect(parseIsoDate('06/01/2024')).toBeUndefined();
	});

	it('reports ink consumption over a range', async () => {
		const token = await login();
		const ink = await readJson<DurstInkConsumption>(
			await api('/api/v1/printers/P-1001/inkConsumption', token, { method: 'POST', body: last24h }),
		);
		expect(ink).toEqual({
			cyan: 2.88,
			magenta: 2.4,
			yellow: 2.16,
			black: 3.6,
			lightCyan: 0.96,
			lightMagenta: 0.84,
			white: 1.44,
		});
	});

	it('lists jobs and serves job details and job ink consumption', async () => {
		const token = await login();
		const jobs = await readJson<DurstJob[]>(
			await api('/api/v1/printers/P-1001/jobs', token, { method: 'POST', body: last24h }),
		);
		expect(jobs).toHaveLength(12);
		expect(jobs[0]?.startTime).toBe('2024-05-31T12:05:00.000Z');
		expect(jobs.map((job) => job.state)).toEqual([
			...Array<string>(8).fill('Finished'),
			'Aborted',
			'Finished',
			'Finished',
			'Finished',
		]);
		expect(jobs[8]).toEqual({
			id: 10010238502,
			title: 'Trade show wall & backdrop',
			state: 'Aborted',
			numberOfPrints: 37,
			numberOfPrintsDone: 14,
			startTime: '2024-06-01T04:05:00.000Z',
			endTime: '2024-06-01T04:41:00.000Z',
		});
		for (const job of jobs) {
			expect(Object.keys(job).sort()).toEqual([
				'endTime',
				'id',
				'numberOfPrints',
				'numberOfPrintsDone',
				'startTime',
				'state',
				'title',
			]);
			expect(job.numberOfPrintsDone).toBeLessThanOrEqual(job.numberOfPrints);
		}
		const id = jobs[0]?.id ?? 0;
		const detail = await readJson<DurstJobDetail>(
			await api(`/api/v1/printers/P-1001/jobs/${id}`, token),
		);
		expect(detail).toMatchObject({ ...jobs[0], printerId: 'P-1001' });
		expect(detail.printDirection).toMatch(/^(Bidirectional|Unidirectional)$/);
		expect(typeof detail.saturation).toBe('number');
		expect(typeof detail.printPasses).toBe('number');
		expect(typeof detail.passoverlapValue).toBe('number');

		const ink = await readJson<DurstInkConsumption>(
			await api(`/api/v1/printers/P-1001/jobs/${id}/inkConsumption`, token),
		);
		expect(Object.keys(ink)).toEqual([
			'cyan',
			'magenta',
			'yellow',
			'black',
			'lightCyan',
			'lightMagenta',
			'white',
		]);

		expect((await api(`/api/v1/printers/P-1002/jobs/${id}`, token)).status).toBe(404);
		expect((await api('/api/v1/printers/P-1001/jobs/abc', token)).status).toBe(404);
		expect(sim.calls[DURST_ENDPOINTS.job]).toBe(3);
		expect(sim.calls[DURST_ENDPOINTS.jobInkConsumption]).toBe(1);

		// A job that started 25 minutes ago (of 90) is still printing.
		sim.advanceClock(30 * 60_000);
		const nextHour = JSON.stringify({
			startDate: new Date(T0).toISOString(),
			endDate: new Date(T0 + 3_600_000).toISOString(),
		});
		const running = await readJson<DurstJob[]>(
			await api('/api/v1/printers/P-1001/jobs', token, { method: 'POST', body: nextHour }),
		);
		expect(running).toEqual([
			{
				id: 10010238506,
				title: 'Trade show wall & backdrop',
				state: 'Printing',
				numberOfPrints: 20,
				numberOfPrintsDone: 5,
				startTime: '2024-06-01T12:05:00.000Z',
				endTime: null,
			},
		]);
	});

	it('echoes any request without the token and marks the answer', async () => {
		const token = await login();
		const response = await api('/api/v1/echo/sub?a=1&a=2&b=x%20y', token, {
			method: 'PATCH',
			body: JSON.stringify({ hello: 'wörld' }),
			headers: { 'x-custom': 'yes' },
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('x-sim-echo')).toBe('1');
		const echo = await readJson<{
			method: string;
			path: string;
			query: unknown;
			headers: Record<string, string>;
			body: unknown;
		}>(response);
		expect(echo).toMatchObject({
			method: 'PATCH',
			path: '/api/v1/echo/sub',
			query: { a: ['1', '2'], b: 'x y' },
			body: { hello: 'wörld' },
		});
		expect(echo.headers['x-custom']).toBe('yes');
		expect(echo.headers['x-auth-token']).toBeUndefined();
		expect(sim.calls['PATCH /api/v1/echo']).toBe(1);
	});

	it('counts logins, authenticated requests, rejections, endpoints and token-bearing requests', async () => {
		const token = await login();
		await api('/api/v1/printers', token);
		await api('/api/v1/printers/P-1001', token);
		await api('/api/v1/printers/P-1003', token);
		await api('/api/v1/printers', 'bad');
		expect(sim.logins).toBe(1);
		expect(sim.requests).toBe(3);
		expect(sim.rejected).toBe(1);
		expect(sim.tokensIssued).toBe(1);
		expect(sim.totalCalls).toBe(5);
		expect(sim.calls).toEqual({
			[DURST_ENDPOINTS.login]: 1,
			[DURST_ENDPOINTS.printers]: 2,
			[DURST_ENDPOINTS.printer]: 2,
		});
		expect(sim.callsByPath['GET /api/v1/printers/P-1003']).toBe(1);
		expect(sim.tokenBearingRequests.map((entry) => `${entry.host ?? ''} ${entry.path}`)).toEqual([
			`127.0.0.1:${sim.port} /api/v1/printers`,
			`127.0.0.1:${sim.port} /api/v1/printers/P-1001`,
			`127.0.0.1:${sim.port} /api/v1/printers/P-1003`,
			`127.0.0.1:${sim.port} /api/v1/printers`,
		]);
		expect(sim.requestLog[0]?.rawUrl).toBe(
			'/api/v1/login?username=operator&password=s3cr3t%26pa+ss%3F',
		);
		expect(sim.requestLog.map((entry) => entry.status)).toEqual([200, 200, 200, 200, 401]);

		sim.resetCounters();
		expect(sim.calls).toEqual({});
		expect(sim.stats()).toMatchObject({
			totalCalls: 0,
			calls: {},
			logins: 0,
			requests: 0,
			rejected: 0,
			tokensIssued: 0,
			activeTokens: 1,
		});
	});

	it('handles thousands of requests', async () => {
		const token = await login();
		const started = Date.now();
		for (let batch = 0; batch < 40; batch += 1) {
			const responses = await Promise.all(
				Array.from({ length: 50 }, () => api('/api/v1/printers/P-1001', token)),
			);
			expect(responses.every((response) => response.status === 200)).toBe(true);
			await Promise.all(responses.map((response) => response.arrayBuffer()));
		}
		expect(sim.requests).toBe(2000);
		expect(Date.now() - started).toBeLessThan(20_000);
	}, 30_000);
});

describe('shared behaviour', () => {
	let durst: DurstSimulator;

	beforeEach(async () => {
		durst = await DurstSimulator.start();
	});

	afterEach(async () => {
		await durst.stop();
	});

	it('delays answers by latencyMs, settable at run time and over the admin endpoint', async () => {
		durst.latencyMs = 150;
		let started = Date.now();
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(401);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);

		// Admin calls are never delayed.
		started = Date.now();
		const set = await fetch(`${durst.url}/__sim/latency?ms=0`, { method: 'POST' });
		expect(await set.json()).toEqual({ latencyMs: 0 });
		expect(Date.now() - started).toBeLessThan(140);
		expect(durst.latencyMs).toBe(0);

		expect((await fetch(`${durst.url}/__sim/latency?ms=abc`, { method: 'POST' })).status).toBe(400);
		expect(() => {
			durst.latencyMs = -1;
		}).toThrow(RangeError);
	});

	it('injects status failures with a body, a count and a path filter', async () => {
		durst.failNext({ status: 503, body: { error: 'down' }, count: 2, path: '/api/v1/login' });
		expect(durst.pendingFailures).toBe(2);
		const other = await fetch(`${durst.url}/api/v1/printers`);
		expect(other.status).toBe(401);
		for (let i = 0; i < 2; i += 1) {
			const failed = await fetch(`${durst.url}/api/v1/login?username=operator&password=x`);
			expect(failed.status).toBe(503);
			expect(await failed.json()).toEqual({ error: 'down' });
		}
		expect((await fetch(`${durst.url}/api/v1/login?username=operator&password=x`)).status).toBe(
			401,
		);
		expect(durst.injectedFailures).toBe(2);
		expect(durst.logins).toBe(3);
		expect(durst.loginFailures).toBe(1);
		expect(durst.callCount(DURST_ENDPOINTS.login)).toBe(3);

		durst.failNext({ status: 500, path: 'GET /api/v1/printers/{id}' });
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(401);
		const byKey = await fetch(`${durst.url}/api/v1/printers/P-1001`);
		expect(byKey.status).toBe(500);
		expect(await byKey.text()).toBe('');

		durst.failNext({ status: 502, path: '/api/v1/printers/*' });
		expect(
			(await fetch(`${durst.url}/api/v1/printers/P-1004/errors`, { method: 'POST' })).status,
		).toBe(502);
	});

	it('injects connection resets', async () => {
		durst.failNext({ mode: 'reset' });
		// Node's fetch lives in another realm than jest's globals, so match the message, not the class.
		await expect(fetch(`${durst.url}/api/v1/printers`)).rejects.toThrow('fetch failed');
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(401);
		expect(durst.injectedFailures).toBe(1);
		expect(durst.totalCalls).toBe(2);
	});

	it('injects 200 answers with an HTML body', async () => {
		durst.failNext({ mode: 'nonJson' });
		const response = await fetch(
			`${durst.url}/api/v1/login?username=operator&password=${encodeURIComponent('s3cr3t&pa ss?')}`,
		);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		expect(response.headers.get('x-auth-token')).toBeNull();
		expect(await response.text()).toBe(NON_JSON_FAILURE_BODY);
		expect(durst.tokensIssued).toBe(0);
	});

	it('exposes stats, counters, failures, clock and config over /__sim without counting them', async () => {
		await fetch(`${durst.url}/api/v1/printers`);
		let stats = await readJson<SimStats>(await fetch(`${durst.url}/__sim/stats`));
		expect(stats).toMatchObject({
			name: 'durst',
			url: durst.url,
			totalCalls: 1,
			calls: { [DURST_ENDPOINTS.printers]: 1 },
			rejected: 1,
			version: '1.6',
		});

		expect((await fetch(`${durst.url}/__sim/reset-counters`, { method: 'POST' })).status).toBe(200);
		stats = await readJson<SimStats>(await fetch(`${durst.url}/__sim/stats`));
		expect(stats).toMatchObject({ totalCalls: 0, calls: {}, rejected: 0 });

		const fail = await fetch(`${durst.url}/__sim/fail`, {
			method: 'POST',
			body: JSON.stringify({ status: 418, count: 1 }),
		});
		expect(await fail.json()).toEqual({ ok: true, pendingFailures: 1 });
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(418);
		expect(
			(
				await fetch(`${durst.url}/__sim/fail`, {
					method: 'POST',
					body: JSON.stringify({ mode: 'explode' }),
				})
			).status,
		).toBe(400);

		const before = durst.clockMs;
		const clock = await readJson<{ clockMs: number }>(
			await fetch(`${durst.url}/__sim/clock?advanceMs=86400000`, { method: 'POST' }),
		);
		expect(clock.clockMs - before).toBeGreaterThanOrEqual(86_400_000);
		expect(clock.clockMs - before).toBeLessThan(86_400_000 + 5_000);

		const config = await fetch(`${durst.url}/__sim/config`, {
			method: 'POST',
			body: JSON.stringify({ version: '1.4', rejectStatus: 403 }),
		});
		expect(await config.json()).toEqual({
			version: '1.4',
			loginMode: 'normal',
			rejectStatus: 403,
			loginRejectStatus: 401,
		});
		expect(durst.version).toBe('1.4');
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(403);

		const log = await readJson<{ path: string; status: number }[]>(
			await fetch(`${durst.url}/__sim/requests`),
		);
		expect(log.map((entry) => `${entry.path} ${entry.status}`)).toEqual([
			'/api/v1/printers 401',
			'/api/v1/printers 418',
			'/api/v1/printers 403',
		]);
		expect(durst.totalCalls).toBe(2);
		expect((await fetch(`${durst.url}/__sim/nope`)).status).toBe(404);
	});

	it('answers 413 for an oversized body', async () => {
		const small = await DurstSimulator.start({ maxBodyBytes: 1000 });
		try {
			const token = small.issueToken('operator');
			const response = await fetch(`${small.url}/api/v1/echo`, {
				method: 'POST',
				headers: { 'x-auth-token': token },
				body: 'x'.repeat(5000),
			});
			expect(response.status).toBe(413);
			const fine = await fetch(`${small.url}/api/v1/echo`, {
				method: 'POST',
				headers: { 'x-auth-token': token },
				body: 'x'.repeat(1000),
			});
			expect(((await fine.json()) as { body: string }).body).toHaveLength(1000);
		} finally {
			await small.stop();
		}
	});

	it('stops promptly with open keep-alive connections, frees the port, and can restart', async () => {
		const port = durst.port;
		await fetch(`${durst.url}/api/v1/printers`);
		durst.latencyMs = 10_000;
		const pending = fetch(`${durst.url}/api/v1/printers`).then(
			() => 'answered',
			() => 'failed',
		);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const started = Date.now();
		await durst.stop();
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(await pending).toBe('failed');
		expect(durst.isRunning).toBe(false);

		const reuse = createServer();
		await new Promise<void>((resolve) => reuse.listen(port, '127.0.0.1', resolve));
		expect((reuse.address() as AddressInfo).port).toBe(port);
		await new Promise((resolve) => reuse.close(resolve));

		durst.latencyMs = 0;
		await durst.start();
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(401);
	});

	it('refuses to start on a port in use', async () => {
		await expect(new DurstSimulator({ port: durst.port }).start()).rejects.toThrow(/EADDRINUSE/);
	});
});

describe('cli', () => {
	it('parses arguments', () => {
		expect(parseCliArgs([])).toEqual({ watcherPort: 5601, durstPort: 5602, latencyMs: undefined });
		expect(parseCliArgs(['--watcher-port', '0', '--durst-port=7000', '--latency-ms', '5'])).toEqual(
			{ watcherPort: 0, durstPort: 7000, latencyMs: 5 },
		);
		expect(() => parseCliArgs(['--watcher-port', 'x'])).toThrow(/port/);
		expect(() => parseCliArgs(['--bogus'])).toThrow(/unknown argument/);
	});

	it('starts both simulators', async () => {
		const running = await startSimulators({ watcherPort: 0, durstPort: 0, latencyMs: 1 });
		try {
			expect(running.watcher.latencyMs).toBe(1);
			expect(
				(await fetch(`${running.watcher.url}/vsaas/api/v2/cameras?limit=1`, { headers: KEY }))
					.status,
			).toBe(200);
			expect((await fetch(`${running.durst.url}/api/v1/printers`)).status).toBe(401);
		} finally {
			await running.stop();
		}
		expect(running.watcher.isRunning).toBe(false);
		expect(running.durst.isRunning).toBe(false);
	});
});
