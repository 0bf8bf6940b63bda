/** Validation of timeline input: every refusal is a `DurstTimelineError` that names the field. */
import { DURST_JOB_END_STATES, DURST_STATUSES } from './types';
import type { DurstJobEndState, DurstPrinterStatus } from './types';

/** Largest epoch ms a `Date` can hold. */
const MAX_DATE_MS = 8.64e15;

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

/** Invalid timeline input; the admin endpoint answers it with 400 and this message. */
export class DurstTimelineError extends Error {
	override readonly name = 'DurstTimelineError';
}

export function fail(message: string): never {
	throw new DurstTimelineError(message);
}

export function text(value: unknown, field: string, options: { nonEmpty?: boolean } = {}): string {
	if (typeof value !== 'string') fail(`${field} must be a string`);
	if (options.nonEmpty === true && value.trim() === '') fail(`${field} must not be empty`);
	return value;
}

export function integer(
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

export function status(value: unknown, field = 'status'): DurstPrinterStatus {
	const found = DURST_STATUSES.find((candidate) => candidate === value);
	if (found === undefined) fail(`${field} must be one of ${DURST_STATUSES.join(', ')}`);
	return found;
}

export function endState(value: unknown, field = 'endState'): DurstJobEndState {
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

export function iso(ms: number): string {
	return new Date(ms).toISOString();
}
