/**
 * The trigger as a workflow's citizen: the one shared token, restarts and outages, Fetch Test
 * Event, and broken answers or inputs, each with a clear error that leaves the next poll whole.
 */

import { errorSurface, expectNoSecretIn } from '../harness/assertions';
import { DURST_TYPE, runNodes } from '../harness/engine';
import { DURST_ENDPOINTS } from '../../tools/simulators/durst';
import { MINUTE, errorSummary, useTriggerFixture } from './support';

const f = useTriggerFixture();

const printerGet = {
	type: DURST_TYPE,
	parameters: {
		resource: 'printer',
		operation: 'get',
		printerId: { __rl: true, mode: 'id', value: 'P-1001' },
	},
};

async function failure(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		expectNoSecretIn(errorSurface(error), f.secrets());
		return error as Error;
	}
	throw new Error('expected the poll to fail');
}

describe('one token per workflow', () => {
	test('the trigger and a Durst node of the same workflow log in once', async () => {
		const trigger = f.trigger({ event: 'printerStatusChanged' });
		await trigger.poll();
		await trigger.poll();
		const run = await runNodes({
			nodes: [printerGet],
			items: [{}],
			credentials: f.credentials(),
			staticData: trigger.staticData,
		});
		expect(run.error).toBeUndefined();
		expect(f.sim.logins).toBe(1);
	});

	test('the trigger uses the token a Durst node saved in static data', async () => {
		const run = await runNodes({ nodes: [printerGet], items: [{}], credentials: f.credentials() });
		expect(run.savedStaticData).toBeDefined();
		const trigger = f.trigger({ event: 'newPrinterError' }, run.savedStaticData);
		await trigger.poll();
		expect(f.sim.logins).toBe(1);
		expect(f.sim.requests).toBeGreaterThan(1);
	});

	test('Analytics restarts between polls: one re-login, the event still arrives', async () => {
		const trigger = f.trigger({ event: 'newPrinterError' });
		expect(await trigger.poll()).toBeNull();
		f.sim.restart();
		f.sim.addError('P-1004', { at: Date.now() - 1000, errorNr: 6120, errorMessage: 'E-stop' });
		expect(errorSummary(await trigger.poll())).toEqual(['P-1004 6120']);
		expect(await trigger.poll()).toBeNull();
		expect(f.sim.logins).toBe(2);
	});
});

describe('outages', () => {
	test.each([[{ mode: 'status', status: 503 }], [{ mode: 'reset' }]] as const)(
		'%j: one is tried again, and the event arrives',
		async (spec) => {
			const trigger = f.trigger({ event: 'newPrinterError' });
			expect(await trigger.poll()).toBeNull();
			f.sim.addError('P-1002', { at: Date.now() - 1000, errorNr: 2045, errorMessage: 'hot' });
			f.sim.failNext({ ...spec, path: DURST_ENDPOINTS.errors });
			expect(errorSummary(await trigger.poll())).toEqual(['P-1002 2045']);
			expect(f.sim.injectedFailures).toBe(1);
		},
	);

	test.each([
		[{ mode: 'status', status: 503 }, 'Durst Analytics failed with a server error (status 503)'],
		[{ mode: 'reset' }, 'Durst Analytics at 127.0.0.1'],
	] as const)(
		'%j on every try: the poll fails clearly, the next poll catches up',
		async (spec, message) => {
			const trigger = f.trigger({ event: 'newPrinterError' });
			expect(await trigger.poll()).toBeNull();
			f.sim.addError('P-1002', { at: Date.now() - 1000, errorNr: 2045, errorMessage: 'hot' });
			f.sim.failNext({ ...spec, path: DURST_ENDPOINTS.errors, count: 5 });
			const error = await failure(trigger.poll());
			expect(error.message).toContain(message);
			expect(error.message).toContain('(after 5 tries)');
			if (spec.mode === 'reset')
				expect(error.message).toContain('closed the connection without answering');
			expect(errorSummary(await trigger.poll())).toEqual(['P-1002 2045']);
		},
	);
});

