/**
 * Durst simulator, scripted timeline: a batch of actions through `/__sim/timeline`.
 * Real HTTP throughout; the simulator and its calls come from `useTimelineSimulator`.
 */
import type { DurstSimulator, DurstTimelineSnapshot } from '../../tools/simulators/durst';
import {
	HOUR,
	MINUTE,
	T0,
	iso,
	range,
	readJson,
	scriptedJobId,
	useTimelineSimulator,
} from './testSupport';

describe('DurstSimulator: scripted timeline', () => {
	const t = useTimelineSimulator();
	const { errorsOf, jobsOf, listed, statusOf, admin } = t;
	let sim: DurstSimulator;
	beforeEach(() => {
		sim = t.sim;
	});

	describe('POST /__sim/timeline', () => {
		it('applies each action in order and answers its results', async () => {
			const response = await admin([
				{
					type: 'error',
					printerId: 'P-1001',
					inMs: -5 * MINUTE,
					errorNr: 2045,
					errorMessage: 'hot',
				},
				{
					type: 'error',
					printerId: 'P-1001',
					at: '2024-06-01T12:10:00Z',
					errorNr: 3301,
					errorMessage: 'jam',
					operator: 'a.weber',
					errorCode: 'J1',
				},
				{ type: 'status', printerId: 'P-1002', status: 'Breakdown' },
				{ type: 'status', printerId: 'P-1003', status: 'Running', inMs: HOUR },
				{
					type: 'job',
					printerId: 'P-1001',
					inMs: -10 * MINUTE,
					endInMs: 10 * MINUTE,
					numberOfPrints: 4,
				},
				{
					type: 'job',
					printerId: 'P-1004',
					startAt: T0 - HOUR,
					endAt: null,
					title: 'Open',
					endState: 'Aborted',
				},
				{
					type: 'addPrinter',
					id: 'P-2001',
					name: 'Rho 5000',
					serialNumber: 'S-1',
					status: 'Setup',
				},
				{ type: 'job', printerId: 'P-2001', startAt: T0 - HOUR, endAt: T0 - MINUTE },
				{ type: 'removePrinter', printerId: 'P-1004' },
			]);
			expect(response.status).toBe(200);
			expect(await response.json()).toEqual({
				ok: true,
				results: [
					{
						type: 'error',
						printerId: 'P-1001',
						error: {
							dateTime: '2024-06-01T11:55:00.000Z',
							errorNr: 2045,
							errorMessage: 'hot',
							operator: 'operator',
						},
					},
					{
						type: 'error',
						printerId: 'P-1001',
						error: {
							dateTime: '2024-06-01T12:10:00.000Z',
							errorNr: 3301,
							errorMessage: 'jam',
							operator: 'a.weber',
							errorCode: 'J1',
						},
					},
					{ type: 'status', printerId: 'P-1002', status: 'Breakdown', at: T0 },
					{ type: 'status', printerId: 'P-1003', status: 'Running', at: T0 + HOUR },
					{ type: 'job', printerId: 'P-1001', jobId: scriptedJobId(1001, 0) },
					{ type: 'job', printerId: 'P-1004', jobId: scriptedJobId(1004, 1) },
					{
						type: 'addPrinter',
						printer: {
							id: 'P-2001',
							serialNumber: 'S-1',
							name: 'Rho 5000',
							status: 'Setup',
							inkLevelPercent: 100,
						},
					},
					{ type: 'job', printerId: 'P-2001', jobId: scriptedJobId(2001, 2) },
					{ type: 'removePrinter', printerId: 'P-1004' },
				],
			});

			expect((await errorsOf('P-1001', range(T0 - HOUR, T0 + HOUR))).map((e) => e.errorNr)).toEqual(
				[2045],
			);
			expect(await statusOf('P-1002')).toBe('Breakdown');
			expect(await statusOf('P-1003')).toBe('Setup');
			expect((await jobsOf('P-1001', range(T0 - HOUR, T0))).at(-1)).toMatchObject({
				id: scriptedJobId(1001, 0),
				state: 'Printing',
				numberOfPrintsDone: 2,
			});
			expect(await listed()).toEqual(['P-1001', 'P-1002', 'P-1003', 'P-2001']);

			const finish = await admin({
				type: 'finishJob',
				printerId: 'P-1001',
				jobId: scriptedJobId(1001, 0),
				inMs: 0,
				endState: 'Aborted',
			});
			expect(await finish.json()).toEqual({
				ok: true,
				results: [
					{
						type: 'finishJob',
						printerId: 'P-1001',
						jobId: scriptedJobId(1001, 0),
						at: T0,
						endState: 'Aborted',
					},
				],
			});
			expect((await jobsOf('P-1001', range(T0 - HOUR, T0))).at(-1)).toMatchObject({
				state: 'Aborted',
				numberOfPrintsDone: 1,
				endTime: iso(T0),
			});

			sim.advanceClock(HOUR);
			expect(await statusOf('P-1003')).toBe('Running');
			// The grid's own 12:10 error comes before the scripted one of the same instant.
			const later = await errorsOf('P-1001', range(T0 - HOUR, T0 + HOUR));
			expect(later.map((error) => error.dateTime.slice(11, 16))).toEqual([
				'11:55',
				'12:10',
				'12:10',
			]);
			expect(later[0]?.errorMessage).toBe('hot');
			expect(later[1]?.errorMessage).not.toBe('jam');
			expect(later[2]).toEqual({
				dateTime: '2024-06-01T12:10:00.000Z',
				errorNr: 3301,
				errorMessage: 'jam',
				operator: 'a.weber',
				errorCode: 'J1',
			});

			const snapshot = await readJson<DurstTimelineSnapshot>(await admin(undefined, 'GET'));
			expect(snapshot).toEqual(sim.timeline);
			expect(snapshot.errors).toHaveLength(2);
			expect(snapshot.jobs.map((job) => job.id)).toEqual([
				scriptedJobId(1001, 0),
				scriptedJobId(1004, 1),
				scriptedJobId(2001, 2),
			]);
			expect(snapshot.addedPrinters).toEqual([
				{
					id: 'P-2001',
					serialNumber: 'S-1',
					name: 'Rho 5000',
					status: 'Setup',
					inkLevelPercent: 100,
					number: 2001,
				},
			]);
			expect(snapshot.removedPrinters).toEqual(['P-1004']);

			const cleared = await admin([{ type: 'clear' }]);
			expect(await cleared.json()).toEqual({ ok: true, results: [{ type: 'clear' }] });
			expect(sim.timeline.errors).toEqual([]);
			expect(await listed()).toEqual(['P-1001', 'P-1002', 'P-1003', 'P-1004']);

			await admin({ type: 'removePrinter', printerId: 'P-1001' });
			const restored = await admin({ type: 'restorePrinters' });
			expect(await restored.json()).toEqual({ ok: true, results: [{ type: 'restorePrinters' }] });
			expect(await listed()).toHaveLength(4);
		});
	});
});
