/**
 * The login page's key memory: the credential is read once a minute per page, again at once when
 * asked (a ticket under another key), and never served stale after a failed read.
 */
import type { PageKey } from '../../nodes/FlussonicWatcher/privateLinks/pageKeys';
import { PAGE_KEY_TTL_MS, pageKey } from '../../nodes/FlussonicWatcher/privateLinks/pageKeys';
import { ticketKey } from '../../nodes/FlussonicWatcher/privateLinks/tickets';

const NOW = Date.UTC(2026, 10, 23, 12);
let scopeCount = 0;

/** A credential whose API key the test can change, counting its reads. */
function credential(apiKey = 'key-1') {
	const state = { apiKey, reads: 0, fail: false };
	const read = async (): Promise<PageKey> => {
		state.reads += 1;
		if (state.fail) throw new Error('credential not found');
		return {
			baseUrl: 'https://watcher.example.com',
			key: ticketKey(state.apiKey, 'https://watcher.example.com'),
		};
	};
	return { state, read, scope: `wf|node|cred-${++scopeCount}` };
}

test('one read per minute for one page, whatever the number of visits', async () => {
	const { state, read, scope } = credential();
	const first = await pageKey(scope, NOW, read);
	for (let second = 1; second < 60; second += 7) {
		expect(await pageKey(scope, NOW + second * 1000, read)).toBe(first);
	}
	expect(state.reads).toBe(1);
	await pageKey(scope, NOW + PAGE_KEY_TTL_MS, read);
	expect(state.reads).toBe(2);
});

test('a changed API key is seen after the TTL, and at once on a re-read', async () => {
	const { state, read, scope } = credential('old-key');
	const old = await pageKey(scope, NOW, read);
	state.apiKey = 'new-key';
	expect((await pageKey(scope, NOW + 1000, read)).key.keyId).toEqual(old.key.keyId);
	const reread = await pageKey(scope, NOW + 2000, read, true);
	expect(reread.key.keyId).toEqual(ticketKey('new-key', 'https://watcher.example.com').keyId);
	expect(reread.key.keyId).not.toEqual(old.key.keyId);
	expect(await pageKey(scope, NOW + 3000, read)).toBe(reread);
});

test('a failed read keeps nothing: the next visit reads again instead of using the old key', async () => {
	const { state, read, scope } = credential();
	await pageKey(scope, NOW, read);
	state.fail = true;
	await expect(pageKey(scope, NOW + 1000, read, true)).rejects.toThrow('credential not found');
	await expect(pageKey(scope, NOW + 2000, read)).rejects.toThrow('credential not found');
	expect(state.reads).toBe(3);
	state.fail = false;
	await pageKey(scope, NOW + 3000, read);
	expect(state.reads).toBe(4);
});

test('pages and credentials do not share keys; a clock that went back reads again', async () => {
	const a = credential('key-a');
	const b = credential('key-b');
	const keyA = await pageKey(a.scope, NOW, a.read);
	const keyB = await pageKey(b.scope, NOW, b.read);
	expect(keyA.key.keyId).not.toEqual(keyB.key.keyId);
	await pageKey(a.scope, NOW - 1000, a.read);
	expect(a.state.reads).toBe(2);
	expect(b.state.reads).toBe(1);
});
