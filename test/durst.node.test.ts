import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { errorOf, expectNoSecrets, n8nLogText } from './harness/assertions';
import type { NodeSpec, RunOptions, RunResult } from './harness/engine';
import * as engine from './harness/engine';
import { DURST_ENDPOINTS, DurstSimulator } from '../tools/simulators/durst';
import { STATIC_DATA_FIELD } from '../nodes/DurstAnalytics/tokenCache/cache';

const { DURST_TYPE, listSearch } = engine;

const USERNAME = 'operator';
const PASSWORD = 's3cr3t&pa ss?';
const DAY = 86_400_000;

let sim: DurstSimulator;
const allPasswords: string[] = [];
/** Each test gets its own user, so the process-memory layer of one test cannot serve another. */
let user: { username: string; password: string };
let userCounter = 0;

beforeAll(async () => {
	sim = await DurstSimulator.start();
});

afterAll(async () => {
	await sim.stop();
});

beforeEach(() => {
	userCounter += 1;
	user = { username: `${USERNAME}-${userCounter}`, password: `${PASSWORD}-${userCounter}` };
	allPasswords.push(user.password);
	sim.setUsers([user, { username: USERNAME, password: PASSWORD }]);
	sim.resetCounters();
	sim.clearRequestLog();
	sim.clearFailures();
	sim.latencyMs = 0;
	sim.version = '1.6';
	sim.loginMode = 'normal';
	sim.rejectStatus = 401;
	sim.loginRejectStatus = 401;
});

function credentials(overrides: IDataObject = {}) {
	return {
		durstAnalyticsApi: { baseUrl: sim.url, ...user, ignoreSslIssues: false, ...overrides },
	};
}

function durst(parameters: INodeParameters, extra: Partial<NodeSpec> = {}): NodeSpec {
	return { type: DURST_TYPE, parameters, ...extra };
}

type RunExtras = Partial<Omit<RunOptions, 'nodes'>> & {
	credentialOverrides?: IDataObject;
	runner?: typeof engine.runNodes;
};

async function run(nodes: NodeSpec[], extras: RunExtras = {}): Promise<RunResult> {
	const { credentialOverrides, runner, ...rest } = extras;
	return await (runner ?? engine.runNodes)({
		nodes,
		items: [{}],
		credentials: credentials(credentialOverrides),
		...rest,
	});
}

const logIn = (options: INodeParameters = {}) =>
	durst({ resource: 'auth', operation: 'login', options });
const printers = (options: INodeParameters = {}) =>
	durst({ resource: 'printer', operation: 'getAll', returnAll: true, options });
const printer = (id: string) => ({ __rl: true, mode: 'id', value: id });

/** A new n8n process: a fresh module registry, so the process-memory layer is empty. */
function freshProcess(): typeof engine.runNodes {
	let runner: typeof engine.runNodes | undefined;
	jest.isolateModules(() => {
		runner = (require('./harness/engine') as typeof engine).runNodes;
	});
	if (!runner) throw new Error('could not load a fresh engine');
	return runner;
}

/** The package's token entries in saved static data (n8n keeps a node's 'global' static data under `global`). */
function tokenEntries(saved: IDataObject | undefined): Record<string, IDataObject> {
	const global = saved?.global as IDataObject | undefined;
	const root = global?.[STATIC_DATA_FIELD] as IDataObject | undefined;
	if (!root) throw new Error(`no ${STATIC_DATA_FIELD} in static data: ${JSON.stringify(saved)}`);
	return root.durstTokens as Record<string, IDataObject>;
}

function secrets(...tokens: string[]): string[] {
	return [user.password, PASSWORD, ...tokens];
}

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
			'No Durst Analytics API at this URL: check the server URL',
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

