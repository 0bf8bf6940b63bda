/**
 * The pace's rule on its own (no HTTP): it grows while answers keep their time, never past the
 * callers' ceiling, cuts once per round of refusals, and hands places out in order.
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

describe('pace', () => {
	it('starts at the initial limit and grows to the ceiling while answers keep their time', async () => {
		const pace = new Pace(200);
		expect(pace.snapshot().limit).toBe(INITIAL_LIMIT);
		const limits = await drive(pace, 100, 12, () => ({ kind: 'answer', ms: 20 }));
		expect(limits[0]).toBeGreaterThan(INITIAL_LIMIT);
		expect(limits[limits.length - 1]).toBe(100);
		expect(Math.max(...limits)).toBeLessThanOrEqual(100);
	});

	it('settles near where answers take twice as long as with few in flight', async () => {
		const pace = new Pace(200);
		// A server of 8 workers: beyond 8 in flight the answer time grows with the line.
		const limits = await drive(pace, 100, 120, (inFlight) => ({
			kind: 'answer',
			ms: 20 * Math.max(1, inFlight / 8),
		}));
		// The reference answer time is re-measured (a probe) when it looks raised: no drift upwards.
		const settled = limits.slice(-40);
		expect(Math.max(...settled)).toBeLessThan(25);
		expect(Math.min(...settled)).toBeGreaterThanOrEqual(8);
	});

	it('measures a new server again after its first answers: a slow start-up does not raise the reference', async () => {
		const pace = new Pace(200);
		let answers = 0;
		// 4 workers; the first 10 answers also carry 40 ms of connection set-up.
		const limits = await drive(pace, 100, 60, (inFlight) => ({
			kind: 'answer',
			ms: (answers++ < 10 ? 40 : 0) + 20 * Math.max(1, inFlight / 4),
		}));
		// Without the warm-up probe it settled at 28 here.
		expect(Math.max(...limits.slice(-30))).toBeLessThanOrEqual(16);
	});

	it('cuts once for a round of refusals, not once per refusal', async () => {
		const pace = new Pace(200);
		await drive(pace, 40, 6, () => ({ kind: 'answer', ms: 20 }));
		const before = pace.snapshot().limit;
		const slots: Slot[] = [];
		for (let i = 0; i < 30; i++) slots.push(await pace.acquire(40));
		for (const slot of slots) pace.release(slot, { kind: 'refused' });
		expect(pace.snapshot().limit).toBeCloseTo(before * 0.6, 5);
	});

	it('after a refusal grows by about one place per round trip, not by most of itself', async () => {
		const pace = new Pace(200);
		const slots: Slot[] = [];
		for (let i = 0; i < 10; i++) slots.push(await pace.acquire(100));
		for (const slot of slots) pace.release(slot, { kind: 'refused' });
		expect(pace.snapshot().limit).toBeCloseTo(6, 5);
		const limits = await drive(pace, 100, 10, () => ({ kind: 'answer', ms: 20 }));
		const growth = limits.map((limit, i) => limit - (i === 0 ? 6 : limits[i - 1]));
		// A new pace's first answers start its warm-up probe, which holds the limit for a few rounds.
		const grown = growth.filter((step) => step !== 0);
		expect(grown.length).toBeGreaterThanOrEqual(5);
		for (const step of grown) {
			expect(step).toBeGreaterThan(0.2);
			expect(step).toBeLessThan(1);
		}
	});

	it('does not cut for a refusal met with few in flight (a trigger asking printer by printer)', async () => {
		const pace = new Pace(200);
		await drive(pace, 100, 12, () => ({ kind: 'answer', ms: 20 }));
		expect(pace.snapshot().limit).toBe(100);
		const slot = await pace.acquire(100);
		pace.release(slot, { kind: 'refused' });
		expect(pace.snapshot().limit).toBe(100);
	});

	it('never goes below one place', async () => {
		const pace = new Pace(200);
		const limits = await drive(pace, 10, 12, () => ({ kind: 'refused' }));
		expect(limits[0]).toBeCloseTo(6, 5);
		expect(limits[limits.length - 1]).toBe(1);
		const slot = await pace.acquire(10);
		expect(pace.snapshot().inFlight).toBe(1);
		pace.release(slot, { kind: 'none' });
	});

	it('lets a caller with a low ceiling not hold up a caller with a high one', async () => {
		const pace = new Pace(200);
		const high = [];
		for (let i = 0; i < 5; i++) high.push(await pace.acquire(100));
		const low = await pace.acquire(1);
		for (let i = 0; i < 4; i++) high.push(await granted(pace, 100));
		expect(high.every((slot) => slot !== undefined)).toBe(true);
		expect(pace.snapshot().inFlight).toBe(10);
		for (const slot of [...high, low]) if (slot) pace.release(slot, { kind: 'none' });
	});

	it('starts low again after 30 s unused', async () => {
		let clock = 1_000_000;
		const pace = new Pace(200, () => clock);
		await drive(pace, 100, 12, () => ({ kind: 'answer', ms: 20 }));
		expect(pace.snapshot().limit).toBe(100);
		clock += 29_000;
		pace.release(await pace.acquire(100), { kind: 'none' });
		expect(pace.snapshot().limit).toBe(100);
		clock += 31_000;
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
});
