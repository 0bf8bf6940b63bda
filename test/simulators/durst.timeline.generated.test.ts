/**
 * Durst simulator, scripted timeline: restarts, counters and the grid data switched off.
 * Real HTTP throughout; the simulator and its calls come from `useTimelineSimulator`.
 */
import { DURST_PRINTERS, DurstSimulator } from '../../tools/simulators/durst';
import {
	LAST_24H,
	MINUTE,
	T0,
	ZERO_INK,
	durstApi,
	durstLogin,
	fixedClock,
	readJson,
	useTimelineSimulator,
} from './testSupport';

describe('DurstSimulator: scripted timeline', () => {
	const t = useTimelineSimulator();
	const { api, errorsOf, listed, statusOf } = t;
	let sim: DurstSimulator;
	beforeEach(() => {
		sim = t.sim;
	});

	describe('restarts, counters and generated data', () => {
		it('a restart kills the tokens but keeps the timeline; so does resetCounters', async () => {
			sim.addError('P-1001', { at: T0 - MINUTE, errorNr: 42, errorMessage: 'before restart' });
			sim.setPrinterStatus('P-1004', 'Running');
			sim.addPrinter({ id: 'P-2001', name: 'Rho 5000', serialNumber: 'S', status: 'Idle' });
			const before = sim.timeline;

			const restart = await fetch(`${sim.url}/__sim/restart`, { method: 'POST' });
			expect(restart.status).toBe(200);
			expect(sim.isTokenValid(t.token)).toBe(false);
			expect((await api('/api/v1/printers')).status).toBe(401);
			sim.resetCounters();
			expect(sim.timeline).toEqual(before);

			t.token = await durstLogin(sim);
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
});
