/**
 * How many requests one server gets at a time, found while the requests run: a concurrency limit
 * that grows while more requests in flight bring more answers per second, and shrinks at once when
 * the server says it is busy.
 *
 * Two rules, one after the other:
 * - Until the server's first refusal, steps of answers per second (./steps): twice the limit is
 *   tried and kept only if it brings more answers per second. Answer time alone could not tell a
 *   healthy server from one that serves a few at a time (docs/benchmark.md, run K).
 * - After it, TCP's: a refusal (429, 503, a reset, a timeout) cuts the limit by DECREASE, once per
 *   round: refusals of requests sent before the last cut are the same congestion and do not cut
 *   again, so a burst of 50 refusals does not drive the limit to 1. Between refusals the limit grows
 *   by about one place per round trip while answers keep their time: the gradient of Netflix's
 *   concurrency-limits `Gradient2Limit`, against the lowest recent answer time (as TCP Vegas and BBR
 *   use), re-measured as BBR does (ProbeRTT) when it seems to rise: for a few answers only half of
 *   the limit goes out, and what those take is the new reference.
 */

import { onAbort } from '../abort';
import { StepSearch } from './steps';

/**
 * Where every pace starts: polite to a small server. Its first trial doubles it, so a server that
 * serves 4-8 at a time sees at most 16 (the benchmark's queueing server: knee 8).
 */
export const INITIAL_LIMIT = 8;
/**
 * Answers up to this many times the reference answer time count as "as fast as before". With 2 the
 * limit reached 35-36 in flight on the bench's queueing server (knee 8-16) and healthy runs were no
 * faster (docs/benchmark.md, run H); values below 1.5 were not measured. Each answer's time also
 * holds its wait for n8n's busy event loop, which the pace cannot tell from a slower server.
 */
const TOLERANCE = 1.5;
/** Headroom added per round trip after a refusal: what lets the limit grow again while answer times hold. */
const HEADROOM = 4;
/** Each answer moves the limit this far towards its estimate: steady, but a round trip or two to grow. */
const SMOOTHING = 0.2;
/** The gradient never cuts more than this per answer (slow answers are noisy; refusals cut harder). */
const MIN_GRADIENT = 0.5;
/** What a refusal leaves of the limit. */
const DECREASE = 0.6;
/** Answers per window of the reference answer time: the lowest of this window and the last. */
const WINDOW = 250;
/** A window whose lowest answer time is this much above the reference starts a probe. */
const DRIFT = 1.25;
/** Answers sent during a probe that set the new reference. */
const PROBE_ANSWERS = 8;
/** The share of the limit sent during a probe: few enough for a server's line to drain. */
const PROBE_SHARE = 0.5;
/**
 * Answers after the first refusal after which the pace measures the server once with few in
 * flight: a reference taken from a new pace's first answers (the set-up of connections, a cold
 * process) let the gradient grow past a small server's knee (peak 34 at a knee of 8, 2026-12-02).
 */
const WARMUP = INITIAL_LIMIT;
/** A pace unused this long starts low again: the server may be another by now. */
const IDLE_RESET_MS = 30_000;

/** Thrown by `acquire` when its deadline passed before a place was free. */
export class NoPlaceInTime extends Error {}

const noop = () => undefined;

const CANCELED = 'The execution was canceled while the request waited for its turn';

/** A taken place: what the answer's report needs to know of when it was sent. */
export interface Slot {
	readonly sentAt: number;
	/** The round of decreases the request was sent in. */
	readonly round: number;
	/** Requests in flight when it was sent, itself included. */
	readonly inFlight: number;
	/** Sent while the pace measured the server with few requests in flight. */
	readonly probe: boolean;
}

export type Outcome =
	| { kind: 'answer'; ms: number }
	/** The server pushed back: 429, 503, a reset, a refused connection, a timeout. */
	| { kind: 'refused' }
	/** Nothing learned of the server (the execution was canceled, a request was refused locally). */
	| { kind: 'none' };

