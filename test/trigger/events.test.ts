/**
 * The Durst Analytics Trigger's three events through n8n-core's real PollContext and HTTP to the
 * simulator: first poll silent, each event once, windows that overlap without duplicates, late
 * entries, filters, the per-poll cap with carry-over.
 */
import { expectNoSecretIn } from '../harness/assertions';
import { DURST_TRIGGER_TYPE, loadOptions } from '../harness/engine';
import { MAX_EVENTS_PER_POLL } from '../../nodes/DurstAnalytics/trigger/state';
import { MINUTE, errorSummary, useTriggerFixture } from './support';

const f = useTriggerFixture();

const newErrors = (parameters = {}) => f.trigger({ event: 'newPrinterError', ...parameters });

test("the printer picker lists the server's printers, added ones included", async () => {
	f.sim.addPrinter({ id: 'P-2003', name: 'Night shift', serialNumber: 'SN-2003', status: 'Idle' });
	const options = await loadOptions(
		{ type: DURST_TRIGGER_TYPE, parameters: { event: 'newPrinterError' } },
		f.credentials(),
		'getPrinters',
	);
	expect(options.map((option) => option.value)).toEqual([
		'P-1001',
		'P-1002',
		'P-1003',
		'P-1004',
		'P-2003',
	]);
	expect(options[0].name).toBe('Rho 1312 · SN DRH1312-0001 · Running (P-1001)');
});

describe('New Printer Error', () => {
	test('the first poll reports nothing old; a new error once; the next poll nothing', async () => {
		const now = Date.now();
		f.sim.addError('P-1001', { at: now - 5 * MINUTE, errorNr: 1, errorMessage: 'old' });
		const trigger = newErrors();
		expect(await trigger.poll()).toBeNull();

		f.sim.addError('P-1002', { at: Date.now() - 1000, errorNr: 3301, errorMessage: 'Media jam' });
		const items = await trigger.poll();
		expect(items).toEqual([
			{
				printerId: 'P-1002',
				dateTime: expect.any(String),
				errorNr: 3301,
				errorMessage: 'Media jam',
				operator: expect.any(String),
			},
		]);
		expect(await trigger.poll()).toBeNull();
		expect(await trigger.poll()).toBeNull();
	});

	test('an error written late into an earlier window arrives once', async () => {
		const trigger = newErrors();
		expect(await trigger.poll()).toBeNull();
		const firstPoll = Date.now();
		expect(await trigger.poll()).toBeNull();
		// Written after the second poll, dated before it (a printer that reports late).
		f.sim.addError('P-1003', { at: firstPoll - 2 * MINUTE, errorNr: 4100, errorMessage: 'late' });
		expect(errorSummary(await trigger.poll())).toEqual(['P-1003 4100']);
		expect(await trigger.poll()).toBeNull();
	});

	test('an error dated a little in the future (printer clock ahead) arrives once', async () => {
		const trigger = newErrors();
		expect(await trigger.poll()).toBeNull();
		f.sim.addError('P-1001', { at: Date.now() + 2 * MINUTE, errorNr: 7, errorMessage: 'ahead' });
		// The simulator serves nothing past its own clock: move it to the printer's time.
		f.sim.advanceClock(3 * MINUTE);
		try {
			expect(errorSummary(await trigger.poll())).toEqual(['P-1001 7']);
			expect(await trigger.poll()).toBeNull();
		} finally {
			f.sim.advanceClock(-3 * MINUTE);
		}
	});

	test('only the chosen printers; a chosen printer that is gone does not stop the others', async () => {
		const trigger = newErrors({ printerIds: ['P-1002', 'P-GONE'] });
		expect(await trigger.poll()).toBeNull();
		const at = Date.now() - 1000;
		f.sim.addError('P-1001', { at, errorNr: 1, errorMessage: 'not watched' });
		f.sim.addError('P-1002', { at, errorNr: 2, errorMessage: 'watched' });
		expect(errorSummary(await trigger.poll())).toEqual(['P-1002 2']);
	});

	test('printers added and removed between polls', async () => {
		const trigger = newErrors();
		expect(await trigger.poll()).toBeNull();
		f.sim.removePrinter('P-1001');
		f.sim.addPrinter({ id: 'P-2001', name: 'New', serialNumber: 'SN-2001', status: 'Idle' });
		f.sim.addError('P-2001', { at: Date.now() - 1000, errorNr: 9, errorMessage: 'on the new one' });
		expect(errorSummary(await trigger.poll())).toEqual(['P-2001 9']);
	});

	test(`at most ${MAX_EVENTS_PER_POLL} per poll, the rest on the next poll, oldest first`, async () => {
		const trigger = newErrors({ printerIds: ['P-1001'] });
		expect(await trigger.poll()).toBeNull();
		const start = Date.now() - 10 * MINUTE;
		const total = MAX_EVENTS_PER_POLL + 30;
		for (let i = 0; i < total; i++) {
			f.sim.addError('P-1001', { at: start + i * 1000, errorNr: i, errorMessage: `e${i}` });
		}
		const first = await trigger.poll();
		const second = await trigger.poll();
		expect((first ?? []).map((item) => item.errorNr)).toEqual(
			Array.from({ length: MAX_EVENTS_PER_POLL }, (_, i) => i),
		);
		expect((second ?? []).map((item) => item.errorNr)).toEqual(
			Array.from({ length: 30 }, (_, i) => MAX_EVENTS_PER_POLL + i),
		);
		expect(await trigger.poll()).toBeNull();
	});

	test('the carried-over rest arrives even when it is older than a plain next window reaches', async () => {
		const trigger = newErrors({ printerIds: ['P-1001'] });
		expect(await trigger.poll()).toBeNull();
		const firstPollDone = Date.now();
		// Dated at the very start of the second window (15 minutes before the first poll).
		const start = firstPollDone - 15 * MINUTE + 50;
		const total = MAX_EVENTS_PER_POLL + 5;
		for (let i = 0; i < total; i++) {
			f.sim.addError('P-1001', { at: start + i * 5, errorNr: i, errorMessage: `e${i}` });
		}
		// Two seconds later, "15 minutes before this poll" has passed the leftovers.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(await trigger.poll()).toHaveLength(MAX_EVENTS_PER_POLL);
		expect((await trigger.poll())?.map((item) => item.errorNr)).toEqual(
			Array.from({ length: 5 }, (_, i) => MAX_EVENTS_PER_POLL + i),
		);
	});

	test('static data holds hashed keys and a time, never server text, a token or the password', async () => {
		const trigger = newErrors();
		await trigger.poll();
		f.sim.addError('P-1001', {
			at: Date.now() - 1000,
			errorNr: 5,
			errorMessage: 'Secret-ish text',
		});
		await trigger.poll();
		const saved = JSON.stringify(trigger.staticData);
		expect(saved).not.toContain('Secret-ish text');
		expectNoSecretIn(saved, f.secrets());
		expect(f.secrets().length).toBeGreaterThan(1);
	});
});

