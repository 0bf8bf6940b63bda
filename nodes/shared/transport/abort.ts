/**
 * Abort listeners and time limits shared by the requests in flight. Every request needs both, and
 * one each per request cost more than the rest of our code per item: Node walks a signal's
 * listeners to remove one (an execution's cancel signal had up to 200 at a time), and
 * `AbortSignal.timeout` cost about 20 µs per request (docs/benchmark.md, run N). `setTimeout`
 * would be cheaper still, but n8n's rules for community nodes do not allow it.
 */

type Callback = () => void;

/** Per signal, the callbacks of those still interested; one real listener calls them all. */
const interested = new WeakMap<AbortSignal, Set<Callback>>();

/**
 * Calls `callback` once when `signal` aborts (at once if it has), unless the returned function was
 * called first. Removing is O(1) whatever the number of others waiting on the same signal.
 */
export function onAbort(signal: AbortSignal, callback: Callback): () => void {
	if (signal.aborted) {
		callback();
		return () => undefined;
	}
	let callbacks = interested.get(signal);
	if (callbacks === undefined) {
		const all = new Set<Callback>();
		callbacks = all;
		interested.set(signal, all);
		signal.addEventListener('abort', () => callAll(signal, all), { once: true });
	}
	const own = callbacks;
	// One entry per call, even for a callback given twice: each caller's stop removes only its own.
	const entry = () => callback();
	own.add(entry);
	return () => own.delete(entry);
}

/**
 * Every callback gets its abort even if one before it throws, as with a listener each; the first
 * error is thrown afterwards, as a listener's own would have been.
 */
function callAll(signal: AbortSignal, all: Set<Callback>): void {
	interested.delete(signal);
	let failed: { error: unknown } | undefined;
	for (const each of all) {
		try {
			each();
		} catch (error) {
			failed ??= { error };
		}
	}
	if (failed) throw failed.error;
}

/**
 * How late a time limit may end: limits that end within the same GRAIN_MS share one timer. A
 * limit is never early; late by at most this much on limits of seconds.
 */
export const GRAIN_MS = 50;

/**
 * The shared timers, by the grain they end in, until they fire: at most one per grain of the
 * longest time limit (12,000 for the Timeout option's 600 s), where each request had one of its own.
 */
const timers = new Map<number, AbortSignal>();

/** Node runs a longer timer after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A signal that aborts `ms` from now (or up to GRAIN_MS later), shared with the limits ending in the
 * same grain. Grains count on the monotonic clock, as the timers do: on the wall clock, a system
 * clock set back would let a new limit join a timer that ends before its time.
 */
export function deadline(ms: number): AbortSignal {
	// Not a number of ms is a bug upstream: the limit ends at once rather than never.
	const wait = Number.isNaN(ms) ? 1 : Math.min(MAX_TIMER_MS - GRAIN_MS, Math.max(1, ms));
	const now = performance.now();
	const grain = Math.ceil((now + wait) / GRAIN_MS);
	let signal = timers.get(grain);
	if (signal === undefined) {
		const created = AbortSignal.timeout(Math.max(1, Math.ceil(grain * GRAIN_MS - now)));
		signal = created;
		timers.set(grain, created);
		onAbort(created, () => {
			if (timers.get(grain) === created) timers.delete(grain);
		});
	}
	return signal;
}
