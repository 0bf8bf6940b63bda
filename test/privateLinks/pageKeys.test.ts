/**
 * The login page's key memory: the credential is read once a minute per page, again when a ticket
 * names another key but at most once per 5 seconds, and never served stale after a failed read.
 */
import { createHash } from 'node:crypto';

import type { PageKey } from '../../nodes/FlussonicWatcher/privateLinks/pageKeys';
import {
	PAGE_KEY_REREAD_MS,
	PAGE_KEY_TTL_MS,
	pageKey,
} from '../../nodes/FlussonicWatcher/privateLinks/pageKeys';
import type { Opened, SealingKey } from '../../nodes/FlussonicWatcher/privateLinks/tickets';
import {
	newTicketId,
	openTicket,
	sealTicket,
} from '../../nodes/FlussonicWatcher/privateLinks/tickets';

const NOW = Date.UTC(2026, 10, 23, 12);
let scopeCount = 0;

/** The memory holds whatever key a read gives; how it was derived is ticketKey.test.ts's matter. */
function keyOf(apiKey: string): SealingKey {
	const key = createHash('sha256').update(apiKey).digest();
	return { key, keyId: key.subarray(0, 4) };
}

/** A credential whose API key the test can change, counting its reads. */
function credential(apiKey = 'key-1') {
	const state = { apiKey, reads: 0, fail: false };
	const read = async (): Promise<PageKey> => {
		state.reads += 1;
		// A read takes a while, as n8n's does: concurrent visits arrive while it runs.
		await new Promise((resolve) => setTimeout(resolve, 5));
		if (state.fail) throw new Error('credential not found');
		return { baseUrl: 'https://watcher.example.com', key: keyOf(state.apiKey) };
	};
	return { state, read, scope: `wf|node|cred-${++scopeCount}` };
}

/** What the login page does with a POST: the kept key, and a re-read when the ticket names another. */
async function post(scope: string, now: number, read: () => Promise<PageKey>, text: string) {
	let opened: Opened = openTicket((await pageKey(scope, now, read)).key, text, now);
	if ('problem' in opened && opened.problem === 'unknownKey') {
		opened = openTicket((await pageKey(scope, now, read, true)).key, text, now);
	}
	return opened;
}

const ticketUnder = (apiKey: string) =>
	sealTicket(keyOf(apiKey), {
		id: newTicketId(),
		page: '/webhook/watcher-login',
		login: 'demo@example.com',
		token: 'demo@example.com:1795000000:ab12:0123456789abcdef',
		expiresAt: NOW + 15 * 60_000,
	});

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

test('50 POSTs of tickets under unknown keys: one credential read, then one per 5 seconds', async () => {
	const { state, read, scope } = credential();
	const foreign = ticketUnder('made-up-key');
	const at = (offset: number) => post(scope, NOW + offset, read, foreign);
	// 25 at once, then 25 one after another within 4.8 seconds.
	const opened = await Promise.all(Array.from({ length: 25 }, async () => await at(0)));
	for (let visit = 0; visit < 25; visit++) opened.push(await at(visit * 200));
	expect(opened.every((each) => 'problem' in each && each.problem === 'unknownKey')).toBe(true);
	expect(state.reads).toBe(1);
	await at(PAGE_KEY_REREAD_MS);
	await at(PAGE_KEY_REREAD_MS + 1000);
	expect(state.reads).toBe(2);
});

test('a changed API key is seen after the TTL, or on a re-read 5 seconds after the last read', async () => {
	const { state, read, scope } = credential('old-key');
	const old = await pageKey(scope, NOW, read);
	state.apiKey = 'new-key';
	const newTicket = ticketUnder('new-key');
	expect((await pageKey(scope, NOW + 1000, read)).key.keyId).toEqual(old.key.keyId);
	// Within 5 seconds of the read the kept key answers, as for any made-up key.
	expect(await post(scope, NOW + 2000, read, newTicket)).toEqual({ problem: 'unknownKey' });
	expect(state.reads).toBe(1);
	expect(await post(scope, NOW + PAGE_KEY_REREAD_MS, read, newTicket)).toHaveProperty('ticket');
	expect(state.reads).toBe(2);
	const reread = await pageKey(scope, NOW + PAGE_KEY_REREAD_MS + 1000, read);
	expect(reread.key.keyId).toEqual(keyOf('new-key').keyId);
	expect(reread.key.keyId).not.toEqual(old.key.keyId);
});

test('a failed read keeps nothing: the next visit reads again instead of using the old key', async () => {
	const { state, read, scope } = credential();
	await pageKey(scope, NOW, read);
	state.fail = true;
	const later = NOW + PAGE_KEY_REREAD_MS;
	await expect(pageKey(scope, later, read, true)).rejects.toThrow('credential not found');
	await expect(pageKey(scope, later + 1000, read)).rejects.toThrow('credential not found');
	expect(state.reads).toBe(3);
	state.fail = false;
	await pageKey(scope, later + 2000, read);
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
