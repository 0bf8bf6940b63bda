/**
 * The clock-grid data of the fixed printers: errors and jobs at `slot * every + offset`, their
 * content drawn from the catalogues by a hash of the slot, so no randomness and no stored state.
 */
import { ERROR_CATALOGUE, INK_RATE_PER_HOUR, JOB_TITLES, OPERATORS } from './fixtures';
import type { PrinterFixture } from './fixtures';
import { DURST_JOB_ID_FACTOR, DURST_MAX_LIST_ENTRIES } from './types';
import type { DURST_COLOURS, DurstError, DurstJob, DurstJobDetail, DurstJobState } from './types';

export type Range = { from: number; to: number };

/** An entry with the instant it is ordered by. */
export type Timed<T> = { at: number; value: T };

/** Cheap deterministic hash of a slot number, to vary fixture data without randomness. */
function mix(slot: number, seed: number): number {
	let h = Math.imul(slot ^ seed, 0x9e3779b1) >>> 0;
	h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
	return (h ^ (h >>> 13)) >>> 0;
}

function pick<T>(items: readonly T[], slot: number, seed: number): T {
	const item = items[mix(slot, seed) % items.length];
	if (item === undefined) throw new Error('empty fixture list');
	return item;
}

export function round(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}

/** Slot numbers n with `n * every + offset` in [from, to], newest `max` only. */
function slotsIn(from: number, to: number, every: number, offset: number, max: number): number[] {
	const first = Math.ceil((from - offset) / every);
	const last = Math.floor((to - offset) / every);
	const start = Math.max(first, last - max + 1);
	const slots: number[] = [];
	for (let n = start; n <= last; n += 1) slots.push(n);
	return slots;
}

/** One grid series (errors or jobs) in the range, newest `DURST_MAX_LIST_ENTRIES` only. */
export function gridSeries<T>(
	range: Range,
	every: number,
	offset: number,
	make: (slot: number) => T,
): Timed<T>[] {
	return slotsIn(range.from, range.to, every, offset, DURST_MAX_LIST_ENTRIES).map((slot) => ({
		at: slot * every + offset,
		value: make(slot),
	}));
}

/** Both lists ordered by time (grid entries first on a tie), newest `DURST_MAX_LIST_ENTRIES` only. */
export function mergeByTime<T>(generated: readonly Timed<T>[], scripted: readonly Timed<T>[]): T[] {
	return [...generated, ...scripted]
		.sort((a, b) => a.at - b.at)
		.slice(-DURST_MAX_LIST_ENTRIES)
		.map((entry) => entry.value);
}

export function gridError(printer: PrinterFixture, slot: number): DurstError {
	const entry = pick(ERROR_CATALOGUE, slot, printer.number);
	return {
		dateTime: new Date(slot * printer.errorEveryMs + printer.errorOffsetMs).toISOString(),
		errorNr: entry.errorNr,
		errorMessage: entry.errorMessage,
		operator: pick(OPERATORS, slot, printer.number + 7),
	};
}

/** A grid job as of `now`: still printing until its duration has passed, unless it was aborted. */
export function gridJob(printer: PrinterFixture, slot: number, now: number): DurstJob {
	const start = slot * printer.jobEveryMs + printer.jobOffsetMs;
	const numberOfPrints = 5 + (mix(slot, printer.number + 1) % 46);
	let state: DurstJobState;
	let end: number | null;
	let done: number;
	if (mix(slot, printer.number + 2) % 9 === 0) {
		state = 'Aborted';
		end = start + Math.round(printer.jobDurationMs * 0.4);
		done = Math.floor(numberOfPrints * 0.4);
	} else if (start + printer.jobDurationMs > now) {
		state = 'Printing';
		end = null;
		done = Math.floor((numberOfPrints * (now - start)) / printer.jobDurationMs);
	} else {
		state = 'Finished';
		end = start + printer.jobDurationMs;
		done = numberOfPrints;
	}
	return {
		id: printer.number * DURST_JOB_ID_FACTOR + slot,
		title: pick(JOB_TITLES, slot, printer.number + 3),
		state,
		numberOfPrints,
		numberOfPrintsDone: done,
		startTime: new Date(start).toISOString(),
		endTime: end === null ? null : new Date(end).toISOString(),
	};
}

export function printedArea(job: DurstJob): number {
	return round(job.numberOfPrintsDone * 2.5, 2);
}

/** About 10 ml per square metre per colour, scaled by the colour's share of the printer's ink use. */
export function jobInk(areaSqm: number, colour: (typeof DURST_COLOURS)[number]): number {
	return areaSqm * INK_RATE_PER_HOUR[colour] * 0.1;
}

/** `printerNumber` is the printer's job id prefix (grid or scripted job alike). */
export function jobDetail(
	printerId: string,
	printerNumber: number,
	job: DurstJob,
	slot: number,
): DurstJobDetail {
	return {
		...job,
		printerId,
		printDirection: slot % 2 === 0 ? 'Bidirectional' : 'Unidirectional',
		passoverlapValue: 1 + (slot % 4),
		saturation: 80 + (mix(slot, printerNumber + 4) % 21),
		printPasses: [4, 6, 8, 12][slot % 4] ?? 4,
		printedAreaSqm: printedArea(job),
	};
}
