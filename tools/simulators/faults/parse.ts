/** Failure specs from JSON: the body of `POST /__sim/fail`. */
import { isPlainObject } from '../common/json';
import type { JsonValue } from '../common/json';
import { FAIL_MODES, validateFailureSpec } from './spec';
import type { FailMode, FailureSpec, FaultHeaders } from './spec';

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
	if (!isPlainObject(value)) return 'failure spec must be a JSON object';
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
