/**
 * Scriptable timeline of the Durst Analytics simulator: errors, status changes, jobs and printers
 * that a test places at chosen instants of the simulated clock, on top of (or, with `generated:
 * false`, instead of) the clock-grid data. The simulator owns one `DurstTimeline` and renders its
 * entries through the same endpoints as the grid data; `/__sim/timeline` drives it over HTTP.
 *
 * Everything here is plain data, so a batch of admin actions can be rolled back as a whole when one
 * of them is invalid. Only types come from `./durst`, so the two modules do not depend on each
 * other at run time.
 */
import type {
	DurstError,
	DurstJob,
	DurstJobState,
	DurstPrinterDetail,
	DurstPrinterStatus,
} from './simulator';

export const DURST_STATUSES: readonly DurstPrinterStatus[] = [
	'Running',
	'Idle',
	'Setup',
	'Breakdown',
];

/** How a scripted job ends once the clock reaches its `endAt`. */
export type DurstJobEndState = Exclude<DurstJobState, 'Printing'>;
export const DURST_JOB_END_STATES: readonly DurstJobEndState[] = ['Finished', 'Aborted'];

/** Job ids are `printerNumber * DURST_JOB_ID_FACTOR + n`, so a job id alone names its printer. */
export const DURST_JOB_ID_FACTOR = 10_000_000;
/** Scripted jobs use n >= this; clock-grid slots stay far below it (about 240 000 in 2024). */
export const DURST_SCRIPTED_JOB_BASE = 9_000_000;
/** Printer numbers of added printers start here (the fixed ones are 1001 ... 1004). */
export const DURST_FIRST_ADDED_PRINTER_NUMBER = 2001;
export const DURST_DEFAULT_OPERATOR = 'operator';
export const DURST_DEFAULT_JOB_TITLE = 'Scripted job';
export const DURST_DEFAULT_NUMBER_OF_PRINTS = 10;
/** An aborted job has done this share of its prints, as the grid's aborted jobs. */
export const DURST_ABORTED_SHARE = 0.4;
/** A job without `endAt` progresses as if it took this long, never reaching its last print. */
export const DURST_OPEN_JOB_NOMINAL_MS = 3_600_000;

/** Largest epoch ms a `Date` can hold. */
const MAX_DATE_MS = 8.64e15;
const MAX_SCRIPTED_JOBS = DURST_JOB_ID_FACTOR - DURST_SCRIPTED_JOB_BASE - 1;

const ISO_8601 =
	/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** ISO 8601 to epoch ms; a missing offset means UTC, so results never depend on the host's time zone. */
export function parseIsoDate(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const match = ISO_8601.exec(value.trim());
	if (match === null) return undefined;
	const [, date, time, zone] = match;
	let normalised = `${date ?? ''}T${time ?? '00:00'}`;
	if (zone === undefined || zone.toUpperCase() === 'Z') normalised += 'Z';
	else normalised += zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
	// Date.parse only takes milliseconds; extra fraction digits are cut, not rounded.
	normalised = normalised.replace(/(\.\d{3})\d+/, '$1');
	const ms = Date.parse(normalised);
	return Number.isFinite(ms) ? ms : undefined;
}

/** An instant of the simulated clock: epoch ms, or an ISO 8601 string (no offset means UTC). */
export type DurstTime = number | string;

export interface DurstScriptedErrorInput {
	at: DurstTime;
	errorNr: number;
	errorMessage: string;
	/** Default `operator`. */
	operator?: string;
	/** Only in the answer when given (the grid's errors have none). */
	errorCode?: string;
}

export interface DurstScriptedJobInput {
	startAt: DurstTime;
	/** `null` or missing: still printing. */
	endAt?: DurstTime | null;
	/** Default `Scripted job`. */
	title?: string;
	/** Default 10. */
	numberOfPrints?: number;
	/** State once the clock reaches `endAt`; default `Finished`. */
	endState?: DurstJobEndState;
	/** Prints done once ended; default all for `Finished`, 40 % (rounded down) for `Aborted`. */
	numberOfPrintsDone?: number;
}

