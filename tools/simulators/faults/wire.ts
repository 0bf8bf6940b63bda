/**
 * The head and body framing of fault answers. A head Node would refuse (control characters, values
 * above U+00FF) or whose framing the spec sets itself is written to the socket by hand.
 */
import { STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import type { FailMode, FailureSpec } from './spec';

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

export function bodyBytes(spec: FailureSpec): Buffer | undefined {
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

export function head(spec: FailureSpec, mode: FailMode, defaultStatus: number): Head {
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
export interface Sink {
	write(chunk: Buffer): boolean;
	onDrain(listener: () => void): void;
	end(): void;
	readonly closed: boolean;
}

/**
 * Writes status and headers. With a raw head, Node's response is bypassed: the body is delimited by
 * closing the connection unless the spec set its own framing, which is then the test's business.
 */
export function openSink(
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
