/**
 * Sealed tickets: what a private link carries instead of the Watcher token. A ticket holds the
 * token, the login, the link's expiry and a random id, sealed with AES-256-GCM under a key derived
 * from the credential's API key and Watcher origin, so only a workflow with the same credential can
 * open it and a new API key invalidates every ticket. Text form: base64url of
 * `version (1) | key id (4) | iv (12) | ciphertext | tag (16)`; version and key id are
 * authenticated as additional data.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const KEY_ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
/** A ticket holds a token of at most 2 KB; anything much longer is not one of ours. */
export const MAX_TICKET_LENGTH = 6_000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface Ticket {
	/** Random, 128 bits: what the single-use memory remembers (hashed). */
	id: string;
	/**
	 * The path of the login page the link was made for: each page remembers its own used tickets,
	 * so a ticket opens only at its own page.
	 */
	page: string;
	login: string;
	token: string;
	/** Epoch ms after which the ticket opens nothing. */
	expiresAt: number;
}

export interface TicketKey {
	key: Buffer;
	keyId: Buffer;
}

export type TicketProblem = 'malformed' | 'unknownKey' | 'tampered' | 'expired';

export type Opened = { ticket: Ticket } | { problem: TicketProblem; ticket?: Ticket };

/**
 * The API key is a random server secret, not a password: HKDF suffices (no stretching), and the
 * Watcher origin in `info` keeps a key shared by two servers from opening each other's tickets.
 */
export function ticketKey(apiKey: string, watcherOrigin: string): TicketKey {
	const key = Buffer.from(
		hkdfSync(
			'sha256',
			Buffer.from(apiKey, 'utf8'),
			Buffer.from('n8n-nodes-watcher-durst/private-link', 'utf8'),
			Buffer.from(`ticket-key-v${VERSION}|${watcherOrigin}`, 'utf8'),
			32,
		),
	);
	const keyId = createHmac('sha256', key).update('key-id').digest().subarray(0, KEY_ID_BYTES);
	return { key, keyId };
}

export function newTicketId(): string {
	return randomBytes(16).toString('base64url');
}

export function sealTicket(key: TicketKey, ticket: Ticket): string {
	const header = Buffer.concat([Buffer.from([VERSION]), key.keyId]);
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
	cipher.setAAD(header);
	const plain = Buffer.from(
		JSON.stringify({
			i: ticket.id,
			p: ticket.page,
			l: ticket.login,
			t: ticket.token,
			e: ticket.expiresAt,
		}),
		'utf8',
	);
	const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
	return Buffer.concat([header, iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

function decoded(text: unknown): Buffer | undefined {
	if (typeof text !== 'string' || text.length > MAX_TICKET_LENGTH || !BASE64URL.test(text)) {
		return undefined;
	}
	// Base64url without padding never has a length of 1 modulo 4.
	if (text.length % 4 === 1) return undefined;
	const bytes = Buffer.from(text, 'base64url');
	// Node ignores the unused low bits of the last character: only the canonical text is ours.
	if (bytes.toString('base64url') !== text) return undefined;
	return bytes.length >= HEADER_BYTES + IV_BYTES + TAG_BYTES + 1 ? bytes : undefined;
}

function parsed(plain: Buffer): Ticket | undefined {
	let value: unknown;
	try {
		value = JSON.parse(plain.toString('utf8'));
	} catch {
		return undefined;
	}
	if (typeof value !== 'object' || value === null) return undefined;
	const { i, p, l, t, e } = value as Record<string, unknown>;
	if (typeof i !== 'string' || typeof p !== 'string') return undefined;
	if (typeof l !== 'string' || typeof t !== 'string') return undefined;
	if (typeof e !== 'number' || !Number.isFinite(e)) return undefined;
	return { id: i, page: p, login: l, token: t, expiresAt: e };
}

/** Opens a ticket, or says why not: each reason gets its own page. */
export function openTicket(key: TicketKey, text: unknown, now: number): Opened {
	const bytes = decoded(text);
	if (bytes === undefined || bytes[0] !== VERSION) return { problem: 'malformed' };
	const header = bytes.subarray(0, HEADER_BYTES);
	if (!header.subarray(1).equals(key.keyId)) return { problem: 'unknownKey' };
	const iv = bytes.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
	const sealed = bytes.subarray(HEADER_BYTES + IV_BYTES, bytes.length - TAG_BYTES);
	const tag = bytes.subarray(bytes.length - TAG_BYTES);
	let plain: Buffer;
	try {
		const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
		decipher.setAAD(header);
		decipher.setAuthTag(tag);
		plain = Buffer.concat([decipher.update(sealed), decipher.final()]);
	} catch {
		return { problem: 'tampered' };
	}
	const ticket = parsed(plain);
	// Authentic but unreadable: only a bug of ours could make it, but it opens nothing.
	if (ticket === undefined) return { problem: 'malformed' };
	if (ticket.expiresAt <= now) return { problem: 'expired', ticket };
	return { ticket };
}