export interface DurstAddedPrinterInput {
	id: string;
	name: string;
	serialNumber: string;
	status: DurstPrinterStatus;
	/** Default 100. */
	inkLevelPercent?: number;
}

export interface DurstScriptedError {
	printerId: string;
	at: number;
	errorNr: number;
	errorMessage: string;
	operator: string;
	errorCode?: string;
}

export interface DurstScriptedJob {
	id: number;
	printerId: string;
	startAt: number;
	endAt: number | null;
	title: string;
	numberOfPrints: number;
	endState: DurstJobEndState;
	numberOfPrintsDone?: number;
}

export interface DurstStatusChange {
	printerId: string;
	status: DurstPrinterStatus;
	/** When the status applies; an immediate change is recorded at the clock time it was made. */
	at: number;
}

/** A printer as the simulator serves it, plus its number (the prefix of its job ids). */
export interface DurstTimelinePrinter extends DurstPrinterDetail {
	number: number;
	added: boolean;
}

/** Read-only copy of everything scripted, for assertions and `GET /__sim/timeline`. */
export interface DurstTimelineSnapshot {
	errors: DurstScriptedError[];
	jobs: DurstScriptedJob[];
	statusChanges: DurstStatusChange[];
	/** As added (their initial status; the current one is in the printer list). */
	addedPrinters: (DurstPrinterDetail & { number: number })[];
	/** Fixed printers taken away by `removePrinter` (added ones are simply gone). */
	removedPrinters: string[];
}

export type DurstTimelineAction =
	| ({ type: 'error'; printerId: string; inMs?: number } & Partial<DurstScriptedErrorInput>)
	| { type: 'status'; printerId: string; status: DurstPrinterStatus; at?: DurstTime; inMs?: number }
	| ({
			type: 'job';
			printerId: string;
			startInMs?: number;
			inMs?: number;
			endInMs?: number;
	  } & Partial<DurstScriptedJobInput>)
	| {
			type: 'finishJob';
			printerId: string;
			jobId: number;
			at?: DurstTime;
			inMs?: number;
			endState?: DurstJobEndState;
			numberOfPrintsDone?: number;
	  }
	| ({ type: 'addPrinter' } & DurstAddedPrinterInput)
	| { type: 'removePrinter'; printerId: string }
	| { type: 'restorePrinters' }
	| { type: 'clear' };

export type DurstTimelineApplyResult =
	{ ok: true; results: Record<string, unknown>[] } | { ok: false; error: string; index: number };

/** Invalid timeline input; the admin endpoint answers it with 400 and this message. */
export class DurstTimelineError extends Error {
	override readonly name = 'DurstTimelineError';
}

function fail(message: string): never {
	throw new DurstTimelineError(message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, field: string, options: { nonEmpty?: boolean } = {}): string {
	if (typeof value !== 'string') fail(`${field} must be a string`);
	if (options.nonEmpty === true && value.trim() === '') fail(`${field} must not be empty`);
	return value;
}

function integer(
	value: unknown,
	field: string,
	min = Number.MIN_SAFE_INTEGER,
	max = Number.MAX_SAFE_INTEGER,
): number {
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
		const bounds = min === Number.MIN_SAFE_INTEGER ? '' : ` from ${min} to ${max}`;
		fail(`${field} must be an integer${bounds}`);
	}
	return value;
}

function status(value: unknown, field = 'status'): DurstPrinterStatus {
	const found = DURST_STATUSES.find((candidate) => candidate === value);
	if (found === undefined) fail(`${field} must be one of ${DURST_STATUSES.join(', ')}`);
	return found;
}

function endState(value: unknown, field = 'endState'): DurstJobEndState {
	const found = DURST_JOB_END_STATES.find((candidate) => candidate === value);
	if (found === undefined) fail(`${field} must be one of ${DURST_JOB_END_STATES.join(', ')}`);
	return found;
}

