/**
 * What an injected fault is: the modes, the spec a test queues with `SimulatorBase.failNext(spec)`
 * (or `POST /__sim/fail`), and why a spec cannot be served.
 *
 * Every mode answers with exactly what the spec says: no default header is added that the spec
 * cannot remove (`headers: { name: null }`), and header values Node refuses to send (control
 * characters, characters above U+00FF) are written to the socket by hand, so a test can make a
 * server send what real broken servers send.
 */
import { isPlainObject } from '../common/json';
import type { JsonValue } from '../common/json';

/**
 * How an injected failure answers:
 * - `status` (default): the given status (default 500) with the given body (default empty);
 * - `reset`: the socket is destroyed without any answer (the client sees a connection reset);
 * - `nonJson` / `html` (the same): the given status (default 200) with an HTML page (`body` if given,
 *   else `NON_JSON_FAILURE_BODY`), to test "200 but not JSON" and HTML error pages;
 * - `redirect`: the given 3xx status (default 302) with `location` (absolute, to any host, or relative);
 * - `hang`: the request is read and never answered; the socket stays open until the client gives up,
 *   `destroyStalled()` is called or the simulator stops;
 * - `slowBody`: status and headers at once, then `body` (if any), then `chunk` every `chunkIntervalMs`,
 *   never finishing unless `durationMs` is given;
 * - `hugeBody`: the given status (default 200) with a generated body of `bytes` bytes, streamed in
 *   small pieces (never held in memory): a valid JSON array (`fill: 'json'`) or text (`fill: 'text'`);
 * - `slowHeaders`: a status line, then one header byte every `chunkIntervalMs`, never ending the
 *   headers: a socket that is never idle, so only a client's own deadline can end it.
 */
export type FailMode =
	| 'status'
	| 'reset'
	| 'nonJson'
	| 'html'
	| 'redirect'
	| 'hang'
	| 'slowBody'
	| 'hugeBody'
	| 'slowHeaders';

export const FAIL_MODES: readonly FailMode[] = [
	'status',
	'reset',
	'nonJson',
	'html',
	'redirect',
	'hang',
	'slowBody',
	'hugeBody',
	'slowHeaders',
];

/** Modes whose answer outlives the dispatch: they are tracked until the socket closes. */
export type StalledMode = 'hang' | 'slowBody' | 'hugeBody' | 'slowHeaders';

export type HugeBodyFill = 'json' | 'text';

/** Header values of a fault answer; `null` removes a header the mode would set by default. */
export type FaultHeaders = Record<string, string | readonly string[] | null>;

export interface FailureSpec {
	mode?: FailMode;
	/** Default 500 for `status`, 302 for `redirect`, 200 for the other answering modes. */
	status?: number;
	/**
	 * The body. A string is sent as is (text/plain unless `contentType`; for `nonJson`/`html` text/html),
	 * bytes (`Buffer`/`Uint8Array`) exactly as given (application/octet-stream unless `contentType`),
	 * anything else as JSON. For `slowBody` it is the prefix sent at once. Not for `hugeBody`.
	 */
	body?: JsonValue | Uint8Array;
	/** Raw body bytes in base64, for the admin endpoint (JSON cannot carry bytes). Excludes `body`. */
	bodyBase64?: string;
	contentType?: string;
	/** Response headers, applied last (over `contentType` and the mode's defaults), case-insensitively. */
	headers?: FaultHeaders;
	/** How many matching requests fail (default 1). */
	count?: number;
	/**
	 * Which requests are affected (default: any API request). Matches the exact pathname
	 * (`/api/v1/login`), the endpoint key (`GET /api/v1/login`), or, with a trailing `*`, a pathname prefix.
	 */
	path?: string;
	/** `redirect`: the `Location` header, sent exactly as given. */
	location?: string;
	/** `slowBody`: what is sent each interval (default one space, harmless inside JSON). */
	chunk?: string;
	/** `slowBody`: ms between chunks (default 200). */
	chunkIntervalMs?: number;
	/** `slowBody`: ends the body after this many ms (default: never). */
	durationMs?: number;
	/** `hugeBody`: exact body size (default 20 MiB). */
	bytes?: number;
	/** `hugeBody`: a JSON array (default) or plain text. */
	fill?: HugeBodyFill;
	/** `hugeBody`: chunked transfer encoding instead of an announced `content-length` (default false). */
	chunked?: boolean;
}

