/**
 * Sealing and opening tickets: every byte is authenticated, each way a ticket can fail has its
 * own answer, and the text is strict base64url. The ticket key itself: see ticketKey.test.ts.
 */
import { randomBytes } from 'node:crypto';

import type { SealingKey, Ticket } from '../../nodes/FlussonicWatcher/privateLinks/tickets';
import {
	MAX_TICKET_LENGTH,
	newTicketId,
	openTicket,
	sealedTicketLength,
	sealTicket,
} from '../../nodes/FlussonicWatcher/privateLinks/tickets';

/** Sealing does not depend on how the key was derived: any 32 bytes and key id will do. */
const anyKey = (): SealingKey => ({ key: randomBytes(32), keyId: randomBytes(4) });
const key = anyKey();
const NOW = Date.UTC(2026, 10, 23, 12);

function ticket(overrides: Partial<Ticket> = {}): Ticket {
	return {
		id: newTicketId(),
		page: '/webhook/watcher-login',
		login: 'o\'brien+"x"<y>@example.com',
		token: 'o\'brien+"x"<y>@example.com:1795000000:ab12:0123456789abcdef',
		expiresAt: NOW + 15 * 60_000,
		...overrides,
	};
}

/** The ticket with the byte at `index` flipped. */
function flipped(text: string, index: number): string {
	const bytes = Buffer.from(text, 'base64url');
	bytes[index] ^= 0x01;
	return bytes.toString('base64url');
}

test('a sealed ticket opens to what was sealed, and holds nothing readable', () => {
	const original = ticket();
	const text = sealTicket(key, original);
	expect(openTicket(key, text, NOW)).toEqual({ ticket: original });
	expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
	const decoded = Buffer.from(text, 'base64url').toString('latin1');
	for (const part of ['brien', '1795000000', '0123456789abcdef', original.id]) {
		expect(decoded).not.toContain(part);
		expect(text).not.toContain(part);
	}
});

test('the same ticket sealed twice gives two texts (random IV)', () => {
	const original = ticket();
	expect(sealTicket(key, original)).not.toBe(sealTicket(key, original));
	expect(newTicketId()).not.toBe(newTicketId());
	expect(newTicketId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
});

test('expired at its expiry instant, not a millisecond before', () => {
	const text = sealTicket(key, ticket({ expiresAt: NOW }));
	expect(openTicket(key, text, NOW - 1)).toHaveProperty('ticket.expiresAt', NOW);
	expect(openTicket(key, text, NOW - 1)).not.toHaveProperty('problem');
	expect(openTicket(key, text, NOW)).toMatchObject({ problem: 'expired' });
});

test('another key: unknown key', () => {
	const text = sealTicket(key, ticket());
	expect(openTicket(anyKey(), text, NOW)).toEqual({ problem: 'unknownKey' });
});

describe('every byte is checked', () => {
	const text = sealTicket(key, ticket());
	const length = Buffer.from(text, 'base64url').length;

	test('the version byte', () => {
		expect(openTicket(key, flipped(text, 0), NOW)).toEqual({ problem: 'malformed' });
	});

	test.each([1, 2, 3, 4])('key id byte %i', (index) => {
		expect(openTicket(key, flipped(text, index), NOW)).toEqual({ problem: 'unknownKey' });
	});

	test('each byte of IV, ciphertext and tag', () => {
		for (let index = 5; index < length; index++) {
			expect(openTicket(key, flipped(text, index), NOW)).toEqual({ problem: 'tampered' });
		}
	});

	test('cut short or lengthened', () => {
		const bytes = Buffer.from(text, 'base64url');
		expect(openTicket(key, bytes.subarray(0, length - 1).toString('base64url'), NOW)).toEqual({
			problem: 'tampered',
		});
		expect(
			openTicket(key, Buffer.concat([bytes, Buffer.from([0])]).toString('base64url'), NOW),
		).toEqual({ problem: 'tampered' });
		expect(openTicket(key, bytes.subarray(0, 20).toString('base64url'), NOW)).toEqual({
			problem: 'malformed',
		});
	});
});

test('a text whose unused last bits are set is not the ticket (only canonical base64url)', () => {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	// A login length that leaves unused bits in the last character (length not a multiple of 4).
	let text = '';
	for (let extra = 0; text.length % 4 === 0; extra++) {
		text = sealTicket(key, ticket({ login: `${'x'.repeat(extra)}@example.com` }));
	}
	const last = alphabet.indexOf(text[text.length - 1]);
	const loose = text.slice(0, -1) + alphabet[last | 1];
	expect(Buffer.from(loose, 'base64url').equals(Buffer.from(text, 'base64url'))).toBe(true);
	expect(openTicket(key, loose, NOW)).toEqual({ problem: 'malformed' });
	expect(openTicket(key, text, NOW)).toHaveProperty('ticket');
});

describe('strict base64url', () => {
	const text = sealTicket(key, ticket());
	test.each([
		['padding', `${text}==`],
		['standard base64 characters', text.replace(/-/g, '+').replace(/_/g, '/') + '+/'],
		['a space', `${text.slice(0, 10)} ${text.slice(10)}`],
		['a line break', `${text}\n`],
		['percent-encoding', encodeURIComponent(`${text}=`)],
		['an impossible length (1 modulo 4)', text + 'A'.repeat((5 - (text.length % 4)) % 4 || 4)],
		['empty', ''],
		['too long', 'A'.repeat(MAX_TICKET_LENGTH + 1)],
	])('%s: malformed', (_label, value) => {
		expect(openTicket(key, value, NOW)).toEqual({ problem: 'malformed' });
	});

	test.each([[undefined], [null], [42], [['a']], [{ ticket: text }]])(
		'not a string (%j): malformed',
		(value) => {
			expect(openTicket(key, value, NOW)).toEqual({ problem: 'malformed' });
		},
	);
});

test('the sealed length is known before the key: exactly what sealing gives, for any text', () => {
	const logins = [
		'',
		'a',
		'ab',
		'abc',
		'médecin',
		'日本語のユーザー',
		'x'.repeat(301),
		'"\\\u0001',
	];
	for (const login of logins) {
		for (const token of ['', 't', 'tok', `${login}:1795000000:ab12`]) {
			const made = ticket({ login, token, page: `/webhook/${login}` });
			expect(sealedTicketLength(made)).toBe(sealTicket(anyKey(), made).length);
		}
	}
});
