/** Log In against the API versions Durst Analytics has shipped, and how a failed login reads. */
import { errorOf, expectNoSecrets } from '../harness/assertions';
import { DurstSimulator } from '../../tools/simulators/durst';
import {
	DAY,
	expectLogsWithoutSecrets,
	logIn,
	printers,
	run,
	secrets,
	sim,
	user,
	useDurstSimulator,
} from './support';

useDurstSimulator();

describe('login shapes', () => {
	test.each(['1.4', '1.6', 'header-only'] as const)(
		'version %s: the token from the header, the user name from the body',
		async (version) => {
			sim.version = version;
			const result = await run([logIn()]);
			const [item] = result.output();
			expect(item.json).toEqual({
				userName: user.username,
				xAuthToken: expect.any(String),
				expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				fromCache: false,
			});
			expect(sim.isTokenValid(item.json.xAuthToken as string)).toBe(true);
			expect(sim.logins).toBe(1);
			const expires = Date.parse(item.json.expiresAt as string);
			expect(expires).toBeGreaterThan(Date.now() + 9.9 * DAY);
			expect(expires).toBeLessThanOrEqual(Date.now() + 10 * DAY);
		},
	);

	test.each<[string, { userName: string; xAuthToken?: string; x_auth_token?: string }, string]>([
		[
			'x_auth_token (v1.6 body) when there is no header',
			{ userName: 'u16', xAuthToken: 'old-field', x_auth_token: 'tok-16' },
			'tok-16',
		],
		[
			'xAuthToken (v1.4 body) when there is no header',
			{ userName: 'u14', xAuthToken: 'tok-14' },
			'tok-14',
		],
	])('the token from %s', async (_label, body, expected) => {
		sim.failNext({ status: 200, body, path: '/api/v1/login' });
		const result = await run([logIn()]);
		expect(result.output()[0].json).toMatchObject({
			xAuthToken: expected,
			userName: body.userName,
		});
	});

	test('the user name may come as "username"', async () => {
		sim.failNext({
			status: 200,
			body: { username: 'lower', xAuthToken: 'tok' },
			path: '/api/v1/login',
		});
		expect((await run([logIn()])).output()[0].json.userName).toBe('lower');
	});

	test('username and password with &, space, +, #, % and non-ASCII are URL-encoded', async () => {
		const odd = { username: 'jürgen+admin', password: 'p+q=r#1/ü%20;' };
		sim.setUsers([odd]);
		const result = await run([logIn()], { credentialOverrides: odd });
		expect(result.output()[0].json.userName).toBe('jürgen+admin');
		expect(sim.loginFailures).toBe(0);
	});

	test('a 200 without any token is a clear error', async () => {
		sim.loginMode = 'noToken';
		const result = await run([logIn()]);
		expect(errorOf(result).message).toBe('Durst Analytics accepted the login but sent no token');
		expectNoSecrets(result, secrets());
	});

	test.each([401, 403] as const)(
		'%s: "Durst Analytics rejected the username or password", without the password',
		async (status) => {
			sim.loginRejectStatus = status;
			const result = await run([logIn()], { credentialOverrides: { password: 'wrong pass&word' } });
			expect(errorOf(result).message).toBe('Durst Analytics rejected the username or password');
			expectNoSecrets(result, [...secrets(), 'wrong pass&word']);
		},
	);

	test('404: no Durst Analytics API at this URL', async () => {
		const result = await run([logIn()], {
			credentialOverrides: { baseUrl: `${sim.url}/elsewhere` },
		});
		expect(errorOf(result).message).toBe(
			'No Durst Analytics API at this URL: check the Server URL',
		);
		expectNoSecrets(result, secrets());
	});

	test('a trailing /api/v1 or slash in the server URL is tolerated', async () => {
		const result = await run([printers()], {
			credentialOverrides: { baseUrl: `${sim.url}/api/v1/` },
		});
		expect(result.output()).toHaveLength(4);
	});

	test('a server that is down is named, and the password is not shown', async () => {
		const down = await DurstSimulator.start();
		const url = down.url;
		await down.stop();
		const result = await run([logIn()], { credentialOverrides: { baseUrl: url } });
		expect(errorOf(result).message).toBe(
			`Could not connect to Durst Analytics at ${new URL(url).host}: connection refused`,
		);
		expectNoSecrets(result, secrets());
	});

	test('a failing login (500) shows no password', async () => {
		sim.failNext({ status: 500, body: 'boom', path: '/api/v1/login' });
		const result = await run([logIn()]);
		expect(errorOf(result).message).toBe('The Durst Analytics login failed with status 500');
		expectNoSecrets(result, secrets());
	});
});

expectLogsWithoutSecrets(['wrong pass&word']);
