/**
 * Linear-time handling of text a server or an item controls. Every function bounds its input first,
 * so no answer can cost more than a fixed amount of work.
 */

/** How much of a server's error text is read for a message, before scrubbing and cutting. */
const MAX_SCANNED_CHARS = 16 * 1024;
/** How much of a server's reason reaches a message. */
const MAX_REASON_CHARS = 1024;

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Shows what is readable of an HTML page or a proxy's text: tags dropped, whitespace collapsed. */
export function plainText(text: string): string {
	const input = text.length > MAX_SCANNED_CHARS ? text.slice(0, MAX_SCANNED_CHARS) : text;
	// One pass: a '<' with no '>' after it is text, found with one lastIndexOf, not a search per '<'.
	const lastClose = input.lastIndexOf('>');
	let result = '';
	let index = 0;
	while (index < input.length) {
		const open = input.indexOf('<', index);
		if (open === -1 || open > lastClose) {
			result += input.slice(index);
			break;
		}
		result += `${input.slice(index, open)} `;
		index = input.indexOf('>', open) + 1;
	}
	return result.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** Cuts text to `max` characters (after scrubbing: a cut must never leave the start of a secret). */
export function bounded(text: string, max = MAX_REASON_CHARS): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** True when the value holds a character no header, login or path segment may carry. */
export function hasControlCharacters(value: string): boolean {
	return /[\u0000-\u001f\u007f]/.test(value);
}
