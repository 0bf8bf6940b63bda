/**
 * The ticket key: one link must not let its holder test guesses of the Watcher API key at speed.
 * Each guess costs a memory-hard scrypt run, and the process derives its own key once.
 */
import { createCipheriv, createHmac, hkdfSync, randomBytes, scryptSync } from 'node:crypto';

import {
	newTicketId,
	openTicket,
	sealTicket,
	ticketKey,
} from '../../nodes/FlussonicWatcher/privateLinks/tickets';

const API_KEY = 'api-key-1';
const ORIGIN = 'https://watcher.example.com';
const NOW = Date.UTC(2026, 10, 23, 12);

const ticket = () => ({
	id: newTicketId(),
	page: '/webhook/watcher-login',
	login: 'demo@example.com',
	token: 'demo@example.com:1795000000:ab12:0123456789abcdef',
	expiresAt: NOW + 15 * 60_000,
});

/** A ticket as versions before 2 sealed it: HKDF of the API key, a key id as fast to check. */
function versionOneTicket(apiKey: string): string {
	const key = Buffer.from(
		hkdfSync(
			'sha256',
			Buffer.from(apiKey, 'utf8'),
			Buffer.from('n8n-nodes-watcher-durst/private-link', 'utf8'),
			Buffer.from(`ticket-key-v1|${ORIGIN}`, 'utf8'),
			32,
		),
	);
	const keyId = createHmac('sha256', key).update('key-id').digest().subarray(0, 4);
	const header = Buffer.concat([Buffer.from([1]), keyId]);
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
	cipher.setAAD(header);
	const { id, page, login, token, expiresAt } = ticket();
	const plain = JSON.stringify({ i: id, p: page, l: login, t: token, e: expiresAt });
	const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
	return Buffer.concat([header, iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

test('the key is scrypt (N=2^17, r=8, p=1) of the API key salted with the origin; the key id comes from it', async () => {
	const derived = await ticketKey(API_KEY, ORIGIN).derive();
	const expected = scryptSync(
		API_KEY,
		`n8n-nodes-watcher-durst/private-link/ticket-key-v2\n${ORIGIN}`,
		32,
		{ N: 1 << 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 },
	);
	expect(derived.key.equals(expected)).toBe(true);
	// Checking a guess against a ticket's key id needs the whole scrypt run first.
	const keyId = createHmac('sha256', expected).update('key-id').digest().subarray(0, 4);
	expect(derived.keyId.equals(keyId)).toBe(true);
});

test('derived once per process: later calls, concurrent or from another session, take no time', async () => {
	const first = await ticketKey(API_KEY, ORIGIN).derive();
	const started = performance.now();
	const later = await Promise.all(
		Array.from({ length: 20 }, async () => await ticketKey(API_KEY, ORIGIN).derive()),
	);
	expect(performance.now() - started).toBeLessThan(50);
	for (const key of later) expect(key).toBe(first);
});

test('another API key or another Watcher origin: another key, and tickets of one are unknown to the other', async () => {
	const own = await ticketKey(API_KEY, ORIGIN).derive();
	const [otherKey, otherOrigin] = await Promise.all([
		ticketKey('api-key-2', ORIGIN).derive(),
		ticketKey(API_KEY, 'https://other.example.com').derive(),
	]);
	const text = sealTicket(own, ticket());
	expect(openTicket(otherKey, text, NOW)).toEqual({ problem: 'unknownKey' });
	expect(openTicket(otherOrigin, text, NOW)).toEqual({ problem: 'unknownKey' });
	expect(openTicket(own, text, NOW)).toHaveProperty('ticket');
});

test('a ticket sealed under the HKDF key of earlier versions opens nothing: unknown key', async () => {
	const own = await ticketKey(API_KEY, ORIGIN).derive();
	expect(openTicket(own, versionOneTicket(API_KEY), NOW)).toEqual({ problem: 'unknownKey' });
});
