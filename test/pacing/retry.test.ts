/** Retry-After as servers send it, and as hostile ones do: every value ends in a bounded wait or none. */
import {
	MAX_RETRY_AFTER_MS,
	mayRetry,
	retryAfterMs,
	transientStatus,
	waitBeforeTry,
} from '../../nodes/shared/transport/retry';

const NOW = Date.UTC(2026, 11, 2, 10, 0, 0);

describe('Retry-After', () => {
	it.each([
		['0', 0],
		['1', 1_000],
		['  7 ', 7_000],
		['31536000', MAX_RETRY_AFTER_MS],
		['999999999999', MAX_RETRY_AFTER_MS],
		['Wed, 02 Dec 2026 10:00:03 GMT', 3_000],
		['Wed, 02 Dec 2026 09:59:00 GMT', 0],
		['Thu, 02 Dec 2027 10:00:00 GMT', MAX_RETRY_AFTER_MS],
	])('%j waits %d ms', (value, ms) => {
		expect(retryAfterMs(value, NOW)).toBe(ms);
	});

	it.each([
		['-1'],
		['1.5'],
		['soon'],
		[''],
		['1e9'],
		['Wed, 99 Foo 2026 10:00:03 GMT'],
		['\u0000'],
	])('%j is not a Retry-After: the usual backoff applies', (value) => {
		expect(retryAfterMs(value, NOW)).toBeUndefined();
	});

	it('adds at most 100 ms of spread to what the server asked', () => {
		for (let i = 0; i < 50; i++) {
			const wait = waitBeforeTry(2, 1_000);
			expect(wait).toBeGreaterThanOrEqual(1_000);
			expect(wait).toBeLessThan(1_100);
		}
	});

	it('backs off with jitter, doubling per try, capped', () => {
		for (let i = 0; i < 50; i++) {
			expect(waitBeforeTry(2, undefined)).toBeLessThan(250);
			expect(waitBeforeTry(4, undefined)).toBeLessThan(1_000);
			expect(waitBeforeTry(30, undefined)).toBeLessThan(10_000);
		}
	});
});

describe('what is tried again', () => {
	it.each([
		[429, 'busy'],
		[503, 'busy'],
		[502, 'gateway'],
		[504, 'gateway'],
		[500, undefined],
		[404, undefined],
		[401, undefined],
		[200, undefined],
	])('status %d is %s', (status, kind) => {
		expect(transientStatus(status)).toBe(kind);
	});

	it('repeats a request that may have reached the server only when repeating it is harmless', () => {
		expect(mayRetry('busy', 'POST')).toBe(true);
		expect(mayRetry('refused', 'POST')).toBe(true);
		expect(mayRetry('reset', 'GET')).toBe(true);
		expect(mayRetry('reset', 'POST')).toBe(false);
		expect(mayRetry('gateway', 'PATCH')).toBe(false);
		expect(mayRetry('gateway', 'DELETE')).toBe(true);
	});
});