describe('the token cache', () => {
	test('a second execution with the saved static data makes 0 login calls, in a new process', async () => {
		const first = await run([logIn(), printers()]);
		expect(sim.logins).toBe(1);
		expect(first.savedStaticData).toBeDefined();
		const token = first.output('Node 1')[0].json.xAuthToken as string;

		const second = await run([logIn(), printers()], {
			staticData: first.savedStaticData,
			runner: freshProcess(),
		});
		expect(sim.logins).toBe(1);
		expect(second.output('Node 1')[0].json).toMatchObject({ xAuthToken: token, fromCache: true });
		expect(second.output()).toHaveLength(4);
		// Nothing changed, so n8n is not asked to save the workflow again.
		expect(second.savedStaticData).toBeUndefined();
	});

	test('without static data (a manual run) the process-memory layer serves the next run', async () => {
		await run([printers()]);
		await run([printers()]);
		await run([printers()]);
		expect(sim.logins).toBe(1);
		expect(sim.requests).toBe(3);
	});

	test('two Durst nodes in one workflow, and many items, share one login', async () => {
		const result = await run([
			logIn(),
			printers(),
			durst({ resource: 'printer', operation: 'get', printerId: printer('={{ $json.id }}') }),
		]);
		expect(result.output()).toHaveLength(4);
		expect(sim.logins).toBe(1);
		expect(sim.requests).toBe(5);
	});

	test('the saved static data holds neither the token nor the password', async () => {
		const result = await run([logIn()]);
		const token = result.output()[0].json.xAuthToken as string;
		const saved = JSON.stringify(result.savedStaticData);
		expect(saved).toContain(STATIC_DATA_FIELD);
		for (const secret of [token, user.password]) {
			expect(saved).not.toContain(secret);
			expect(saved).not.toContain(encodeURIComponent(secret));
			expect(saved).not.toContain(Buffer.from(secret).toString('base64'));
			expect(saved).not.toContain(Buffer.from(secret).toString('hex'));
		}
	});

	test('Analytics restarted: exactly one re-login, then success', async () => {
		const warm = await run([printers()]);
		sim.restart();
		const result = await run([printers()], {
			staticData: warm.savedStaticData,
			runner: freshProcess(),
		});
		expect(result.output()).toHaveLength(4);
		expect(sim.logins).toBe(2);
		expect(sim.rejected).toBe(1);
	});

	test.each([401, 403] as const)(
		'a second refusal (%s) after the fresh login is a clear error, not a loop',
		async (status) => {
			await run([printers()]);
			sim.failNext({ status, count: 5, path: '/api/v1/printers' });
			const result = await run([printers()]);
			// A 401 is always a dead token; a 403 of the printer list (which every user may read) too.
			expect(errorOf(result).message).toBe(
				status === 401
					? `Durst Analytics refused the token of a new login of the user "${user.username}" at GET /api/v1/printers (401)`
					: `The Durst Analytics user "${user.username}" may not call GET /api/v1/printers (403)`,
			);
			expect(sim.logins).toBe(2);
			expect(sim.callCount(DURST_ENDPOINTS.printers)).toBe(3);
			expectNoSecrets(result, secrets());
		},
	);

	test('100 parallel executions in one process make exactly one login', async () => {
		sim.latencyMs = 30;
		const results = await Promise.all(
			Array.from({ length: 100 }, async () => await run([logIn()], { staticData: {} })),
		);
		const tokens = new Set(results.map((result) => result.output()[0].json.xAuthToken));
		expect(tokens.size).toBe(1);
		expect(sim.logins).toBe(1);
		expect(results.filter((result) => result.output()[0].json.fromCache === false)).toHaveLength(1);
	});

	test('concurrent items that all hit a restart share one re-login', async () => {
		await run([printers()]);
		sim.restart();
		sim.latencyMs = 20;
		const items = Array.from({ length: 20 }, () => ({ id: 'P-1001' }));
		const result = await run(
			[
				durst({
					resource: 'printer',
					operation: 'get',
					printerId: printer('={{ $json.id }}'),
					options: { maxConcurrency: 10 },
				}),
			],
			{ items },
		);
		expect(result.output()).toHaveLength(20);
		expect(sim.logins).toBe(2);
	});

	test.each([
		[{}, 10],
		[{ maxConcurrency: 1 }, 1],
		[{ maxConcurrency: 25 }, 25],
	])('Max Concurrent Requests %j: %i requests in flight at most', async (options, inFlight) => {
		await run([printers()]);
		sim.latencyMs = 50;
		sim.resetCounters();
		const items = Array.from({ length: 30 }, () => ({ id: 'P-1002' }));
		const result = await run(
			[
				durst({
					resource: 'printer',
					operation: 'get',
					printerId: printer('={{ $json.id }}'),
					options,
				}),
			],
			{ items },
		);
		expect(result.output()).toHaveLength(30);
		expect(sim.peakInFlight).toBe(inFlight);
	});

	test('a changed password does not reuse the old entry: new login, entry replaced', async () => {
		const first = await run([logIn()]);
		const oldEntries = tokenEntries(first.savedStaticData);
		const newPassword = `${user.password}-changed`;
		sim.setUsers([{ username: user.username, password: newPassword }]);
		const second = await run([logIn()], {
			staticData: first.savedStaticData,
			credentialOverrides: { password: newPassword },
		});
		expect(second.output()[0].json.fromCache).toBe(false);
		expect(sim.logins).toBe(2);
		const newEntries = tokenEntries(second.savedStaticData);
		expect(Object.keys(newEntries)).toEqual(Object.keys(oldEntries));
		expect(newEntries).not.toEqual(oldEntries);
	});

	test('an expired token (10 days) leads to a new login', async () => {
		const first = await run([logIn()]);
		jest.useFakeTimers({
			doNotFake: [
				'nextTick',
				'setImmediate',
				'clearImmediate',
				'setTimeout',
				'clearTimeout',
				'setInterval',
				'clearInterval',
				'queueMicrotask',
				'hrtime',
				'performance',
			],
		});
		try {
			jest.setSystemTime(Date.now() + 10 * DAY);
			sim.advanceClock(10 * DAY);
			const second = await run([logIn(), printers()], { staticData: first.savedStaticData });
			expect(second.output('Node 1')[0].json.fromCache).toBe(false);
			expect(second.output()).toHaveLength(4);
			expect(sim.logins).toBe(2);
		} finally {
			jest.useRealTimers();
			sim.setClock(Date.now());
		}
	});

	test('a cache entry that does not decrypt is treated as absent', async () => {
		const first = await run([logIn()]);
		const saved = structuredClone(first.savedStaticData) as IDataObject;
		const entry = Object.values(tokenEntries(saved))[0];
		const data = Buffer.from(entry.data as string, 'base64');
		data[0] ^= 0xff;
		entry.data = data.toString('base64');
		const second = await run([logIn()], { staticData: saved, runner: freshProcess() });
		expect(second.output()[0].json.fromCache).toBe(false);
		expect(sim.logins).toBe(2);
	});

	test('expired and foreign entries are pruned; other static data is left alone', async () => {
		const staticData: IDataObject = {
			'node:Other': { counter: 1 },
			global: {
				otherNode: { counter: 3 },
				[STATIC_DATA_FIELD]: {
					durstTokens: {
						expired: {
							v: 1,
							salt: 'a',
							iv: 'b',
							tag: 'c',
							data: 'd',
							obtainedAt: '2020-01-01T00:00:00.000Z',
							expiresAt: '2020-01-10T00:00:00.000Z',
						},
						foreign: { hello: 'world' },
					},
				},
			},
		};
		const result = await run([logIn()], { staticData });
		const saved = result.savedStaticData as IDataObject;
		expect(saved['node:Other']).toEqual({ counter: 1 });
		expect((saved.global as IDataObject).otherNode).toEqual({ counter: 3 });
		const entries = tokenEntries(saved);
		expect(Object.keys(entries)).toHaveLength(1);
		expect(entries).not.toHaveProperty('expired');
		expect(entries).not.toHaveProperty('foreign');
	});

	test('Force New Login replaces a valid token', async () => {
		const first = await run([logIn()]);
		const second = await run([logIn({ forceNewLogin: true })], {
			staticData: first.savedStaticData,
		});
		expect(second.output()[0].json.fromCache).toBe(false);
		expect(second.output()[0].json.xAuthToken).not.toBe(first.output()[0].json.xAuthToken);
		expect(sim.logins).toBe(2);
		const third = await run([logIn()], {
			staticData: second.savedStaticData,
			runner: freshProcess(),
		});
		expect(third.output()[0].json.xAuthToken).toBe(second.output()[0].json.xAuthToken);
		expect(sim.logins).toBe(2);
	});

	test('Forget Token drops the token from memory and static data', async () => {
		const first = await run([logIn()]);
		const forget = await run([durst({ resource: 'auth', operation: 'forgetToken' })], {
			staticData: first.savedStaticData,
		});
		expect(forget.output()[0].json).toEqual({ forgotten: true });
		expect(tokenEntries(forget.savedStaticData)).toEqual({});
		const after = await run([logIn()], { staticData: forget.savedStaticData });
		expect(after.output()[0].json.fromCache).toBe(false);
		expect(sim.logins).toBe(2);
	});

	test("the token appears only in Log In's output", async () => {
		const result = await run(
			[
				logIn(),
				printers(),
				durst({
					resource: 'request',
					operation: 'send',
					method: 'GET',
					path: '/api/v1/echo',
					options: { fullResponse: true },
				}),
			],
			{
				items: [{}],
			},
		);
		const token = result.output('Node 1')[0].json.xAuthToken as string;
		expect(JSON.stringify(result.output('Node 2'))).not.toContain(token);
		expect(JSON.stringify(result.output('Node 3'))).not.toContain(token);
	});
});

