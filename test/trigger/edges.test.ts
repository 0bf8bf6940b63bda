/**
 * The trigger's edge cases: a cursor held back for carried-over events must not reach
 * events already forgotten; entries dated past the window are neither reported nor remembered;
 * overlapping polls do not both report; server printer IDs that would change the path or forge
 * a log line, and printers listed twice, are left out.
 */
import { MAX_EVENTS_PER_POLL } from '../../nodes/DurstAnalytics/trigger/state';
import { DURST_ENDPOINTS } from '../../tools/simulators/durst';
import { MINUTE, errorSummary, useFakeClock, useTriggerFixture } from './support';

const f = useTriggerFixture();

const { fakeDate, clockAt } = useFakeClock(f);

test('a late burst held over does not bring back an event reported long ago', async () => {
	const t0 = Date.now();
	fakeDate(t0);
	const trigger = f.trigger({ event: 'newPrinterError', printerIds: ['P-1001'] });
	expect(await trigger.poll()).toBeNull();

	clockAt(t0 + MINUTE);
	f.sim.addError('P-1001', { at: t0 + 30_000, errorNr: 1, errorMessage: 'X' });
	expect(errorSummary(await trigger.poll())).toEqual(['P-1001 1']);

	// 20 minutes on, X is outside every window and forgotten.
	clockAt(t0 + 20 * MINUTE);
	expect(await trigger.poll()).toBeNull();

	// A printer flushes a backlog, dated inside the last window: more than one poll's worth.
	const burst = MAX_EVENTS_PER_POLL + 50;
	for (let i = 0; i < burst; i++) {
		f.sim.addError('P-1001', {
			at: t0 + 6 * MINUTE + i * 1000,
			errorNr: 100 + i,
			errorMessage: 'b',
		});
	}
	clockAt(t0 + 21 * MINUTE);
	expect(await trigger.poll()).toHaveLength(MAX_EVENTS_PER_POLL);
	clockAt(t0 + 22 * MINUTE);
	const rest = (await trigger.poll())?.map((item) => item.errorNr);
	expect(rest).toEqual(Array.from({ length: 50 }, (_, i) => 100 + MAX_EVENTS_PER_POLL + i));
});

test('an entry dated far in the future is neither reported nor remembered', async () => {
	const trigger = f.trigger({ event: 'newPrinterError', printerIds: ['P-1001'] });
	expect(await trigger.poll()).toBeNull();
	const now = new Date(Date.now() - 1000).toISOString();
	f.sim.failNext({
		mode: 'status',
		status: 200,
		body: [
			{ dateTime: '2099-01-01T00:00:00Z', errorNr: 2099, errorMessage: 'clock' },
			{ dateTime: now, errorNr: 1, errorMessage: 'real' },
		],
		path: DURST_ENDPOINTS.errors,
	});
	expect(errorSummary(await trigger.poll())).toEqual(['P-1001 1']);
	const state = trigger.staticData['node:Durst Analytics Trigger'] as {
		trigger: { seen: Record<string, string> };
	};
	// One key of 12 characters (the real one), in an hour no later than now.
	expect(Object.values(state.trigger.seen).join('')).toHaveLength(12);
	const hours = Object.keys(state.trigger.seen).map(Number);
	expect(Math.max(...hours)).toBeLessThanOrEqual(Math.floor(Date.now() / 3_600_000));
});

test('a poll that starts while the last one runs reports nothing twice', async () => {
	const trigger = f.trigger({ event: 'newPrinterError', printerIds: ['P-1001'] });
	expect(await trigger.poll()).toBeNull();
	f.sim.addError('P-1001', { at: Date.now() - 1000, errorNr: 7, errorMessage: 'once' });
	f.sim.latencyMs = 300;
	try {
		const [first, second] = await Promise.all([trigger.poll(), trigger.poll()]);
		expect([...errorSummary(first), ...errorSummary(second)]).toEqual(['P-1001 7']);
	} finally {
		f.sim.latencyMs = 0;
	}
});

test('printer IDs ".", "..", with "/" or "\\" or a line break are left out (no poll fails for them); a printer listed twice counts once', async () => {
	const list = [
		{ id: '..', name: 'up', status: 'Running' },
		{ id: '.', name: 'here', status: 'Running' },
		{ id: 'a/b', name: 'slash', status: 'Running' },
		{ id: 'c\\d', name: 'backslash', status: 'Running' },
		{ id: 'e\nERROR forged log line', name: 'line break', status: 'Running' },
		{ id: 'P-1001', name: 'first', status: 'Idle' },
		{ id: 'P-1001', name: 'again', status: 'Running' },
	];
	const trigger = f.trigger({ event: 'printerStatusChanged' });
	f.sim.failNext({ mode: 'status', status: 200, body: list, path: DURST_ENDPOINTS.printers });
	expect(await trigger.poll()).toBeNull();
	f.sim.failNext({ mode: 'status', status: 200, body: list, path: DURST_ENDPOINTS.printers });
	expect(await trigger.poll()).toBeNull();

	const errors = f.trigger({ event: 'newPrinterError' });
	f.sim.failNext({ mode: 'status', status: 200, body: list, path: DURST_ENDPOINTS.printers });
	f.sim.clearRequestLog();
	expect(await errors.poll()).toBeNull();
	expect(f.sim.requestLog.map((entry) => entry.path)).toEqual([
		'/api/v1/printers',
		'/api/v1/printers/P-1001/errors',
	]);
});
