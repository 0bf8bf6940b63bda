/**
 * The step search on its own, answer by answer on a fake clock: which answers a step counts.
 */
import { StepSearch } from '../../nodes/shared/transport/pace/steps';

/** Feeds answers that each took `ms` at `limit` in flight, one per ms, until the limit changes. */
function answersUntilChange(search: StepSearch, limit: number, from: number, ms = 20): number {
	for (let now = from; now < from + 1_000; now++) {
		const next = search.answered({ sentAt: now - ms, inFlight: limit }, ms, now, true, 100);
		if (next !== limit) return now - from + 1;
	}
	return Number.POSITIVE_INFINITY;
}

describe('step search', () => {
	it('a step at the same limit counts the answers already under way: the first trial comes after two steps of 16', () => {
		const search = new StepSearch(8, 0);
		// Two steps at 8 (the first measures a cold start, the second the kept rate), then the trial.
		// Waiting one answer time at the second step (answers sent before it ignored) made it 51.
		expect(answersUntilChange(search, 8, 100)).toBe(32);
	});

	it('a step at a new limit counts only requests sent after the change', () => {
		const search = new StepSearch(8, 0);
		// The trial at 16 begins with the 32nd answer, at 131.
		expect(answersUntilChange(search, 8, 100)).toBe(32);
		for (let now = 132; now < 152; now++) {
			// Sent at 8 in flight before the trial, answered during it: not the trial's.
			expect(search.answered({ sentAt: now - 21, inFlight: 16 }, 20, now, true, 100)).toBe(16);
		}
		// The first keep takes two steps of 16 answers (both twice the rate at 8), then 32 is tried.
		expect(answersUntilChange(search, 16, 152)).toBe(32);
	});

	it('back at the kept limit after a failed trial: answers of requests sent at the trial limit do not count', () => {
		const search = new StepSearch(8, 0);
		expect(answersUntilChange(search, 8, 100)).toBe(32);
		// 16 in flight answered in 40 ms: no more answers per second than 8 in 20 ms. The first 39
		// answers went out before the trial began (at 131); the trial fails, gets its second step at
		// once, fails again: back to 8 with the 71st answer, at 202.
		expect(answersUntilChange(search, 16, 132, 40)).toBe(71);
		for (let now = 203; now < 223; now++) {
			// Sent at 16 in flight before the way back, answered after it: not the kept limit's.
			expect(search.answered({ sentAt: now - 21, inFlight: 16 }, 40, now, true, 100)).toBe(8);
		}
		// Four steps of 16 answers at the kept limit, then the next trial.
		expect(answersUntilChange(search, 8, 223)).toBe(64);
	});
});
