/**
 * Adaptive pacing and per-item retries of the Durst Analytics node, through n8n's real engine and
 * HTTP to a simulator that limits its capacity, asks to retry later, resets connections and slows
 * down as requests wait: exact tries, no item lost, the ceiling kept, one pace for two executions.
 */
import { errorOf } from '../harness/assertions';
import { DURST_ENDPOINTS } from '../../tools/simulators/durst';
import {
	durst,
	expectLogsWithoutSecrets,
	logIn,
	printer,
	printers,
	run,
	sim,
	useDurstSimulator,
} from '../durst/support';

useDurstSimulator();

afterEach(() => sim.setCapacity(undefined));

const getPrinter = (options = {}) =>
	durst({
		resource: 'printer',
		operation: 'get',
		printerId: printer('={{ $json.id }}'),
		options,
	});
const items = (count: number) => Array.from({ length: count }, () => ({ id: 'P-1002' }));
const printerCalls = () => sim.calls[DURST_ENDPOINTS.printer] ?? 0;

/** Logs in first, so that the test counts only the calls it is about. */
async function warm(): Promise<void> {
	await run([printers()]);
	sim.resetCounters();
	sim.clearRequestLog();
}

describe('a busy server', () => {
	test('serving 4 at a time and refusing the rest with 503: no item lost, each refusal tried again', async () => {
		await warm();
		sim.latencyMs = 10;
		sim.setCapacity({ limit: 4, mode: 'refuse', retryAfter: '0' });
		const result = await run([getPrinter()], { items: items(60) });
		expect(result.error).toBeUndefined();
		const output = result.output();
		expect(output).toHaveLength(60);
		expect(output.every((item) => item.json.id === 'P-1002')).toBe(true);
		const { refused } = sim.stats().capacity;
		// The pace starts at 10 in flight: the server refused some, and every refusal cost one more try.
		expect(refused).toBeGreaterThan(0);
		expect(printerCalls()).toBe(60 + refused);
		// The pace backs off: far fewer refusals than items (all at once would be refused ~56 at a time).
		expect(refused).toBeLessThan(40);
		expect(sim.logins).toBe(0);
	});

	test('a server that slows down as requests wait: far fewer in flight than the ceiling', async () => {
		await warm();
		sim.latencyMs = 40;
		sim.setCapacity({ limit: 4, mode: 'queue' });
		const adaptive = await run([getPrinter()], { items: items(300) });
		expect(adaptive.output()).toHaveLength(300);
		const adaptivePeak = sim.peakInFlight;
		sim.resetCounters();
		const fixed = await run([getPrinter({ pacing: 'fixed' })], { items: items(300) });
		expect(fixed.output()).toHaveLength(300);
		// Fixed sends up to the ceiling (100) as fast as n8n can; adaptive backs off as answers slow down.
		expect(adaptivePeak).toBeLessThanOrEqual(40);
		expect(sim.peakInFlight).toBeGreaterThan(adaptivePeak + 10);
	});

	test('two executions at the same time share one pace: together never above the ceiling', async () => {
		await warm();
		sim.latencyMs = 40;
		const [first, second] = await Promise.all([
			run([getPrinter({ maxConcurrency: 5 })], { items: items(20) }),
			run([getPrinter({ maxConcurrency: 5 })], { items: items(20) }),
		]);
		expect(first.output()).toHaveLength(20);
		expect(second.output()).toHaveLength(20);
		expect(sim.peakInFlight).toBe(5);
	});
});

