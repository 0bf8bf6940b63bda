/**
 * Durst simulator, scripted timeline: refused `/__sim/timeline` actions and methods.
 * Real HTTP throughout; the simulator and its calls come from `useTimelineSimulator`.
 */
import { DurstTimelineError } from '../../tools/simulators/durst';
import type { DurstSimulator } from '../../tools/simulators/durst';
import { T0, readJson, scriptedJobId, useTimelineSimulator } from './testSupport';

describe('DurstSimulator: scripted timeline', () => {
	const t = useTimelineSimulator();
	const { listed, admin } = t;
	let sim: DurstSimulator;
	beforeEach(() => {
		sim = t.sim;
	});

	describe('POST /__sim/timeline', () => {
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
