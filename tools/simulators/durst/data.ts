/**
 * The answers of the printer endpoints: clock-grid data of the fixed printers (unless `generated`
 * is off) merged with what the timeline scripted, as of the simulator clock.
 */
import { emptyResponse, jsonResponse } from '../common/http';
import type { SimRequest, SimResponse } from '../common/http';
import { isPlainObject, parseJson } from '../common/json';
import { HOUR_MS, INK_RATE_PER_HOUR, PRINTER_FIXTURES } from './fixtures';
import type { PrinterFixture } from './fixtures';
import {
	gridError,
	gridJob,
	gridSeries,
	jobDetail,
	jobInk,
	mergeByTime,
	printedArea,
	round,
} from './grid';
import type { Range } from './grid';
import type { DurstTimeline } from './timeline';
import { parseIsoDate } from './timelineInput';
import type { DurstTimelinePrinter } from './timelineTypes';
import { DURST_COLOURS, DURST_JOB_ID_FACTOR, DURST_SCRIPTED_JOB_BASE } from './types';
import type { DurstError, DurstInkConsumption, DurstJob, DurstPrinterDetail } from './types';

export function printerDetail(printer: DurstTimelinePrinter): DurstPrinterDetail {
	const { id, serialNumber, name, status, inkLevelPercent } = printer;
	return { id, serialNumber, name, status, inkLevelPercent };
}

export class DurstData {
	constructor(
		private readonly script: DurstTimeline,
		private readonly now: () => number,
		/** Clock-grid errors and jobs on (the simulator's `generated`, which may change at run time). */
		private readonly generated: () => boolean,
		private readonly forbidden: ReadonlySet<string>,
	) {}

	/** The printers served now: fixed ones not removed, then added ones; statuses as of now. */
	printers(): DurstPrinterDetail[] {
		return this.script.printers().map(printerDetail);
	}

	/** Looked up when answering (after any latency): the timeline may add or remove printers meanwhile. */
	withPrinter(
		printerId: string | undefined,
		answer: (printer: DurstTimelinePrinter) => SimResponse,
	): SimResponse {
		// Rights are checked before the printer is looked up: a forbidden ID learns nothing.
		if (printerId !== undefined && this.forbidden.has(printerId)) {
			return emptyResponse(403);
		}
		const printer = printerId === undefined ? undefined : this.script.printer(printerId);
		return printer === undefined ? emptyResponse(404) : answer(printer);
	}

	/** Validates `{startDate, endDate}` and clips the end to "now": nothing has happened in the future. */
	withRange(req: SimRequest, handler: (range: Range) => unknown): SimResponse {
		const parsed = parseJson(req.body);
		if (!parsed.ok || !isPlainObject(parsed.value)) return emptyResponse(400);
		const from = parseIsoDate(parsed.value.startDate);
		const to = parseIsoDate(parsed.value.endDate);
		if (from === undefined || to === undefined || from > to) return emptyResponse(400);
		// The Date header follows the simulated clock, as a real server's follows its own.
		return jsonResponse(200, handler({ from, to: Math.min(to, this.now()) }), {
			date: new Date(this.now()).toUTCString(),
		});
	}

	errors(printer: DurstTimelinePrinter, range: Range): DurstError[] {
		const grid = this.gridOf(printer);
		const generated =
			grid === undefined
				? []
				: gridSeries(range, grid.errorEveryMs, grid.errorOffsetMs, (slot) => gridError(grid, slot));
		const scripted = this.script
			.errorsIn(printer.id, range.from, range.to)
			.map(({ at, error }) => ({ at, value: error }));
		return mergeByTime(generated, scripted);
	}

	/** Hours of the range at the grid's rate (fixed printers, grid on), plus the scripted jobs' ink. */
	printerInk(printer: DurstTimelinePrinter, range: Range): DurstInkConsumption {
		const grid = this.gridOf(printer);
		const hours = grid === undefined ? 0 : Math.max(0, range.to - range.from) / HOUR_MS;
		const area = this.script
			.jobsIn(printer.id, range.from, range.to)
			.reduce((sum, { job }) => sum + printedArea(job), 0);
		const result: DurstInkConsumption = {};
		for (const colour of DURST_COLOURS)
			result[colour] = round(
				hours * INK_RATE_PER_HOUR[colour] * (grid?.inkFactor ?? 0) + jobInk(area, colour),
				3,
			);
		return result;
	}

	jobs(printer: DurstTimelinePrinter, range: Range): DurstJob[] {
		const grid = this.gridOf(printer);
		const generated =
			grid === undefined
				? []
				: gridSeries(range, grid.jobEveryMs, grid.jobOffsetMs, (slot) =>
						gridJob(grid, slot, this.now()),
					);
		const scripted = this.script
			.jobsIn(printer.id, range.from, range.to)
			.map(({ at, job }) => ({ at, value: job }));
		return mergeByTime(generated, scripted);
	}

	/** `GET .../jobs/{jobId}`: 404 for a job that is not this printer's or has not started yet. */
	jobDetail(printer: DurstTimelinePrinter, jobId: string): SimResponse {
		const found = this.findJob(printer, jobId);
		return found === undefined
			? emptyResponse(404)
			: jsonResponse(200, jobDetail(printer.id, printer.number, found.job, found.slot));
	}

	jobInk(printer: DurstTimelinePrinter, jobId: string): SimResponse {
		const found = this.findJob(printer, jobId);
		if (found === undefined) return emptyResponse(404);
		const area = printedArea(found.job);
		const result: DurstInkConsumption = {};
		for (const colour of DURST_COLOURS) result[colour] = round(jobInk(area, colour), 4);
		return jsonResponse(200, result);
	}

	/** The printer's clock grid, when grid data is on and the printer is a fixed one. */
	private gridOf(printer: DurstTimelinePrinter): PrinterFixture | undefined {
		if (!this.generated() || printer.added) return undefined;
		return PRINTER_FIXTURES.find((fixture) => fixture.id === printer.id);
	}

	/** A job of this printer that has started by now (grid or scripted), with its slot number. */
	private findJob(
		printer: DurstTimelinePrinter,
		jobId: string,
	): { job: DurstJob; slot: number } | undefined {
		if (!/^\d{1,15}$/.test(jobId)) return undefined;
		const id = Number(jobId);
		if (Math.floor(id / DURST_JOB_ID_FACTOR) !== printer.number) return undefined;
		const slot = id % DURST_JOB_ID_FACTOR;
		if (slot >= DURST_SCRIPTED_JOB_BASE) {
			const job = this.script.job(printer.id, id);
			return job === undefined ? undefined : { job, slot };
		}
		const grid = this.gridOf(printer);
		if (grid === undefined || slot * grid.jobEveryMs + grid.jobOffsetMs > this.now())
			return undefined;
		return { job: gridJob(grid, slot, this.now()), slot };
	}
}
