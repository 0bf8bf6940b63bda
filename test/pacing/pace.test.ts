/**
 * The pace's rule on its own (no HTTP), on a fake clock: it doubles while more in flight bring more
 * answers per second, never past the callers' ceiling, cuts once per round of refusals, and hands
 * places out in order.
 */
import { INITIAL_LIMIT, NoPlaceInTime, Pace } from '../../nodes/shared/transport/pace/pace';
import type { Slot } from '../../nodes/shared/transport/pace/pace';

/** A place if the pace gives one at once, else undefined (the wait is canceled). */
async function granted(pace: Pace, ceiling: number): Promise<Slot | undefined> {
	const controller = new AbortController();
	const waiting = pace.acquire(ceiling, controller.signal);
	await new Promise((resolve) => setImmediate(resolve));
	controller.abort();
	return await waiting.catch(() => undefined);
}

/** Runs `rounds` rounds of as many requests as the pace allows, each answered after `ms(inFlight)`. */
async function drive(
	pace: Pace,
	ceiling: number,
	rounds: number,
	answer: (inFlight: number) => { kind: 'answer'; ms: number } | { kind: 'refused' },
): Promise<number[]> {
	const limits: number[] = [];
	for (let round = 0; round < rounds; round++) {
		const slots: Slot[] = [];
		for (let i = 0; i < ceiling; i++) {
			const slot = await granted(pace, ceiling);
			if (slot === undefined) break;
			slots.push(slot);
		}
		const inFlight = slots.length;
		for (const slot of slots) pace.release(slot, answer(inFlight));
		limits.push(pace.snapshot().limit);
	}
	return limits;
}

/** The limits with repeats in a row dropped: the steps a pace went through. */
function runs(limits: number[]): number[] {
	return limits.filter((limit, i) => i === 0 || limit !== limits[i - 1]);
}

/** A fake clock for a pace, and rounds on it: how a pace learns answers per second. */
class Timed {
	now = 1_000_000;
	readonly pace = new Pace(200, () => this.now);

	/**
	 * `rounds` rounds of as many requests as the pace allows while more callers wait (the pace is
	 * full, as when a node has more items than places), all answered after `ms(inFlight)` ms.
	 */
	async run(ceiling: number, rounds: number, ms: (inFlight: number) => number): Promise<number[]> {
		const limits: number[] = [];
		for (let round = 0; round < rounds; round++) {
			const slots: Slot[] = [];
			for (;;) {
				const slot = await granted(this.pace, ceiling);
				if (slot === undefined) break;
				slots.push(slot);
			}
			// Callers still waiting at every answer: the pace is full.
			const stops = [...slots, undefined].map(() => new AbortController());
			const waiting = stops.map(async (stop) => await this.pace.acquire(ceiling, stop.signal));
			const took = ms(slots.length);
			this.now += took;
			for (const slot of slots) this.pace.release(slot, { kind: 'answer', ms: took });
			for (const stop of stops) stop.abort();
			for (const slot of await Promise.allSettled(waiting)) {
				if (slot.status === 'fulfilled') this.pace.release(slot.value, { kind: 'none' });
			}
			limits.push(this.pace.snapshot().limit);
		}
		return limits;
	}
}

