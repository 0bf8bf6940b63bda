/**
 * Values an expression, an older workflow or a server may give in any type: read once here, so a
 * number written as text and a JSON object are recognised the same way everywhere.
 */

/** A plain JSON object: not null, not a list. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number, or text that holds one (an expression gives text); undefined for anything else. */
function numberOf(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' ? number : undefined;
}

/** A whole number from 1 to `max`, or undefined. */
export function wholeNumber(value: unknown, max = Number.POSITIVE_INFINITY): number | undefined {
	const number = numberOf(value);
	return number !== undefined && Number.isInteger(number) && number >= 1 && number <= max
		? number
		: undefined;
}

/** A finite number above 0 and at most `max`, or undefined. */
export function positiveNumber(value: unknown, max: number): number | undefined {
	const number = numberOf(value);
	return number !== undefined && Number.isFinite(number) && number > 0 && number <= max
		? number
		: undefined;
}
