/**
 * The memory of handled events in static data stays small and bounded: a day of polls keeps only
 * the keys of the last two days' errors, and past the cap the oldest hours are
 * forgotten and refused, never reported a second time.
 */
import { createHash } from 'node:crypto';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { MAX_SEEN } from '../../nodes/DurstAnalytics/trigger/state';
import { TRIGGER_NAME } from '../harness/poll';
import { MINUTE, errorSummary, useFakeClock, useTriggerFixture } from './support';

const HOUR = 60 * MINUTE;
const PRINTERS = ['P-1001', 'P-1002', 'P-1003', 'P-1004'];
const f = useTriggerFixture();

const { fakeDate, clockAt } = useFakeClock(f);

function storedSize(staticData: Record<string, unknown>): number {
	return JSON.stringify(staticData[`node:${TRIGGER_NAME}`]).length;
}

/** Keys of handled events in static data: 12 characters each, grouped by hour. */
function rememberedKeys(staticData: Record<string, unknown>): number {
	const node = staticData[`node:${TRIGGER_NAME}`] as { trigger: { seen: Record<string, unknown> } };
	return Object.values(node.trigger.seen).join('').length / 12;
}

test('a day of polls, an error per printer every 10 minutes: each reported once, ~15 KB', async () => {
	const t0 = Date.now();
	fakeDate(t0);
	let errorNr = 0;
	const addError = (printerId: string, at: number) =>
		f.sim.addError(printerId, { at, errorNr: ++errorNr, errorMessage: `e${errorNr}` });
	// Two days of history before activation.
	for (let at = t0 - 48 * HOUR; at < t0; at += 10 * MINUTE)
		for (const id of PRINTERS) addError(id, at);
	const trigger = f.trigger({ event: 'newPrinterError' });
	expect(await trigger.poll()).toBeNull();

	const expected: string[] = [];
	const reported: string[] = [];
	// Every 10 minutes: the size depends on the errors remembered, not on how often polls run.
	for (let minute = 10; minute <= 24 * 60; minute += 10) {
		const now = t0 + minute * MINUTE;
		clockAt(now);
		for (const id of PRINTERS) expected.push(`${id} ${addError(id, now - 30_000).errorNr}`);
		// Now and then one sent late, dated hours back.
		if (minute % 95 === 0) expected.push(`P-1003 ${addError('P-1003', now - 5 * HOUR).errorNr}`);
		reported.push(...errorSummary(await trigger.poll()));
	}
	// Within one poll a late error comes first: oldest first.
	expect([...reported].sort()).toEqual([...expected].sort());
	const size = storedSize(trigger.staticData);
	// 48 hours of 24 errors an hour, 12 bytes each, plus the hours and the frame.
	expect(size).toBeGreaterThan(48 * 24 * 12);
	expect(size).toBeLessThan(16_000);
}, 120_000);

test(`past ${MAX_SEEN} remembered events the oldest hours are forgotten and refused`, async () => {
	const now = Date.now();
	// 6,000 errors over the last 10 hours on two printers (each answer stays under the server's cap).
	for (let i = 0; i < 3_000; i++) {
		for (const id of ['P-1001', 'P-1002'])
			f.sim.addError(id, { at: now - 10 * HOUR + i * 12_000, errorNr: i, errorMessage: 'burst' });
	}
	const trigger = f.trigger({ event: 'newPrinterError', printerIds: ['P-1001', 'P-1002'] });
	expect(await trigger.poll()).toBeNull();
	// The first poll remembers what is already there, as far back as the cap allows (whole hours).
	expect(rememberedKeys(trigger.staticData)).toBeGreaterThan(MAX_SEEN - 700);
	expect(rememberedKeys(trigger.staticData)).toBeLessThanOrEqual(MAX_SEEN);
	expect(storedSize(trigger.staticData)).toBeLessThan(MAX_SEEN * 12 + 2_000);

	// What was forgotten is refused, a late error among it too; a late error after it is reported.
	f.sim.addError('P-1001', { at: now - 10 * HOUR + 1, errorNr: 99_999, errorMessage: 'late' });
	const warn = jest.spyOn(Container.get(Logger), 'warn');
	try {
		expect(await trigger.poll()).toBeNull();
		// The cap cut into the look-back window: the user is told, as late events there are lost.
		expect(warn.mock.calls.map(([message]) => String(message))).toContainEqual(
			expect.stringMatching(
				/^Durst Analytics Trigger: more printer errors came than the trigger remembers \(5000\); printer errors dated before \S+ are no longer looked at/,
			),
		);
	} finally {
		warn.mockRestore();
	}
	expect(await trigger.poll()).toBeNull();
	f.sim.addError('P-1002', { at: Date.now() - 2 * HOUR, errorNr: 100_000, errorMessage: 'new' });
	expect(errorSummary(await trigger.poll())).toEqual(['P-1002 100000']);
	expect(storedSize(trigger.staticData)).toBeLessThan(MAX_SEEN * 12 + 2_000);
});

test('a state saved by the previous version goes on: what it reported is not reported again', async () => {
	const now = Date.now();
	const before = f.sim.addError('P-1001', {
		at: now - 5 * MINUTE,
		errorNr: 1,
		errorMessage: 'old',
	});
	// The previous version's key: 16 characters of the same hash.
	const hash = createHash('sha256');
	for (const part of ['P-1001', before.dateTime, 1, undefined, 'old'])
		hash.update(`${JSON.stringify(part) ?? ''}\u0000`);
	const key = hash.digest('base64url').slice(0, 16);
	const trigger = f.trigger(
		{ event: 'newPrinterError', printerIds: ['P-1001'] },
		{
			[`node:${TRIGGER_NAME}`]: {
				trigger: {
					v: 1,
					event: 'newPrinterError',
					cursor: now - MINUTE,
					floor: now - 16 * MINUTE,
					seen: { [key]: now - 5 * MINUTE },
					statuses: {},
				},
			},
		},
	);
	f.sim.addError('P-1001', { at: now - 1000, errorNr: 2, errorMessage: 'after the upgrade' });
	expect(errorSummary(await trigger.poll())).toEqual(['P-1001 2']);
	expect(rememberedKeys(trigger.staticData)).toBe(2);
});
