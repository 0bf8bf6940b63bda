/** What a simulator's handler sees and answers, and the small helpers both simulators (and tests) use. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

import type { JsonObject } from './json';

/** What a handler sees. The body is already read (bounded by `maxBodyBytes`). */
export interface SimRequest {
	readonly method: string;
	/** Pathname as sent, still percent-encoded: decoding is the route's business. */
	readonly path: string;
	readonly query: URLSearchParams;
	/** The request target exactly as received (path + query). */
	readonly rawUrl: string;
	readonly headers: IncomingHttpHeaders;
	readonly host: string | undefined;
	readonly body: Buffer;
}

export interface SimResponse {
	status: number;
	headers?: OutgoingHttpHeaders;
	body?: string | Buffer;
}

/** A routed request: `key` names the endpoint in the counters, `handle` produces the answer. */
export interface RouteResult {
	key: string;
	handle: () => SimResponse | Promise<SimResponse>;
}

/** `value` is anything `JSON.stringify` accepts; `undefined` properties are dropped as usual. */
export function jsonResponse(
	status: number,
	value: unknown,
	headers: OutgoingHttpHeaders = {},
): SimResponse {
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
		body: JSON.stringify(value),
	};
}

export function htmlResponse(
	status: number,
	html: string,
	headers: OutgoingHttpHeaders = {},
): SimResponse {
	return {
		status,
		headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
		body: html,
	};
}

export function emptyResponse(status: number, headers: OutgoingHttpHeaders = {}): SimResponse {
	return { status, headers };
}

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** The media type without parameters, lower-cased (`Application/JSON; charset=x` -> `application/json`). */
export function mediaType(headers: IncomingHttpHeaders): string {
	const raw = headers['content-type'] ?? '';
	return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

export function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	if (Array.isArray(value)) return value[0];
	return value;
}

/** Constant-time comparison, so that the simulators never model a timing oracle by accident. */
export function safeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}

/** `decodeURIComponent` that reports malformed escapes instead of throwing. */
export function decodeSegment(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

/** Query as a plain object; repeated keys become arrays. */
export function queryToObject(query: URLSearchParams): Record<string, string | string[]> {
	const result: Record<string, string | string[]> = {};
	for (const [key, value] of query) {
		const existing = result[key];
		if (existing === undefined) result[key] = value;
		else if (Array.isArray(existing)) existing.push(value);
		else result[key] = [existing, value];
	}
	return result;
}

export function headersToJson(
	headers: IncomingHttpHeaders,
	omit: readonly string[] = [],
): JsonObject {
	const result: JsonObject = {};
	for (const [key, value] of Object.entries(headers)) {
		if (value === undefined || omit.includes(key)) continue;
		result[key] = Array.isArray(value) ? [...value] : value;
	}
	return result;
}
