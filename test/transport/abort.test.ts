import { deadline, GRAIN_MS, onAbort } from '../../nodes/shared/transport/abort';
import { Limit } from '../../nodes/shared/transport/limit';

/** Counts the listeners really added to `signal` (not the callbacks onAbort shares among). */
function countListeners(signal: AbortSignal): { count: number } {
	const counter = { count: 0 };
	const add = signal.addEventListener.bind(signal);
	signal.addEventListener = (...args: Parameters<typeof add>) => {
		counter.count += 1;
		add(...args);
	};
	return counter;
}

/** Timers made by `deadline`, as signals the test aborts by hand, with the clock the test sets. */
function fakeTimers() {
	const made: Array<{ ms: number; controller: AbortController }> = [];
	const clock = jest.spyOn(performance, 'now');
	const timeout = jest.spyOn(AbortSignal, 'timeout').mockImplementation((ms: number) => {
		const controller = new AbortController();
		made.push({ ms, controller });
		return controller.signal;
	});
	return {
		made,
		at: (now: number) => clock.mockReturnValue(now),
		restore: () => {
			clock.mockRestore();
			timeout.mockRestore();
		},
	};
}

describe('shared abort listeners', () => {
	it('calls every callback still interested, once, through one listener', () => {
		const controller = new AbortController();
		const listeners = countListeners(controller.signal);
		const called: string[] = [];
		const push = (name: string) => () => called.push(name);
		let stopD: () => void = () => undefined;
		onAbort(controller.signal, push('a'));
		const stopB = onAbort(controller.signal, push('b'));
		// A callback that stops a later one during the abort: that one is not called.
		onAbort(controller.signal, () => stopD());
		onAbort(controller.signal, push('c'));
		stopD = onAbort(controller.signal, push('d'));
		stopB();
		stopB();
		controller.abort();
		controller.abort();
		expect(called).toEqual(['a', 'c']);
		expect(listeners.count).toBe(1);
		// A signal that has aborted calls a newcomer at once.
		onAbort(controller.signal, () => called.push('late'));
		expect(called).toEqual(['a', 'c', 'late']);
	});

	it('keeps the same callback given twice as two: one stop leaves the other', () => {
		const controller = new AbortController();
		let calls = 0;
		const callback = () => {
			calls += 1;
		};
		const stopFirst = onAbort(controller.signal, callback);
		onAbort(controller.signal, callback);
		stopFirst();
		controller.abort();
		expect(calls).toBe(1);
	});

	it('gives every callback its abort when one before it throws, and throws that error after', () => {
		let listener: () => void = () => undefined;
		const signal = {
			aborted: false,
			addEventListener: (_type: string, added: () => void) => {
				listener = added;
			},
		} as unknown as AbortSignal;
		const called: string[] = [];
		onAbort(signal, () => called.push('first'));
		onAbort(signal, () => {
			throw new Error('broken caller');
		});
		onAbort(signal, () => called.push('last'));
		expect(() => listener()).toThrow('broken caller');
		expect(called).toEqual(['first', 'last']);
	});
});

describe('shared time limits', () => {
	it('ends a limit never early and less than a grain late', () => {
		const timers = fakeTimers();
		try {
			const cases = [1, 7, 49, 50, 51, 999, 60_000, 600_000];
			cases.forEach((ms, index) => {
				// Far apart, so that each gets a timer of its own; fractions as performance.now gives.
				timers.at(1_000_000 * (index + 1) + 0.37 * index);
				deadline(ms);
				const { ms: delay } = timers.made[index];
				expect(delay).toBeGreaterThanOrEqual(ms);
				expect(delay).toBeLessThanOrEqual(ms + GRAIN_MS);
			});
			expect(timers.made).toHaveLength(cases.length);
		} finally {
			timers.restore();
		}
	});

	it('shares one timer among the limits ending in one grain, and never hands out one that fired', () => {
		const timers = fakeTimers();
		try {
			timers.at(1_000.4);
			const first = deadline(120);
			timers.at(1_010.9);
			expect(deadline(100)).toBe(first);
			expect(timers.made).toHaveLength(1);
			timers.made[0].controller.abort();
			timers.at(1_000.4);
			const next = deadline(120);
			expect(next).not.toBe(first);
			expect(next.aborted).toBe(false);
		} finally {
			timers.restore();
		}
	});

	it('ends a limit whose length is not a number at once, and caps one longer than Node can wait', () => {
		const timers = fakeTimers();
		try {
			timers.at(5_000);
			deadline(Number.NaN);
			expect(timers.made[0].ms).toBeLessThanOrEqual(GRAIN_MS);
			timers.at(9_000_000_000);
			deadline(Number.POSITIVE_INFINITY);
			expect(timers.made[1].ms).toBeLessThanOrEqual(2 ** 31 - 1);
		} finally {
			timers.restore();
		}
	});
});

describe('Limit', () => {
	it('gives 200 exchanges of one execution one listener on its cancel signal, and stops only the live ones', async () => {
		const cancel = new AbortController();
		const listeners = countListeners(cancel.signal);
		const limits = Array.from({ length: 200 }, () => new Limit(300, cancel.signal));
		const racing = limits.map(async (limit) => await limit.race(new Promise(() => undefined)));
		for (const limit of limits.slice(0, 100)) limit.release();
		expect(listeners.count).toBe(1);
		cancel.abort();
		for (const race of racing.slice(100)) await expect(race).rejects.toThrow('stopped');
		expect(limits.map((limit) => limit.signal.aborted)).toEqual(
			limits.map((_limit, index) => index >= 100),
		);
	});

	it('stops an exchange at its time limit (a real timer)', async () => {
		const limit = new Limit(300, undefined, 60);
		await expect(limit.race(new Promise(() => undefined))).rejects.toThrow('stopped');
		expect(limit.signal.aborted).toBe(true);
	});
});