describe('pace', () => {
	it('starts at the initial limit and grows to the ceiling while more in flight bring more answers per second', async () => {
		const timed = new Timed();
		expect(timed.pace.snapshot().limit).toBe(INITIAL_LIMIT);
		const limits = await timed.run(100, 150, () => 20);
		expect(limits[limits.length - 1]).toBe(100);
		expect(Math.max(...limits)).toBeLessThanOrEqual(100);
		// Doubling: 8, 16, 32, 64, 100, each kept.
		expect([...new Set(limits)]).toEqual([8, 16, 32, 64, 100]);
	});

	it('stays at the knee of a server that serves 8 at a time: more in flight only wait longer', async () => {
		const timed = new Timed();
		const limits = await timed.run(100, 400, (inFlight) => 20 * Math.max(1, inFlight / 8));
		// Trials of 16 now and then, never kept: 16 bring no more answers per second than 8.
		expect(Math.max(...limits)).toBe(16);
		expect(limits.slice(-100).filter((limit) => limit === 8).length).toBeGreaterThan(60);
		expect(Math.min(...limits)).toBe(8);
	});

	it('measures twice before its first trial: slow first answers do not make the trial look good', async () => {
		const timed = new Timed();
		// 4 at a time; the first rounds also carry 40 ms of new connections (one step at 8 counts the
		// answers of 16 rounds here: those sent with all 8 places taken).
		let rounds = 0;
		const limits = await timed.run(100, 400, (inFlight) => {
			rounds += 1;
			return (rounds <= 16 ? 40 : 0) + 20 * Math.max(1, inFlight / 4);
		});
		expect(Math.max(...limits)).toBe(16);
		expect(limits.slice(-100).filter((limit) => limit === 8).length).toBeGreaterThan(60);
	});

	it('gives a first trial that paid for new connections a second step at once', async () => {
		const timed = new Timed();
		// A healthy server; the first 8 rounds at 16 in flight (one step) also open 8 connections.
		let coldRounds = 0;
		const limits = await timed.run(100, 300, (inFlight) => {
			if (inFlight === 16 && coldRounds < 8) {
				coldRounds += 1;
				return 80;
			}
			return 20;
		});
		// Not back to 8 between the two trials of 16 (a step at 8 takes 16 rounds here).
		expect(runs(limits)).toEqual([8, 16, 32, 64, 100]);
	});

	it('keeps its first trial only when a second step confirms it: one lucky step at 16 is not kept', async () => {
		const timed = new Timed();
		// Serves 8 at a time; the first step at 16 happens to be answered as fast as 8.
		let luckyRounds = 0;
		const limits = await timed.run(100, 400, (inFlight) => {
			if (inFlight === 16 && luckyRounds < 8) {
				luckyRounds += 1;
				return 20;
			}
			return 20 * Math.max(1, inFlight / 8);
		});
		expect(luckyRounds).toBe(8);
		expect(Math.max(...limits)).toBe(16);
	});

	it('cuts once for a round of refusals, not once per refusal', async () => {
		const timed = new Timed();
		await timed.run(40, 150, () => 20);
		const before = timed.pace.snapshot().limit;
		expect(before).toBe(40);
		const slots: Slot[] = [];
		for (let i = 0; i < 30; i++) slots.push(await timed.pace.acquire(40));
		for (const slot of slots) timed.pace.release(slot, { kind: 'refused' });
		expect(timed.pace.snapshot().limit).toBeCloseTo(before * 0.6, 5);
	});

	it('after a refusal grows by about one place per round trip, not by most of itself', async () => {
		const pace = new Pace(200);
		const slots: Slot[] = [];
		for (let i = 0; i < INITIAL_LIMIT; i++) slots.push(await pace.acquire(100));
		for (const slot of slots) pace.release(slot, { kind: 'refused' });
		const cut = INITIAL_LIMIT * 0.6;
		expect(pace.snapshot().limit).toBeCloseTo(cut, 5);
		const limits = await drive(pace, 100, 10, () => ({ kind: 'answer', ms: 20 }));
		const growth = limits.map((limit, i) => limit - (i === 0 ? cut : limits[i - 1]));
		// A new pace's first answers start its warm-up probe, which holds the limit for a few rounds.
		const grown = growth.filter((step) => step !== 0);
		expect(grown.length).toBeGreaterThanOrEqual(5);
		for (const step of grown) {
			expect(step).toBeGreaterThan(0.1);
			expect(step).toBeLessThan(1.5);
		}
	});

	it('does not cut for a refusal met with few in flight (a trigger asking printer by printer)', async () => {
		const timed = new Timed();
		await timed.run(100, 150, () => 20);
		expect(timed.pace.snapshot().limit).toBe(100);
		const slot = await timed.pace.acquire(100);
		timed.pace.release(slot, { kind: 'refused' });
		expect(timed.pace.snapshot().limit).toBe(100);
	});

	it('does not grow for a caller that never fills its places', async () => {
		const timed = new Timed();
		for (let i = 0; i < 200; i++) {
			const slot = await timed.pace.acquire(100);
			timed.now += 20;
			timed.pace.release(slot, { kind: 'answer', ms: 20 });
		}
		expect(timed.pace.snapshot().limit).toBe(INITIAL_LIMIT);
	});

	it('never goes below one place', async () => {
		const pace = new Pace(200);
		const limits = await drive(pace, 10, 12, () => ({ kind: 'refused' }));
		expect(limits[0]).toBeCloseTo(INITIAL_LIMIT * 0.6, 5);
		expect(limits[limits.length - 1]).toBe(1);
		const slot = await pace.acquire(10);
		expect(pace.snapshot().inFlight).toBe(1);
		pace.release(slot, { kind: 'none' });
	});

	it('lets a caller with a low ceiling not hold up a caller with a high one', async () => {
		const pace = new Pace(200);
		const high = [];
		for (let i = 0; i < 4; i++) high.push(await pace.acquire(100));
		const low = await pace.acquire(1);
		for (let i = 0; i < INITIAL_LIMIT - 5; i++) high.push(await granted(pace, 100));
		expect(high.every((slot) => slot !== undefined)).toBe(true);
		expect(pace.snapshot().inFlight).toBe(INITIAL_LIMIT);
		for (const slot of [...high, low]) if (slot) pace.release(slot, { kind: 'none' });
	});

	it('starts low again after 30 s unused', async () => {
		const timed = new Timed();
		const { pace } = timed;
		await timed.run(100, 150, () => 20);
		expect(pace.snapshot().limit).toBe(100);
		timed.now += 29_000;
		pace.release(await pace.acquire(100), { kind: 'none' });
		expect(pace.snapshot().limit).toBe(100);
		timed.now += 31_000;
		pace.release(await pace.acquire(100), { kind: 'none' });
		expect(pace.snapshot().limit).toBe(INITIAL_LIMIT);
	});

	it('ends the wait of a retry at its time limit', async () => {
		const pace = new Pace(200);
		const held = await pace.acquire(1);
		let expire = () => undefined as void;
		const expired = new Promise<void>((resolve) => (expire = resolve));
		const waiting = pace.acquire(1, undefined, expired);
		expire();
		await expect(waiting).rejects.toBeInstanceOf(NoPlaceInTime);
		expect(pace.snapshot()).toMatchObject({ inFlight: 1, waiting: 0 });
		pace.release(held, { kind: 'none' });
	});

	it('hands places out first come, first served, and never more than the ceiling', async () => {
		const pace = new Pace(200);
		const held = [await pace.acquire(2), await pace.acquire(2)];
		const order: number[] = [];
		const waiting = [1, 2, 3].map(async (n) => {
			const slot = await pace.acquire(2);
			order.push(n);
			return slot;
		});
		await new Promise((resolve) => setImmediate(resolve));
		expect(order).toEqual([]);
		expect(pace.snapshot()).toMatchObject({ inFlight: 2, waiting: 3 });
		pace.release(held[0], { kind: 'answer', ms: 5 });
		await new Promise((resolve) => setImmediate(resolve));
		expect(order).toEqual([1]);
		pace.release(held[1], { kind: 'answer', ms: 5 });
		const [first, second] = await Promise.all(waiting.slice(0, 2));
		expect(order).toEqual([1, 2]);
		pace.release(first, { kind: 'none' });
		const third = await waiting[2];
		expect(order).toEqual([1, 2, 3]);
		pace.release(second, { kind: 'none' });
		pace.release(third, { kind: 'none' });
		expect(pace.idle).toBe(true);
	});

	it('lets a canceled waiter go without taking a place', async () => {
		const pace = new Pace(200);
		const held = await pace.acquire(1);
		const controller = new AbortController();
		const waiting = pace.acquire(1, controller.signal);
		controller.abort();
		await expect(waiting).rejects.toThrow('canceled');
		expect(pace.snapshot()).toMatchObject({ inFlight: 1, waiting: 0 });
		pace.release(held, { kind: 'none' });
		expect(pace.idle).toBe(true);
	});

	it('lets the waiters of a canceled execution go, and only those, with one listener per execution', async () => {
		const pace = new Pace(200);
		const held = await pace.acquire(1);
		const canceled = new AbortController();
		const other = new AbortController();
		let listeners = 0;
		const add = canceled.signal.addEventListener.bind(canceled.signal);
		canceled.signal.addEventListener = (...args: Parameters<typeof add>) => {
			listeners += 1;
			add(...args);
		};
		const gone = [1, 2, 3].map(async () => await pace.acquire(1, canceled.signal));
		const staying = pace.acquire(1, other.signal);
		const last = pace.acquire(1, canceled.signal);
		expect(listeners).toBe(1);
		canceled.abort();
		for (const waiting of [...gone, last]) await expect(waiting).rejects.toThrow('canceled');
		expect(pace.snapshot()).toMatchObject({ inFlight: 1, waiting: 1 });
		pace.release(held, { kind: 'none' });
		const slot = await staying;
		pace.release(slot, { kind: 'none' });
		expect(pace.idle).toBe(true);
	});
});
