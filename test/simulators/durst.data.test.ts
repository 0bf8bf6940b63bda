/**
 * Durst simulator, data side: printers, errors, dates, ink consumption, jobs, the echo endpoint.
 * Real HTTP throughout, so that the node tests built on the simulators test the nodes, not a fake.
 */
import {
	DURST_ENDPOINTS,
	DURST_PRINTERS,
	DurstSimulator,
	parseIsoDate,
} from '../../tools/simulators/durst';
import type {
	DurstError,
	DurstInkConsumption,
	DurstJob,
	DurstJobDetail,
	DurstPrinter,
} from '../../tools/simulators/durst';
import { LAST_24H, T0, durstApi, durstLogin, fixedClock, readJson } from './testSupport';

describe('DurstSimulator: data', () => {
	let sim: DurstSimulator;

	beforeEach(async () => {
		sim = await DurstSimulator.start({ now: fixedClock });
	});

	afterEach(async () => {
		await sim.stop();
	});

	const login = (username?: string, password?: string): Promise<string> =>
		durstLogin(sim, username, password);
	const api = (path: string, token: string | undefined, init?: RequestInit): Promise<Response> =>
		durstApi(sim, path, token, init);
	const last24h = LAST_24H;

	it('serves printers and printer details', async () => {
		const token = await login();
		const printers = await readJson<DurstPrinter[]>(await api('/api/v1/printers', token));
		expect(printers).toEqual([
			{ id: 'P-1001', serialNumber: 'DRH1312-0001', name: 'Rho 1312', status: 'Running' },
			{ id: 'P-1002', serialNumber: 'DRH2500-0002', name: 'Rho 2500', status: 'Idle' },
			{ id: 'P-1003', serialNumber: 'DP5350-0003', name: 'P5 350', status: 'Setup' },
			{ id: 'P-1004', serialNumber: 'DTAU330-0004', name: 'Tau 330 RSC', status: 'Breakdown' },
		]);
		expect(await readJson<DurstPrinter>(await api('/api/v1/printers/P-1002', token))).toEqual(
			DURST_PRINTERS[1],
		);
		sim.setPrinterStatus('P-1002', 'Running');
		expect(await readJson<DurstPrinter>(await api('/api/v1/printers/P-1002', token))).toMatchObject(
			{ status: 'Running', inkLevelPercent: 47 },
		);

		const unknown = await api('/api/v1/printers/P-9999', token);
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toBe('');
		expect((await api('/api/v1/printers/P-1001', token, { method: 'DELETE' })).status).toBe(405);
	});

	it('returns deterministic errors of the last 24 hours', async () => {
		const token = await login();
		const response = await api('/api/v1/printers/P-1001/errors', token, {
			method: 'POST',
			body: last24h,
		});
		expect(response.status).toBe(200);
		const errors = await readJson<DurstError[]>(response);
		expect(errors.map((error) => error.dateTime)).toEqual(
			[
				'2024-05-31T12:10',
				'2024-05-31T15:10',
				'2024-05-31T18:10',
				'2024-05-31T21:10',
				'2024-06-01T00:10',
				'2024-06-01T03:10',
				'2024-06-01T06:10',
				'2024-06-01T09:10',
			].map((time) => `${time}:00.000Z`),
		);
		for (const error of errors) {
			expect(Object.keys(error).sort()).toEqual([
				'dateTime',
				'errorMessage',
				'errorNr',
				'operator',
			]);
			expect(typeof error.errorNr).toBe('number');
		}
		const again = await readJson<DurstError[]>(
			await api('/api/v1/printers/P-1001/errors', token, { method: 'POST', body: last24h }),
		);
		expect(again).toEqual(errors);

		// Nothing from the future, even if the range asks for it.
		const future = JSON.stringify({
			startDate: '2024-06-01T12:00:00Z',
			endDate: '2024-06-02T12:00:00Z',
		});
		expect(
			await readJson<DurstError[]>(
				await api('/api/v1/printers/P-1001/errors', token, { method: 'POST', body: future }),
			),
		).toEqual([]);
		// Offsets are honoured: 14:00+02:00 is 12:00Z.
		const zoned = JSON.stringify({
			startDate: '2024-06-01T08:00:00+02:00',
			endDate: '2024-06-01T14:00:00+02:00',
		});
		const inZone = await readJson<DurstError[]>(
			await api('/api/v1/printers/P-1004/errors', token, { method: 'POST', body: zoned }),
		);
		expect(inZone.map((error) => error.dateTime)).toEqual([
			'2024-06-01T06:55:00.000Z',
			'2024-06-01T07:55:00.000Z',
			'2024-06-01T08:55:00.000Z',
			'2024-06-01T09:55:00.000Z',
			'2024-06-01T10:55:00.000Z',
			'2024-06-01T11:55:00.000Z',
		]);
	});

	it('answers 400 for missing or invalid dates', async () => {
		const token = await login();
		const bodies = [
			'',
			'not json',
			'{}',
			JSON.stringify({ startDate: '2024-05-31T12:00:00Z' }),
			JSON.stringify({ startDate: 'yesterday', endDate: '2024-06-01T12:00:00Z' }),
			JSON.stringify({ startDate: 1717156800000, endDate: 1717243200000 }),
			JSON.stringify({ startDate: '2024-06-01T12:00:00Z', endDate: '2024-05-31T12:00:00Z' }),
		];
		for (const path of ['errors', 'inkConsumption', 'jobs']) {
			for (const body of bodies) {
				const response = await api(`/api/v1/printers/P-1001/${path}`, token, {
					method: 'POST',
					body,
				});
				expect(response.status).toBe(400);
				expect(await response.text()).toBe('');
			}
		}
	});

	it('parses ISO 8601 independently of the host time zone', () => {
		expect(parseIsoDate('2024-06-01')).toBe(Date.UTC(2024, 5, 1));
		expect(parseIsoDate('2024-06-01T12:00')).toBe(T0);
		expect(parseIsoDate('2024-06-01T14:00:00.123456+0200')).toBe(T0 + 123);
		expect(parseIsoDate('06/01/2024')).toBeUndefined();
	});

	it('reports ink consumption over a range', async () => {
		const token = await login();
		const ink = await readJson<DurstInkConsumption>(
			await api('/api/v1/printers/P-1001/inkConsumption', token, { method: 'POST', body: last24h }),
		);
		expect(ink).toEqual({
			cyan: 2.88,
			magenta: 2.4,
			yellow: 2.16,
			black: 3.6,
			lightCyan: 0.96,
			lightMagenta: 0.84,
			white: 1.44,
		});
	});

	it('lists jobs and serves job details and job ink consumption', async () => {
		const token = await login();
		const jobs = await readJson<DurstJob[]>(
			await api('/api/v1/printers/P-1001/jobs', token, { method: 'POST', body: last24h }),
		);
		expect(jobs).toHaveLength(12);
		expect(jobs[0]?.startTime).toBe('2024-05-31T12:05:00.000Z');
		expect(jobs.map((job) => job.state)).toEqual([
			...Array<string>(8).fill('Finished'),
			'Aborted',
			'Finished',
			'Finished',
			'Finished',
		]);
		expect(jobs[8]).toEqual({
			id: 10010238502,
			title: 'Trade show wall & backdrop',
			state: 'Aborted',
			numberOfPrints: 37,
			numberOfPrintsDone: 14,
			startTime: '2024-06-01T04:05:00.000Z',
			endTime: '2024-06-01T04:41:00.000Z',
		});
		for (const job of jobs) {
			expect(Object.keys(job).sort()).toEqual([
				'endTime',
				'id',
				'numberOfPrints',
				'numberOfPrintsDone',
				'startTime',
				'state',
				'title',
			]);
			expect(job.numberOfPrintsDone).toBeLessThanOrEqual(job.numberOfPrints);
		}
		const id = jobs[0]?.id ?? 0;
		const detail = await readJson<DurstJobDetail>(
			await api(`/api/v1/printers/P-1001/jobs/${id}`, token),
		);
		expect(detail).toMatchObject({ ...jobs[0], printerId: 'P-1001' });
		expect(detail.printDirection).toMatch(/^(Bidirectional|Unidirectional)$/);
		expect(typeof detail.saturation).toBe('number');
		expect(typeof detail.printPasses).toBe('number');
		expect(typeof detail.passoverlapValue).toBe('number');

		const ink = await readJson<DurstInkConsumption>(
			await api(`/api/v1/printers/P-1001/jobs/${id}/inkConsumption`, token),
		);
		expect(Object.keys(ink)).toEqual([
			'cyan',
			'magenta',
			'yellow',
			'black',
			'lightCyan',
			'lightMagenta',
			'white',
		]);

		expect((await api(`/api/v1/printers/P-1002/jobs/${id}`, token)).status).toBe(404);
		expect((await api('/api/v1/printers/P-1001/jobs/abc', token)).status).toBe(404);
		expect(sim.calls[DURST_ENDPOINTS.job]).toBe(3);
		expect(sim.calls[DURST_ENDPOINTS.jobInkConsumption]).toBe(1);

		// A job that started 25 minutes ago (of 90) is still printing.
		sim.advanceClock(30 * 60_000);
		const nextHour = JSON.stringify({
			startDate: new Date(T0).toISOString(),
			endDate: new Date(T0 + 3_600_000).toISOString(),
		});
		const running = await readJson<DurstJob[]>(
			await api('/api/v1/printers/P-1001/jobs', token, { method: 'POST', body: nextHour }),
		);
		expect(running).toEqual([
			{
				id: 10010238506,
				title: 'Trade show wall & backdrop',
				state: 'Printing',
				numberOfPrints: 20,
				numberOfPrintsDone: 5,
				startTime: '2024-06-01T12:05:00.000Z',
				endTime: null,
			},
		]);
	});

	it('echoes any request without the token and marks the answer', async () => {
		const token = await login();
		const response = await api('/api/v1/echo/sub?a=1&a=2&b=x%20y', token, {
			method: 'PATCH',
			body: JSON.stringify({ hello: 'wörld' }),
			headers: { 'x-custom': 'yes' },
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('x-sim-echo')).toBe('1');
		const echo = await readJson<{
			method: string;
			path: string;
			query: unknown;
			headers: Record<string, string>;
			body: unknown;
		}>(response);
		expect(echo).toMatchObject({
			method: 'PATCH',
			path: '/api/v1/echo/sub',
			query: { a: ['1', '2'], b: 'x y' },
			body: { hello: 'wörld' },
		});
		expect(echo.headers['x-custom']).toBe('yes');
		expect(echo.headers['x-auth-token']).toBeUndefined();
		expect(sim.calls['PATCH /api/v1/echo']).toBe(1);
	});
});
