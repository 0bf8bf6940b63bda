/**
 * Date inputs arrive as n8n's date picker strings (local time of the workflow's timezone, no
 * offset), ISO 8601 strings with an offset, Luxon DateTime or Date objects from expressions, or
 * epoch numbers. Everything becomes a Date; anything else, and any impossible date such as
 * 2030-02-30 or 25:61, is reported, never guessed or rolled over.
 */
const ISO =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

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

function localToInstant(wallClock: number, timeZone: string): number {
	// Two passes settle the offset across a DST change.
	let instant = wallClock - offsetMinutes(wallClock, timeZone) * 60000;
	instant = wallClock - offsetMinutes(instant, timeZone) * 60000;
	return instant;
}

function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses ISO 8601 by hand, so that every field is range-checked instead of rolled over. */
function parseIso(text: string, timeZone: string): number {
	if (text.length > 40) throw new Error('the text is too long to be a date');
	const match = ISO.exec(text);
	if (!match) throw new Error(`"${text}" is not an ISO 8601 date such as 2030-01-31T12:00:00Z`);
	const [, y, mo, d, h = '0', mi = '0', sec = '0', fraction = '0', zone] = match;
	const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number);
	if (month < 1 || month > 12) throw new Error(`"${text}" has no month ${month}`);
	if (day < 1 || day > daysInMonth(year, month)) {
		throw new Error(`"${text}" has no day ${day} in month ${month}`);
	}
	if (hour > 23 || minute > 59 || second > 59) throw new Error(`"${text}" is not a time of day`);
	const wallClock = Date.UTC(
		year,
		month - 1,
		day,
		hour,
		minute,
		second,
		Number(fraction.padEnd(3, '0').slice(0, 3)),
	);
	if (!zone) return localToInstant(wallClock, timeZone);
	if (/^z$/i.test(zone)) return wallClock;
	const sign = zone.startsWith('-') ? -1 : 1;
	const digits = zone.slice(1).replace(':', '');
	const offsetHours = Number(digits.slice(0, 2));
	const offsetMinutes = Number(digits.slice(2));
	if (offsetHours > 23 || offsetMinutes > 59)
		throw new Error(`"${text}" has no time zone offset ${zone}`);
	return wallClock - sign * (offsetHours * 60 + offsetMinutes) * 60000;
}

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
		instant = parseIso(String((value as { toISO(): string | null }).toISO()), timeZone);
	} else if (typeof value === 'number') {
		// Epoch seconds and milliseconds differ by three orders of magnitude; 1e11 s is year 5138.
		instant = Math.abs(value) < 1e11 ? value * 1000 : value;
	} else if (typeof value === 'string') {
		instant = parseIso(value.trim(), timeZone);
	} else {
		throw new Error(`a ${typeof value} is not a date and time`);
	}
	if (!Number.isFinite(instant))
		throw new Error(`"${String(value).slice(0, 40)}" is not a date and time`);
	if (instant < EARLIEST || instant > LATEST) {
		throw new Error(`"${String(value).slice(0, 40)}" is outside the years 1970 to 9999`);
	}
	return new Date(instant);
}