describe('Max Concurrent Requests', () => {
	test('output order and pairedItem follow the input; per-item errors stay in place; one login', async () => {
		sim.latencyMs = 15;
		const ids = [
			'P-1004',
			'P-1001',
			'NOPE',
			'P-1003',
			'P-1002',
			'P-1001',
			'P-1004',
			'NOPE',
			'P-1002',
			'P-1003',
			'P-1001',
			'P-1002',
		];
		const result = await run(
			[
				durst(
					{
						resource: 'printer',
						operation: 'get',
						printerId: printer('={{ $json.id }}'),
						options: { maxConcurrency: 6 },
					},
					{ continueOnFail: true },
				),
			],
			{ items: ids.map((id) => ({ id })) },
		);
		const output = result.output();
		expect(output.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		expect(output.map((item) => item.json.id ?? item.json.error)).toEqual(
			ids.map((id) =>
				id === 'NOPE' ? 'Durst Analytics found nothing at GET /api/v1/printers/NOPE (404)' : id,
			),
		);
		expect(sim.logins).toBe(1);
		expect(sim.callCount(DURST_ENDPOINTS.printer)).toBe(12);
	});

	test('without continueOnFail the first failing item by order is reported', async () => {
		const result = await run(
			[
				durst({
					resource: 'printer',
					operation: 'get',
					printerId: printer('={{ $json.id }}'),
					options: { maxConcurrency: 4 },
				}),
			],
			{ items: [{ id: 'P-1001' }, { id: 'BAD-1' }, { id: 'BAD-2' }, { id: 'P-1002' }] },
		);
		expect(errorOf(result).message).toBe(
			'Durst Analytics found nothing at GET /api/v1/printers/BAD-1 (404)',
		);
	});

	test.each([0, 51, 2.5])(
		'%s is refused with a message naming the option',
		async (maxConcurrency) => {
			const result = await run([
				durst({
					resource: 'printer',
					operation: 'getAll',
					returnAll: true,
					options: { maxConcurrency },
				}),
			]);
			expect(errorOf(result).message).toMatch(
				/^"Max Concurrent Requests" must be a whole number from 1 to 50/,
			);
			expect(sim.totalCalls).toBe(0);
		},
	);
});

describe('confinement of the custom call', () => {
	let evil: http.Server;
	let evilHits = 0;
	let evilUrl: string;

	beforeAll(async () => {
		evil = http.createServer((_req, res) => {
			evilHits += 1;
			res.end('{}');
		});
		await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
		evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		evil.closeAllConnections();
		await new Promise((resolve) => evil.close(resolve));
	});

	test.each([
		['an absolute URL', () => `${evilUrl}/api/v1/printers`],
		['an absolute URL to the same server', () => `${sim.url}/api/v1/printers`],
		['a protocol-relative URL', () => `//127.0.0.1:${new URL(evilUrl).port}/x`],
		['a backslash host', () => `\\\\127.0.0.1:${new URL(evilUrl).port}\\x`],
		['a slash-backslash host', () => `/\\127.0.0.1:${new URL(evilUrl).port}/x`],
		['another scheme', () => 'javascript:alert(1)'],
		['a file URL', () => 'file:///etc/passwd'],
		['a path with a space', () => '/api/v1/echo x'],
		['an empty path', () => '={{ "" }}'],
	])('%s is refused before any request', async (_label, pathOf) => {
		evilHits = 0;
		const result = await run([
			durst({ resource: 'request', operation: 'send', method: 'GET', path: pathOf() }),
		]);
		expect(errorOf(result).message).toMatch(/^The "Path" is not allowed: /);
		expect(sim.totalCalls).toBe(0);
		expect(evilHits).toBe(0);
		expectNoSecrets(result, secrets());
	});

	test('a path without a leading slash is taken as relative to the server', async () => {
		const result = await run([
			durst({ resource: 'request', operation: 'send', method: 'GET', path: 'api/v1/echo' }),
		]);
		expect(result.output()[0].json.path).toBe('/api/v1/echo');
	});

	test('a user header cannot replace the token: it is refused before any request, naming the header', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'GET',
				path: '/api/v1/echo',
				headerParameters: {
					header: [
						{ name: 'X-Auth-Token', value: 'forged' },
						{ name: 'X-Trace', value: 't-1' },
					],
				},
			}),
		]);
		expect(errorOf(result).message).toBe(
			'The header "X-Auth-Token" cannot be sent: the node sets this header itself',
		);
		expect(sim.tokenBearingRequests).toHaveLength(0);
	});

	test('extra headers go along with the token, and every token-bearing request reached the server itself', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'GET',
				path: '/api/v1/echo',
				headerParameters: { header: [{ name: 'X-Trace', value: 't-1' }] },
			}),
		]);
		expect(result.output()[0].json.headers).toMatchObject({ 'x-trace': 't-1' });
		const log = sim.tokenBearingRequests;
		expect(log.length).toBeGreaterThan(0);
		for (const entry of log) {
			expect(sim.isTokenValid(entry.headers['x-auth-token'] as string)).toBe(true);
		}
	});
});

