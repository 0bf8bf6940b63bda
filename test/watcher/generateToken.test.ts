/** Generate Token: what the node sends Watcher for each option, and what it returns. */
import type { IDataObject } from 'n8n-workflow';

import { listSearch, WATCHER_TYPE } from '../harness/engine';
import { WATCHER_SPECIAL_LOGIN } from '../../tools/simulators/watcher';
import { API_KEY, byEmail, credentials, run, sim, useWatcherSimulator } from './support';

useWatcherSimulator();

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

	test('an API key pasted with spaces or a line break around it still works', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { apiKey: `  ${API_KEY}\n` } },
		);
		expect(result.error).toBeUndefined();
		expect(sim.requestLog.at(-1)?.headers['x-vsaas-api-key']).toBe(API_KEY);
	});
});
