/**
 * Sealed tickets: what a private link carries instead of the Watcher token. A ticket holds the
 * token, the login, the link's expiry and a random id, sealed with AES-256-GCM under a key derived
 * from the credential's API key and Watcher origin, so only a workflow with the same credential can
 * open it and a new API key invalidates every ticket. Text form: base64url of
 * `version (1) | key id (4) | iv (12) | ciphertext | tag (16)`; version and key id are
 * authenticated as additional data.
 *
 * Whoever holds one link holds a ticket, so the key derivation is what a guess of the API key (the
 * Watcher super-admin's) costs offline: scrypt with the token cache's parameters (N=2^17, r=8,
 * p=1: about 128 MiB and a few hundred milliseconds per guess), and a key id taken from its output,
 * never a fast function of the API key. Each process derives a key once and keeps it in memory.
 */
import type { KeyObject } from 'node:crypto';
import {
	createCipheriv,
	createDecipheriv,
	createHmac,
	createSecretKey,
	randomBytes,
	scrypt,
} from 'node:crypto';

import { LruMap } from '../../shared/lru';

/** Version 1 sealed under HKDF of the API key (fast to guess): such tickets open nothing. */
const VERSION = 2;
const KEY_ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
/** A ticket holds a token of at most 2 KB; anything much longer is not one of ours. */
export const MAX_TICKET_LENGTH = 6_000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** OWASP's scrypt recommendation, as the token cache uses; maxmem leaves room above 128 MiB. */
const SCRYPT_PARAMETERS = { N: 1 << 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
const DERIVATION_LABEL = `n8n-nodes-watcher-durst/private-link/ticket-key-v${VERSION}`;
/** One entry per credential (API key and origin) in use in this process: a bound, not a size. */
const MAX_KEPT_KEYS = 64;

export interface Ticket {
	/** Random, 128 bits: what the single-use memory remembers (hashed). */
	id: string;
	/**
	 * The login page the link was made for, exactly as `pagePath` gives it from the link's URL:
	 * the pathname without trailing slashes, percent-decoded (e.g. `/webhook/médecin login` for
	 * `https://n8n.example.com/webhook/m%C3%A9decin%20login/`). A page compares it with its own
	 * request path read the same way, so a ticket opens at its own page only.
	 */
	page: string;
	login: string;
	token: string;
	/** Epoch ms after which the ticket opens nothing. */
	expiresAt: number;
}

/** What seals and opens tickets: the AES key and the id tickets carry to name it. */
export interface SealingKey {
	key: Buffer;
	keyId: Buffer;
}

/**
 * The ticket key of one API key and Watcher origin. Nothing is derived until `derive` is called,
 * so a session that makes no private link costs no scrypt run.
 */
export interface TicketKey {
	derive(): Promise<SealingKey>;
}

export type TicketProblem = 'malformed' | 'unknownKey' | 'tampered' | 'expired';

export type Opened = { ticket: Ticket } | { problem: TicketProblem; ticket?: Ticket };

/**
 * The page path as tickets name it and as n8n routes it: Express decodes each path segment and
 * n8n drops a trailing slash. Undefined when the path does not percent-decode (n8n refuses such a
 * request before any page sees it).
 */
export function pagePath(pathname: string): string | undefined {
	try {
		return decodeURIComponent(pathname.replace(/\/+$/, ''));
	} catch {
		return undefined;
	}
}

/**
 * Kept derivations, by an HMAC under a per-process secret: the memory holds no fast check of an
 * API key either. A promise, so concurrent callers share one scrypt run.
 */
const derived = new LruMap<string, Promise<SealingKey>>(MAX_KEPT_KEYS);
const memoSecret = randomBytes(32);
/** One scrypt run at a time: each holds 128 MiB while it runs. */
let running: Promise<unknown> = Promise.resolve();

async function runScrypt(apiKey: string, watcherOrigin: string): Promise<SealingKey> {
	const turn = running.then(
		async () =>
			await new Promise<Buffer>((resolve, reject) => {
				scrypt(
					apiKey,
					`${DERIVATION_LABEL}\n${watcherOrigin}`,
					32,
					SCRYPT_PARAMETERS,
					(error, key) => (error ? reject(error) : resolve(key)),
				);
			}),
	);
	running = turn.catch(() => undefined);
	const key = await turn;
	const keyId = createHmac('sha256', key).update('key-id').digest().subarray(0, KEY_ID_BYTES);
	return { key, keyId };
}

/**
 * The origin in the salt keeps a key shared by two servers from opening each other's tickets, and
 * makes one precomputed table useless for another Watcher.
 */
export function ticketKey(apiKey: string, watcherOrigin: string): TicketKey {
	return {
		derive: async () => {
			const memo = createHmac('sha256', memoSecret)
				.update(`${watcherOrigin}\n${apiKey}`)
				.digest('base64');
			let key = derived.get(memo);
			if (!key) {
				key = runScrypt(apiKey, watcherOrigin);
				derived.set(memo, key);
				const kept = key;
				// A failed run is not kept: the next call tries again.
				kept.catch(() => {
					if (derived.get(memo) === kept) derived.delete(memo);
				});
			}
			return await key;
		},
	};
}

export function newTicketId(): string {
	return randomBytes(16).toString('base64url');
}

function plainOf(ticket: Ticket): Buffer {
	const { id: i, page: p, login: l, token: t, expiresAt: e } = ticket;
	return Buffer.from(JSON.stringify({ i, p, l, t, e }), 'utf8');
}

/** The length `sealTicket` gives this ticket, known before any key is (AES-GCM adds no padding). */
export function sealedTicketLength(ticket: Ticket): number {
	const bytes = HEADER_BYTES + IV_BYTES + plainOf(ticket).length + TAG_BYTES;
	return Math.ceil((bytes * 4) / 3);
}

/** Each key as a KeyObject, made once: from a Buffer, Node.js makes one per cipher (a link per item). */
const keyObjects = new WeakMap<SealingKey, KeyObject>();

function keyObjectOf(key: SealingKey): KeyObject {
	let made = keyObjects.get(key);
	if (made === undefined) {
		made = createSecretKey(key.key);
		keyObjects.set(key, made);
	}
	return made;
}

export function sealTicket(key: SealingKey, ticket: Ticket): string {
	const header = Buffer.concat([Buffer.from([VERSION]), key.keyId]);
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', keyObjectOf(key), iv, { authTagLength: TAG_BYTES });
	cipher.setAAD(header);
	const plain = plainOf(ticket);
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
export function openTicket(key: SealingKey, text: unknown, now: number): Opened {
	const bytes = decoded(text);
	if (bytes === undefined) return { problem: 'malformed' };
	// A version-1 ticket was sealed under a key this version no longer derives.
	if (bytes[0] === 1) return { problem: 'unknownKey' };
	if (bytes[0] !== VERSION) return { problem: 'malformed' };
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
