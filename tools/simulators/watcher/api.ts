/** Request checks and list answers of the Watcher API v2. */
import type { IncomingHttpHeaders } from 'node:http';

import { jsonResponse, mediaType } from '../common/http';
import type { SimRequest, SimResponse } from '../common/http';
import { isPlainObject } from '../common/json';
import type { ParsedJson } from '../common/json';
import { watcherError } from './types';

const INTEGER_QUERY = /^\d{1,9}$/;

export function validation(field: string, detail: string): SimResponse {
	return jsonResponse(
		400,
		watcherError('ValidationError', 'validation error', `${field}: ${detail}`, field),
	);
}

export interface TokenRequest {
	login: string;
	/** Epoch seconds. */
	validTill: number | undefined;
	/** Seconds. */
	lifetime: number | undefined;
}

/** The generate-autologin-token body checked field by field, or the 400 naming the first bad one. */
export function checkTokenRequest(
	headers: IncomingHttpHeaders,
	parsed: ParsedJson,
	nowSeconds: () => number,
): { ok: true; request: TokenRequest } | { ok: false; response: SimResponse } {
	const refuse = (field: string, detail: string) =>
		({ ok: false, response: validation(field, detail) }) as const;
	if (mediaType(headers) !== 'application/json') {
		return refuse('body', 'Content-Type must be application/json');
	}
	if (!parsed.ok) return refuse('body', parsed.reason);
	const body = parsed.value;
	if (!isPlainObject(body)) return refuse('body', 'must be a JSON object');

	const { login, valid_till: validTill, lifetime } = body;
	if (login === undefined) return refuse('login', 'is required');
	if (typeof login !== 'string' || login === '')
		return refuse('login', 'must be a non-empty string');
	if (validTill !== undefined) {
		if (typeof validTill !== 'number' || !Number.isInteger(validTill) || validTill < 0) {
			return refuse('valid_till', 'must be an integer (UTC epoch seconds)');
		}
		if (validTill < nowSeconds()) return refuse('valid_till', 'is in the past');
	}
	if (
		lifetime !== undefined &&
		(typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime <= 0)
	) {
		return refuse('lifetime', 'must be a positive integer (seconds)');
	}
	return { ok: true, request: { login, validTill, lifetime } };
}

function pagination(req: SimRequest): { offset: number; limit: number | undefined } | SimResponse {
	const limitText = req.query.get('limit');
	const offsetText = req.query.get('offset');
	if (limitText !== null && !INTEGER_QUERY.test(limitText))
		return validation('limit', 'must be a non-negative integer');
	if (offsetText !== null && !INTEGER_QUERY.test(offsetText))
		return validation('offset', 'must be a non-negative integer');
	return {
		offset: offsetText === null ? 0 : Number(offsetText),
		limit: limitText === null ? undefined : Number(limitText),
	};
}

function paginate<T>(items: readonly T[], req: SimRequest): T[] | SimResponse {
	const paging = pagination(req);
	if ('status' in paging) return paging;
	const end = paging.limit === undefined ? undefined : paging.offset + paging.limit;
	return items.slice(paging.offset, end);
}

/** A list endpoint: `search` (lower-cased) filters, `offset`/`limit` page, each item is copied. */
export function listAnswer<T extends object>(
	items: readonly T[],
	matches: (item: T, search: string) => boolean,
	req: SimRequest,
): SimResponse {
	const search = (req.query.get('search') ?? '').toLowerCase();
	const matching = items.filter((item) => search === '' || matches(item, search));
	const result = paginate(matching, req);
	if (!Array.isArray(result)) return result;
	return jsonResponse(
		200,
		result.map((item) => ({ ...item })),
	);
}
