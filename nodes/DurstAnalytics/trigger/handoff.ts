/**
 * n8n 2.x's durable poller cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED) give each poll a fresh copy
 * of the node's static data, read from the database, and save what the poll leaves there only
 * after the poll has returned, in one transaction with the execution it starts. A poll that starts
 * in between (the scheduler runs due polls side by side) reads the state from before the last poll
 * and would report that poll's events again. So this process remembers, per node, the state its
 * last poll with events started from: a poll that finds that very state within HANDOFF_MS is
 * skipped (it changes nothing); after that it is n8n's word (its save failed, and so did the
 * execution) and the poll goes on from it, reporting those events again rather than never.
 * With n8n's classic polling the state found is the one the last poll left: nothing is skipped.
 */
import { createHash } from 'node:crypto';

import { LruMap } from '../../shared/lru';

/** n8n saves within seconds; a poll times out after 45 s by default. */
export const HANDOFF_MS = 60_000;

/** Keys: workflow, node and mode. Bounded: a forgotten entry only loses the skip. */
const handedOff = new LruMap<string, { before: string; at: number }>(1_000);

/** Same for the same state whatever the key order: a database may store JSON reordered. */
function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value)
				.sort()
				.map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
		);
	}
	return value;
}

/** The state a poll finds, as a short hash; none for no state (a first poll reports nothing). */
export function fingerprint(stored: unknown): string | undefined {
	if (stored === undefined) return undefined;
	return createHash('sha256')
		.update(JSON.stringify(canonical(stored)) ?? '')
		.digest('base64url');
}

/** Remembers the state a poll with events started from, once it handed its events to n8n. */
export function handOff(key: string, before: string | undefined, now: number): void {
	if (before === undefined) handedOff.delete(key);
	else handedOff.set(key, { before, at: now });
}

/**
 * True when the state found is the one the last poll with events started from, and that poll
 * ended less than HANDOFF_MS ago: n8n has not saved what it left yet.
 */
export function awaitingSave(key: string, found: string | undefined, now: number): boolean {
	const last = handedOff.get(key);
	if (last === undefined || found === undefined) return false;
	if (now - last.at >= HANDOFF_MS || now < last.at) {
		handedOff.delete(key);
		return false;
	}
	return found === last.before;
}
