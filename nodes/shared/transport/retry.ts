/**
 * Which failures of one try are worth another, and how long to wait first. A server that is busy
 * says so (429, 503, often with Retry-After); a gateway that lost its upstream (502, 504) or a
 * connection that was reset may succeed a moment later. Nothing else is retried: a 4xx other than
 * 429 or a 500 answers the same on every try.
 */
/** Tries per request, the first included. */
export const MAX_TRIES = 5;
/** The longest wait a Retry-After may ask for; a year or a date far ahead is cut to this. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** First backoff without Retry-After; doubled per try, with full jitter (as AWS's retry guidance). */
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 10_000;
/** Spreads the retries of items refused together, so they do not come back as one burst. */
const RETRY_AFTER_JITTER_MS = 100;

/** Methods whose repeat does what the first did: a reset after sending may mean "done" for others. */
const IDEMPOTENT = new Set<string>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export type TransientKind = 'busy' | 'gateway' | 'reset' | 'refused';

export interface TryRecord {
	/** Tries made, the first included. */
	count: number;
	/** What each failed try was, in order, e.g. ["status 503", "connection reset"]. */
	reasons: string[];
	startedAt: number;
}

/** The transient kind of an answer's status, or undefined if the status is an answer to keep. */
export function transientStatus(status: number): TransientKind | undefined {
	if (status === 429 || status === 503) return 'busy';
	if (status === 502 || status === 504) return 'gateway';
	return undefined;
}

/** Network codes worth another try: the connection was refused, reset or closed early. */
export function transientCode(code: string | undefined): TransientKind | undefined {
	if (code === 'ECONNREFUSED') return 'refused';
	if (code === 'RESET') return 'reset';
	return undefined;
}

/**
 * Whether this kind of failure may be retried for this method: a busy server and a refused
 * connection did nothing with the request; after a reset or a gateway error the server may have
 * acted on it, so only a request whose repeat is harmless goes again.
 */
export function mayRetry(kind: TransientKind, method: string, readOnly = false): boolean {
	if (kind === 'busy' || kind === 'refused' || readOnly) return true;
	return IDEMPOTENT.has(method.toUpperCase());
}

/**
 * Retry-After as milliseconds from `now`: delay-seconds or an HTTP date, capped at
 * MAX_RETRY_AFTER_MS; undefined when absent or not one of the two (e.g. "-1", "soon").
 */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (/^\d{1,12}$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
	// An HTTP date names a weekday and a month; a bare number or word is not one.
	if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
	const at = Date.parse(text);
	if (!Number.isFinite(at)) return undefined;
	return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/** How long to wait before try number `nextTry` (2 for the first retry). */
export function waitBeforeTry(nextTry: number, retryAfter: number | undefined): number {
	if (retryAfter !== undefined) return retryAfter + Math.random() * RETRY_AFTER_JITTER_MS;
	const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (nextTry - 2));
	return Math.random() * cap;
}

/** "3 tries in 2.1 s: status 503 (busy) ×2, connection reset" */
export function describeTries(tries: TryRecord, now: number): string {
	const seconds = ((now - tries.startedAt) / 1000).toFixed(1);
	const runs: Array<{ reason: string; times: number }> = [];
	for (const reason of tries.reasons) {
		const last = runs[runs.length - 1];
		if (last?.reason === reason) last.times += 1;
		else runs.push({ reason, times: 1 });
	}
	const told = runs.map(({ reason, times }) => (times > 1 ? `${reason} ×${times}` : reason));
	return `${tries.count} tries in ${seconds} s: ${told.join(', ')}`;
}

/** Adds the tries to an error's message and description (an error after one try is left as is). */
export function withTries<E extends Error & { description?: string | null }>(
	error: E,
	tries: TryRecord | undefined,
): E {
	if (tries === undefined || tries.count < 2) return error;
	const told = describeTries(tries, Date.now());
	error.message = `${error.message} (after ${tries.count} tries)`;
	error.description = `${error.description ? `${error.description} ` : ''}The node made ${told}.`;
	return error;
}
