/**
 * The single-use memory of a login page: hashes of redeemed ticket ids with their expiry, in the
 * node's workflow static data (n8n saves it after each webhook request, so it survives restarts)
 * and in process memory (which sees a second use at once, before n8n has saved anything).
 * Limits, stated in the README: concurrent executions save static data last-writer-wins, and in
 * queue mode each webhook process has its own memory; the link's expiry bounds what slips through.
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { LruMap } from '../../shared/lru';

/** Redeemed tickets remembered per login page; more unexpired ones than this forget the soonest to expire. */
export const MAX_USED_TICKETS = 5_000;
const STATIC_DATA_FIELD = 'usedTickets';

/** Per login page (workflow and node), a bounded number of pages per process. */
const memory = new LruMap<string, Map<string, number>>(200);

function hashOf(ticketId: string): string {
	return createHash('sha256').update(ticketId).digest('base64url').slice(0, 22);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Unexpired entries (each hash once), the latest expiry first, at most MAX_USED_TICKETS. */
function pruned(entries: Iterable<[string, number]>, now: number): Map<string, number> {
	const unique = new Map<string, number>();
	for (const [hash, expiresAt] of entries) {
		if (expiresAt > now && expiresAt > (unique.get(hash) ?? 0)) unique.set(hash, expiresAt);
	}
	if (unique.size <= MAX_USED_TICKETS) return unique;
	return new Map([...unique].sort((a, b) => b[1] - a[1]).slice(0, MAX_USED_TICKETS));
}

/** What this page remembers: static data and this process's memory, merged and pruned. */
function remembered(staticData: IDataObject, scope: string, now: number): Map<string, number> {
	const stored = staticData[STATIC_DATA_FIELD];
	const fromStatic: Array<[string, number]> = isRecord(stored)
		? Object.entries(stored).filter(
				(entry): entry is [string, number] =>
					typeof entry[1] === 'number' && Number.isFinite(entry[1]),
			)
		: [];
	const merged = pruned([...fromStatic, ...(memory.get(scope) ?? [])], now);
	memory.set(scope, merged);
	return merged;
}

/**
 * Marks a ticket used and says whether it was unused before: one synchronous step, so two
 * requests in this process cannot both find a ticket unused.
 */
export function useTicket(
	staticData: IDataObject,
	scope: string,
	ticketId: string,
	expiresAt: number,
	now: number,
): boolean {
	const used = remembered(staticData, scope, now);
	const hash = hashOf(ticketId);
	if (used.has(hash)) return false;
	used.set(hash, expiresAt);
	const kept = pruned(used, now);
	memory.set(scope, kept);
	// One assignment: n8n marks static data changed on assignment, not on nested changes.
	staticData[STATIC_DATA_FIELD] = Object.fromEntries(kept);
	return true;
}

/** Whether a ticket was used, without using it (Require a Click's first step). */
export function isTicketUsed(
	staticData: IDataObject,
	scope: string,
	ticketId: string,
	now: number,
): boolean {
	return remembered(staticData, scope, now).has(hashOf(ticketId));
}
