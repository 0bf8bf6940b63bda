/**
 * Durst simulator, scripted timeline: scripted errors and status changes.
 * Real HTTP throughout; the simulator and its calls come from `useTimelineSimulator`.
 */
import type { DurstPrinter, DurstSimulator } from '../../tools/simulators/durst';
import { HOUR, MINUTE, T0, range, useTimelineSimulator } from './testSupport';

describe('DurstSimulator: scripted timeline', () => {
	const t = useTimelineSimulator();
	const { get, errorsOf, statusOf } = t;
	let sim: DurstSimulator;
	beforeEach(() => {
		sim = t.sim;
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
});
