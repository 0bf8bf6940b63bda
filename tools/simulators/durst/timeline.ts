/**
 * Scriptable timeline of the Durst Analytics simulator: errors, status changes, jobs and printers
 * that a test places at chosen instants of the simulated clock, on top of (or, with `generated:
 * false`, instead of) the clock-grid data. The simulator owns one `DurstTimeline` and renders its
 * entries through the same endpoints as the grid data; `/__sim/timeline` drives it over HTTP.
 *
 * Everything here is plain data, so a batch of admin actions can be rolled back as a whole when one
 * of them is invalid.
 */
import { isPlainObject } from '../common/json';
import { applyAction } from './timelineActions';
import { renderError, renderJob } from './timelineRender';
import {
	DurstTimelineError,
	endState,
	fail,
	integer,
	status,
	text,
	toEpochMs,
} from './timelineInput';
import {
	DURST_DEFAULT_JOB_TITLE,
	DURST_DEFAULT_NUMBER_OF_PRINTS,
	DURST_DEFAULT_OPERATOR,
	DURST_FIRST_ADDED_PRINTER_NUMBER,
} from './timelineTypes';
import type {
	DurstAddedPrinterInput,
	DurstFixedPrinter,
	DurstScriptedError,
	DurstScriptedErrorInput,
	DurstScriptedJob,
	DurstScriptedJobInput,
	DurstStatusChange,
	DurstTime,
	DurstTimelineApplyResult,
	DurstTimelinePrinter,
	DurstTimelineSnapshot,
} from './timelineTypes';
import { DURST_JOB_ID_FACTOR, DURST_SCRIPTED_JOB_BASE } from './types';
import type {
	DurstError,
	DurstJob,
	DurstJobEndState,
	DurstPrinterDetail,
	DurstPrinterStatus,
} from './types';

const MAX_SCRIPTED_JOBS = DURST_JOB_ID_FACTOR - DURST_SCRIPTED_JOB_BASE - 1;

interface TimelineState {
	errors: DurstScriptedError[];
	jobs: DurstScriptedJob[];
	/** `seq` orders changes made at the same instant: the later one wins. */
	statusChanges: (DurstStatusChange & { seq: number })[];
	added: (DurstPrinterDetail & { number: number })[];
	removed: string[];
	/** Never reset (not even by `clear`), so an old id can never name a new job or printer. */
	jobCounter: number;
	printerCounter: number;
	seq: number;
}

export class DurstTimeline {
	private state: TimelineState = {
		errors: [],
		jobs: [],
		statusChanges: [],
		added: [],
		removed: [],
		jobCounter: 0,
		printerCounter: 0,
		seq: 0,
	};

	private readonly fixed: readonly DurstFixedPrinter[];

	/** `fixed`: the simulator's own printers (extra fields are ignored); `now`: its clock. */
	constructor(
		fixed: readonly DurstFixedPrinter[],
		private readonly now: () => number,
	) {
		this.fixed = fixed.map(({ id, serialNumber, name, status, inkLevelPercent, number }) => ({
			id,
			serialNumber,
			name,
			status,
			inkLevelPercent,
			number,
		}));
	}

	// -- printers --------------------------------------------------------------------------------

	/** The printers currently served: fixed ones not removed, then added ones in order of addition. */
	printers(): DurstTimelinePrinter[] {
		const fixed = this.fixed
			.filter((printer) => !this.state.removed.includes(printer.id))
			.map((printer) => this.present(printer, false));
		return [...fixed, ...this.state.added.map((printer) => this.present(printer, true))];
	}

	printer(id: string): DurstTimelinePrinter | undefined {
		return this.printers().find((printer) => printer.id === id);
	}

	addPrinter(input: DurstAddedPrinterInput): DurstTimelinePrinter {
		if (!isPlainObject(input)) fail('printer must be an object');
		const id = text(input.id, 'id', { nonEmpty: true });
		if (this.fixed.some((printer) => printer.id === id))
			fail(`printer ${id} is a fixed printer (restorePrinters brings a removed one back)`);
		if (this.state.added.some((printer) => printer.id === id)) fail(`printer ${id} already exists`);
		const record = {
			id,
			serialNumber: text(input.serialNumber, 'serialNumber', { nonEmpty: true }),
			name: text(input.name, 'name', { nonEmpty: true }),
			status: status(input.status),
			inkLevelPercent:
				input.inkLevelPercent === undefined
					? 100
					: integer(input.inkLevelPercent, 'inkLevelPercent', 0, 100),
			number: DURST_FIRST_ADDED_PRINTER_NUMBER + this.state.printerCounter,
		};
		this.state.printerCounter += 1;
		this.state.added.push(record);
		return this.present(record, true);
	}

