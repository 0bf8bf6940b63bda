/**
 * Confirmed use, for a login page served by several n8n webhook processes (option Several Webhook
 * Processes). n8n loads static data per request and saves it whole after the answer, last writer
 * wins, so a used mark written by one process can be overwritten by another's save of an older
 * copy, and the link then works again. No node can make that save atomic, so a use is redeemed in
 * two steps, with the person's browser carrying the second:
 *
 *  1. The POST marks the ticket used and saves a claim with it: a random secret's hash and the
 *     time. The answer is a page that posts the ticket and the secret back after CONFIRM_AFTER_MS.
 *     The process keeps its claim until confirmed and writes it back with every save of the page
 *     if the loaded copy lost it (with the time of that save).
 *  2. That POST, on whichever process, reads static data as n8n loaded it for this request (not
 *     this process's memory) and redeems only if the mark and this claim are there and the claim
 *     is at least CONFIRM_AFTER_MS old: by then every save that loaded static data before the claim
 *     was written has ended (if each ends within that time), so the mark is in every later copy.
 *     The claim then becomes a "redeemed" entry, which refuses every later confirmation. A mark
 *     that a save lost is claimed again; a mark whose claim was lost waits for the process that
 *     made the claim to write it back (both bounded: MAX_ATTEMPTS); a mark with another claim, or
 *     a redeemed one, is used: refused.
 *
 * What it rests on, stated in the README: no save of this workflow's static data takes longer than
 * CONFIRM_AFTER_MS from its load (other visits of the page are milliseconds; an execution of the
 * same workflow that changes static data can take longer).
 *
 * Claims: one string of fixed-width entries (ticket hash, claim hash, claim time in seconds),
 * pending or redeemed, expired after CLAIM_TTL_MS, at most MAX_CLAIMS per page.
 */
import { createHash, randomBytes } from 'node:crypto';

import { LruMap } from '../../shared/lru';
import { isRecord } from '../../shared/values';

export const CONFIRM_AFTER_MS = 2_000;
/** A claim not confirmed in this time opens nothing (its mark stays: the link is used). */
export const CLAIM_TTL_MS = 10 * 60_000;
/** Pending claims per page; beyond, the oldest are dropped (their confirmation is refused). */
export const MAX_CLAIMS = 500;
/** Confirmations of one use before the page gives up (each after CONFIRM_AFTER_MS or more). */
export const MAX_ATTEMPTS = 8;

const TICKET_HASH_LENGTH = 12;
const CLAIM_HASH_LENGTH = 8;
const TIME_LENGTH = 7;
const CLAIM_ENTRY_LENGTH = TICKET_HASH_LENGTH + CLAIM_HASH_LENGTH + TIME_LENGTH;
const CLAIM_ENTRY = /^[A-Za-z0-9_-]{20}[0-9a-z]{7}$/;
/** What `newClaim` makes: 128 random bits, base64url. */
export const CLAIM_SECRET = /^[A-Za-z0-9_-]{22}$/;

/** What a confirmed claim becomes: it refuses every later confirmation until it expires. */
const REDEEMED = '________';

/**
 * Claims this process made and has not seen confirmed, per page and ticket hash. Every save of the
 * page by this process writes back those that the loaded copy lost (with the time of the save, so
 * each waits CONFIRM_AFTER_MS again): a concurrent save can drop a mark and its claim together,
 * and this process's memory then writes the mark back, which without the claim would refuse the
 * person who made it.
 */
const ownClaims = new LruMap<string, Map<string, { secret: string; until: number }>>(200);

export function rememberClaim(page: string, ticketHash: string, secret: string, now: number): void {
	let claims = ownClaims.get(page);
	if (claims === undefined) {
		claims = new Map();
		ownClaims.set(page, claims);
	}
	claims.delete(ticketHash);
	claims.set(ticketHash, { secret, until: now + CLAIM_TTL_MS });
	trimOldest(claims);
}

/** Drops a page's oldest entries (insertion order) beyond MAX_CLAIMS: the page could not hold them. */
function trimOldest(entries: Map<string, unknown>): void {
	for (const hash of entries.keys()) {
		if (entries.size <= MAX_CLAIMS) break;
		entries.delete(hash);
	}
}

export function forgetClaim(page: string, ticketHash: string): void {
	ownClaims.get(page)?.delete(ticketHash);
}

/** Whether this process made the pending claim `secret` for the ticket. */
export function isOwnClaim(page: string, ticketHash: string, secret: string, now: number): boolean {
	const own = ownClaims.get(page)?.get(ticketHash);
	return own !== undefined && own.secret === secret && own.until > now;
}

/**
 * The claims to save with a page record: this process's pending claims that the claims lack, for
 * tickets the record marks used, are written back at `now`.
 */
