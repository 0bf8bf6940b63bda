/**
 * Events that reach Analytics late (a printer offline during a breakdown sends its errors when it
 * is back, dated when they happened): each poll looks back over "Look Back (Hours)" and reports
 * what it has not reported before, once; what arrives later than that is counted in a warning.
 * Times without an offset are read in the chosen time zone, and a server clock far off is logged.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { DURST_ENDPOINTS } from '../../tools/simulators/durst';
import { MINUTE, errorSummary, useTriggerFixture } from './support';

const HOUR = 60 * MINUTE;
const f = useTriggerFixture();

let warn: jest.SpyInstance;
beforeEach(() => {
	warn = jest.spyOn(Container.get(Logger), 'warn');
});
afterEach(() => {
	warn.mockRestore();
});

function warnings(): string[] {
	return warn.mock.calls.map(([message]) => String(message));
}

/** A wall-clock time without an offset, as a server in `offsetHours` east of UTC writes it. */
function wallClock(at: number, offsetHours: number): string {
	return new Date(at + offsetHours * HOUR).toISOString().slice(0, 19);
}

describe('late events', () => {
	test('an error dated 2 hours ago that appears after the first poll is reported once', async () => {
		const now = Date.now();
		f.sim.addError('P-1001', { at: now - 2 * HOUR, errorNr: 1, errorMessage: 'already there' });
		f.sim.addError('P-1002', { at: now - 20 * HOUR, errorNr: 2, errorMessage: 'already there' });
		const trigger = f.trigger({ event: 'newPrinterError' });
		expect(await trigger.poll()).toBeNull();

		f.sim.addError('P-1003', { at: now - 2 * HOUR, errorNr: 3, errorMessage: 'sent late' });
		expect(errorSummary(await trigger.poll())).toEqual(['P-1003 3']);
		for (let i = 0; i < 3; i++) expect(await trigger.poll()).toBeNull();
		expect(warnings()).toEqual([]);
	});

	test('a job that ended 3 hours ago and appears after the first poll is reported once', async () => {
		const trigger = f.trigger({ event: 'jobFinished', printerIds: ['P-1002'] });
		expect(await trigger.poll()).toBeNull();
		const now = Date.now();
		const job = f.sim.addJob('P-1002', { startAt: now - 4 * HOUR, endAt: now - 3 * HOUR });
		expect((await trigger.poll())?.map((item) => item.id)).toEqual([job]);
		expect(await trigger.poll()).toBeNull();
	});

	test.each([
		['the default 24 hours', {}, 30 * HOUR, '24 h 0 min'],
		['Look Back 1 hour', { lookBackHours: 1 }, 2 * HOUR, '1 h 0 min'],
	])(
		'%s: errors older than the window are not reported and counted once in a warning',
		async (_name, options, age, window) => {
			const trigger = f.trigger({ event: 'newPrinterError', options });
			expect(await trigger.poll()).toBeNull();
			const now = Date.now();
			f.sim.addError('P-1001', { at: now - age, errorNr: 7, errorMessage: 'too late' });
			f.sim.addError('P-1004', { at: now - age - MINUTE, errorNr: 8, errorMessage: 'too late' });
			expect(await trigger.poll()).toBeNull();
			expect(warnings()).toEqual([
				`Durst Analytics Trigger: 2 printer errors arrived after the look-back window (${window}) had passed them, the oldest dated ${new Date(now - age - MINUTE).toISOString()}; they are not reported. A longer "Look Back (Hours)" reports such late events.`,
			]);
			expect(await trigger.poll()).toBeNull();
			expect(warnings()).toHaveLength(1);
		},
	);

	test('a server clock 2 hours behind n8n is logged', async () => {
		const trigger = f.trigger({ event: 'newPrinterError', printerIds: ['P-1001'] });
		f.sim.failNext({
			mode: 'status',
			status: 200,
			body: [],
			headers: { date: new Date(Date.now() - 2 * HOUR).toUTCString() },
			path: DURST_ENDPOINTS.errors,
		});
		expect(await trigger.poll()).toBeNull();
		expect(warnings()).toEqual([
			expect.stringMatching(
				/^Durst Analytics Trigger: the clock of Durst Analytics is 2 h 0 min behind n8n's \(its Date header\); events reach the trigger late/,
			),
		]);
	});
});

describe('times without an offset', () => {
	async function reportsWallClock(
		trigger: ReturnType<typeof f.trigger>,
		offsetHours: number,
	): Promise<void> {
		expect(await trigger.poll()).toBeNull();
		const dateTime = wallClock(Date.now() - MINUTE, offsetHours);
		const answer = [{ dateTime, errorNr: 1, errorMessage: 'local time' }];
		const path = DURST_ENDPOINTS.errors;
		f.sim.failNext({ mode: 'status', status: 200, body: answer, path });
		expect(await trigger.poll()).toEqual([
			expect.objectContaining({ printerId: 'P-1001', dateTime }),
		]);
		f.sim.failNext({ mode: 'status', status: 200, body: answer, path });
		expect(await trigger.poll()).toBeNull();
	}

	test('are read in the chosen time zone', async () => {
		const trigger = f.trigger({
			event: 'newPrinterError',
			printerIds: ['P-1001'],
			options: { timeZone: 'Asia/Tokyo' },
		});
		// As n8n sets it from the workflow's settings (read-only in its types).
		Object.assign(trigger.workflow, { timezone: 'UTC' });
		await reportsWallClock(trigger, 9);
	});

	test("are read in the workflow's time zone when none is chosen", async () => {
		const trigger = f.trigger({ event: 'newPrinterError', printerIds: ['P-1001'] });
		Object.assign(trigger.workflow, { timezone: 'Asia/Kolkata' });
		await reportsWallClock(trigger, 5.5);
	});

	test('a time zone that does not exist is refused before any call', async () => {
		const trigger = f.trigger({ event: 'newPrinterError', options: { timeZone: 'Mars/Base' } });
		await expect(trigger.poll()).rejects.toThrow('"Time Zone" is not a time zone');
		expect(f.sim.requestLog).toHaveLength(0);
	});
});