interface Waiter {
	retry: boolean;
	grant: (slot: Slot) => void;
	fail: (error: Error) => void;
	/** Stops listening for the execution's cancel (./abort: O(1), however many wait on it). */
	stopWatching: () => void;
}

export interface PaceSnapshot {
	limit: number;
	inFlight: number;
	waiting: number;
	referenceMs: number | undefined;
}

export class Pace {
	private estimate = INITIAL_LIMIT;
	private inFlight = 0;
	private round = 0;
	private readonly waiters: Waiter[] = [];
	private windowMin = Number.POSITIVE_INFINITY;
	private lastWindowMin = Number.POSITIVE_INFINITY;
	private windowCount = 0;
	/** The highest ceiling of the callers since the pace was last idle: the limit never grows past it. */
	private ceilingSeen = 1;
	private probing = false;
	private warmed = false;
	private probeAnswers = 0;
	private probeMin = Number.POSITIVE_INFINITY;
	private lastUsed = 0;
	/** Until the server's first refusal the limit is found by answers per second (./steps). */
	private search: StepSearch | undefined;

	constructor(
		private readonly maxLimit: number,
		private readonly now: () => number = Date.now,
	) {
		this.search = new StepSearch(INITIAL_LIMIT, now());
	}

	/**
	 * Waits for a place, first come first served. `ceiling` (the caller's Max Concurrent Requests)
	 * bounds how far the limit may grow while the caller is active; each caller's own item loop keeps
	 * it to its ceiling, so a caller with a low one never holds up the others. `expired`, when given,
	 * ends the wait with NoPlaceInTime (a retry must not start after its item's time limit).
	 */
	acquire(ceiling: number, signal?: AbortSignal, expired?: Promise<void>): Promise<Slot> {
		// A retry (it has a time limit) goes before first tries: it has waited once already.
		const retry = expired !== undefined;
		if (signal?.aborted) return Promise.reject(new Error(CANCELED));
		if (this.idle) {
			if (this.now() - this.lastUsed > IDLE_RESET_MS) this.startOver();
			this.ceilingSeen = ceiling;
		} else {
			this.ceilingSeen = Math.max(this.ceilingSeen, ceiling);
		}
		this.estimate = this.bounded(this.estimate);
		// Not an async function: a free place costs one settled promise, not two and a turn.
		if (this.waiters.length === 0 && this.inFlight < this.allowed()) {
			return Promise.resolve(this.take());
		}
		return new Promise<Slot>((grant, fail) => {
			const waiter: Waiter = { grant, fail, retry, stopWatching: noop };
			// Watched before it is queued: if watching throws, no waiter is left to take a place
			// nobody would give back.
			if (signal)
				waiter.stopWatching = onAbort(signal, () => this.drop(waiter, new Error(CANCELED)));
			if (retry) {
				const firstTry = this.waiters.findIndex((other) => !other.retry);
				this.waiters.splice(firstTry < 0 ? this.waiters.length : firstTry, 0, waiter);
			} else {
				this.waiters.push(waiter);
			}
			void expired?.then(() =>
				this.drop(waiter, new NoPlaceInTime('no place before the time limit')),
			);
		});
	}

