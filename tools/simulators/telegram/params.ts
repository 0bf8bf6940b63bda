/** Reading a Bot API call's parameters as Telegram does: query, JSON or form body, JSON-in-form values. */
import { mediaType, queryToObject } from '../common/http';
import type { SimRequest } from '../common/http';
import { isPlainObject, parseJson } from '../common/json';
import type { JsonObject, JsonValue } from '../common/json';

/** Query and body parameters as one object; form values are strings, JSON-looking ones parsed. */
export function readParams(req: SimRequest): { params: JsonObject; problem?: string } {
	const params: JsonObject = {};
	for (const [key, value] of Object.entries(queryToObject(req.query))) params[key] = value;
	if (req.body.length === 0) return { params };
	const type = mediaType(req.headers);
	if (type === 'application/json') {
		const parsed = parseJson(req.body);
		if (!parsed.ok || !isPlainObject(parsed.value))
			return { params, problem: "Bad Request: can't parse JSON object" };
		return { params: { ...params, ...(parsed.value as JsonObject) } };
	}
	if (type === 'application/x-www-form-urlencoded') {
		for (const [key, value] of new URLSearchParams(req.body.toString('utf8'))) params[key] = value;
		return { params };
	}
	return { params, problem: `Bad Request: unsupported content type ${type || '(none)'}` };
}

/** Form posts send objects as JSON text (reply_markup, allowed_updates); Telegram reads both. */
export function structured(value: JsonValue | undefined): JsonValue | undefined {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as JsonValue;
	} catch {
		return value;
	}
}

export function text(value: JsonValue | undefined): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** Every URL button must name an absolute http(s) URL, as Telegram checks ("Wrong HTTP URL"). */
export function markupProblem(markup: JsonValue | undefined): string | undefined {
	if (markup === undefined || !isPlainObject(markup)) return undefined;
	const rows = markup.inline_keyboard;
	if (rows === undefined) return undefined;
	if (!Array.isArray(rows)) return 'Bad Request: inline keyboard must be an array of arrays';
	for (const row of rows) {
		if (!Array.isArray(row)) return 'Bad Request: inline keyboard must be an array of arrays';
		for (const button of row) {
			if (!isPlainObject(button) || typeof button.text !== 'string' || button.text === '')
				return 'Bad Request: inline keyboard button text is empty';
			if (button.url === undefined) continue;
			const href = typeof button.url === 'string' ? button.url : JSON.stringify(button.url);
			let url: URL | undefined;
			try {
				url = new URL(href);
			} catch {
				url = undefined;
			}
			if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
				return `Bad Request: inline keyboard button URL '${href}' is invalid: Wrong HTTP URL`;
		}
	}
	return undefined;
}
