/**
 * Durst simulator, login side: login formats, query encoding, rejections, token expiry, counters.
 * Real HTTP throughout, so that the node tests built on the simulators test the nodes, not a fake.
 */
import { DURST_ENDPOINTS, DURST_TOKEN_TTL_MS, DurstSimulator } from '../../tools/simulators/durst';
import { T0, durstApi, durstLogin, durstLoginUrl, fixedClock } from './testSupport';

describe('DurstSimulator: login and tokens', () => {
	let sim: DurstSimulator;

	beforeEach(async () => {
		sim = await DurstSimulator.start({ now: fixedClock });
	});

	afterEach(async () => {
		await sim.stop();
	});

	const loginUrl = (username: string, password: string): string =>
		durstLoginUrl(sim, username, password);
	const login = (username?: string, password?: string): Promise<string> =>
		durstLogin(sim, username, password);
	const api = (path: string, token: string | undefined, init?: RequestInit): Promise<Response> =>
		durstApi(sim, path, token, init);

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