	/** Gives the place back and learns from how the request ended. */
	release(slot: Slot, outcome: Outcome): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		this.lastUsed = this.now();
		if (outcome.kind === 'answer') this.learn(slot, outcome.ms, this.waiters.length > 0);
		else if (outcome.kind === 'refused') this.cut(slot);
		this.wake();
	}

	snapshot(): PaceSnapshot {
		const reference = this.reference();
		return {
			limit: this.estimate,
			inFlight: this.inFlight,
			waiting: this.waiters.length,
			referenceMs: Number.isFinite(reference) ? reference : undefined,
		};
	}

	/** Nothing in flight and nobody waiting: the pace may be forgotten. */
	get idle(): boolean {
		return this.inFlight === 0 && this.waiters.length === 0;
	}

	private allowed(): number {
		const limit = this.probing ? this.estimate * PROBE_SHARE : this.estimate;
		return Math.max(1, Math.floor(limit));
	}

	private startOver(): void {
		this.estimate = Math.min(this.estimate, INITIAL_LIMIT);
		this.round = 0;
		this.windowMin = Number.POSITIVE_INFINITY;
		this.lastWindowMin = Number.POSITIVE_INFINITY;
		this.windowCount = 0;
		this.probing = false;
		this.warmed = false;
		this.search = new StepSearch(this.estimate, this.now());
	}

	private take(): Slot {
		this.inFlight += 1;
		return { sentAt: this.now(), round: this.round, inFlight: this.inFlight, probe: this.probing };
	}

	private wake(): void {
		while (this.waiters.length > 0 && this.inFlight < this.allowed()) {
			const waiter = this.waiters.shift() as Waiter;
			waiter.stopWatching();
			waiter.grant(this.take());
		}
	}

	/** A waiter that gives up (its execution was canceled, its time ran out) leaves without a place. */
	private drop(waiter: Waiter, error: Error): void {
		const index = this.waiters.indexOf(waiter);
		if (index < 0) return;
		this.waiters.splice(index, 1);
		waiter.stopWatching();
		waiter.fail(error);
		this.wake();
	}

	private reference(): number {
		return Math.min(this.windowMin, this.lastWindowMin);
	}

	private learn(slot: Slot, ms: number, full: boolean): void {
		const sample = Math.max(1, ms);
		if (this.search) {
			// The answer times are kept for the rule that follows the first refusal.
			this.windowMin = Math.min(this.windowMin, sample);
			const ceiling = Math.min(this.maxLimit, this.ceilingSeen);
			this.estimate = this.bounded(this.search.answered(slot, sample, this.now(), full, ceiling));
			return;
		}
		if (this.probing) {
			if (slot.probe) this.probed(sample);
			// The limit holds while the server is measured.
			return;
		}
		this.windowMin = Math.min(this.windowMin, sample);
		this.windowCount += 1;
		if (!this.warmed && this.windowCount >= WARMUP) {
			this.warmed = true;
			this.startProbe();
			return;
		}
		if (this.windowCount >= WINDOW) this.nextWindow();
		// Few in flight say nothing about whether more would be served as fast: do not grow on them.
		if (slot.inFlight < this.estimate / 2) return;
		const gradient = Math.max(MIN_GRADIENT, Math.min(1, (TOLERANCE * this.reference()) / sample));
		// The headroom comes once per round trip (TCP's congestion avoidance): a server that said
		// "busy" at 9 is not asked for 9 again at once.
		const target = this.estimate * gradient + HEADROOM / this.estimate;
		this.estimate = this.bounded(this.estimate * (1 - SMOOTHING) + target * SMOOTHING);
	}

	private nextWindow(): void {
		const reference = this.reference();
		if (Number.isFinite(this.lastWindowMin) && this.windowMin > reference * DRIFT) {
			this.startProbe();
		} else {
			this.lastWindowMin = this.windowMin;
		}
		this.windowMin = Number.POSITIVE_INFINITY;
		this.windowCount = 0;
	}

	private startProbe(): void {
		this.probing = true;
		this.probeAnswers = 0;
		this.probeMin = Number.POSITIVE_INFINITY;
	}

	private probed(sample: number): void {
		this.probeMin = Math.min(this.probeMin, sample);
		this.probeAnswers += 1;
		if (this.probeAnswers < PROBE_ANSWERS) return;
		this.lastWindowMin = this.probeMin;
		this.windowMin = Number.POSITIVE_INFINITY;
		this.probing = false;
	}

	private cut(slot: Slot): void {
		if (slot.round !== this.round) return;
		// A refusal met with few in flight (a sequential trigger, one slow report) says little about
		// the load this pace puts on the server: the same gate as for growing.
		if (slot.inFlight < this.estimate / 2) return;
		this.search = undefined;
		this.round += 1;
		this.estimate = this.bounded(this.estimate * DECREASE);
	}

	private bounded(value: number): number {
		return Math.max(1, Math.min(this.maxLimit, this.ceilingSeen, value));
	}
}