	/** A fixed printer is hidden until `restorePrinters`; an added one is deleted with its entries. */
	removePrinter(id: string): void {
		const printer = this.requirePrinter(id);
		if (!printer.added) {
			this.state.removed.push(id);
			return;
		}
		const others = <T extends { printerId: string }>(entries: T[]): T[] =>
			entries.filter((entry) => entry.printerId !== id);
		this.state.added = this.state.added.filter((candidate) => candidate.id !== id);
		this.state.errors = others(this.state.errors);
		this.state.jobs = others(this.state.jobs);
		this.state.statusChanges = others(this.state.statusChanges);
	}

	/** Brings back every removed fixed printer, with its scripted entries. */
	restorePrinters(): void {
		this.state.removed = [];
	}

	/** Back to the fixtures: no scripted entries, no added or removed printers. Counters go on. */
	clear(): void {
		this.state = {
			...this.state,
			errors: [],
			jobs: [],
			statusChanges: [],
			added: [],
			removed: [],
		};
	}

	// -- status ----------------------------------------------------------------------------------

	/** Without `at`, or with `at` not after now: immediate. Otherwise applies once the clock gets there. */
	setStatus(printerId: string, value: DurstPrinterStatus, at?: DurstTime): DurstStatusChange {
		this.requirePrinter(printerId);
		const newStatus = status(value);
		const now = this.now();
		const when = at === undefined ? now : Math.max(toEpochMs(at, 'at'), now);
		if (when === now) {
			// Superseded changes are dropped, so the list only holds the current and pending ones.
			this.state.statusChanges = this.state.statusChanges.filter(
				(change) => change.printerId !== printerId || change.at > now,
			);
		}
		const change = { printerId, status: newStatus, at: when };
		this.state.statusChanges.push({ ...change, seq: ++this.state.seq });
		return change;
	}

	// -- errors ----------------------------------------------------------------------------------

	addError(printerId: string, input: DurstScriptedErrorInput): DurstError {
		this.requirePrinter(printerId);
		if (!isPlainObject(input)) fail('error must be an object');
		const entry: DurstScriptedError = {
			printerId,
			at: toEpochMs(input.at, 'at'),
			errorNr: integer(input.errorNr, 'errorNr'),
			errorMessage: text(input.errorMessage, 'errorMessage'),
			operator:
				input.operator === undefined ? DURST_DEFAULT_OPERATOR : text(input.operator, 'operator'),
		};
		if (input.errorCode !== undefined) entry.errorCode = text(input.errorCode, 'errorCode');
		this.state.errors.push(entry);
		return renderError(entry);
	}

	/** Scripted errors of a printer with `from <= at <= to`, in order of time (then of addition). */
	errorsIn(printerId: string, from: number, to: number): { at: number; error: DurstError }[] {
		return this.state.errors
			.filter((entry) => entry.printerId === printerId && entry.at >= from && entry.at <= to)
			.sort((a, b) => a.at - b.at)
			.map((entry) => ({ at: entry.at, error: renderError(entry) }));
	}

	// -- jobs ------------------------------------------------------------------------------------

	addJob(printerId: string, input: DurstScriptedJobInput): number {
		const printer = this.requirePrinter(printerId);
		if (!isPlainObject(input)) fail('job must be an object');
		if (this.state.jobCounter >= MAX_SCRIPTED_JOBS) fail('too many scripted jobs');
		const startAt = toEpochMs(input.startAt, 'startAt');
		const endAt =
			input.endAt === undefined || input.endAt === null ? null : toEpochMs(input.endAt, 'endAt');
		if (endAt !== null && endAt < startAt) fail('endAt must not be before startAt');
		const numberOfPrints =
			input.numberOfPrints === undefined
				? DURST_DEFAULT_NUMBER_OF_PRINTS
				: integer(input.numberOfPrints, 'numberOfPrints', 1, 1_000_000);
		const job: DurstScriptedJob = {
			id: printer.number * DURST_JOB_ID_FACTOR + DURST_SCRIPTED_JOB_BASE + this.state.jobCounter,
			printerId,
			startAt,
			endAt,
			title: input.title === undefined ? DURST_DEFAULT_JOB_TITLE : text(input.title, 'title'),
			numberOfPrints,
			endState: input.endState === undefined ? 'Finished' : endState(input.endState),
		};
		if (input.numberOfPrintsDone !== undefined)
			job.numberOfPrintsDone = integer(
				input.numberOfPrintsDone,
				'numberOfPrintsDone',
				0,
				numberOfPrints,
			);
		this.state.jobCounter += 1;
		this.state.jobs.push(job);
		return job.id;
	}

