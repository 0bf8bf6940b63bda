/**
 * Confirmed use, for a login page served by several n8n webhook processes (option Several Webhook
 * Processes). n8n loads static data per request and saves it whole after the answer, last writer
 * wins, so a used mark written by one process can be overwritten by another's save of an older
 * copy, and the link then works again. No node can make that save atomic, so a use is redeemed in
 * two steps, with the person's browser carrying the second:
 *
 *  1. The POST marks the ticket used and saves a claim with it: a random secret's hash and the
 *     time. The answer is a page that posts the ticket and the secret back after CONFIRM_AFTER_MS.
 *  2. That POST, on whichever process, reads static data as n8n loaded it for this request (not
 *     this process's memory) and redeems only if the mark and this claim are there and the claim
 *     is at least CONFIRM_AFTER_MS old: by then every save that loaded static data before the claim
 *     was written has ended (if each ends within that time), so the mark is in every later copy.
 *     A mark that a save lost is claimed again (bounded); a mark with another claim, or none, is
 *     used: refused.
 *
 * What it rests on, stated in the README: no save of this workflow's static data takes longer than
 * CONFIRM_AFTER_MS from its load (other visits of the page are milliseconds; an execution of the
 * same workflow that changes static data can take longer).
 *
 * Claims: one string of fixed-width entries (ticket hash, claim hash, claim time in seconds),
 * pending only: removed on redemption, expired after CLAIM_TTL_MS, at most MAX_CLAIMS per page.
 */
import { createHash, randomBytes } from 'node:crypto';

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
}

/** The claim pending for a ticket hash, and whether it is the one `secret` made. */
export function claimOf(claims: string, ticketHash: string, secret: string): Claim | undefined {
	const entry = entries(claims).find((each) => each.startsWith(ticketHash));
	if (entry === undefined) return undefined;
	return {
		claimedAt: timeAt(entry, 0),
		mine:
			entry.slice(TICKET_HASH_LENGTH, TICKET_HASH_LENGTH + CLAIM_HASH_LENGTH) ===
			claimHashOf(secret),
	};
}

/** The claims without the ticket's. */
export function withoutClaim(claims: string, ticketHash: string): string {
	return entries(claims)
		.filter((entry) => !entry.startsWith(ticketHash))
		.join('');
}

/** The claims with the ticket's set to `secret` at `now`; the oldest dropped beyond MAX_CLAIMS. */
export function withClaim(claims: string, ticketHash: string, secret: string, now: number): string {
	// Rounded up: a claim never looks older than it is.
	const time = Math.ceil(now / 1000)
		.toString(36)
		.padStart(TIME_LENGTH, '0');
	const kept = entries(withoutClaim(claims, ticketHash)).sort(
		(a, b) => timeAt(a, 0) - timeAt(b, 0),
	);
	return [...kept.slice(-(MAX_CLAIMS - 1)), ticketHash + claimHashOf(secret) + time].join('');
}
