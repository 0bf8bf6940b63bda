/**
 * The printer and job operations and the printer picker. Dates and IDs the node refuses before
 * any request: see refused.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { expectNoSecrets } from '../harness/assertions';
import { listSearch, DURST_TYPE } from '../harness/engine';
import {
	credentials,
	DAY,
	durst,
	expectLogsWithoutSecrets,
	printer,
	printers,
	run,
	secrets,
	sim,
	useDurstSimulator,
} from './support';

useDurstSimulator();

describe('printers and jobs', () => {
	const range = {
		startDate: '={{ $now.minus({ days: 1 }).toISO() }}',
		endDate: '={{ $now.toISO() }}',
	};

	test('Printer: Get Many returns one item per printer, and Limit applies', async () => {
		expect((await run([printers()])).output().map((item) => item.json.status)).toEqual([
			'Running',
			'Idle',
			'Setup',
			'Breakdown',
		]);
		const limited = await run([
			durst({ resource: 'printer', operation: 'getAll', returnAll: false, limit: 2 }),
		]);
		expect(limited.output()).toHaveLength(2);
	});

	test('Printer: Get returns the ink level', async () => {
		const result = await run([
			durst({ resource: 'printer', operation: 'get', printerId: printer('P-1004') }),
		]);
		expect(result.output()[0].json).toMatchObject({
			id: 'P-1004',
			status: 'Breakdown',
			inkLevelPercent: 12,
		});
	});

	test('the printer picker lists printers and filters them', async () => {
		const all = await listSearch(
			{ type: DURST_TYPE, parameters: {} },
			credentials(),
			'searchPrinters',
		);
		expect(all.results.map((r) => r.value)).toEqual(['P-1001', 'P-1002', 'P-1003', 'P-1004']);
		expect(all.results[0].name).toContain('Rho 1312');
		const some = await listSearch(
			{ type: DURST_TYPE, parameters: {} },
			credentials(),
			'searchPrinters',
			'breakdown',
		);
		expect(some.results.map((r) => r.value)).toEqual(['P-1004']);
	});

	test('Printer: Get Errors of the last 24 hours, one item per error, dates sent as ISO 8601', async () => {
		const result = await run([
			durst({
				resource: 'printer',
				operation: 'getErrors',
				printerId: printer('P-1001'),
				returnAll: true,
				...range,
			}),
		]);
		const errors = result.output();
		expect(errors.length).toBeGreaterThan(0);
		for (const { json } of errors) {
			expect(json.printerId).toBe('P-1001');
			expect(Date.parse(json.dateTime as string)).toBeGreaterThan(Date.now() - DAY - 60_000);
			expect(json).toHaveProperty('errorNr');
		}
	});

	test('Printer: Get Ink Consumption gives litres per colour', async () => {
		const result = await run([
			durst({
				resource: 'printer',
				operation: 'getInkConsumption',
				printerId: printer('P-1001'),
				...range,
			}),
		]);
		const [item] = result.output();
		expect(item.json.printerId).toBe('P-1001');
		expect((item.json.litres as IDataObject).cyan).toEqual(expect.any(Number));
	});

	test('Job: Get Many, Get and Get Ink Consumption', async () => {
		const jobs = await run([
			durst({
				resource: 'job',
				operation: 'getAll',
				printerId: printer('P-1002'),
				returnAll: true,
				...range,
			}),
		]);
		expect(jobs.output().length).toBeGreaterThan(0);
		const jobId = String(jobs.output()[0].json.id);
		const job = await run([
			durst({ resource: 'job', operation: 'get', printerId: printer('P-1002'), jobId }),
		]);
		expect(String(job.output()[0].json.id)).toBe(jobId);
		expect(job.output()[0].json).toHaveProperty('numberOfPrints');
		const ink = await run([
			durst({
				resource: 'job',
				operation: 'getInkConsumption',
				printerId: printer('P-1002'),
				jobId,
			}),
		]);
		expect(ink.output()[0].json).toMatchObject({
			printerId: 'P-1002',
			jobId,
			litres: expect.any(Object),
		});
		expect(sim.logins).toBe(1);
	});

	test('continueOnFail: an unknown printer gives an error item paired with its input; the others succeed', async () => {
		const result = await run(
			[
				durst(
					{ resource: 'printer', operation: 'get', printerId: printer('={{ $json.id }}') },
					{ continueOnFail: true },
				),
			],
			{ items: [{ id: 'P-1001' }, { id: 'NOPE' }, { id: 'P-1003' }] },
		);
		const output = result.output();
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.id).toBe('P-1001');
		expect(output[1].json.error).toBe(
			'Durst Analytics found nothing at GET /api/v1/printers/NOPE (status 404)',
		);
		expect(output[2].json.id).toBe('P-1003');
		expectNoSecrets(result, secrets());
	});
});

// continueOnFail turns the one failure here into an item: n8n logs it as a successful run.
expectLogsWithoutSecrets([], { failures: false });