describe('Custom API Call', () => {
	test('GET with query parameters and headers returns the body', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'GET',
				path: '/api/v1/echo',
				queryParameters: {
					parameter: [
						{ name: 'a', value: '1 2' },
						{ name: 'b', value: 'x&y' },
					],
				},
			}),
		]);
		const body = result.output()[0].json;
		expect(body).toMatchObject({
			method: 'GET',
			path: '/api/v1/echo',
			query: { a: '1 2', b: 'x&y' },
		});
		expect(JSON.stringify(body.headers)).not.toContain('x-auth-token');
	});

	test('POST sends the JSON body', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'POST',
				path: '/api/v1/echo',
				jsonBody: '{"startDate":"2026-01-01T00:00:00Z","n":[1,2]}',
			}),
		]);
		expect(result.output()[0].json.body).toEqual({ startDate: '2026-01-01T00:00:00Z', n: [1, 2] });
	});

	test('a list answer becomes one item per element', async () => {
		const result = await run([
			durst({ resource: 'request', operation: 'send', method: 'GET', path: '/api/v1/printers' }),
		]);
		expect(result.output().map((item) => item.json.id)).toEqual([
			'P-1001',
			'P-1002',
			'P-1003',
			'P-1004',
		]);
	});

	test('Full Response gives status, headers without x-auth-token, and body', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'DELETE',
				path: '/api/v1/echo',
				options: { fullResponse: true },
			}),
		]);
		const item = result.output()[0].json;
		expect(item.statusCode).toBe(200);
		expect(item.headers).toMatchObject({ 'x-sim-echo': '1' });
		expect(Object.keys(item.headers as IDataObject).map((h) => h.toLowerCase())).not.toContain(
			'x-auth-token',
		);
		expect(item.body).toMatchObject({ method: 'DELETE' });
	});

	test('JSON Body that is not JSON is an error naming the field, before any request', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'POST',
				path: '/api/v1/echo',
				jsonBody: '{nope',
			}),
		]);
		expect(errorOf(result).message).toBe('"JSON Body" is not a JSON object or array');
		expect(sim.totalCalls).toBe(0);
	});

	test('an HTTP error of the API is reported with status and call, without secrets', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'GET',
				path: '/api/v1/printers/NOPE',
			}),
		]);
		expect(errorOf(result).message).toBe(
			'Durst Analytics found nothing at GET /api/v1/printers/NOPE (404)',
		);
		expectNoSecrets(result, secrets());
	});
});

