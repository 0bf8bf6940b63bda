/**
 * Deferred writes (what an execution of the node uses): the token is handed out at once, sealed
 * for static data meanwhile, and `settled()` says when static data has it. A token forgotten or
 * refused while it is being sealed stays out of static data.
 */
import { DurstTokenCache, STATIC_DATA_FIELD } from '../../nodes/DurstAnalytics/tokenCache/cache';
import { account } from './support';

function tokensIn(staticData: Record<string, unknown>): number {
	const root = staticData[STATIC_DATA_FIELD] as
		{ durstTokens?: Record<string, unknown> } | undefined;
	return Object.keys(root?.durstTokens ?? {}).length;
}

function counted() {
	let logins = 0;
	return {
		login: async () => ({ token: `T${++logins}`, userName: 'u' }),
		logins: () => logins,
	};
}

test('the token comes before its sealing ends; settled() leaves it in static data, where the next process finds it', async () => {
	const acc = account();
	const staticData: Record<string, unknown> = {};
	const server = counted();
	const cache = new DurstTokenCache({
		staticData,
		account: acc,
		login: server.login,
		deferWrites: true,
	});
	const tokens = await Promise.all(Array.from({ length: 20 }, async () => await cache.get()));
	expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['T1']));
	// A new credential's scrypt run takes a few hundred milliseconds: nothing is sealed yet.
	expect(tokensIn(staticData)).toBe(0);
	await cache.settled();
	expect(tokensIn(staticData)).toBe(1);
	let fresh: typeof import('../../nodes/DurstAnalytics/tokenCache/cache') | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the module (a new process memory): jest.isolateModules works only with require
		fresh = require('../../nodes/DurstAnalytics/tokenCache/cache') as typeof fresh;
	});
	const next = new fresh!.DurstTokenCache({ staticData, account: acc, login: server.login });
	expect((await next.get()).token).toBe('T1');
	expect(server.logins()).toBe(1);
});

test('a token forgotten while it is sealed does not come back into static data', async () => {
	const staticData: Record<string, unknown> = {};
	const cache = new DurstTokenCache({
		staticData,
		account: account(),
		login: counted().login,
		deferWrites: true,
	});
	await cache.get();
	expect(cache.forget()).toBe(true);
	await cache.settled();
	expect(tokensIn(staticData)).toBe(0);
});

test('a token refused while it is sealed stays out of static data, also when no new login succeeds', async () => {
	const staticData: Record<string, unknown> = {};
	let logins = 0;
	const login = async () => {
		logins += 1;
		if (logins > 1) throw new Error('the server is down');
		return { token: 'T1', userName: 'u' };
	};
	const cache = new DurstTokenCache({ staticData, account: account(), login, deferWrites: true });
	const first = await cache.get();
	await expect(cache.refresh(first.token)).rejects.toThrow('the server is down');
	await cache.settled();
	expect(tokensIn(staticData)).toBe(0);
});
