/**
 * The login page's ticket key, kept in this process's memory between POSTs. Reading the credential
 * costs n8n 2.x about 60 ms per request (its expression engine starts a second isolate while the
 * webhook holds the first), which was most of a ticket redemption's time. A key is read again after
 * `PAGE_KEY_TTL_MS`, so a changed credential is seen within a minute at the latest, and earlier
 * when a ticket names another key (the API key or the Watcher address may have changed since):
 * then at most once per `PAGE_KEY_REREAD_MS`, since anyone can post tickets under made-up keys.
 */
import { LruMap } from '../../shared/lru';
import type { SealingKey } from './tickets';

export interface PageKey {
	key: SealingKey;
	/** The Watcher server the redeemed token is posted to. */
	baseUrl: string;
}

export const PAGE_KEY_TTL_MS = 60_000;
export const PAGE_KEY_REREAD_MS = 5_000;
/** One entry per login page node (and credential) in this process: a bound, not an expected size. */
const MAX_PAGE_KEYS = 200;

/** A pending read is kept too, so concurrent POSTs share it. */
const keys = new LruMap<string, { value: Promise<PageKey>; readAt: number }>(MAX_PAGE_KEYS);

/**
 * The key of `scope` (workflow, node and credential), from memory while it is younger than the
 * TTL, else from `read`. `reread` asks for a fresh read, which happens only when the key in memory
 * is older than `PAGE_KEY_REREAD_MS`. A failed read leaves nothing behind.
 */
export async function pageKey(
	scope: string,
	now: number,
	read: () => Promise<PageKey>,
	reread = false,
): Promise<PageKey> {
	const known = keys.get(scope);
	const age = known ? now - known.readAt : -1;
	// A clock that went back also counts as stale.
	if (known && age >= 0 && age < (reread ? PAGE_KEY_REREAD_MS : PAGE_KEY_TTL_MS))
		return await known.value;
	const value = read();
	keys.set(scope, { value, readAt: now });
	value.catch(() => {
		if (keys.get(scope)?.value === value) keys.delete(scope);
	});
	return await value;
}
