/** JSON values as the simulators read and write them; the leaf every other simulator module may import. */

/** Any value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue =
	string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseJson(body: Buffer): ParsedJson {
	const text = body.toString('utf8');
	if (text.trim() === '') return { ok: false, reason: 'empty body' };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false, reason: 'body is not valid JSON' };
	}
}