export function withOwnClaims(
	page: string,
	claims: string,
	isMarked: (ticketHash: string) => boolean,
	now: number,
): string {
	const own = ownClaims.get(page);
	if (own === undefined) return claims;
	let result = claims;
	for (const [hash, { secret, until }] of own) {
		if (until <= now) own.delete(hash);
		else if (isMarked(hash) && !entries(result).some((entry) => entry.startsWith(hash))) {
			result = withClaim(result, hash, secret, now);
		}
	}
	return result;
}

/**
 * The claim this process last saw with each ticket in a loaded copy, per page. A request that
 * loaded a copy which lost a mark and its claim finds the mark in this process's memory; without
 * the claim too it could not tell the person who made the claim (to be let through) from a second
 * visitor of a used link (to be refused).
 */
const seenClaims = new LruMap<string, Map<string, string>>(200);

/** Notes the claims of a copy as loaded (before anything is written into it). */
export function noteClaims(page: string, claims: string): void {
	if (claims === '') return;
	let seen = seenClaims.get(page);
	if (seen === undefined) {
		seen = new Map();
		seenClaims.set(page, seen);
	}
	for (const entry of entries(claims)) {
		const hash = entry.slice(0, TICKET_HASH_LENGTH);
		seen.delete(hash);
		seen.set(hash, entry.slice(TICKET_HASH_LENGTH, TICKET_HASH_LENGTH + CLAIM_HASH_LENGTH));
	}
	trimOldest(seen);
}

/**
 * What this process saw of the ticket's claim: `secret`'s, another's (or redeemed), or none. A
 * secret matching the claim seen proves its holder made it, as its own process would know.
 */
export function seenClaimOf(
	page: string,
	ticketHash: string,
	secret: string,
): 'mine' | 'other' | undefined {
	const hash = seenClaims.get(page)?.get(ticketHash);
	if (hash === undefined) return undefined;
	return hash === claimHashOf(secret) ? 'mine' : 'other';
}

export function newClaim(): string {
	return randomBytes(16).toString('base64url');
}

function claimHashOf(secret: string): string {
	return createHash('sha256').update(secret).digest('base64url').slice(0, CLAIM_HASH_LENGTH);
}

function timeAt(claims: string, index: number): number {
	const start = index * CLAIM_ENTRY_LENGTH + TICKET_HASH_LENGTH + CLAIM_HASH_LENGTH;
	return parseInt(claims.slice(start, start + TIME_LENGTH), 36) * 1000;
}

function entries(claims: string): string[] {
	const result: string[] = [];
	for (let at = 0; at + CLAIM_ENTRY_LENGTH <= claims.length; at += CLAIM_ENTRY_LENGTH) {
		result.push(claims.slice(at, at + CLAIM_ENTRY_LENGTH));
	}
	return result;
}

/** The pending, unexpired claims of a stored page record; anything not as we write it is dropped. */
export function storedClaims(record: unknown, now: number): string {
	if (!isRecord(record) || typeof record.c !== 'string') return '';
	return entries(record.c)
		.filter((entry) => CLAIM_ENTRY.test(entry) && timeAt(entry, 0) + CLAIM_TTL_MS > now)
		.join('');
}

export interface Claim {
	/** Epoch ms at which the claim was saved. */
	claimedAt: number;
	mine: boolean;
	/** Confirmed already: the link has logged in. */
	redeemed: boolean;
}

/** The claim pending for a ticket hash, and whether it is the one `secret` made. */
export function claimOf(claims: string, ticketHash: string, secret: string): Claim | undefined {
	const entry = entries(claims).find((each) => each.startsWith(ticketHash));
	if (entry === undefined) return undefined;
	const hash = entry.slice(TICKET_HASH_LENGTH, TICKET_HASH_LENGTH + CLAIM_HASH_LENGTH);
	return {
		claimedAt: timeAt(entry, 0),
		mine: hash === claimHashOf(secret),
		redeemed: hash === REDEEMED,
	};
}

/** The claims with the ticket's marked confirmed (kept until it expires, refusing every other). */
export function withRedeemed(claims: string, ticketHash: string, now: number): string {
	return withEntry(claims, ticketHash, REDEEMED, now);
}

/** The claims without the ticket's. */
export function withoutClaim(claims: string, ticketHash: string): string {
	return entries(claims)
		.filter((entry) => !entry.startsWith(ticketHash))
		.join('');
}

/** The claims with the ticket's set to `secret` at `now`; the oldest dropped beyond MAX_CLAIMS. */
export function withClaim(claims: string, ticketHash: string, secret: string, now: number): string {
	return withEntry(claims, ticketHash, claimHashOf(secret), now);
}

function withEntry(claims: string, ticketHash: string, claimHash: string, now: number): string {
	// Rounded up: a claim never looks older than it is.
	const time = Math.ceil(now / 1000)
		.toString(36)
		.padStart(TIME_LENGTH, '0');
	const kept = entries(withoutClaim(claims, ticketHash)).sort(
		(a, b) => timeAt(a, 0) - timeAt(b, 0),
	);
	return [...kept.slice(-(MAX_CLAIMS - 1)), ticketHash + claimHash + time].join('');
}
