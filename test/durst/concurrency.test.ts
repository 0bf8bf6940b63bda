/**
 * Max Concurrent Requests: many items in flight at once keep their order and pairing, and share
 * one login even when they all meet a restarted server. Refused values: see refused.test.ts.
 */
import { errorOf } from '../harness/assertions';
import { DURST_ENDPOINTS } from '../../tools/simulators/durst';
import { INITIAL_LIMIT } from '../../nodes/shared/transport/pace/pace';
import {
	durst,
	expectLogsWithoutSecrets,
	logIn,
	printer,
	printers,
	run,
	sim,
	useDurstSimulator,
} from './support';

useDurstSimulator();

describe('one login under concurrency', () => {
	test('100 parallel executions in one process make exactly one login', async () => {
		sim.latencyMs = 30;
		const results = await Promise.all(
			Array.from({ length: 100 }, async () => await run([logIn()], { staticData: {} })),
		);
		const tokens = new Set(results.map((result) => result.output()[0].json.xAuthToken));
		expect(tokens.size).toBe(1);
		expect(sim.logins).toBe(1);
		expect(results.filter((result) => result.output()[0].json.fromCache === false)).toHaveLength(1);
	});

	test('concurrent items that all hit a restart share one re-login', async () => {
		await run([printers()]);
		sim.restart();
		sim.latencyMs = 20;
		const items = Array.from({ length: 20 }, () => ({ id: 'P-1001' }));
		const result = await run(
			[
				durst({
					resource: 'printer',
					operation: 'get',
					printerId: printer('={{ $json.id }}'),
					options: { maxConcurrency: 10 },
				}),
			],
			{ items },
		);
		expect(result.output()).toHaveLength(20);
		expect(sim.logins).toBe(2);
	});

	test.each([
		[{ pacing: 'fixed' }, 30],
		[{ maxConcurrency: 1 }, 1],
		[{ pacing: 'fixed', maxConcurrency: 25 }, 25],
		[{ pacing: 'adaptive', maxConcurrency: 4 }, 4],
	])('Options %j: %i requests in flight at most', async (options, inFlight) => {
		await run([printers()]);
		// Long enough that even on a busy machine the node has started every request it may before the first answer.
		sim.latencyMs = 150;
		sim.resetCounters();
		const items = Array.from({ length: 30 }, () => ({ id: 'P-1002' }));
		const result = await run(
			[
				durst({
					resource: 'printer',
					operation: 'get',
					printerId: printer('={{ $json.id }}'),
					options,
				}),
			],
			{ items },
		);
		expect(result.output()).toHaveLength(30);
		expect(sim.peakInFlight).toBe(inFlight);
	});

	test('adaptive pacing starts with 8 in flight and sends more only once answers come back', async () => {
		await run([printers()]);
		sim.latencyMs = 150;
		sim.resetCounters();
		sim.clearRequestLog();
		const items = Array.from({ length: 30 }, () => ({ id: 'P-1002' }));
		const result = await run(
			[durst({ resource: 'printer', operation: 'get', printerId: printer('={{ $json.id }}') })],
			{ items },
		);
		expect(result.output()).toHaveLength(30);
		const times = sim.requestLog.map((entry) => entry.time);
		expect(times).toHaveLength(30);
		// The 9th request waits for an answer to the first eight.
		expect(times[INITIAL_LIMIT] - times[0]).toBeGreaterThanOrEqual(140);
		// 30 answers are too few for a step and a trial (16 answers each): the limit stays.
		expect(sim.peakInFlight).toBe(INITIAL_LIMIT);
	});
});

describe('Max Concurrent Requests', () => {
	test('output order and pairedItem follow the input; per-item errors stay in place; one login', async () => {
		sim.latencyMs = 15;
		const ids = [
			'P-1004',
			'P-1001',
			'NOPE',
			'P-1003',
			'P-1002',
			'P-1001',
			'P-1004',
			'NOPE',
			'P-1002',
			'P-1003',
			'P-1001',
			'P-1002',
		];
		const result = await run(
			[
				durst(
					{
						resource: 'printer',
						operation: 'get',
						printerId: printer('={{ $json.id }}'),
						options: { maxConcurrency: 6 },
					},
					{ continueOnFail: true },
				),
			],
			{ items: ids.map((id) => ({ id })) },
		);
		const output = result.output();
		expect(output.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		expect(output.map((item) => item.json.id ?? item.json.error)).toEqual(
			ids.map((id) =>
				id === 'NOPE'
					? 'Durst Analytics found nothing at GET /api/v1/printers/NOPE (status 404)'
					: id,
			),
		);
		expect(sim.logins).toBe(1);
		expect(sim.callCount(DURST_ENDPOINTS.printer)).toBe(12);
	});

	test('without continueOnFail the first failing item by order is reported', async () => {
		const result = await run(
			[
				durst({
					resource: 'printer',
					operation: 'get',
					printerId: printer('={{ $json.id }}'),
					options: { maxConcurrency: 4 },
				}),
			],
			{ items: [{ id: 'P-1001' }, { id: 'BAD-1' }, { id: 'BAD-2' }, { id: 'P-1002' }] },
		);
		expect(errorOf(result).message).toBe(
			'Durst Analytics found nothing at GET /api/v1/printers/BAD-1 (status 404)',
		);
	});
});

expectLogsWithoutSecrets();
