import {
	DurstTokenCache,
	SAFETY_MARGIN_MS,
	STATIC_DATA_FIELD,
	TOKEN_LIFETIME_MS,
	entryId,
} from '../../nodes/DurstAnalytics/tokenCache/cache';
import type { LoginResult } from '../../nodes/DurstAnalytics/tokenCache/cache';
import { account, USERNAME } from './support';

function deferredLogin() {
	let calls = 0;
	let release: (result: LoginResult) => void = () => undefined;
	let fail: (error: Error) => void = () => undefined;
	const login = async () => {
		calls += 1;
		return await new Promise<LoginResult>((resolve, reject) => {
			release = resolve;
			fail = reject;
		});
	};
	return {
		login,
		calls: () => calls,
		release: (token: string) => release({ token, userName: USERNAME }),
		fail: (e: Error) => fail(e),
	};
}

test('100 concurrent requests for a token cause one login', async () => {
	const acc = account();
	const pending = deferredLogin();
	const caches = Array.from(
		{ length: 100 },
		() => new DurstTokenCache({ staticData: {}, account: acc, login: pending.login }),
	);
	const tokens = Promise.all(caches.map(async (cache) => await cache.get()));
	await new Promise((resolve) => setImmediate(resolve));
	pending.release('T1');
	const results = await tokens;
	expect(pending.calls()).toBe(1);
	expect(new Set(results.map((r) => r.token))).toEqual(new Set(['T1']));
	expect(results.filter((r) => !r.fromCache)).toHaveLength(1);
});

test('a failed login is not cached: every waiter gets the error, the next call logs in again', async () => {
	const acc = account();
	const pending = deferredLogin();
	const cache = new DurstTokenCache({ staticData: {}, account: acc, login: pending.login });
	const both = Promise.allSettled([cache.get(), cache.get()]);
	await new Promise((resolve) => setImmediate(resolve));
	pending.fail(new Error('refused'));
	expect((await both).map((r) => r.status)).toEqual(['rejected', 'rejected']);
	const again = cache.get();
	await new Promise((resolve) => setImmediate(resolve));
	pending.release('T2');
	expect((await again).token).toBe('T2');
	expect(pending.calls()).toBe(2);
});

test('refresh of a token that was already replaced returns the replacement without a login', async () => {
	const acc = account();
	let n = 0;
	const cache = new DurstTokenCache({
		staticData: {},
		account: acc,
		login: async () => ({ token: `T${++n}`, userName: 'u' }),
	});
	const first = await cache.get();
	const second = await cache.refresh(first.token);
	const third = await cache.refresh(first.token);
	expect([first.token, second.token, third.token]).toEqual(['T1', 'T2', 'T2']);
	expect(n).toBe(2);
});

test('expiry is 10 days after login less the safety margin, by the injected clock', async () => {
	const acc = account();
	let now = 1_000_000;
	let n = 0;
	const staticData = {};
	const make = () =>
		new DurstTokenCache({
			staticData,
			account: acc,
			now: () => now,
			login: async () => ({ token: `T${++n}`, userName: 'u' }),
		});
	const first = await make().get();
	expect(first.expiresAt).toBe(1_000_000 + TOKEN_LIFETIME_MS - SAFETY_MARGIN_MS);
	now = first.expiresAt - 1;
	expect((await make().get()).token).toBe('T1');
	now = first.expiresAt;
	expect((await make().get()).token).toBe('T2');
	expect(Object.keys(staticData)).toEqual([STATIC_DATA_FIELD]);
});

test('static data is not touched by a cache that never got a token', () => {
	const staticData = {};
	new DurstTokenCache({
		staticData,
		account: account(),
		login: async () => ({ token: 't', userName: 'u' }),
	});
	expect(staticData).toEqual({});
});

/** The cache module as a new n8n process loads it: an empty process memory. */
function freshModule(): typeof import('../../nodes/DurstAnalytics/tokenCache/cache') {
	let loaded: typeof import('../../nodes/DurstAnalytics/tokenCache/cache') | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the module (a new process memory): jest.isolateModules works only with require
		loaded = require('../../nodes/DurstAnalytics/tokenCache/cache') as typeof loaded;
	});
	if (!loaded) throw new Error('could not load the cache module');
	return loaded;
}

type Stored = Record<string, string | number>;
function storedEntry(staticData: Record<string, unknown>): Stored {
	const root = staticData[STATIC_DATA_FIELD] as { durstTokens: Record<string, Stored> };
	return Object.values(root.durstTokens)[0];
}

test('an entry whose GCM tag was cut to 4 bytes is not used: the next process logs in again', async () => {
	const acc = account();
	const staticData: Record<string, unknown> = {};
	let n = 0;
	const login = async () => ({ token: `T${++n}`, userName: 'u' });
	await new DurstTokenCache({ staticData, account: acc, login }).get();
	const entry = storedEntry(staticData);
	entry.tag = Buffer.from(String(entry.tag), 'base64').subarray(0, 4).toString('base64');
	const next = freshModule();
	const token = await new next.DurstTokenCache({ staticData, account: acc, login }).get();
	expect(token.token).toBe('T2');
	expect(n).toBe(2);
});

test('the sealed entry opens with a key from scrypt N=2^17, r=8, p=1 (what a password guess costs)', async () => {
	const { scryptSync, createDecipheriv } = await import('node:crypto');
	const acc = account();
	const staticData: Record<string, unknown> = {};
	await new DurstTokenCache({
		staticData,
		account: acc,
		login: async () => ({ token: 'secret-token', userName: 'u' }),
	}).get();
	const entry = storedEntry(staticData);
	const key = scryptSync(
		`n8n-nodes-watcher-durst/durst-token/v2\n${acc.password}`,
		Buffer.from(String(entry.salt), 'base64'),
		32,
		{ N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 },
	);
	const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(String(entry.iv), 'base64'), {
		authTagLength: 16,
	});
	decipher.setAAD(Buffer.from(`${entryId(acc)}|${entry.obtainedAt}|${entry.expiresAt}`));
	decipher.setAuthTag(Buffer.from(String(entry.tag), 'base64'));
	const plain = Buffer.concat([
		decipher.update(Buffer.from(String(entry.data), 'base64')),
		decipher.final(),
	]).toString('utf8');
	expect(JSON.parse(plain)).toEqual({ t: 'secret-token', u: 'u' });
	expect(JSON.stringify(staticData)).not.toContain('secret-token');
});

test('a changed password drops the token of the old one from process memory', async () => {
	const acc = account();
	let n = 0;
	const login = async () => ({ token: `T${++n}`, userName: 'u' });
	await new DurstTokenCache({ staticData: {}, account: acc, login }).get();
	await new DurstTokenCache({
		staticData: {},
		account: { ...acc, password: `${acc.password}-new` },
		login,
	}).get();
	// Back to the old password (a user undoing a change): its token is gone, a login is needed.
	const again = await new DurstTokenCache({ staticData: {}, account: acc, login }).get();
	expect(again.token).toBe('T3');
	expect(again.fromCache).toBe(false);
});
