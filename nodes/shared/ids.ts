/**
 * IDs that become path segments of a vendor's API: one check for an ID an item names and one a
 * server lists. Encoding keeps "/" and "?" from changing the path for the server, but "." and ".."
 * survive encoding and would make `/printers/..` the list or the API root, and a proxy that decodes
 * `%2F` before routing would follow `..%2F`: no vendor ID holds a slash.
 */
import { hasControlCharacters } from './text';

export const MAX_ID_LENGTH = 256;

/**
 * What makes `id` unusable, worded to follow the field's name ('The "Printer" is empty'), or
 * undefined when it is usable. Control characters would forge log lines and "/" or "\" would be
 * refused by the request layer; `segmentOnly` lets both through for a caller that wants that
 * layer's own message for them, and checks only what would quietly name another resource.
 */
export function idProblem(id: string, { segmentOnly = false } = {}): string | undefined {
	if (!id) return 'is empty';
	if (id === '.' || id === '..') return `is "${id}", which is not an ID`;
	if (id.length > MAX_ID_LENGTH) return `is longer than ${MAX_ID_LENGTH} characters`;
	if (segmentOnly) return undefined;
	if (hasControlCharacters(id)) return 'holds a line break or control character';
	if (/[/\\]/.test(id)) return 'holds a "/" or "\\", which no ID has';
	return undefined;
}

/** An ID as a server or an expression gives it: text or a number, else empty. */
export function idText(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** Path segments are user input: encoded so an ID cannot change the path. */
export function segment(value: string): string {
	return encodeURIComponent(value);
}
