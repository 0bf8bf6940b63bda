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
		signal.addEventListener(
			'abort',
			() => {
				interested.delete(signal);
				for (const each of all) each();
			},
			{ once: true },
		);
	}
	const own = callbacks;
	own.add(callback);
	return () => own.delete(callback);
}

/**
 * How late a time limit may end: limits that end within the same GRAIN_MS share one timer. A
 * limit is never early; late by at most this much on limits of seconds.
 */
export const GRAIN_MS = 50;

/**
 * The shared timers, by the grain they end in, until they fire: at most one per grain of the
 * longest time limit (6,000 for 300 s), where each request had one of its own before.
 */
const timers = new Map<number, AbortSignal>();

/** A signal that aborts `ms` from now (or up to GRAIN_MS later), shared with the limits ending in the same grain. */
export function deadline(ms: number): AbortSignal {
	const now = Date.now();
	const grain = Math.ceil((now + Math.max(1, ms)) / GRAIN_MS);
	let signal = timers.get(grain);
	if (signal === undefined) {
		signal = AbortSignal.timeout(Math.max(1, grain * GRAIN_MS - now));
		timers.set(grain, signal);
		onAbort(signal, () => timers.delete(grain));
	}
	return signal;
}