	/** Sets when (and how) a scripted job ends; may be called again to move the end. */
	finishJob(
		printerId: string,
		jobId: number,
		at: DurstTime,
		state: DurstJobEndState = 'Finished',
		numberOfPrintsDone?: number,
	): DurstScriptedJob {
		this.requirePrinter(printerId);
		const job = this.state.jobs.find(
			(candidate) => candidate.printerId === printerId && candidate.id === jobId,
		);
		if (job === undefined) fail(`unknown scripted job ${String(jobId)} on printer ${printerId}`);
		const endAt = toEpochMs(at, 'at');
		if (endAt < job.startAt) fail('at must not be before the job started');
		const newState = endState(state);
		const done =
			numberOfPrintsDone === undefined
				? undefined
				: integer(numberOfPrintsDone, 'numberOfPrintsDone', 0, job.numberOfPrints);
		job.endAt = endAt;
		job.endState = newState;
		if (done === undefined) delete job.numberOfPrintsDone;
		else job.numberOfPrintsDone = done;
		return { ...job };
	}

	/** Scripted jobs of a printer with `from <= startAt <= to`, in order of start (then of addition). */
	jobsIn(printerId: string, from: number, to: number): { at: number; job: DurstJob }[] {
		return this.state.jobs
			.filter((job) => job.printerId === printerId && job.startAt >= from && job.startAt <= to)
			.sort((a, b) => a.startAt - b.startAt)
			.map((job) => ({ at: job.startAt, job: renderJob(job, this.now()) }));
	}

	/** A scripted job of this printer that has started by now. */
	job(printerId: string, jobId: number): DurstJob | undefined {
		const job = this.state.jobs.find(
			(candidate) => candidate.printerId === printerId && candidate.id === jobId,
		);
		return job === undefined || job.startAt > this.now() ? undefined : renderJob(job, this.now());
	}

	// -- snapshot and batches ----------------------------------------------------------------------

	snapshot(): DurstTimelineSnapshot {
		const copy = structuredClone(this.state);
		return {
			errors: copy.errors,
			jobs: copy.jobs,
			statusChanges: copy.statusChanges.map(({ seq: _seq, ...change }) => change),
			addedPrinters: copy.added,
			removedPrinters: copy.removed,
		};
	}

	/**
	 * Applies one action object or an array of them in order (the body of `POST /__sim/timeline`).
	 * All or nothing: when one action is invalid, the ones before it are undone.
	 */
	apply(body: unknown): DurstTimelineApplyResult {
		const actions = Array.isArray(body) ? body : [body];
		if (actions.length === 0)
			return { ok: false, error: 'body must be an action object or a non-empty array', index: 0 };
		const saved = structuredClone(this.state);
		const results: Record<string, unknown>[] = [];
		for (const [index, action] of actions.entries()) {
			try {
				results.push(applyAction(this, action, this.now));
			} catch (error) {
				this.state = saved;
				if (!(error instanceof DurstTimelineError)) throw error;
				const type = isPlainObject(action) && typeof action.type === 'string' ? action.type : '?';
				return { ok: false, error: `action ${index} (${type}): ${error.message}`, index };
			}
		}
		return { ok: true, results };
	}

	// -- internals -------------------------------------------------------------------------------

	private requirePrinter(id: unknown): DurstTimelinePrinter {
		const printerId = text(id, 'printerId', { nonEmpty: true });
		return this.printer(printerId) ?? fail(`unknown printer ${printerId}`);
	}

	private present(printer: DurstFixedPrinter, added: boolean): DurstTimelinePrinter {
		return { ...printer, status: this.statusOf(printer.id, printer.status), added };
	}

	/** The latest change with `at <= now` wins (ties: the one made last); none: the base status. */
	private statusOf(printerId: string, base: DurstPrinterStatus): DurstPrinterStatus {
		const now = this.now();
		let best: (DurstStatusChange & { seq: number }) | undefined;
		for (const change of this.state.statusChanges) {
			if (change.printerId !== printerId || change.at > now) continue;
			if (
				best === undefined ||
				change.at > best.at ||
				(change.at === best.at && change.seq > best.seq)
			)
				best = change;
		}
		return best?.status ?? base;
	}
}
