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

/** Unexpired entries, the latest expiry first, at most MAX_USED_TICKETS. */
function pruned(entries: Iterable<[string, number]>, now: number): Map<string, number> {
	const live = [...entries].filter(([, expiresAt]) => expiresAt > now);
	live.sort((a, b) => b[1] - a[1]);
	return new Map(live.slice(0, MAX_USED_TICKETS));
}

export class UsedTickets {
	private readonly remembered: Map<string, number>;

	constructor(
		private readonly staticData: IDataObject,
		scope: string,
		private readonly now: number,
	) {
		const stored = staticData[STATIC_DATA_FIELD];
		const fromStatic: Array<[string, number]> = isRecord(stored)
			? Object.entries(stored).filter(
					(entry): entry is [string, number] =>
						typeof entry[1] === 'number' && Number.isFinite(entry[1]),
				)
			: [];
		const inMemory = memory.get(scope) ?? new Map<string, number>();
		this.remembered = pruned([...fromStatic, ...inMemory], now);
		memory.set(scope, this.remembered);
	}

	isUsed(ticketId: string): boolean {
		return this.remembered.has(hashOf(ticketId));
	}

	/** Synchronous on purpose: two requests in this process cannot both pass `isUsed` first. */
	markUsed(ticketId: string, expiresAt: number): void {
		this.remembered.set(hashOf(ticketId), expiresAt);
		const kept = pruned(this.remembered, this.now);
		this.remembered.clear();
		for (const [hash, at] of kept) this.remembered.set(hash, at);
		// One assignment: n8n marks static data changed on assignment, not on nested changes.
		this.staticData[STATIC_DATA_FIELD] = Object.fromEntries(kept);
	}
}
