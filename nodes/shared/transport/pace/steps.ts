/**
 * How a pace finds its limit while the server has refused nothing: by answers per second, not by
 * answer time. It measures a step at the limit it keeps, then tries twice as many in flight for a
 * step; the higher limit is kept while it brings at least STEP_GAIN more answers per second, else the
 * pace goes back and tries again a few steps later (as BBR probes for bandwidth).
 *
 * Answers per second come from Little's law (in flight / answer time), with the median answer time
 * of the step: counting answers over the step's time let a pause of n8n's event loop decide a step
 * (the benchmark's queueing server went to 64 in flight that way).
 *
 * Answer time cannot tell the two servers of the benchmark apart (docs/benchmark.md, run K): on the
 * healthy one, answers take longer as more are in flight (n8n's event loop and the server's queue up
 * requests alike) and still more answers come per second, up to 200 in flight (+10% per doubling);
 * on one that serves 4 at a time, answers take longer and no more come beyond about 8 (+3% from 8 to
 * 16). Answers per second tell them apart, with steps of 16 answers varying by +-15%: the first
 * keep therefore needs two steps that beat the kept rate (run L: 16 kept on one lucky step put trials
 * of 32 on the queueing server in run K).
 */

/** How far a trial raises the limit. */
const STEP_FACTOR = 2;
/** A trial is kept when its answers per second exceed the kept limit's by this share. */
const STEP_GAIN = 0.1;
/** Answers a step counts at least (a step at a high limit counts a quarter of the limit). */
const MIN_STEP_ANSWERS = 16;
/** Steps at the kept limit after a failed trial before the next one. */
const STEPS_BETWEEN_TRIALS = 4;
/** A step counts only if callers waited for a place at this share of its answers: else it measured them, not the server. */
const FULL_SHARE = 0.8;
/** A request counts for a step when it went out with at least this share of the step's limit in flight. */
const FILLED = 0.9;
/** Trial steps in a row that must beat the kept rate before the first trial is kept. */
const CONFIRMATIONS = 2;

/** What a step needs of a request: when it went out and how many were in flight with it. */
interface Slot {
	readonly sentAt: number;
	readonly inFlight: number;
}

export class StepSearch {
	private kept: number;
	/** Answers per second at the kept limit, as last measured. */
	private keptRate = 0;
	private trial = false;
	/** The limit of the last trial that was not kept. */
	private failedAt: number | undefined;
	/** Trial steps in a row that beat the kept rate (the first keep needs CONFIRMATIONS of them). */
	private passes = 0;
	/**
	 * Two steps before the first trial, the second its measure: the first answers of a new pace carry
	 * the set-up of connections and a cold process, and a trial measured against them looked better
	 * than it was (the queueing server kept 16 in flight where 8 serve as fast).
	 */
	private stepsSinceTrial = STEPS_BETWEEN_TRIALS - 2;
	/** The limit of the step being measured. */
	private limit: number;
	/** When the limit was last changed: answers to requests sent before it do not count. */
	private startedAt = 0;
	private answers = 0;
	private full = 0;
	private inFlightSum = 0;
	private readonly times: number[] = [];

	constructor(
		private readonly initial: number,
		now: number,
	) {
		this.kept = initial;
		this.limit = initial;
		this.begin(initial, now);
		// A new search counts no answer of a request sent before it (`begin` keeps the time when the
		// limit stays the same).
		this.startedAt = now;
	}

	/**
	 * Learns from one answer and returns the limit to use from now on: the step's own while it is
	 * measured. `full`: callers were waiting for a place when it came; `ceiling`: the most allowed.
	 */
	answered(slot: Slot, ms: number, now: number, full: boolean, ceiling: number): number {
		// Only requests sent at the step's limit count: not those of the step before, nor those sent
		// while a new pace was still filling its first places.
		if (slot.sentAt < this.startedAt || slot.inFlight < this.limit * FILLED) return this.limit;
		this.answers += 1;
		if (full) this.full += 1;
		this.inFlightSum += slot.inFlight;
		this.times.push(ms);
		if (this.answers < Math.max(MIN_STEP_ANSWERS, Math.ceil(this.limit / 4))) return this.limit;
		if (this.full < this.answers * FULL_SHARE) {
			this.begin(this.limit, now);
			return this.limit;
		}
		this.judge(this.inFlightSum / this.answers / median(this.times));
		let next = Math.min(this.kept, ceiling);
		if (this.trial) {
			// A trial that needs another step (its confirmation, or its second chance) goes on.
			next = Math.min(ceiling, this.limit);
			if (next <= this.kept) this.trial = false;
		} else if (this.stepsSinceTrial >= STEPS_BETWEEN_TRIALS && ceiling > this.kept) {
			next = Math.min(ceiling, this.kept * STEP_FACTOR);
			this.trial = true;
		}
		this.begin(next, now);
		return next;
	}

	private judge(rate: number): void {
		if (!this.trial) {
			this.keptRate = rate;
			this.stepsSinceTrial += 1;
			return;
		}
		if (rate > this.keptRate * (1 + STEP_GAIN)) {
			this.passes += 1;
			// The first keep is confirmed by a second step: it decides whether a server that serves a
			// few at a time sees twice or four times its knee (the benchmark's queueing server kept 16
			// on one lucky step, then tried 32). Later keeps follow a server that has shown it scales.
			if (this.kept === this.initial && this.passes < CONFIRMATIONS) return;
			this.trial = false;
			this.passes = 0;
			this.kept = this.limit;
			this.keptRate = rate;
			// Kept: the next trial follows at once, measured against this one.
			this.stepsSinceTrial = STEPS_BETWEEN_TRIALS;
			return;
		}
		this.passes = 0;
		if (this.failedAt !== this.limit) {
			// A limit's first trial also pays for its new connections and cold code (its answers took
			// twice as long as the same limit's later trials in the benchmark): it gets a second one at
			// once, against the same kept rate.
			this.failedAt = this.limit;
			return;
		}
		this.trial = false;
		this.stepsSinceTrial = 0;
	}

	private begin(limit: number, now: number): void {
		// Another step at the same limit counts the answers of requests already under way: they went
		// out at that limit too. Waiting one answer time for them cost each step at 8 about 35 ms.
		if (limit !== this.limit) this.startedAt = now;
		this.limit = limit;
		this.answers = 0;
		this.full = 0;
		this.inFlightSum = 0;
		this.times.length = 0;
	}
}

/** The middle answer time: a pause of n8n's event loop, which delays a few answers, does not move it. */
function median(times: number[]): number {
	times.sort((a, b) => a - b);
	return Math.max(1, times[times.length >> 1]);
}
