import { existsSync, readFileSync } from 'node:fs';

import type { RunResult } from './engine';

/** Everything of an error a user, a log or an execution record could see. */
export function errorSurface(error: unknown): string {
	if (!error || typeof error !== 'object') return String(error);
	const record = error as Record<string, unknown>;
	const seen = new WeakSet<object>();
	const json = JSON.stringify(record, (_key, value: unknown) => {
		if (value && typeof value === 'object') {
			if (seen.has(value)) return undefined;
			seen.add(value);
		}
		return value;
	});
	return [record.message, record.description, record.stack, json].map(String).join('\n');
}

/** Fails if any secret, raw or URL-encoded, appears in the run's error or output. */
export function expectNoSecrets(
	result: RunResult | { error: unknown; outputText?: string },
	secrets: string[],
): void {
	let text = errorSurface(result.error);
	if ('run' in result) text += JSON.stringify(result.run.data.resultData.runData);
	else if (result.outputText) text += result.outputText;
	for (const secret of secrets) {
		expect(text).not.toContain(secret);
		expect(text).not.toContain(encodeURIComponent(secret));
	}
}

export function errorOf(result: RunResult): { message: string; description: string } {
	// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed by tsc: ESLint's program cannot resolve n8n-core's types here and sees an error type
	const error = result.error as (Error & { description?: string | null }) | undefined;
	if (!error) throw new Error('expected the run to fail, but it succeeded');
	return { message: error.message, description: String(error.description ?? '') };
}

/** What n8n's logger wrote during this test file (see setupLogs.ts). */
export function n8nLogText(): string {
	const file = process.env.N8N_LOG_FILE_LOCATION;
	if (!file || !existsSync(file)) return '';
	return readFileSync(file, 'utf8');
}

/**
 * n8n's logger writes to its file asynchronously: waits (up to `timeoutMs`) until what it wrote
 * during this test file matches `pattern`, and returns all of it, matching or not.
 */
export async function n8nLogTextOnceItMatches(
	pattern: RegExp | string,
	timeoutMs = 5_000,
): Promise<string> {
	const matches = (text: string) =>
		typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
	const deadline = Date.now() + timeoutMs;
	let text = n8nLogText();
	while (!matches(text) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 50));
		text = n8nLogText();
	}
	return text;
}

/**
 * A test file's last test: no secret of `secretsOf()`, raw or URL-encoded, is in any line n8n's
 * logger wrote during the file (its own log), and, when the file's runs fail, the log holds them.
 */
export function testLogsHoldNoSecret(
	secretsOf: () => string[],
	{ failures = true }: { failures?: boolean } = {},
): void {
	const logged = failures ? /error|not|refused|rejected/i : /Workflow execution finished/;
	const title = failures
		? 'n8n logged the failures of this suite, and no secret is in any log line'
		: 'n8n logged the executions of this suite, and no secret is in any log line';
	describe('logs', () => {
		test(title, async () => {
			const text = await n8nLogTextOnceItMatches(logged);
			expect(text).toMatch(logged);
			for (const secret of secretsOf()) {
				expect(text).not.toContain(secret);
				expect(text).not.toContain(encodeURIComponent(secret));
			}
		});
	});
}

/** One form a secret can take, with a name for it that does not show the secret. */
export interface SecretForm {
	form: string;
	label: string;
}

/** Length of the pieces of a secret a leak check looks for (a prefix cut off at 200 characters, say). */
export const SECRET_PIECE_LENGTH = 6;

