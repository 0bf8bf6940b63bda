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

describe('shared abort listeners and time limits', () => {
	it('calls every callback still interested, once, through one listener', () => {
		const controller = new AbortController();
		const listeners = countListeners(controller.signal);
		const called: number[] = [];
		const stops = [0, 1, 2, 3].map((n) => onAbort(controller.signal, () => called.push(n)));
		stops[1]();
		stops[1]();
		controller.abort();
		controller.abort();
		expect(called).toEqual([0, 2, 3]);
		expect(listeners.count).toBe(1);
		// A signal that has aborted calls a newcomer at once.
		onAbort(controller.signal, () => called.push(9));
		expect(called).toEqual([0, 2, 3, 9]);
	});

	it('ends a time limit never early and at most one grain late, sharing one timer per grain', async () => {
		const started = Date.now();
		const first = deadline(120);
		const second = deadline(120);
		expect(second).toBe(first);
		const ended = await new Promise<number>((resolve) => onAbort(first, () => resolve(Date.now())));
		// Date.now() counts whole milliseconds: a timer of 120 ms may read as 119.
		expect(ended - started).toBeGreaterThanOrEqual(119);
		// The event loop may add its own delay on a busy machine: the grain is what the design adds.
		expect(ended - started).toBeLessThan(120 + GRAIN_MS + 100);
		// A fired timer is not handed out again.
		expect(deadline(120)).not.toBe(first);
	});

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

	it('stops an exchange at its time limit', async () => {
		const limit = new Limit(300, undefined, 60);
		await expect(limit.race(new Promise(() => undefined))).rejects.toThrow('stopped');
		expect(limit.signal.aborted).toBe(true);
	});
});
