/**
 * Watcher simulator, v2 API: the API key, body validation, users, cameras, unknown paths.
 * Real HTTP throughout, so that the node tests built on the simulators test the nodes, not a fake.
 */
import {
	WATCHER_ENDPOINTS,
	WATCHER_SPECIAL_LOGIN,
	WATCHER_WRONG_API_KEY_BODY,
	WatcherSimulator,
} from '../../tools/simulators/watcher';
import type { WatcherErrorBody, WatcherUser } from '../../tools/simulators/watcher';
import { GENERATE, KEY, T0_SECONDS, fixedClock, generate, readJson } from './testSupport';

describe('WatcherSimulator: v2 API', () => {
	let sim: WatcherSimulator;

	beforeEach(async () => {
		sim = await WatcherSimulator.start({ now: fixedClock });
	});

	afterEach(async () => {
		await sim.stop();
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
});
