/**
 * The login page's ticket key, kept in this process's memory between POSTs. Reading the credential
 * costs n8n 2.x about 60 ms per request (its expression engine starts a second isolate while the
 * webhook holds the first), which was most of a ticket redemption's time. A key is read again after
 * `PAGE_KEY_TTL_MS`, and at once when a ticket names another key (the API key or the Watcher
 * address may have changed since), so a changed credential is seen within a minute at the latest.
 */
import type { TicketKey } from './tickets';

export interface PageKey {
	key: TicketKey;
	/** The Watcher server the redeemed token is posted to. */
	baseUrl: string;
}

export const PAGE_KEY_TTL_MS = 60_000;
/** One entry per login page node (and credential) in this process: a bound, not an expected size. */
const MAX_PAGE_KEYS = 200;

const keys = new Map<string, { value: PageKey; readAt: number }>();

/**
 * The key of `scope` (workflow, node and credential), from memory while it is younger than the
 * TTL, else from `read`. `reread` skips the memory. A failed read leaves nothing behind.
 */
export async function pageKey(
	scope: string,
	now: number,
	read: () => Promise<PageKey>,
	reread = false,
): Promise<PageKey> {
	const known = keys.get(scope);
	// A clock that went back also counts as stale.
	if (!reread && known && now >= known.readAt && now - known.readAt < PAGE_KEY_TTL_MS)
		return known.value;
	keys.delete(scope);
	const value = await read();
	if (keys.size >= MAX_PAGE_KEYS) keys.clear();
	keys.set(scope, { value, readAt: now });
	return value;
}