describe('Fetch Test Event', () => {
	test('the newest real errors, oldest first, without touching the state', async () => {
		const now = Date.now();
		for (let i = 0; i < 7; i++) {
			f.sim.addError('P-1001', {
				at: now - (i + 1) * 3_600_000,
				errorNr: i,
				errorMessage: `e${i}`,
			});
		}
		const trigger = f.trigger({ event: 'newPrinterError' });
		const items = await trigger.poll('manual');
		expect((items ?? []).map((item) => item.errorNr)).toEqual([4, 3, 2, 1, 0]);
		expect(JSON.stringify(trigger.staticData)).not.toContain('cursor');
	});

	test('none: a sample of the event shape that says so, not an error', async () => {
		const trigger = f.trigger({ event: 'jobFinished' });
		const items = (await trigger.poll('manual')) ?? [];
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ sample: true });
		expect(String(items[0].notice)).toMatch(
			/^No finished job in the last 90 days on the watched printers/,
		);
	});

	test('status: the printers in the wanted status now, or a watched printer as a sample', async () => {
		const trigger = f.trigger({ event: 'printerStatusChanged', toStatus: ['Breakdown'] });
		expect(await trigger.poll('manual')).toEqual([
			expect.objectContaining({ printerId: 'P-1004', previousStatus: null, status: 'Breakdown' }),
		]);
		expect((await trigger.poll('manual'))?.[0]?.sample).toBeUndefined();
		f.sim.setPrinterStatus('P-1004', 'Running');
		expect(await trigger.poll('manual')).toEqual([
			expect.objectContaining({ printerId: 'P-1001', status: 'Breakdown', sample: true }),
		]);
	});
});

describe('broken answers and inputs', () => {
	test('an errors answer that is not a list names the call', async () => {
		const trigger = f.trigger({ event: 'newPrinterError', printerIds: ['P-1001'] });
		f.sim.failNext({
			mode: 'status',
			status: 200,
			body: { errors: 'soon' },
			path: DURST_ENDPOINTS.errors,
		});
		const error = await failure(trigger.poll());
		expect(error.message).toBe(
			'Durst Analytics answered POST /api/v1/printers/P-1001/errors with something that is not a list',
		);
	});

	test('a printer list that is not a list names the call', async () => {
		const trigger = f.trigger({ event: 'printerStatusChanged' });
		f.sim.failNext({ mode: 'status', status: 200, body: 'nope', path: DURST_ENDPOINTS.printers });
		const error = await failure(trigger.poll());
		expect(error.message).toContain('GET /api/v1/printers');
	});

	test('entries without a date are skipped, the others reported', async () => {
		const trigger = f.trigger({ event: 'newPrinterError', printerIds: ['P-1001'] });
		expect(await trigger.poll()).toBeNull();
		const at = new Date(Date.now() - 1000).toISOString();
		f.sim.failNext({
			mode: 'status',
			status: 200,
			body: [
				7,
				null,
				{ errorNr: 1 },
				{ dateTime: 'yesterday', errorNr: 2 },
				{ dateTime: at, errorNr: 3 },
			],
			path: DURST_ENDPOINTS.errors,
		});
		expect(errorSummary(await trigger.poll())).toEqual(['P-1001 3']);
	});

	test('a job whose ink consumption fails still goes out, with the reason', async () => {
		const trigger = f.trigger({
			event: 'jobFinished',
			printerIds: ['P-1001'],
			includeInkConsumption: true,
		});
		expect(await trigger.poll()).toBeNull();
		const job = f.sim.addJob('P-1001', {
			startAt: Date.now() - 10 * MINUTE,
			endAt: Date.now() - 1000,
		});
		f.sim.failNext({ mode: 'status', status: 500, path: DURST_ENDPOINTS.jobInkConsumption });
		const [item] = (await trigger.poll()) ?? [];
		expect(item).toMatchObject({
			id: job,
			inkConsumption: null,
			inkConsumptionError: 'Durst Analytics failed with a server error (status 500)',
		});
	});

	test.each([
		[['..'], 'holds an entry that is not valid'],
		[['P-1\nP-2'], 'holds an entry that is not valid'],
		[{ id: 'P-1' }, 'must be a list'],
	])('Printer Names or IDs %j: %s', async (printerIds, message) => {
		const trigger = f.trigger({ event: 'newPrinterError', printerIds });
		const error = await failure(trigger.poll());
		expect(error.message).toBe(`"Printer Names or IDs" ${message}`);
		expect(f.sim.requestLog).toHaveLength(0);
	});

	test('IDs separated by commas (from an expression) are accepted', async () => {
		const trigger = f.trigger({ event: 'newPrinterError', printerIds: ' P-1002 , P-1003 ' });
		expect(await trigger.poll()).toBeNull();
		f.sim.addError('P-1003', { at: Date.now() - 1000, errorNr: 1, errorMessage: 'x' });
		expect(errorSummary(await trigger.poll())).toEqual(['P-1003 1']);
	});

	test('state edited into nonsense counts as a first poll', async () => {
		const trigger = f.trigger(
			{ event: 'newPrinterError' },
			{
				'node:Durst Analytics Trigger': {
					trigger: { v: 1, event: 'newPrinterError', cursor: 'x' },
				},
			},
		);
		f.sim.addError('P-1001', { at: Date.now() - 1000, errorNr: 1, errorMessage: 'before' });
		expect(await trigger.poll()).toBeNull();
		expect(await trigger.poll()).toBeNull();
	});
});