describe('printers and jobs', () => {
	const range = {
		startDate: '={{ $now.minus({ days: 1 }).toISO() }}',
		endDate: '={{ $now.toISO() }}',
	};

	test('Printer: Get Many returns one item per printer, and Limit applies', async () => {
		expect((await run([printers()])).output().map((item) => item.json.status)).toEqual([
			'Running',
			'Idle',
			'Setup',
			'Breakdown',
		]);
		const limited = await run([
			durst({ resource: 'printer', operation: 'getAll', returnAll: false, limit: 2 }),
		]);
		expect(limited.output()).toHaveLength(2);
	});

	test('Printer: Get returns the ink level', async () => {
		const result = await run([
			durst({ resource: 'printer', operation: 'get', printerId: printer('P-1004') }),
		]);
		expect(result.output()[0].json).toMatchObject({
			id: 'P-1004',
			status: 'Breakdown',
			inkLevelPercent: 12,
		});
	});

	test('the printer picker lists printers and filters them', async () => {
		const all = await listSearch(
			{ type: DURST_TYPE, parameters: {} },
			credentials(),
			'searchPrinters',
		);
		expect(all.results.map((r) => r.value)).toEqual(['P-1001', 'P-1002', 'P-1003', 'P-1004']);
		expect(all.results[0].name).toContain('Rho 1312');
		const some = await listSearch(
			{ type: DURST_TYPE, parameters: {} },
			credentials(),
			'searchPrinters',
			'breakdown',
		);
		expect(some.results.map((r) => r.value)).toEqual(['P-1004']);
	});

	test('Printer: Get Errors of the last 24 hours, one item per error, dates sent as ISO 8601', async () => {
		const result = await run([
			durst({
				resource: 'printer',
				operation: 'getErrors',
				printerId: printer('P-1001'),
				returnAll: true,
				...range,
			}),
		]);
		const errors = result.output();
		expect(errors.length).toBeGreaterThan(0);
		for (const { json } of errors) {
			expect(json.printerId).toBe('P-1001');
			expect(Date.parse(json.dateTime as string)).toBeGreaterThan(Date.now() - DAY - 60_000);
			expect(json).toHaveProperty('errorNr');
		}
	});

	test('Printer: Get Ink Consumption gives litres per colour', async () => {
		const result = await run([
			durst({
				resource: 'printer',
				operation: 'getInkConsumption',
				printerId: printer('P-1001'),
				...range,
			}),
		]);
		const [item] = result.output();
		expect(item.json.printerId).toBe('P-1001');
		expect((item.json.litres as IDataObject).cyan).toEqual(expect.any(Number));
	});

	test('Job: Get Many, Get and Get Ink Consumption', async () => {
		const jobs = await run([
			durst({
				resource: 'job',
				operation: 'getAll',
				printerId: printer('P-1002'),
				returnAll: true,
				...range,
			}),
		]);
		expect(jobs.output().length).toBeGreaterThan(0);
		const jobId = String(jobs.output()[0].json.id);
		const job = await run([
			durst({ resource: 'job', operation: 'get', printerId: printer('P-1002'), jobId }),
		]);
		expect(String(job.output()[0].json.id)).toBe(jobId);
		expect(job.output()[0].json).toHaveProperty('numberOfPrints');
		const ink = await run([
			durst({
				resource: 'job',
				operation: 'getInkConsumption',
				printerId: printer('P-1002'),
				jobId,
			}),
		]);
		expect(ink.output()[0].json).toMatchObject({
			printerId: 'P-1002',
			jobId,
			litres: expect.any(Object),
		});
		expect(sim.logins).toBe(1);
	});

	test('Start Date after End Date is an error naming both, before any request', async () => {
		const result = await run([
			durst({
				resource: 'printer',
				operation: 'getErrors',
				printerId: printer('P-1001'),
				startDate: '2026-02-01T00:00:00Z',
				endDate: '2026-01-01T00:00:00Z',
			}),
		]);
		expect(errorOf(result).message).toBe('"Start Date" must be before "End Date"');
		expect(sim.totalCalls).toBe(0);
	});

	test('a date that is not a date is an error naming the field', async () => {
		const result = await run([
			durst({
				resource: 'job',
				operation: 'getAll',
				printerId: printer('P-1001'),
				startDate: '={{ "last week" }}',
				endDate: '2026-01-01T00:00:00Z',
			}),
		]);
		expect(errorOf(result).message).toMatch(/^"Start Date" is not a date/);
	});

	test('an empty Printer from an expression is an error naming the field', async () => {
		const result = await run(
			[durst({ resource: 'printer', operation: 'get', printerId: printer('={{ $json.id }}') })],
			{ items: [{ id: '' }] },
		);
		expect(errorOf(result).message).toBe('The "Printer" is empty');
	});

	test('continueOnFail: an unknown printer gives an error item paired with its input; the others succeed', async () => {
		const result = await run(
			[
				durst(
					{ resource: 'printer', operation: 'get', printerId: printer('={{ $json.id }}') },
					{ continueOnFail: true },
				),
			],
			{ items: [{ id: 'P-1001' }, { id: 'NOPE' }, { id: 'P-1003' }] },
		);
		const output = result.output();
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.id).toBe('P-1001');
		expect(output[1].json.error).toBe(
			'Durst Analytics found nothing at GET /api/v1/printers/NOPE (404)',
		);
		expect(output[2].json.id).toBe('P-1003');
		expectNoSecrets(result, secrets());
	});

	test('an ID cannot change the path', async () => {
		const result = await run([
			durst({ resource: 'printer', operation: 'get', printerId: printer('../echo') }),
		]);
		expect(errorOf(result).message).toBe('The "Printer" holds a "/" or "\\", which no ID has');
		expect(sim.calls['GET /api/v1/echo'] ?? 0).toBe(0);
	});
});

describe('logs', () => {
	test('n8n logged the failures of this suite, and no secret is in any log line', () => {
		const text = n8nLogText();
		expect(text).toMatch(/error|not|refused|rejected/i);
		for (const secret of [PASSWORD, 'wrong pass&word', ...allPasswords]) {
			expect(text).not.toContain(secret);
			expect(text).not.toContain(encodeURIComponent(secret));
		}
	});
});
