/**
 * Injected faults of the simulators: what a broken or hostile server answers instead of the real API.
 *
 * `SimulatorBase.failNext(spec)` (and `POST /__sim/fail` with the spec as JSON) queues one of these;
 * this module validates specs and writes the answers. It depends on `common.ts` for types only, so
 * that `common.ts` can import it without a cycle at run time.
 *
 * Every mode answers with exactly what the spec says: no default header is added that the spec
 * cannot remove (`headers: { name: null }`), and header values Node refuses to send (control
 * characters, characters above U+00FF) are written to the socket by hand, so a test can make a
 * server send what real broken servers send.
 */
import { STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import type { JsonValue } from './common';

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

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
		if (!isRecord(spec.headers)) return 'headers must be an object';
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

const SPEC_FIELDS = new Set([
	'mode',
	'status',
	'body',
	'bodyBase64',
	'contentType',
	'headers',
	'count',
	'path',
	'location',
	'chunk',
	'chunkIntervalMs',
	'durationMs',
	'bytes',
	'fill',
	'chunked',
]);

/** A spec from JSON (the `POST /__sim/fail` body): the spec or why it is refused. */
export function parseFailureSpec(value: unknown): FailureSpec | string {
	if (value === undefined) return {};
	if (!isRecord(value)) return 'failure spec must be a JSON object';
	const unknown = Object.keys(value).filter((key) => !SPEC_FIELDS.has(key));
	if (unknown.length > 0) return `unknown field ${unknown.join(', ')}`;
	const spec: FailureSpec = {};
	const { mode, status, contentType, count, path, location, chunk } = value;
	const { chunkIntervalMs, durationMs, bytes, fill, chunked, bodyBase64 } = value;
	if (mode !== undefined) {
		if (typeof mode !== 'string' || !FAIL_MODES.includes(mode as FailMode))
			return `mode must be one of ${FAIL_MODES.join(', ')}`;
		spec.mode = mode as FailMode;
	}
	const numbers = { status, count, chunkIntervalMs, durationMs, bytes };
	for (const [name, number] of Object.entries(numbers)) {
		if (number !== undefined && typeof number !== 'number') return `${name} must be a number`;
	}
	const strings = { contentType, path, location, chunk, bodyBase64 };
	for (const [name, text] of Object.entries(strings)) {
		if (text !== undefined && typeof text !== 'string') return `${name} must be a string`;
	}
	if (chunked !== undefined && typeof chunked !== 'boolean') return 'chunked must be a boolean';
	if (typeof bodyBase64 === 'string' && !/^[A-Za-z0-9+/]*={0,2}$/.test(bodyBase64))
		return 'bodyBase64 must be base64';
	Object.assign(spec, {
		status,
		count,
		chunkIntervalMs,
		durationMs,
		bytes,
		contentType,
		path,
		location,
		chunk,
		bodyBase64,
		chunked,
		fill,
	});
	if (value.body !== undefined) spec.body = value.body as JsonValue;
	if (value.headers !== undefined) spec.headers = value.headers as FaultHeaders;
	for (const key of Object.keys(spec) as (keyof FailureSpec)[]) {
		if (spec[key] === undefined) delete spec[key];
	}
	return validateFailureSpec(spec) ?? spec;
}

// ---------------------------------------------------------------------------------------------
// Writing answers
// ---------------------------------------------------------------------------------------------

/** A header list that keeps the caller's name casing and replaces case-insensitively. */
type HeaderList = [name: string, value: string | readonly string[]][];

function setHeader(list: HeaderList, name: string, value: string | readonly string[] | null): void {
	const index = list.findIndex(([existing]) => existing.toLowerCase() === name.toLowerCase());
	if (index >= 0) list.splice(index, 1);
	if (value !== null) list.push([name, value]);
}

function hasHeader(list: HeaderList, name: string): boolean {
	return list.some(([existing]) => existing.toLowerCase() === name);
}

/** Node's own checks: what `res.setHeader` would refuse must be written by hand. */
function sendableByNode(list: HeaderList): boolean {
	try {
		for (const [name, value] of list) {
			validateHeaderName(name);
			for (const item of typeof value === 'string' ? [value] : value)
				validateHeaderValue(name, item);
		}
		return true;
	} catch {
		return false;
	}
}

/** Framing set by the spec itself, or unsendable values: then the head is written to the socket by hand. */
function needsRawHead(list: HeaderList, spec: FailureSpec): boolean {
	const own = Object.keys(spec.headers ?? {}).map((name) => name.toLowerCase());
	return (
		own.includes('content-length') || own.includes('transfer-encoding') || !sendableByNode(list)
	);
}

function bodyBytes(spec: FailureSpec): Buffer | undefined {
	if (spec.bodyBase64 !== undefined) return Buffer.from(spec.bodyBase64, 'base64');
	const body = spec.body;
	if (body === undefined) return undefined;
	if (body instanceof Uint8Array) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return Buffer.from(JSON.stringify(body), 'utf8');
}

function defaultContentType(spec: FailureSpec, mode: FailMode): string | undefined {
	if (spec.contentType !== undefined) return spec.contentType;
	if (mode === 'nonJson' || mode === 'html') return 'text/html; charset=utf-8';
	if (mode === 'hugeBody')
		return spec.fill === 'text' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
	if (mode === 'slowBody') return 'application/json; charset=utf-8';
	if (spec.bodyBase64 !== undefined || spec.body instanceof Uint8Array)
		return 'application/octet-stream';
	if (typeof spec.body === 'string') return 'text/plain; charset=utf-8';
	if (spec.body !== undefined) return 'application/json; charset=utf-8';
	return undefined;
}

interface Head {
	status: number;
	headers: HeaderList;
	raw: boolean;
}

function head(spec: FailureSpec, mode: FailMode, defaultStatus: number): Head {
	const headers: HeaderList = [];
	const contentType = defaultContentType(spec, mode);
	if (contentType !== undefined) headers.push(['content-type', contentType]);
	if (mode === 'redirect' && spec.location !== undefined) headers.push(['location', spec.location]);
	for (const [name, value] of Object.entries(spec.headers ?? {})) setHeader(headers, name, value);
	return { status: spec.status ?? defaultStatus, headers, raw: needsRawHead(headers, spec) };
}

/** The response head as bytes: Latin-1 as Node writes it, UTF-8 for a line with wider characters. */
function headBytes(status: number, headers: HeaderList): Buffer {
	const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}`];
	for (const [name, value] of headers)
		for (const item of typeof value === 'string' ? [value] : value) lines.push(`${name}: ${item}`);
	const encoded = lines.map((line) =>
		Buffer.from(`${line}\r\n`, /[^\u0000-\u00ff]/.test(line) ? 'utf8' : 'latin1'),
	);
	return Buffer.concat([...encoded, Buffer.from('\r\n')]);
}

/** Where a fault writes its body: the response (normal framing) or the bare socket (raw head). */
interface Sink {
	write(chunk: Buffer): boolean;
	onDrain(listener: () => void): void;
	end(): void;
	readonly closed: boolean;
}

/**
 * Writes status and headers. With a raw head, Node's response is bypassed: the body is delimited by
 * closing the connection unless the spec set its own framing, which is then the test's business.
 */
function openSink(
	res: ServerResponse,
	socket: Socket,
	answer: Head,
	length: number | undefined,
	stream: boolean,
): Sink {
	const headers = [...answer.headers];
	const framed = hasHeader(headers, 'content-length') || hasHeader(headers, 'transfer-encoding');
	if (length !== undefined && !framed) headers.push(['content-length', String(length)]);
	if (answer.raw) {
		if (!hasHeader(headers, 'connection')) headers.push(['connection', 'close']);
		socket.write(headBytes(answer.status, headers));
		return {
			write: (chunk) => socket.write(chunk),
			onDrain: (listener) => socket.once('drain', listener),
			end: () => socket.end(),
			get closed() {
				return socket.destroyed || socket.writableEnded;
			},
		};
	}
	res.statusCode = answer.status;
	for (const [name, value] of headers) res.setHeader(name, value);
	if (stream) res.flushHeaders();
	return {
		write: (chunk) => res.write(chunk),
		onDrain: (listener) => res.once('drain', listener),
		end: () => res.end(),
		get closed() {
			return res.destroyed || res.writableEnded;
		},
	};
}

/** A fault answer still in progress (hang, slow body, huge body); `end` stops it and drops the socket. */
export interface StalledResponse {
	readonly mode: StalledMode;
	readonly socket: Socket;
	end(): void;
}

export interface FaultContext {
	/** Called once per stalled answer; the entry must be dropped when the socket closes. */
	track(stalled: StalledResponse): void;
	untrack(stalled: StalledResponse): void;
}

/**
 * Answers a request with the fault. Returns the status sent (for the request log), or `undefined`
 * when no status line was sent (`reset`, `hang`).
 */
export function serveFault(
	spec: FailureSpec,
	req: IncomingMessage,
	res: ServerResponse,
	context: FaultContext,
): number | undefined {
	const mode = spec.mode ?? 'status';
	const socket = req.socket;
	switch (mode) {
		case 'reset':
			socket.destroy();
			return undefined;
		case 'hang':
			stall(mode, socket, context, () => undefined);
			return undefined;
		case 'slowBody':
			return serveSlowBody(spec, res, socket, context);
		case 'hugeBody':
			return serveHugeBody(spec, res, socket, context);
		case 'slowHeaders':
			return serveSlowHeaders(spec, socket, context);
		default: {
			const defaultStatus = mode === 'status' ? 500 : mode === 'redirect' ? 302 : 200;
			const answer = head(spec, mode, defaultStatus);
			const body =
				bodyBytes(spec) ??
				(mode === 'nonJson' || mode === 'html'
					? Buffer.from(NON_JSON_FAILURE_BODY)
					: Buffer.alloc(0));
			const sink = openSink(res, socket, answer, body.length, false);
			sink.write(body);
			sink.end();
			return answer.status;
		}
	}
}

/** Tracks a stalled answer until its socket closes; `cleanup` stops its timers. */
function stall(
	mode: StalledMode,
	socket: Socket,
	context: FaultContext,
	cleanup: () => void,
): StalledResponse {
	let ended = false;
	const stalled: StalledResponse = {
		mode,
		socket,
		end: () => {
			if (ended) return;
			ended = true;
			cleanup();
			context.untrack(stalled);
			socket.destroy();
		},
	};
	const finish = (): void => {
		if (ended) return;
		ended = true;
		cleanup();
		context.untrack(stalled);
	};
	socket.once('close', finish);
	context.track(stalled);
	return stalled;
}

function serveSlowBody(
	spec: FailureSpec,
	res: ServerResponse,
	socket: Socket,
	context: FaultContext,
): number {
	const answer = head(spec, 'slowBody', 200);
	const sink = openSink(res, socket, answer, undefined, true);
	const prefix = bodyBytes(spec);
	if (prefix !== undefined && prefix.length > 0) sink.write(prefix);
	const chunk = Buffer.from(spec.chunk ?? DEFAULT_SLOW_CHUNK, 'utf8');
	const timer = setInterval(() => {
		if (!sink.closed) sink.write(chunk);
	}, spec.chunkIntervalMs ?? DEFAULT_CHUNK_INTERVAL_MS);
	let deadline: NodeJS.Timeout | undefined;
	const stalled = stall('slowBody', socket, context, () => {
		clearInterval(timer);
		clearTimeout(deadline);
	});
	if (spec.durationMs !== undefined) {
		deadline = setTimeout(() => {
			clearInterval(timer);
			context.untrack(stalled);
			if (!sink.closed) sink.end();
		}, spec.durationMs);
	}
	return answer.status;
}

function serveSlowHeaders(spec: FailureSpec, socket: Socket, context: FaultContext): number {
	const status = spec.status ?? 200;
	socket.write(`HTTP/1.1 ${status} OK\r\nx-trickle: `);
	const timer = setInterval(() => {
		if (!socket.destroyed) socket.write('a');
	}, spec.chunkIntervalMs ?? DEFAULT_CHUNK_INTERVAL_MS);
	stall('slowHeaders', socket, context, () => clearInterval(timer));
	return status;
}

const PIECE_BYTES = 64 * 1024;
/** One element of the generated JSON array; its exact content does not matter, its size is fixed. */
const JSON_ELEMENT = `{"id":1,"name":"item","text":"${'x'.repeat(96)}"}`;
const TEXT_LINE = 'The quick brown fox jumps over the lazy dog. 0123456789\n';

/** Exactly `bytes` bytes: a valid JSON array padded with whitespace (bytes >= 2), in pieces. */
function* jsonArrayPieces(bytes: number): Generator<Buffer> {
	if (bytes < 2) {
		if (bytes === 1) yield Buffer.from('[');
		return;
	}
	const width = JSON_ELEMENT.length + 1;
	const elements = Math.floor((bytes - 2 + 1) / width);
	const padding = bytes - 2 - (elements > 0 ? elements * width - 1 : 0);
	yield Buffer.from(elements > 0 ? `[${JSON_ELEMENT}` : '[');
	const perPiece = Math.max(1, Math.floor(PIECE_BYTES / width));
	const piece = Buffer.from(`,${JSON_ELEMENT}`.repeat(perPiece));
	for (let left = elements - 1; left > 0; left -= perPiece)
		yield left >= perPiece ? piece : piece.subarray(0, left * width);
	if (padding > 0) yield Buffer.alloc(padding, ' ');
	yield Buffer.from(']');
}

function* textPieces(bytes: number): Generator<Buffer> {
	const piece = Buffer.from(TEXT_LINE.repeat(Math.ceil(PIECE_BYTES / TEXT_LINE.length)));
	for (let left = bytes; left > 0; left -= piece.length)
		yield left >= piece.length ? piece : piece.subarray(0, left);
}

function serveHugeBody(
	spec: FailureSpec,
	res: ServerResponse,
	socket: Socket,
	context: FaultContext,
): number {
	const bytes = spec.bytes ?? DEFAULT_HUGE_BODY_BYTES;
	const answer = head(spec, 'hugeBody', 200);
	const sink = openSink(res, socket, answer, spec.chunked === true ? undefined : bytes, true);
	const pieces = spec.fill === 'text' ? textPieces(bytes) : jsonArrayPieces(bytes);
	let stopped = false;
	const stalled = stall('hugeBody', socket, context, () => {
		stopped = true;
	});
	const pump = (): void => {
		while (!stopped && !sink.closed) {
			const next = pieces.next();
			if (next.done === true) {
				context.untrack(stalled);
				sink.end();
				return;
			}
			if (!sink.write(next.value)) {
				sink.onDrain(pump);
				return;
			}
		}
	};
	pump();
	return answer.status;
}