/** RFC 3986 percent-encoding as `qs` (n8n's query builder) does it: `encodeURIComponent` plus `!'()*`. */
function rfc3986(text: string): string {
	return encodeURIComponent(text).replace(
		/[!'()*]/g,
		(char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

/** What `new URL()` makes of the raw secret in a query: only space, `"#<>'` and non-ASCII encoded. */
function whatwgQuery(text: string): string {
	const url = new URL('http://h/');
	url.search = `?${text}`;
	return url.search.slice(1);
}

/** Axios's own params encoding: `encodeURIComponent`, then `: $ , [ ]` back and `+` for a space. */
function axiosParam(text: string): string {
	return encodeURIComponent(text)
		.replace(/%3A/gi, ':')
		.replace(/%24/g, '$')
		.replace(/%2C/gi, ',')
		.replace(/%20/g, '+')
		.replace(/%5B/gi, '[')
		.replace(/%5D/gi, ']');
}

/**
 * Every form of `secret` a leak check must look for, most complete first, each once: raw;
 * `encodeURIComponent`; RFC 3986 / `qs` (also `!'()*` encoded); both with form encoding's `+` for
 * a space; `URLSearchParams` (WHATWG form encoding); what `new URL()` makes of it in a query, raw or
 * encoded; axios's params encoding; JSON-string-escaped; base64 and base64url of the UTF-8 bytes
 * (without padding, so they also match inside a longer encoded value); and every piece of
 * SECRET_PIECE_LENGTH characters of the raw secret, when it is at least that long.
 */
export function labelledSecretForms(secret: string): SecretForm[] {
	if (secret === '') throw new Error('an empty secret matches everything: pass a real secret');
	const bytes = Buffer.from(secret, 'utf8');
	const candidates: SecretForm[] = [
		{ form: secret, label: 'raw' },
		{ form: encodeURIComponent(secret), label: 'encodeURIComponent' },
		{ form: rfc3986(secret), label: "RFC 3986 / qs encoding (encodeURIComponent and !'()*)" },
		{
			form: encodeURIComponent(secret).replace(/%20/g, '+'),
			label: 'form encoding (encodeURIComponent, + for a space)',
		},
		{
			form: rfc3986(secret).replace(/%20/g, '+'),
			label: 'form encoding (RFC 3986, + for a space)',
		},
		{ form: new URLSearchParams({ s: secret }).toString().slice(2), label: 'URLSearchParams' },
		{ form: whatwgQuery(secret), label: 'WHATWG URL query (the raw secret put into a URL)' },
		{
			form: encodeURIComponent(secret).replace(/'/g, '%27'),
			label: "WHATWG URL query of encodeURIComponent (' as %27)",
		},
		{ form: axiosParam(secret), label: 'axios params encoding' },
		{ form: JSON.stringify(secret).slice(1, -1), label: 'JSON string escaping' },
		{ form: bytes.toString('base64').replace(/=+$/, ''), label: 'base64' },
		{ form: bytes.toString('base64url'), label: 'base64url' },
	];
	const chars = Array.from(secret);
	for (let start = 0; start + SECRET_PIECE_LENGTH <= chars.length; start += 1) {
		candidates.push({
			form: chars.slice(start, start + SECRET_PIECE_LENGTH).join(''),
			label: `${SECRET_PIECE_LENGTH}-character piece at character ${start}`,
		});
	}
	const seen = new Set<string>();
	return candidates.filter(({ form }) => {
		if (form === '' || seen.has(form)) return false;
		seen.add(form);
		return true;
	});
}

/** The strings of `labelledSecretForms`: every form of `secret` a leak check must look for. */
export function secretForms(secret: string): string[] {
	return labelledSecretForms(secret).map(({ form }) => form);
}

/**
 * Fails if `text` holds any form of any of `secrets` (see `secretForms`). The message names the
 * secret by its position and length, the form found and where, with some text around it in which
 * every form of every secret is masked: it never shows a secret.
 */
export function expectNoSecretIn(text: string, secrets: string[]): void {
	const all = secrets.map(labelledSecretForms);
	const masks = all
		.flat()
		.map(({ form }) => form)
		.sort((a, b) => b.length - a.length);
	const mask = (excerpt: string): string =>
		masks.reduce((masked, form) => masked.split(form).join('‹secret›'), excerpt);
	const findings: string[] = [];
	all.forEach((forms, index) => {
		const found = forms.filter(({ form }) => text.includes(form));
		const first = found[0];
		if (first === undefined) return;
		const at = text.indexOf(first.form);
		const around = mask(
			text.slice(Math.max(0, at - 40), at + first.form.length + 40).replace(/\s+/g, ' '),
		);
		const others = found.length > 1 ? ` (and ${found.length - 1} more forms)` : '';
		findings.push(
			`secret #${index + 1} (${Array.from(secrets[index] ?? '').length} characters) found as ` +
				`${first.label} at index ${at}${others}: …${around}…`,
		);
	});
	if (findings.length > 0) throw new Error(`secret leaked:\n  ${findings.join('\n  ')}`);
}
