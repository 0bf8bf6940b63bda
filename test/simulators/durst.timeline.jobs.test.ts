/**
 * Durst simulator, scripted timeline: scripted jobs, their detail and ink.
 * Real HTTP throughout; the simulator and its calls come from `useTimelineSimulator`.
 */
import type {
	DurstInkConsumption,
	DurstJobDetail,
	DurstSimulator,
} from '../../tools/simulators/durst';
import {
	HOUR,
	MINUTE,
	T0,
	ZERO_INK,
	range,
	scriptedJobId,
	useTimelineSimulator,
} from './testSupport';

describe('DurstSimulator: scripted timeline', () => {
	const t = useTimelineSimulator();
	const { api, post, get, jobsOf } = t;
	let sim: DurstSimulator;
	beforeEach(() => {
		sim = t.sim;
	});

	describe('jobs', () => {
		it('prints a job, then finishes it with its end time, and serves its detail and ink', async () => {
			const id = sim.addJob('P-1001', {
				startAt: T0 - 30 * MINUTE,
				endAt: T0 + 30 * MINUTE,
				title: 'Scripted banner',
				numberOfPrints: 10,
			});
			expect(id).toBe(scriptedJobId(1001, 0));

			const window = range(T0 - 2 * HOUR, T0 + HOUR);
			const printing = {
				id,
				title: 'Scripted banner',
				state: 'Printing',
				numberOfPrints: 10,
				numberOfPrintsDone: 5,
				startTime: '2024-06-01T11:30:00.000Z',
				endTime: null,
			};
			// The grid job of 10:05 is in the window too; the scripted one comes after it.
			const jobs = await jobsOf('P-1001', window);
			expect(jobs.map((job) => job.id)).toEqual([10010238505, id]);
			expect(jobs[1]).toEqual(printing);

			expect(await get<DurstJobDetail>(`/api/v1/printers/P-1001/jobs/${id}`)).toEqual({
				...printing,
				printerId: 'P-1001',
				printDirection: 'Bidirectional',
				passoverlapValue: 1,
				saturation: 95,
				printPasses: 4,
				printedAreaSqm: 12.5,
			});
			expect(
				await get<DurstInkConsumption>(`/api/v1/printers/P-1001/jobs/${id}/inkConsumption`),
			).toEqual({
				cyan: 0.15,
				magenta: 0.125,
				yellow: 0.1125,
				black: 0.1875,
				lightCyan: 0.05,
				lightMagenta: 0.0438,
				white: 0.075,
			});

			sim.advanceClock(30 * MINUTE);
			const finished = {
				...printing,
				state: 'Finished',
				numberOfPrintsDone: 10,
				endTime: '2024-06-01T12:30:00.000Z',
			};
			expect((await jobsOf('P-1001', window))[1]).toEqual(finished);
			expect(await get<DurstJobDetail>(`/api/v1/printers/P-1001/jobs/${id}`)).toMatchObject({
				...finished,
				printedAreaSqm: 25,
			});
			// The job belongs to its printer only.
			expect((await api(`/api/v1/printers/P-1002/jobs/${id}`)).status).toBe(404);
		});

		it('hides a job until it starts; an open job is aborted by finishJob', async () => {
			const id = sim.addJob('P-1002', { startAt: T0 + 30 * MINUTE, numberOfPrints: 20 });
			const window = range(T0, T0 + 2 * HOUR);
			sim.generated = false;
			expect(await jobsOf('P-1002', window)).toEqual([]);
			expect((await api(`/api/v1/printers/P-1002/jobs/${id}`)).status).toBe(404);

			// Open-ended: one nominal hour for all prints, the last one never done while open.
			sim.advanceClock(60 * MINUTE);
			expect(await jobsOf('P-1002', window)).toEqual([
				{
					id,
					title: 'Scripted job',
					state: 'Printing',
					numberOfPrints: 20,
					numberOfPrintsDone: 10,
					startTime: '2024-06-01T12:30:00.000Z',
					endTime: null,
				},
			]);
			sim.advanceClock(5 * HOUR);
			expect((await jobsOf('P-1002', range(T0, T0 + 6 * HOUR)))[0]).toMatchObject({
				state: 'Printing',
				numberOfPrintsDone: 19,
			});

			sim.finishJob('P-1002', id, T0 + 7 * HOUR, 'Aborted');
			expect((await jobsOf('P-1002', range(T0, T0 + 6 * HOUR)))[0]).toMatchObject({
				state: 'Printing',
				endTime: null,
			});
			sim.advanceClock(HOUR);
			expect((await jobsOf('P-1002', range(T0, T0 + 6 * HOUR)))[0]).toEqual({
				id,
				title: 'Scripted job',
				state: 'Aborted',
				numberOfPrints: 20,
				numberOfPrintsDone: 8,
				startTime: '2024-06-01T12:30:00.000Z',
				endTime: '2024-06-01T19:00:00.000Z',
			});
			expect(sim.timeline.jobs).toEqual([
				{
					id,
					printerId: 'P-1002',
					startAt: T0 + 30 * MINUTE,
					endAt: T0 + 7 * HOUR,
					title: 'Scripted job',
					numberOfPrints: 20,
					endState: 'Aborted',
				},
			]);
		});

		it('ends a job as endState from addJob, with numberOfPrintsDone when given', async () => {
			const aborted = sim.addJob('P-1003', {
				startAt: T0 - 2 * HOUR,
				endAt: T0 - HOUR,
				endState: 'Aborted',
				numberOfPrints: 4,
				numberOfPrintsDone: 3,
			});
			const finished = sim.addJob('P-1003', { startAt: T0 - 2 * HOUR, endAt: T0 - HOUR });
			expect(finished).toBe(aborted + 1);
			const jobs = (await jobsOf('P-1003', range(T0 - 3 * HOUR, T0))).filter(
				(job) => job.id >= aborted,
			);
			expect(jobs.map((job) => [job.state, job.numberOfPrintsDone, job.endTime])).toEqual([
				['Aborted', 3, '2024-06-01T11:00:00.000Z'],
				['Finished', 10, '2024-06-01T11:00:00.000Z'],
			]);
		});

		it('adds the scripted jobs ink to the printer consumption', async () => {
			sim.generated = false;
			const window = range(T0 - HOUR, T0);
			const ink = (): Promise<DurstInkConsumption> =>
				post<DurstInkConsumption>('/api/v1/printers/P-1001/inkConsumption', window);
			expect(await ink()).toEqual(ZERO_INK);
			sim.addJob('P-1001', { startAt: T0 - HOUR, endAt: T0 - 30 * MINUTE, numberOfPrints: 4 });
			// 4 prints of 2.5 m² each.
			expect(await ink()).toEqual({
				cyan: 0.12,
				magenta: 0.1,
				yellow: 0.09,
				black: 0.15,
				lightCyan: 0.04,
				lightMagenta: 0.035,
				white: 0.06,
			});
		});
	});
});
