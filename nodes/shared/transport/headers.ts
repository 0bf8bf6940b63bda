/**
 * Checks of headers a user adds. Node.js rejects a bad header name only when the request is sent
 * (reported as a network failure) and n8n drops characters outside Latin-1 from values silently;
 * both are refused here, before any request, with the header named.
 */

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
/** Tab, visible Latin-1 and space: what an HTTP/1.1 field value may hold. */
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;
const MAX_VALUE_LENGTH = 8 * 1024;

/**
 * Framing and hop-by-hop headers belong to the HTTP client: a `Content-Length` that disagrees with
 * the body, or a `Host` or `Proxy-*` header, would change what reaches which server.
 */
const RESERVED = new Set([
	'content-length',
	'transfer-encoding',
	'connection',
	'keep-alive',
	'upgrade',
	'te',
	'trailer',
	'host',
]);

/** Returns a problem in words, or undefined when the header may be sent. */
export function headerProblem(
	name: string,
	value: string,
	ownHeaders: readonly string[],
): string | undefined {
	if (!HEADER_NAME.test(name)) {
		return "its name may only hold letters, digits and !#$%&'*+-.^_`|~ (no spaces or colons)";
	}
	const lower = name.toLowerCase();
	if (ownHeaders.includes(lower)) return 'the node sets this header itself';
	if (RESERVED.has(lower) || lower.startsWith('proxy-')) {
		return "it controls how the request is framed or routed, which is the HTTP client's job";
	}
	if (value.length > MAX_VALUE_LENGTH)
		return `its value is longer than ${MAX_VALUE_LENGTH} characters`;
	if (!HEADER_VALUE.test(value)) {
		return 'its value holds a line break, a control character or a character outside Latin-1';
	}
	return undefined;
}