/** Epoch ms from a number or an ISO 8601 string, within the range a `Date` can hold. */
export function toEpochMs(value: unknown, field: string): number {
	let ms: number | undefined;
	if (typeof value === 'number') ms = Number.isFinite(value) ? value : undefined;
	else if (typeof value === 'string') ms = parseIsoDate(value);
	if (ms === undefined || Math.abs(ms) > MAX_DATE_MS)
		fail(`${field} must be epoch ms (a finite number) or an ISO 8601 date`);
	return ms;
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

const ACTION_FIELDS: Readonly<Record<DurstTimelineAction['type'], readonly string[]>> = {
	error: ['printerId', 'at', 'inMs', 'errorNr', 'errorMessage', 'operator', 'errorCode'],
	status: ['printerId', 'status', 'at', 'inMs'],
	job: [
		'printerId',
		'startAt',
		'startInMs',
		'inMs',
		'endAt',
		'endInMs',
		'title',
		'numberOfPrints',
		'endState',
		'numberOfPrintsDone',
	],
	finishJob: ['printerId', 'jobId', 'at', 'inMs', 'endState', 'numberOfPrintsDone'],
	addPrinter: ['id', 'name', 'serialNumber', 'status', 'inkLevelPercent'],
	removePrinter: ['printerId'],
	restorePrinters: [],
	clear: [],
};

function isActionType(value: unknown): value is DurstTimelineAction['type'] {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ACTION_FIELDS, value);
}

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

