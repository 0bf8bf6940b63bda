/**
 * A discrete-event model of one n8n process pacing its requests: the real `Pace` on a fake clock,
 * a single-threaded client that spends CPU to send each request and to read each answer, a network
 * delay that costs no CPU, item workers up to Max Concurrent Requests, and a server that serves K
 * requests at a time and lets the rest wait in line (K large: a healthy server). Deterministic, a
 * second per run: the pace's tests use it, and `bench/paceModel.ts` runs it from the command line.
 *
 * It has no garbage collection, no n8n work between requests and no noise, so it finds tendencies;
 * the benchmark decides. With 20 ms of network time outside the server it shows the limit swinging
 * as a traced benchmark run did (docs/benchmark.md, run J); without it, it does not.
 */
import { Pace } from '../../nodes/shared/transport/pace/pace';

export interface ModelOptions {
	/** Requests the server works on at once; the rest wait in line. */
	k: number;
	serviceMs: number;
	/** Round-trip network time outside the server, no CPU. */
	netMs: number;
	/** Client CPU to send one request, and again to read its answer. */
	cpuMs: number;
	n: number;
	workers: number;
	trace: boolean;
}

/** The benchmark's queueing server (K 4, 20 ms) behind 20 ms of network, 1,000 items, 100 workers. */
export const DEFAULT_MODEL: ModelOptions = {
	k: 4,
	serviceMs: 20,
	netMs: 20,
	cpuMs: 1,
	n: 1000,
	workers: 100,
	trace: false,
};

export interface ModelResult {
	ms: number;
	/** The most requests the server held at once, waiting ones included. */
	peak: number;
	/** `time:limit/atServer` every 20 answers. */
	trace: string[];
}

/** A fake clock and the events due on it, in time order (ties: in order of scheduling). */
class Clock {
	now = 0;
	private readonly due: Array<{ at: number; seq: number; run: () => void }> = [];
	private seq = 0;

	at(time: number, run: () => void): void {
		const event = { at: time, seq: this.seq++, run };
		let i = this.due.length;
		while (i > 0 && this.due[i - 1].at > time) i--;
		this.due.splice(i, 0, event);
	}

	/** Lets promises settle, then runs the next event; false when none is left. */
	async step(): Promise<boolean> {
		await new Promise((resolve) => setImmediate(resolve));
		const next = this.due.shift();
		if (next === undefined) return false;
		this.now = next.at;
		next.run();
		return true;
	}
}

export async function runModel(options: ModelOptions): Promise<ModelResult> {
	const clock = new Clock();
	const pace = new Pace(100, () => clock.now);
	let cpuFreeAt = 0;
	/** The client's one thread: work waits for the work before it. */
	const onCpu = (run: () => void): void => {
		cpuFreeAt = Math.max(clock.now, cpuFreeAt) + options.cpuMs;
		clock.at(cpuFreeAt, run);
	};
	let serving = 0;
	let atServer = 0;
	let peak = 0;
	const line: Array<() => void> = [];
	const serve = (answer: () => void): void => {
		serving += 1;
		clock.at(clock.now + options.serviceMs, () => {
			serving -= 1;
			atServer -= 1;
			answer();
			const next = line.shift();
			if (next !== undefined) serve(next);
		});
	};
	const arrive = (answer: () => void): void => {
		atServer += 1;
		peak = Math.max(peak, atServer);
		if (serving < options.k) serve(answer);
		else line.push(answer);
	};
	const half = options.netMs / 2;
	const roundTrip = (): Promise<void> =>
		new Promise((done) =>
			onCpu(() =>
				clock.at(clock.now + half, () =>
					arrive(() => clock.at(clock.now + half, () => onCpu(done))),
				),
			),
		);

	const trace: string[] = [];
	let started = 0;
	let answered = 0;
	const worker = async (): Promise<void> => {
		while (started < options.n) {
			started += 1;
			const slot = await pace.acquire(options.workers);
			await roundTrip();
			pace.release(slot, { kind: 'answer', ms: clock.now - slot.sentAt });
			answered += 1;
			if (options.trace && answered % 20 === 0)
				trace.push(`${clock.now.toFixed(0)}:${pace.snapshot().limit.toFixed(1)}/${atServer}`);
		}
	};
	const workers = Array.from({ length: options.workers }, () => worker());
	while (await clock.step());
	await Promise.all(workers);
	return { ms: Math.round(clock.now), peak, trace };
}
