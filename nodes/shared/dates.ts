/**
 * Date inputs arrive as n8n's date picker strings (local time of the workflow's timezone, no
 * offset), ISO strings with an offset, Luxon DateTime or Date objects from expressions, or numbers.
 * Everything becomes a Date; anything else is reported, not guessed.
 */
const LOCAL_ISO =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

function offsetMinutes(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
	const asUtc = Date.UTC(
		get('year'),
		get('month') - 1,
		get('day'),
		get('hour'),
		get('minute'),
		get('second'),
	);
	return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000);
}

function localToInstant(match: RegExpExecArray, timeZone: string): number {
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = match;
	const wallClock = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
	// Two passes settle the offset across a DST change.
	let instant = wallClock - offsetMinutes(wallClock, timeZone) * 60000;
	instant = wallClock - offsetMinutes(instant, timeZone) * 60000;
	return instant;
}

export type DateInput = string | number | Date | { toISO(): string | null } | null | undefined;

/** Returns undefined for an empty value; throws an Error (message only) for an unreadable one. */
export function toDate(value: unknown, timeZone: string): Date | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let instant: number;
	if (value instanceof Date) {
		instant = value.getTime();
	} else if (
		typeof value === 'object' &&
		typeof (value as { toISO?: unknown }).toISO === 'function'
	) {
		instant = Date.parse(String((value as { toISO(): string | null }).toISO()));
	} else if (typeof value === 'number') {
		// Epoch seconds and milliseconds differ by three orders of magnitude; 1e11 s is year 5138.
		instant = value < 1e11 ? value * 1000 : value;
	} else if (typeof value === 'string') {
		const trimmed = value.trim();
		const local = LOCAL_ISO.exec(trimmed);
		instant = local ? localToInstant(local, timeZone) : Date.parse(trimmed);
	} else {
		instant = Number.NaN;
	}
	if (!Number.isFinite(instant)) {
		throw new Error(`"${String(value)}" is not a date and time`);
	}
	return new Date(instant);
}