export const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;
export const DEFAULT_CHUNK_INTERVAL_MS = 200;
export const DEFAULT_SLOW_CHUNK = ' ';
export const DEFAULT_HUGE_BODY_BYTES = 20 * 1024 * 1024;
/** Upper bound of `bytes`, so a typo cannot keep a test streaming for hours. */
export const MAX_HUGE_BODY_BYTES = 4 * 1024 * 1024 * 1024;

/** Body of the `nonJson`/`html` failure: what a reverse proxy or captive portal typically answers with. */
export const NON_JSON_FAILURE_BODY =
	'<!DOCTYPE html><html><head><title>Service Unavailable</title></head>' +
	'<body><h1>Maintenance</h1><p>The service is temporarily unavailable.</p></body></html>';

const MODE_FIELDS: Readonly<Record<string, readonly FailMode[]>> = {
	location: ['redirect'],
	chunk: ['slowBody'],
	chunkIntervalMs: ['slowBody', 'slowHeaders'],
	durationMs: ['slowBody'],
	bytes: ['hugeBody'],
	fill: ['hugeBody'],
	chunked: ['hugeBody'],
};

/** Why a spec cannot be served, or `undefined` when it can. */
export function validateFailureSpec(spec: FailureSpec): string | undefined {
	const mode = spec.mode ?? 'status';
	if (!FAIL_MODES.includes(mode)) return `mode must be one of ${FAIL_MODES.join(', ')}`;
	for (const [field, modes] of Object.entries(MODE_FIELDS)) {
		if ((spec as Record<string, unknown>)[field] !== undefined && !modes.includes(mode))
			return `${field} only applies to mode ${modes.join(' or ')}`;
	}
	const { status, count, location, chunk, chunkIntervalMs, durationMs, bytes } = spec;
	if (status !== undefined) {
		if (!Number.isInteger(status) || status < 100 || status > 599)
			return 'status must be an HTTP status';
		if (mode === 'redirect' && (status < 300 || status > 399))
			return 'status of a redirect must be 3xx';
	}
	if (count !== undefined && (!Number.isInteger(count) || count < 1))
		return 'count must be a positive integer';
	if (spec.body !== undefined && spec.bodyBase64 !== undefined)
		return 'body and bodyBase64 exclude each other';
	if (mode === 'hugeBody' && (spec.body !== undefined || spec.bodyBase64 !== undefined))
		return 'hugeBody generates its body: no body or bodyBase64';
	if (mode === 'redirect' && typeof location !== 'string')
		return 'redirect needs location (a string)';
	if (chunk !== undefined && (typeof chunk !== 'string' || chunk === ''))
		return 'chunk must be a non-empty string';
	if (chunkIntervalMs !== undefined && !(Number.isFinite(chunkIntervalMs) && chunkIntervalMs >= 1))
		return 'chunkIntervalMs must be a number >= 1';
	if (durationMs !== undefined && !(Number.isFinite(durationMs) && durationMs >= 0))
		return 'durationMs must be a number >= 0';
	if (bytes !== undefined && (!Number.isInteger(bytes) || bytes < 0 || bytes > MAX_HUGE_BODY_BYTES))
		return `bytes must be an integer from 0 to ${MAX_HUGE_BODY_BYTES}`;
	if (spec.fill !== undefined && spec.fill !== 'json' && spec.fill !== 'text')
		return 'fill must be json or text';
	if (spec.headers !== undefined) {
		if (!isPlainObject(spec.headers)) return 'headers must be an object';
		for (const [name, value] of Object.entries(spec.headers)) {
			const ok =
				value === null ||
				typeof value === 'string' ||
				(Array.isArray(value) && value.every((item) => typeof item === 'string'));
			if (!ok) return `header ${JSON.stringify(name)} must be a string, a string array or null`;
		}
	}
	return undefined;
}