describe('Printer Status Changed', () => {
	test('first poll silent; one item per change with the previous status; then silent', async () => {
		const trigger = f.trigger({ event: 'printerStatusChanged' });
		expect(await trigger.poll()).toBeNull();
		f.sim.setPrinterStatus('P-1001', 'Breakdown');
		expect(await trigger.poll()).toEqual([
			{
				printerId: 'P-1001',
				previousStatus: 'Running',
				id: 'P-1001',
				serialNumber: 'DRH1312-0001',
				name: 'Rho 1312',
				status: 'Breakdown',
			},
		]);
		expect(await trigger.poll()).toBeNull();
	});

	test('To Status filters; an unwanted change is recorded, not reported later', async () => {
		const trigger = f.trigger({ event: 'printerStatusChanged', toStatus: ['Breakdown'] });
		expect(await trigger.poll()).toBeNull();
		f.sim.setPrinterStatus('P-1002', 'Setup');
		f.sim.setPrinterStatus('P-1003', 'Breakdown');
		const items = await trigger.poll();
		expect((items ?? []).map((item) => [item.printerId, item.previousStatus, item.status])).toEqual(
			[['P-1003', 'Setup', 'Breakdown']],
		);
		f.sim.setPrinterStatus('P-1003', 'Running');
		expect(await trigger.poll()).toBeNull();
		f.sim.setPrinterStatus('P-1003', 'Breakdown');
		expect((await trigger.poll())?.map((item) => item.previousStatus)).toEqual(['Running']);
	});

	test('chosen printers only; a new printer is recorded, a removed one forgotten', async () => {
		const trigger = f.trigger({ event: 'printerStatusChanged', printerIds: ['P-1002', 'P-2002'] });
		expect(await trigger.poll()).toBeNull();
		f.sim.setPrinterStatus('P-1001', 'Idle');
		f.sim.addPrinter({ id: 'P-2002', name: 'Later', serialNumber: 'SN-2002', status: 'Running' });
		expect(await trigger.poll()).toBeNull();
		f.sim.setPrinterStatus('P-2002', 'Breakdown');
		f.sim.setPrinterStatus('P-1002', 'Running');
		const items = await trigger.poll();
		expect(
			(items ?? []).map((item) => `${String(item.printerId)}:${String(item.status)}`).sort(),
		).toEqual(['P-1002:Running', 'P-2002:Breakdown']);
	});
});

describe('Job Finished', () => {
	test('a job is reported when it ends, once, with its ink consumption when asked', async () => {
		const trigger = f.trigger({
			event: 'jobFinished',
			printerIds: ['P-1003'],
			includeInkConsumption: true,
		});
		const now = Date.now();
		const jobId = f.sim.addJob('P-1003', {
			startAt: now - 30 * MINUTE,
			endAt: now + MINUTE,
			title: 'Tiles',
		});
		expect(await trigger.poll()).toBeNull();
		expect(await trigger.poll()).toBeNull(); // still printing
		f.sim.advanceClock(2 * MINUTE);
		try {
			const items = await trigger.poll();
			expect(items).toHaveLength(1);
			expect(items?.[0]).toMatchObject({
				printerId: 'P-1003',
				id: jobId,
				title: 'Tiles',
				state: 'Finished',
				endTime: new Date(now + MINUTE).toISOString(),
				inkConsumption: { cyan: expect.any(Number), black: expect.any(Number) },
			});
			expect(await trigger.poll()).toBeNull();
		} finally {
			f.sim.advanceClock(-2 * MINUTE);
		}
	});

	test('jobs that ended before activation are not reported; an aborted job is', async () => {
		const now = Date.now();
		f.sim.addJob('P-1001', { startAt: now - 60 * MINUTE, endAt: now - 2 * MINUTE });
		const trigger = f.trigger({ event: 'jobFinished' });
		expect(await trigger.poll()).toBeNull();
		const aborted = f.sim.addJob('P-1002', { startAt: now - 20 * MINUTE });
		f.sim.finishJob('P-1002', aborted, Date.now() - 1000, 'Aborted');
		const items = await trigger.poll();
		expect((items ?? []).map((item) => [item.id, item.state, 'inkConsumption' in item])).toEqual([
			[aborted, 'Aborted', false],
		]);
	});
});