describe('Retry-After', () => {
	/** `retryAfter` is called once the token is there, so that a date in it is still ahead. */
	async function gapAfter503(retryAfter: () => string, options = {}) {
		await warm();
		sim.failNext({
			status: 503,
			path: DURST_ENDPOINTS.printer,
			headers: { 'retry-after': retryAfter() },
		});
		const started = Date.now();
		const result = await run([getPrinter(options)], { items: items(1) });
		const [first, second] = sim.requestLog.map((entry) => entry.time);
		return { result, elapsed: Date.now() - started, gap: second - first };
	}

	test('in seconds: the try after waits that long', async () => {
		const { result, gap } = await gapAfter503(() => '1');
		expect(result.error).toBeUndefined();
		expect(printerCalls()).toBe(2);
		expect(gap).toBeGreaterThanOrEqual(1_000);
		expect(gap).toBeLessThan(2_500);
	});

	test('as a date: the try after waits until then', async () => {
		let at = 0;
		const { result } = await gapAfter503(() => {
			at = Math.ceil((Date.now() + 2_000) / 1_000) * 1_000;
			return new Date(at).toUTCString();
		});
		expect(result.error).toBeUndefined();
		expect(printerCalls()).toBe(2);
		// The second try comes at the date (plus up to 100 ms of spread), never before.
		const [, second] = sim.requestLog.map((entry) => entry.time);
		expect(second).toBeGreaterThanOrEqual(at - 50);
		expect(second).toBeLessThan(at + 1_000);
	});

	test('a year, beyond the item time limit: the item fails at once instead of waiting', async () => {
		const { result, elapsed } = await gapAfter503(() => '31536000', { timeout: 5 });
		expect(errorOf(result).message).toBe('Durst Analytics failed with a server error (status 503)');
		expect(printerCalls()).toBe(1);
		// Not the 60 s the capped Retry-After would be.
		expect(elapsed).toBeLessThan(20_000);
	});

	test('-1 is no Retry-After: a short backoff, then the next try', async () => {
		const { result, gap } = await gapAfter503(() => '-1');
		expect(result.error).toBeUndefined();
		expect(printerCalls()).toBe(2);
		// The first backoff is at most 250 ms; the 1 s the date test waits is far off.
		expect(gap).toBeLessThan(900);
	});
});

describe('tries', () => {
	test('after 5 tries the item fails, and the error says how many and why', async () => {
		await warm();
		sim.failNext({
			status: 503,
			path: DURST_ENDPOINTS.printer,
			headers: { 'retry-after': '0' },
			count: 10,
		});
		const result = await run([getPrinter()], { items: items(1) });
		const error = errorOf(result);
		expect(error.message).toBe(
			'Durst Analytics failed with a server error (status 503) (after 5 tries)',
		);
		expect(error.description).toMatch(
			/The node made 5 tries in \d+\.\d s: status 503 \(busy\) ×5\.$/,
		);
		expect(printerCalls()).toBe(5);
	});

	test('a reset connection is tried again for a read', async () => {
		await warm();
		sim.failNext({ mode: 'reset', path: DURST_ENDPOINTS.printer, count: 2 });
		const result = await run([getPrinter()], { items: items(1) });
		expect(result.error).toBeUndefined();
		expect(printerCalls()).toBe(3);
	});

	test('a POST of the custom call is not repeated after a reset: it may have been done', async () => {
		await warm();
		sim.failNext({ mode: 'reset', path: DURST_ENDPOINTS.echoSuffix });
		const result = await run([
			durst({ resource: 'request', operation: 'send', method: 'POST', path: '/api/v1/echo' }),
		]);
		expect(errorOf(result).message).toContain('closed the connection without answering');
		expect(errorOf(result).message).not.toContain('tries');
		expect(sim.calls[`POST ${DURST_ENDPOINTS.echoSuffix}`]).toBe(1);
	});

	test('a 503 with a 20 MiB page is read only in part, then tried again', async () => {
		await warm();
		sim.failNext({
			mode: 'hugeBody',
			status: 503,
			bytes: 20 * 1024 * 1024,
			fill: 'text',
			path: DURST_ENDPOINTS.printer,
			headers: { 'retry-after': '0' },
		});
		const result = await run([getPrinter()], { items: items(1) });
		expect(result.error).toBeUndefined();
		expect(result.output()[0].json.id).toBe('P-1002');
		expect(printerCalls()).toBe(2);
		await sim.waitForStalled(0);
	});

	test('a 500 is not tried again: it answers the same every time', async () => {
		await warm();
		sim.failNext({ status: 500, path: DURST_ENDPOINTS.printer });
		const result = await run([getPrinter()], { items: items(1) });
		expect(errorOf(result).message).toContain('(status 500)');
		expect(printerCalls()).toBe(1);
	});

	test('a login is never tried again: one request, one error', async () => {
		sim.failNext({ status: 503, path: '/api/v1/login', headers: { 'retry-after': '0' }, count: 3 });
		const result = await run([logIn()]);
		expect(errorOf(result).message).toContain('503');
		expect(sim.calls[DURST_ENDPOINTS.login]).toBe(1);
	});
});

expectLogsWithoutSecrets();
