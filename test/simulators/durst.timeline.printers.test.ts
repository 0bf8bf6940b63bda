/**
 * Durst simulator, scripted timeline: added and removed printers, clearing the timeline.
 * Real HTTP throughout; the simulator and its calls come from `useTimelineSimulator`.
 */
import { DURST_PRINTERS } from '../../tools/simulators/durst';
import type {
	DurstJobDetail,
	DurstPrinterDetail,
	DurstSimulator,
} from '../../tools/simulators/durst';
import { HOUR, LAST_24H, T0, ZERO_INK, scriptedJobId, useTimelineSimulator } from './testSupport';

describe('DurstSimulator: scripted timeline', () => {
	const t = useTimelineSimulator();
	const { api, post, get, errorsOf, jobsOf, listed, statusOf } = t;
	let sim: DurstSimulator;
	beforeEach(() => {
		sim = t.sim;
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
});
