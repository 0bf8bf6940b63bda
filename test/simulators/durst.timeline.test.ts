/**
 * Durst simulator, scripted timeline: errors, status changes, jobs and printers placed at chosen
 * simulated instants, through the methods and through `/__sim/timeline`. Real HTTP throughout.
 */
import { DURST_PRINTERS, DurstSimulator, DurstTimelineError } from '../../tools/simulators/durst';
import type {
	DurstError,
	DurstInkConsumption,
	DurstJob,
	DurstJobDetail,
	DurstPrinter,
	DurstPrinterDetail,
	DurstTimelineSnapshot,
} from '../../tools/simulators/durst';
import { LAST_24H, T0, durstApi, durstLogin, fixedClock, readJson } from './testSupport';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number): string => new Date(ms).toISOString();
const range = (from: number, to: number): string =>
	JSON.stringify({ startDate: iso(from), endDate: iso(to) });
/** Id of the n-th scripted job (counted over the whole simulator, from 0) of printer number `printer`. */
const scriptedJobId = (printer: number, n: number): number => printer * 10_000_000 + 9_000_000 + n;

const ZERO_INK: DurstInkConsumption = {
	cyan: 0,
	magenta: 0,
	yellow: 0,
	black: 0,
	lightCyan: 0,
	lightMagenta: 0,
	white: 0,
};

