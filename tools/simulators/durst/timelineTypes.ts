/**
 * What a test scripts on the Durst timeline (inputs, stored entries, admin actions) and the defaults
 * a scripted entry gets.
 */
import type { DurstJobEndState, DurstPrinterDetail, DurstPrinterStatus } from './types';

/** Printer numbers of added printers start here (the fixed ones are 1001 ... 1004). */
export const DURST_FIRST_ADDED_PRINTER_NUMBER = 2001;
export const DURST_DEFAULT_OPERATOR = 'operator';
export const DURST_DEFAULT_JOB_TITLE = 'Scripted job';
export const DURST_DEFAULT_NUMBER_OF_PRINTS = 10;
/** An aborted job has done this share of its prints, as the grid's aborted jobs. */
export const DURST_ABORTED_SHARE = 0.4;
/** A job without `endAt` progresses as if it took this long, never reaching its last print. */
export const DURST_OPEN_JOB_NOMINAL_MS = 3_600_000;

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

/** Fixed printers as the simulator knows them, in list order. */
export type DurstFixedPrinter = DurstPrinterDetail & { number: number };
