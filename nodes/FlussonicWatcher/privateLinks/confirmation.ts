/**
 * The two steps of a confirmed use (see claims.ts for why): `claimTicket` when the page is first
 * posted, `confirmTicket` when the page it answered posts back.
 */
import type { TicketState, UsedTicketsData } from './usedTickets';
import {
	hashOf,
	holds,
	loadedPage,
	markUsed,
	pagesOf,
	remembered,
	stateOf,
	useTicket,
} from './usedTickets';
import {
	CONFIRM_AFTER_MS,
	claimOf,
	forgetClaim,
	isOwnClaim,
	noteClaims,
	rememberClaim,
	seenClaimOf,
	storedClaims,
	withClaim,
	withRedeemed,
} from './claims';

/** Marks the ticket used with a pending claim made of `secret`, if it was unused. */
export function claimTicket(
	data: UsedTicketsData,
	page: string,
	ticketId: string,
	expiresAt: number,
	secret: string,
	now: number,
): TicketState {
	const hash = hashOf(ticketId);
	const state = useTicket(data, page, ticketId, expiresAt, now, (claims) => {
		noteClaims(page, claims);
		return withClaim(claims, hash, secret, now);
	});
	if (state === 'unused') rememberClaim(page, hash, secret, now);
	return state;
}

export type Confirmation =
	| { state: 'confirmed' }
	| { state: 'wait'; waitMs: number }
	| { state: 'alreadyUsed' | 'memoryFull' };

/**
 * Redeems only what static data, as loaded for this request, shows claimed by `secret` at least
 * CONFIRM_AFTER_MS ago. A mark or claim that a concurrent save lost is claimed again by the process
 * that made the claim (or by any process, if the mark is gone too) and waited for; anything else
 * refuses.
 */
export function confirmTicket(
	data: UsedTicketsData,
	page: string,
	ticketId: string,
	expiresAt: number,
	secret: string,
	now: number,
): Confirmation {
	const hash = hashOf(ticketId);
	// Read before anything is written back: the copy n8n loaded, not this process's memory.
	const loaded = loadedPage(data, page, now);
	const claims = storedClaims(pagesOf(data.global)[page], now);
	const seen = seenClaimOf(page, hash, secret);
	noteClaims(page, claims);
	const claim = claimOf(claims, hash, secret);
	const maker = isOwnClaim(page, hash, secret, now) || seen === 'mine';
	if (holds(loaded.u, hash)) {
		if (claim === undefined) {
			// The mark was written back without its claim. Only the claim's maker may restore it:
			// anyone else holding the link could otherwise claim a used one.
			if (seen === 'other') return { state: 'alreadyUsed' };
			if (maker) {
				markUsed(data, page, ticketId, expiresAt, now, withClaim(claims, hash, secret, now));
			}
			return { state: 'wait', waitMs: CONFIRM_AFTER_MS };
		}
		if (!claim.mine) return { state: 'alreadyUsed' };
		const waitMs = claim.claimedAt + CONFIRM_AFTER_MS - now;
		if (waitMs > 0) return { state: 'wait', waitMs };
		forgetClaim(page, hash);
		markUsed(data, page, ticketId, expiresAt, now, withRedeemed(claims, hash, now));
		return { state: 'confirmed' };
	}
	// Not in the loaded copy: a save lost the mark, or it was never made. This process may know
	// it used by someone else; otherwise the mark is made again with this claim, and waited for.
	const known = remembered(data, page, now);
	if (holds(known.u, hash) && !maker) {
		if (seen === 'other') return { state: 'alreadyUsed' };
		// Marked, but whose claim it carried is not known here: the mark goes back alone, and the
		// process that made the claim writes the claim back with its next save (withOwnClaims).
		// Refusing here refused a genuine first login (1 of 200 in the webhook-process e2e).
		markUsed(data, page, ticketId, expiresAt, now, claims);
		return { state: 'wait', waitMs: CONFIRM_AFTER_MS };
	}
	const state = stateOf(known, hash, expiresAt);
	if (state === 'memoryFull') return { state };
	rememberClaim(page, hash, secret, now);
	markUsed(data, page, ticketId, expiresAt, now, withClaim(claims, hash, secret, now));
	return { state: 'wait', waitMs: CONFIRM_AFTER_MS };
}