/** Fixed printers as the simulator knows them, in list order. */
export type DurstFixedPrinter = DurstPrinterDetail & { number: number };

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
		if (!isRecord(input)) fail('printer must be an object');
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
		if (!isRecord(input)) fail('error must be an object');
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
		return this.renderError(entry);
	}

	/** Scripted errors of a printer with `from <= at <= to`, in order of time (then of addition). */
	errorsIn(printerId: string, from: number, to: number): { at: number; error: DurstError }[] {
		return this.state.errors
			.filter((entry) => entry.printerId === printerId && entry.at >= from && entry.at <= to)
			.sort((a, b) => a.at - b.at)
			.map((entry) => ({ at: entry.at, error: this.renderError(entry) }));
	}

	// -- jobs ------------------------------------------------------------------------------------

	addJob(printerId: string, input: DurstScriptedJobInput): number {
		const printer = this.requirePrinter(printerId);
		if (!isRecord(input)) fail('job must be an object');
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
			.map((job) => ({ at: job.startAt, job: this.renderJob(job) }));
	}

	/** A scripted job of this printer that has started by now. */
	job(printerId: string, jobId: number): DurstJob | undefined {
		const job = this.state.jobs.find(
			(candidate) => candidate.printerId === printerId && candidate.id === jobId,
		);
		return job === undefined || job.startAt > this.now() ? undefined : this.renderJob(job);
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
				results.push(this.applyOne(action));
			} catch (error) {
				this.state = saved;
				if (!(error instanceof DurstTimelineError)) throw error;
				const type = isRecord(action) && typeof action.type === 'string' ? action.type : '?';
				return { ok: false, error: `action ${index} (${type}): ${error.message}`, index };
			}
		}
		return { ok: true, results };
	}

	// -- internals -------------------------------------------------------------------------------

	private applyOne(action: unknown): Record<string, unknown> {
		if (!isRecord(action)) fail('an action must be a JSON object');
		const { type } = action;
		if (!isActionType(type)) fail(`type must be one of ${Object.keys(ACTION_FIELDS).join(', ')}`);
		const allowed = ACTION_FIELDS[type];
		for (const key of Object.keys(action))
			if (key !== 'type' && !allowed.includes(key)) fail(`unknown field ${key}`);
		const now = this.now();
		/** One instant from `atField` or the relative `inMsFields` (now + ms); `undefined` if none given. */
		const instant = (atField: string, ...inMsFields: string[]): number | undefined => {
			const given = [atField, ...inMsFields].filter((field) => action[field] !== undefined);
			if (given.length > 1) fail(`give only one of ${given.join(', ')}`);
			const field = given[0];
			if (field === undefined) return undefined;
			if (field === atField) return toEpochMs(action[field], field);
			const offset = action[field];
			if (typeof offset !== 'number' || !Number.isFinite(offset))
				fail(`${field} must be a finite number of milliseconds`);
			return toEpochMs(now + offset, field);
		};
		const required = (value: number | undefined, fields: string): number =>
			value ?? fail(`${fields} is required`);
		const printerId = (field = 'printerId'): string =>
			text(action[field], field, { nonEmpty: true });

		switch (type) {
			case 'error': {
				const id = printerId();
				const error = this.addError(id, {
					at: required(instant('at', 'inMs'), 'at or inMs'),
					errorNr: action.errorNr as number,
					errorMessage: action.errorMessage as string,
					...(action.operator === undefined ? {} : { operator: action.operator as string }),
					...(action.errorCode === undefined ? {} : { errorCode: action.errorCode as string }),
				});
				return { type, printerId: id, error };
			}
			case 'status': {
				const id = printerId();
				const change = this.setStatus(
					id,
					action.status as DurstPrinterStatus,
					instant('at', 'inMs'),
				);
				return { type, ...change };
			}
			case 'job': {
				const id = printerId();
				if (action.endAt === null && action.endInMs !== undefined)
					fail('give only one of endAt, endInMs');
				const endAt = action.endAt === null ? null : instant('endAt', 'endInMs');
				const input: DurstScriptedJobInput = {
					startAt: required(instant('startAt', 'startInMs', 'inMs'), 'startAt, startInMs or inMs'),
					endAt,
				};
				for (const key of ['title', 'numberOfPrints', 'endState', 'numberOfPrintsDone'] as const)
					if (action[key] !== undefined) Object.assign(input, { [key]: action[key] });
				return { type, printerId: id, jobId: this.addJob(id, input) };
			}
			case 'finishJob': {
				const id = printerId();
				if (typeof action.jobId !== 'number' || !Number.isSafeInteger(action.jobId))
					fail('jobId must be an integer');
				const job = this.finishJob(
					id,
					action.jobId,
					required(instant('at', 'inMs'), 'at or inMs'),
					action.endState === undefined ? 'Finished' : (action.endState as DurstJobEndState),
					action.numberOfPrintsDone as number | undefined,
				);
				return { type, printerId: id, jobId: job.id, at: job.endAt, endState: job.endState };
			}
			case 'addPrinter': {
				const {
					number: _number,
					added: _added,
					...printer
				} = this.addPrinter(action as unknown as DurstAddedPrinterInput);
				return { type, printer };
			}
			case 'removePrinter': {
				const id = printerId();
				this.removePrinter(id);
				return { type, printerId: id };
			}
			case 'restorePrinters':
				this.restorePrinters();
				return { type };
			case 'clear':
				this.clear();
				return { type };
		}
	}

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

	private renderError(entry: DurstScriptedError): DurstError {
		const error: DurstError & { errorCode?: string } = {
			dateTime: iso(entry.at),
			errorNr: entry.errorNr,
			errorMessage: entry.errorMessage,
			operator: entry.operator,
		};
		if (entry.errorCode !== undefined) error.errorCode = entry.errorCode;
		return error;
	}

	private renderJob(job: DurstScriptedJob): DurstJob {
		const now = this.now();
		const total = job.numberOfPrints;
		const ended = job.endAt !== null && job.endAt <= now;
		let done: number;
		if (ended) {
			done =
				job.numberOfPrintsDone ??
				(job.endState === 'Finished' ? total : Math.floor(total * DURST_ABORTED_SHARE));
		} else {
			const elapsed = Math.max(0, now - job.startAt);
			done =
				job.endAt === null
					? Math.min(total - 1, Math.floor((total * elapsed) / DURST_OPEN_JOB_NOMINAL_MS))
					: Math.min(total, Math.floor((total * elapsed) / Math.max(1, job.endAt - job.startAt)));
		}
		// Same keys in the same order as the grid's jobs.
		return {
			id: job.id,
			title: job.title,
			state: ended ? job.endState : 'Printing',
			numberOfPrints: total,
			numberOfPrintsDone: done,
			startTime: iso(job.startAt),
			endTime: ended && job.endAt !== null ? iso(job.endAt) : null,
		};
	}
}