describe('DurstSimulator: scripted timeline', () => {
	let sim: DurstSimulator;
	let token: string;

	beforeEach(async () => {
		sim = await DurstSimulator.start({ now: fixedClock });
		token = await durstLogin(sim);
	});

	afterEach(async () => {
		await sim.stop();
	});

	const api = (path: string, init?: RequestInit): Promise<Response> =>
		durstApi(sim, path, token, init);
	const post = async <T>(path: string, body: string): Promise<T> => {
		const response = await api(path, { method: 'POST', body });
		expect(response.status).toBe(200);
		return readJson<T>(response);
	};
	const get = async <T>(path: string): Promise<T> => {
		const response = await api(path);
		expect(response.status).toBe(200);
		return readJson<T>(response);
	};
	const errorsOf = (id: string, body = LAST_24H): Promise<DurstError[]> =>
		post<DurstError[]>(`/api/v1/printers/${id}/errors`, body);
	const jobsOf = (id: string, body = LAST_24H): Promise<DurstJob[]> =>
		post<DurstJob[]>(`/api/v1/printers/${id}/jobs`, body);
	const listed = async (): Promise<string[]> =>
		(await get<DurstPrinter[]>('/api/v1/printers')).map((printer) => printer.id);
	const statusOf = async (id: string): Promise<string> =>
		(await get<DurstPrinterDetail>(`/api/v1/printers/${id}`)).status;
	const admin = (body: unknown, method = 'POST'): Promise<Response> =>
		fetch(`${sim.url}/__sim/timeline`, {
			method,
			...(method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
		});

	describe('errors', () => {
		it('merges a scripted error into the grid errors, in time order, with the exact shape', async () => {
			const returned = sim.addError('P-1001', {
				at: T0 - 3 * HOUR - 20 * MINUTE,
				errorNr: 7001,
				errorMessage: 'Scripted: printhead clogged',
			});
			expect(returned).toEqual({
				dateTime: '2024-06-01T08:40:00.000Z',
				errorNr: 7001,
				errorMessage: 'Scripted: printhead clogged',
				operator: 'operator',
			});
			const errors = await errorsOf('P-1001');
			expect(errors).toHaveLength(9);
			expect(errors.map((error) => error.dateTime.slice(11, 16))).toEqual([
				'12:10',
				'15:10',
				'18:10',
				'21:10',
				'00:10',
				'03:10',
				'06:10',
				'08:40',
				'09:10',
			]);
			expect(errors[7]).toEqual(returned);
			// Only this printer's list.
			expect((await errorsOf('P-1002')).map((error) => error.errorNr)).not.toContain(7001);
		});

		it('shows a future error only once the clock reaches it', async () => {
			sim.addError('P-1002', {
				at: '2024-06-01T12:30:00Z',
				errorNr: 6120,
				errorMessage: 'Emergency stop pressed',
				operator: 'm.rossi',
				errorCode: 'E-STOP',
			});
			const window = range(T0, T0 + HOUR);
			expect(await errorsOf('P-1002', window)).toEqual([]);

			sim.advanceClock(29 * MINUTE);
			expect(await errorsOf('P-1002', window)).toEqual([]);

			sim.advanceClock(MINUTE);
			expect(await errorsOf('P-1002', window)).toEqual([
				{
					dateTime: '2024-06-01T12:30:00.000Z',
					errorNr: 6120,
					errorMessage: 'Emergency stop pressed',
					operator: 'm.rossi',
					errorCode: 'E-STOP',
				},
			]);
		});

		it('shows a past error added late in past windows only', async () => {
			const quietHour = range(T0 - 2 * HOUR + MINUTE, T0 - HOUR);
			expect(await errorsOf('P-1003', quietHour)).toEqual([]);
			sim.addError('P-1003', { at: T0 - 90 * MINUTE, errorNr: 4100, errorMessage: 'late' });
			expect((await errorsOf('P-1003', quietHour)).map((error) => error.dateTime)).toEqual([
				'2024-06-01T10:30:00.000Z',
			]);
			expect(await errorsOf('P-1003', range(T0 - HOUR, T0))).toEqual([]);
		});

		it('with generated false, a fixed printer has only its scripted errors', async () => {
			sim.generated = false;
			expect(await errorsOf('P-1004')).toEqual([]);
			sim.addError('P-1004', { at: T0 - HOUR, errorNr: 1, errorMessage: 'one' });
			sim.addError('P-1004', { at: T0 - 2 * HOUR, errorNr: 2, errorMessage: 'two' });
			expect((await errorsOf('P-1004')).map((error) => error.errorNr)).toEqual([2, 1]);
		});
	});

	describe('status', () => {
		it('changes immediately, or from a future instant on', async () => {
			sim.setPrinterStatus('P-1001', 'Setup');
			expect(await statusOf('P-1001')).toBe('Setup');

			const change = sim.setPrinterStatus('P-1001', 'Breakdown', T0 + 10 * MINUTE);
			expect(change).toEqual({ printerId: 'P-1001', status: 'Breakdown', at: T0 + 10 * MINUTE });
			sim.setPrinterStatus('P-1001', 'Idle', '2024-06-01T12:20:00Z');
			expect(await statusOf('P-1001')).toBe('Setup');

			sim.advanceClock(10 * MINUTE);
			expect(await statusOf('P-1001')).toBe('Breakdown');
			expect((await get<DurstPrinter[]>('/api/v1/printers'))[0]).toEqual({
				id: 'P-1001',
				serialNumber: 'DRH1312-0001',
				name: 'Rho 1312',
				status: 'Breakdown',
			});

			sim.advanceClock(10 * MINUTE);
			expect(await statusOf('P-1001')).toBe('Idle');
			// A past instant means now.
			sim.setPrinterStatus('P-1001', 'Running', T0 - HOUR);
			expect(await statusOf('P-1001')).toBe('Running');
			expect(sim.timeline.statusChanges).toEqual([
				{ printerId: 'P-1001', status: 'Running', at: T0 + 20 * MINUTE },
			]);
			// Two changes for the same instant: the one made last wins.
			sim.setPrinterStatus('P-1002', 'Setup', T0 + HOUR);
			sim.setPrinterStatus('P-1002', 'Breakdown', T0 + HOUR);
			sim.setPrinterStatus('P-1002', 'Running', T0 + 2 * HOUR);
			expect(await statusOf('P-1002')).toBe('Idle');
			sim.advanceClock(40 * MINUTE);
			expect(await statusOf('P-1002')).toBe('Breakdown');
			sim.advanceClock(HOUR);
			expect(await statusOf('P-1002')).toBe('Running');
			expect(sim.printers.map((printer) => printer.status)).toEqual([
				'Running',
				'Running',
				'Setup',
				'Breakdown',
			]);
		});
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

	describe('printers', () => {
		it('adds a printer with its endpoints, data only as scripted', async () => {
			const added = sim.addPrinter({
				id: 'P-2001',
				name: 'Rho 5000',
				serialNumber: 'DRH5000-2001',
				status: 'Idle',
			});
			expect(added).toEqual({
				id: 'P-2001',
				serialNumber: 'DRH5000-2001',
				name: 'Rho 5000',
				status: 'Idle',
				inkLevelPercent: 100,
			});
			expect(await listed()).toEqual(['P-1001', 'P-1002', 'P-1003', 'P-1004', 'P-2001']);
			expect(await get<DurstPrinterDetail>('/api/v1/printers/P-2001')).toEqual(added);
			expect(await errorsOf('P-2001')).toEqual([]);
			expect(await jobsOf('P-2001')).toEqual([]);
			expect(await post('/api/v1/printers/P-2001/inkConsumption', LAST_24H)).toEqual(ZERO_INK);

			const jobId = sim.addJob('P-2001', { startAt: T0 - HOUR, endAt: T0 });
			expect(jobId).toBe(scriptedJobId(2001, 0));
			sim.addError('P-2001', { at: T0 - HOUR, errorNr: 3301, errorMessage: 'Media jam detected' });
			sim.setPrinterStatus('P-2001', 'Breakdown');
			expect((await jobsOf('P-2001')).map((job) => [job.id, job.state])).toEqual([
				[jobId, 'Finished'],
			]);
			expect((await errorsOf('P-2001')).map((error) => error.errorNr)).toEqual([3301]);
			expect(await statusOf('P-2001')).toBe('Breakdown');
			expect((await get<DurstJobDetail>(`/api/v1/printers/P-2001/jobs/${jobId}`)).printerId).toBe(
				'P-2001',
			);
			// A grid-looking id of the added printer is no job.
			expect((await api('/api/v1/printers/P-2001/jobs/20010238506')).status).toBe(404);

			const second = sim.addPrinter({
				id: 'P-2002',
				name: 'Tau',
				serialNumber: 'X',
				status: 'Running',
				inkLevelPercent: 5,
			});
			expect(second.inkLevelPercent).toBe(5);
			expect(sim.addJob('P-2002', { startAt: T0 })).toBe(scriptedJobId(2002, 1));
			expect(() =>
				sim.addPrinter({ id: 'P-2001', name: 'again', serialNumber: 'Y', status: 'Idle' }),
			).toThrow('printer P-2001 already exists');
			expect(() =>
				sim.addPrinter({ id: 'P-1001', name: 'again', serialNumber: 'Y', status: 'Idle' }),
			).toThrow(/P-1001 is a fixed printer/);
		});

		it('removes fixed and added printers: unlisted and 404 everywhere, until restored', async () => {
			sim.addPrinter({ id: 'P-2001', name: 'Rho 5000', serialNumber: 'S', status: 'Idle' });
			sim.addError('P-1003', { at: T0 - HOUR, errorNr: 5, errorMessage: 'kept' });
			const gridJob = (await jobsOf('P-1003'))[0]?.id ?? 0;
			sim.removePrinter('P-1003');
			sim.removePrinter('P-2001');
			expect(await listed()).toEqual(['P-1001', 'P-1002', 'P-1004']);
			expect(sim.printers.map((printer) => printer.id)).toEqual(['P-1001', 'P-1002', 'P-1004']);
			for (const id of ['P-1003', 'P-2001']) {
				for (const [path, method] of [
					[`/api/v1/printers/${id}`, 'GET'],
					[`/api/v1/printers/${id}/errors`, 'POST'],
					[`/api/v1/printers/${id}/jobs`, 'POST'],
					[`/api/v1/printers/${id}/inkConsumption`, 'POST'],
					[`/api/v1/printers/${id}/jobs/${gridJob}`, 'GET'],
					[`/api/v1/printers/${id}/jobs/${gridJob}/inkConsumption`, 'GET'],
				]) {
					const response = await api(path, {
						method,
						...(method === 'POST' ? { body: LAST_24H } : {}),
					});
					expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 404`);
				}
			}
			expect(() => sim.removePrinter('P-1003')).toThrow('unknown printer P-1003');
			expect(() => sim.addError('P-1003', { at: T0, errorNr: 1, errorMessage: 'x' })).toThrow(
				'unknown printer P-1003',
			);
			expect(sim.timeline.removedPrinters).toEqual(['P-1003']);
			expect(sim.timeline.addedPrinters).toEqual([]);

			sim.restorePrinters();
			expect(await listed()).toEqual(['P-1001', 'P-1002', 'P-1003', 'P-1004']);
			expect((await errorsOf('P-1003')).map((error) => error.errorNr)).toContain(5);
			expect((await api(`/api/v1/printers/P-1003/jobs/${gridJob}`)).status).toBe(200);
		});

		it('clearTimeline goes back to the fixtures; ids are never reused', async () => {
			sim.addPrinter({ id: 'P-2001', name: 'Rho 5000', serialNumber: 'S', status: 'Idle' });
			sim.removePrinter('P-1001');
			sim.setPrinterStatus('P-1002', 'Breakdown');
			sim.addError('P-1002', { at: T0, errorNr: 9, errorMessage: 'x' });
			const first = sim.addJob('P-1002', { startAt: T0 });
			sim.clearTimeline();
			expect(sim.timeline).toEqual({
				errors: [],
				jobs: [],
				statusChanges: [],
				addedPrinters: [],
				removedPrinters: [],
			});
			expect(sim.printers).toEqual(DURST_PRINTERS);
			expect((await api(`/api/v1/printers/P-1002/jobs/${first}`)).status).toBe(404);
			expect(sim.addJob('P-1002', { startAt: T0 })).toBe(first + 1);
			expect(
				sim.addPrinter({ id: 'P-2001', name: 'Rho 5000', serialNumber: 'S', status: 'Idle' }),
			).toBeDefined();
			expect(sim.timeline.addedPrinters[0]?.number).toBe(2002);
		});
	});

	describe('restarts, counters and generated data', () => {
		it('a restart kills the tokens but keeps the timeline; so does resetCounters', async () => {
			sim.addError('P-1001', { at: T0 - MINUTE, errorNr: 42, errorMessage: 'before restart' });
			sim.setPrinterStatus('P-1004', 'Running');
			sim.addPrinter({ id: 'P-2001', name: 'Rho 5000', serialNumber: 'S', status: 'Idle' });
			const before = sim.timeline;

			const restart = await fetch(`${sim.url}/__sim/restart`, { method: 'POST' });
			expect(restart.status).toBe(200);
			expect(sim.isTokenValid(token)).toBe(false);
			expect((await api('/api/v1/printers')).status).toBe(401);
			sim.resetCounters();
			expect(sim.timeline).toEqual(before);

			token = await durstLogin(sim);
			expect((await errorsOf('P-1001')).at(-1)).toMatchObject({
				errorNr: 42,
				errorMessage: 'before restart',
			});
			expect(await statusOf('P-1004')).toBe('Running');
			expect(await listed()).toContain('P-2001');
		});

		it('generated false: fixed printers listed, no grid errors, jobs or job details', async () => {
			const plain = await DurstSimulator.start({ now: fixedClock, generated: false });
			try {
				const plainToken = plain.issueToken('operator');
				const call = async (path: string, body?: string): Promise<unknown> => {
					const response = await durstApi(plain, path, plainToken, {
						method: body === undefined ? 'GET' : 'POST',
						...(body === undefined ? {} : { body }),
					});
					return response.status === 200 ? response.json() : response.status;
				};
				expect(plain.config).toEqual({
					version: '1.6',
					loginMode: 'normal',
					rejectStatus: 401,
					loginRejectStatus: 401,
					generated: false,
				});
				expect(plain.stats().generated).toBe(false);
				expect(await call('/api/v1/printers')).toHaveLength(4);
				for (const printer of DURST_PRINTERS) {
					expect(await call(`/api/v1/printers/${printer.id}`)).toEqual(printer);
					expect(await call(`/api/v1/printers/${printer.id}/errors`, LAST_24H)).toEqual([]);
					expect(await call(`/api/v1/printers/${printer.id}/jobs`, LAST_24H)).toEqual([]);
					expect(await call(`/api/v1/printers/${printer.id}/inkConsumption`, LAST_24H)).toEqual(
						ZERO_INK,
					);
				}
				// A job id the grid would serve.
				expect(await call('/api/v1/printers/P-1001/jobs/10010238502')).toBe(404);
			} finally {
				await plain.stop();
			}
		});

		it('switches generated data over /__sim/config and shows it in config and stats', async () => {
			const config = (body?: unknown): Promise<Response> =>
				fetch(`${sim.url}/__sim/config`, {
					method: body === undefined ? 'GET' : 'POST',
					...(body === undefined ? {} : { body: JSON.stringify(body) }),
				});
			expect(await (await config()).json()).not.toHaveProperty('generated');
			expect(sim.stats().generated).toBe(true);
			expect((await errorsOf('P-1001')).length).toBe(8);

			const off = await config({ generated: false });
			expect(off.status).toBe(200);
			expect(await off.json()).toEqual({
				version: '1.6',
				loginMode: 'normal',
				rejectStatus: 401,
				loginRejectStatus: 401,
				generated: false,
			});
			expect(sim.generated).toBe(false);
			expect(
				await readJson<{ generated: boolean }>(await fetch(`${sim.url}/__sim/stats`)),
			).toMatchObject({ generated: false });
			expect(await errorsOf('P-1001')).toEqual([]);

			const bad = await config({ generated: 'no' });
			expect(bad.status).toBe(400);
			expect(await bad.json()).toEqual({ error: 'generated must be true or false' });
			expect(sim.generated).toBe(false);

			expect(await (await config({ generated: true })).json()).not.toHaveProperty('generated');
			expect((await errorsOf('P-1001')).length).toBe(8);
		});
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

		it.each([
			['not JSON', '{', 'timeline: body is not valid JSON'],
			['an empty array', [], 'body must be an action object or a non-empty array'],
			['a string action', ['error'], 'action 0 (?): an action must be a JSON object'],
			['an unknown type', { type: 'explode' }, 'action 0 (explode): type must be one of'],
			[
				'no printerId',
				{ type: 'removePrinter' },
				'action 0 (removePrinter): printerId must be a string',
			],
			['an unknown printer', { type: 'removePrinter', printerId: 'P-9' }, 'unknown printer P-9'],
			[
				'an unknown field',
				{ type: 'error', printerId: 'P-1001', at: T0, errorNr: 1, errorMessage: 'x', errorNo: 1 },
				'unknown field errorNo',
			],
			[
				'an error without a time',
				{ type: 'error', printerId: 'P-1001', errorNr: 1, errorMessage: 'x' },
				'at or inMs is required',
			],
			[
				'both at and inMs',
				{ type: 'error', printerId: 'P-1001', at: T0, inMs: 0, errorNr: 1, errorMessage: 'x' },
				'give only one of at, inMs',
			],
			[
				'a bad date',
				{ type: 'error', printerId: 'P-1001', at: 'yesterday', errorNr: 1, errorMessage: 'x' },
				'at must be epoch ms (a finite number) or an ISO 8601 date',
			],
			[
				'a non-numeric inMs',
				{ type: 'error', printerId: 'P-1001', inMs: '5', errorNr: 1, errorMessage: 'x' },
				'inMs must be a finite number of milliseconds',
			],
			[
				'a fractional errorNr',
				{ type: 'error', printerId: 'P-1001', at: T0, errorNr: 1.5, errorMessage: 'x' },
				'errorNr must be an integer',
			],
			[
				'a missing errorMessage',
				{ type: 'error', printerId: 'P-1001', at: T0, errorNr: 1 },
				'errorMessage must be a string',
			],
			[
				'an unknown status',
				{ type: 'status', printerId: 'P-1001', status: 'Broken' },
				'status must be one of Running, Idle, Setup, Breakdown',
			],
			[
				'a job ending before it starts',
				{ type: 'job', printerId: 'P-1001', startAt: T0, endAt: T0 - 1 },
				'endAt must not be before startAt',
			],
			[
				'a job with zero prints',
				{ type: 'job', printerId: 'P-1001', startAt: T0, numberOfPrints: 0 },
				'numberOfPrints must be an integer from 1 to 1000000',
			],
			[
				'a job with a bad endState',
				{ type: 'job', printerId: 'P-1001', startAt: T0, endState: 'Printing' },
				'endState must be one of Finished, Aborted',
			],
			[
				'finishing an unknown job',
				{ type: 'finishJob', printerId: 'P-1001', jobId: 10010238502, at: T0 },
				'unknown scripted job 10010238502 on printer P-1001',
			],
			[
				'a printer without a name',
				{ type: 'addPrinter', id: 'P-2001', serialNumber: 'S', status: 'Idle' },
				'name must be a string',
			],
		])('answers 400 for %s', async (_name, body, message) => {
			const response = await admin(body);
			expect(response.status).toBe(400);
			const json = await readJson<{ error: string }>(response);
			expect(json.error).toContain(message);
			expect(sim.timeline.errors).toEqual([]);
		});

		it('applies nothing of a batch with one bad action, and names it', async () => {
			const response = await admin([
				{ type: 'error', printerId: 'P-1001', at: T0, errorNr: 1, errorMessage: 'x' },
				{ type: 'addPrinter', id: 'P-2001', name: 'N', serialNumber: 'S', status: 'Idle' },
				{ type: 'job', printerId: 'P-2001', startAt: T0 },
				{ type: 'status', printerId: 'P-2001', status: 'Offline' },
			]);
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual({
				error: 'action 3 (status): status must be one of Running, Idle, Setup, Breakdown',
				index: 3,
			});
			expect(sim.timeline).toEqual({
				errors: [],
				jobs: [],
				statusChanges: [],
				addedPrinters: [],
				removedPrinters: [],
			});
			expect(await listed()).toHaveLength(4);
			// The rolled-back job id is free again.
			expect(sim.addJob('P-1001', { startAt: T0 })).toBe(scriptedJobId(1001, 0));
			expect((await fetch(`${sim.url}/__sim/timeline`, { method: 'PUT' })).status).toBe(405);
		});

		it('throws DurstTimelineError from the methods, naming the field', () => {
			expect(() =>
				sim.addError('P-1001', { at: Number.NaN, errorNr: 1, errorMessage: 'x' }),
			).toThrow(DurstTimelineError);
			expect(() => sim.setPrinterStatus('P-9', 'Idle')).toThrow('unknown printer P-9');
			expect(() => sim.finishJob('P-1001', 1, T0)).toThrow('unknown scripted job 1');
			const id = sim.addJob('P-1001', { startAt: T0 });
			expect(() => sim.finishJob('P-1001', id, T0 - 1)).toThrow(
				'at must not be before the job started',
			);
			expect(() =>
				sim.addJob('P-1001', { startAt: T0, numberOfPrints: 2, numberOfPrintsDone: 3 }),
			).toThrow('numberOfPrintsDone must be an integer from 0 to 2');
		});
	});
});
