/**
 * Fetch Test Event when nothing happened lately, the normal case: the user still gets an item to
 * map fields from, never an error. It is the newest older event, or an item of the event's exact
 * shape with made-up values; either carries `sample: true` and a `notice`, which real events and
 * the polls of a published workflow never have.
 */
import type { IDataObject } from 'n8n-workflow';

import { MINUTE, useTriggerFixture } from './support';

const f = useTriggerFixture();
const DAY = 24 * 60 * MINUTE;

/** The keys of an item without the two that mark a sample. */
function shape(item: IDataObject): string[] {
	return Object.keys(item).filter((key) => key !== 'sample' && key !== 'notice');
}

/** The one item a poll gave, failing the test when there is not exactly one. */
function only(items: IDataObject[] | null): IDataObject {
	expect(items).toHaveLength(1);
	return (items as IDataObject[])[0];
}

describe('Fetch Test Event with no recent event', () => {
	test('New Printer Error: the newest older error, marked as a sample', async () => {
		const now = Date.now();
		f.sim.addError('P-1002', { at: now - 40 * DAY, errorNr: 11, errorMessage: 'older' });
		f.sim.addError('P-1002', { at: now - 20 * DAY, errorNr: 12, errorMessage: 'old' });
		const trigger = f.trigger({ event: 'newPrinterError' });
		const item = only(await trigger.poll('manual'));
		expect(item).toMatchObject({ printerId: 'P-1002', errorNr: 12, sample: true });
		expect(item.notice).toBe(
			'No printer error in the last 7 days on the watched printers: this is the newest one of the last 90 days, shown as a sample to map fields from. Once the workflow is published, new ones start it.',
		);
		expect(JSON.stringify(trigger.staticData)).not.toContain('cursor');
	});

	test('New Printer Error: none in 90 days gives a made-up error of the real shape', async () => {
		const trigger = f.trigger({ event: 'newPrinterError', printerIds: ['P-1003'] });
		const item = only(await trigger.poll('manual'));
		expect(item).toMatchObject({ printerId: 'P-1003', sample: true });
		expect(item.notice).toBe(
			'No printer error in the last 90 days on the watched printers: this sample has made-up values, to map fields from. Once the workflow is published, real ones start it.',
		);
		// A real error of the same printer, as a published workflow gets it.
		f.sim.addError('P-1003', { at: Date.now() - MINUTE, errorNr: 7, errorMessage: 'real' });
		const real = only(await trigger.poll('manual'));
		expect(real.sample).toBeUndefined();
		expect(real.notice).toBeUndefined();
		expect(shape(item)).toEqual(Object.keys(real));
	});

	test('Job Finished with ink: an old job with its ink, marked as a sample', async () => {
		const now = Date.now();
		f.sim.addJob('P-1001', { startAt: now - 30 * DAY - 60 * MINUTE, endAt: now - 30 * DAY });
		const trigger = f.trigger({ event: 'jobFinished', includeInkConsumption: true });
		const item = only(await trigger.poll('manual'));
		expect(item).toMatchObject({ printerId: 'P-1001', state: 'Finished', sample: true });
		expect(item.inkConsumption).toEqual(expect.objectContaining({ cyan: expect.any(Number) }));
		expect(String(item.notice)).toMatch(/^No finished job in the last 7 days/);
	});

	test('Job Finished: none in 90 days gives a made-up job of the real shape', async () => {
		const trigger = f.trigger({ event: 'jobFinished', includeInkConsumption: true });
		const item = only(await trigger.poll('manual'));
		expect(item).toMatchObject({ state: 'Finished', sample: true });
		expect(String(item.notice)).toMatch(/^No finished job in the last 90 days/);
		const now = Date.now();
		f.sim.addJob('P-1002', { startAt: now - 60 * MINUTE, endAt: now - MINUTE });
		const real = only(await trigger.poll('manual'));
		expect(real.sample).toBeUndefined();
		expect(shape(item)).toEqual(Object.keys(real));
		expect(Object.keys(item.inkConsumption as IDataObject).length).toBeGreaterThan(0);
	});

	test('Printer Status Changed: no printer in the status gives a watched printer as a sample', async () => {
		f.sim.setPrinterStatus('P-1004', 'Running');
		const trigger = f.trigger({ event: 'printerStatusChanged', toStatus: ['Breakdown'] });
		const item = only(await trigger.poll('manual'));
		expect(item).toMatchObject({
			printerId: 'P-1001',
			id: 'P-1001',
			previousStatus: 'Running',
			status: 'Breakdown',
			sample: true,
		});
		expect(item.notice).toBe(
			'No watched printer is in the status Breakdown now: this sample is printer P-1001 as a change to Breakdown would report it, to map fields from. Once the workflow is published, real changes start it.',
		);
		f.sim.setPrinterStatus('P-1004', 'Breakdown');
		const real = only(await trigger.poll('manual'));
		expect(real).toMatchObject({ printerId: 'P-1004', status: 'Breakdown' });
		expect(real.sample).toBeUndefined();
		expect(shape(item)).toEqual(Object.keys(real));
	});

	test('Printer Status Changed: no watched printer gives a made-up one', async () => {
		const trigger = f.trigger({
			event: 'printerStatusChanged',
			printerIds: ['P-9999'],
			toStatus: ['Idle'],
		});
		const item = only(await trigger.poll('manual'));
		expect(item).toEqual({
			printerId: 'P-9999',
			previousStatus: 'Running',
			id: 'P-9999',
			serialNumber: 'SAMPLE-0000',
			name: 'Sample Printer',
			status: 'Idle',
			sample: true,
			notice:
				'No watched printer is in the status Idle now: this sample has made-up values, to map fields from. Once the workflow is published, real changes start it.',
		});
	});

	test('recent events are shown as they are, without a sample mark', async () => {
		f.sim.addError('P-1001', { at: Date.now() - 60 * MINUTE, errorNr: 3, errorMessage: 'new' });
		const trigger = f.trigger({ event: 'newPrinterError' });
		const item = only(await trigger.poll('manual'));
		expect(item).toMatchObject({ printerId: 'P-1001', errorNr: 3 });
		expect(Object.keys(item)).not.toContain('sample');
	});

	test('polls of a published workflow never make samples', async () => {
		f.sim.addError('P-1002', { at: Date.now() - 20 * DAY, errorNr: 12, errorMessage: 'old' });
		f.sim.setPrinterStatus('P-1004', 'Running');
		for (const event of ['newPrinterError', 'jobFinished', 'printerStatusChanged']) {
			const trigger = f.trigger({ event, toStatus: ['Breakdown'] });
			expect(await trigger.poll()).toBeNull();
			expect(await trigger.poll()).toBeNull();
		}
	});
});
