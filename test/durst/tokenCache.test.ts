/**
 * The Durst Analytics token cache seen through n8n's engine: one login serves later executions, in
 * this process (memory) and in a new one (the workflow's static data, encrypted), and each way a
 * saved token stops being good leads to exactly one new login.
 */
import type { IDataObject } from 'n8n-workflow';

import { errorOf, expectNoSecrets } from '../harness/assertions';
import { DURST_ENDPOINTS } from '../../tools/simulators/durst';
import { STATIC_DATA_FIELD } from '../../nodes/DurstAnalytics/tokenCache/cache';
import {
	DAY,
	durst,
	expectLogsWithoutSecrets,
	freshProcess,
	logIn,
	printer,
	printers,
	run,
	secrets,
	sim,
	tokenEntries,
	user,
	useDurstSimulator,
} from './support';

useDurstSimulator();

// A new process is a fresh module registry that loads n8n-core again: seconds on a busy machine.
jest.setTimeout(90_000);

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
					? `Durst Analytics refused the token of a new login of the user "${user.username}" at GET /api/v1/printers (status 401)`
					: `The Durst Analytics user "${user.username}" may not call GET /api/v1/printers (status 403)`,
			);
			expect(sim.logins).toBe(2);
			expect(sim.callCount(DURST_ENDPOINTS.printers)).toBe(3);
			expectNoSecrets(result, secrets());
		},
	);

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

expectLogsWithoutSecrets();
