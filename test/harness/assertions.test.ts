/**
 * The leak check of the hostile suite: secretForms lists every form a secret takes on the wire and in
 * text, and expectNoSecretIn finds each of them without ever printing the secret.
 */
import {
	SECRET_PIECE_LENGTH,
	expectNoSecretIn,
	labelledSecretForms,
	secretForms,
} from './assertions';

// qs is what n8n's request helper builds query strings with (a dependency of n8n-core's network layer).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- qs is a transitive dependency without types; require keeps it untyped on purpose
const qs = require('qs') as { stringify: (value: object) => string };

const PASSWORD = "Pa!ss*w'rd(1) ü~";

/** The message of the error `run` throws, or '' when it does not throw. */
function failure(run: () => void): string {
	try {
		run();
		return '';
	} catch (error) {
		return (error as Error).message;
	}
}

describe('secretForms', () => {
	it('lists raw, URL, qs, form, WHATWG URL, axios, JSON and base64 forms', () => {
		const forms = labelledSecretForms(PASSWORD).filter((item) => !item.label.includes('piece'));
		expect(forms).toEqual([
			{ label: 'raw', form: PASSWORD },
			{ label: 'encodeURIComponent', form: "Pa!ss*w'rd(1)%20%C3%BC~" },
			{
				label: "RFC 3986 / qs encoding (encodeURIComponent and !'()*)",
				form: 'Pa%21ss%2Aw%27rd%281%29%20%C3%BC~',
			},
			{
				label: 'form encoding (encodeURIComponent, + for a space)',
				form: "Pa!ss*w'rd(1)+%C3%BC~",
			},
			{ label: 'form encoding (RFC 3986, + for a space)', form: 'Pa%21ss%2Aw%27rd%281%29+%C3%BC~' },
			{ label: 'URLSearchParams', form: 'Pa%21ss*w%27rd%281%29+%C3%BC%7E' },
			{
				label: 'WHATWG URL query (the raw secret put into a URL)',
				form: 'Pa!ss*w%27rd(1)%20%C3%BC~',
			},
			// The same string as what `new URL()` makes of encodeURIComponent's form: listed once.
			{ label: 'base64', form: Buffer.from(PASSWORD).toString('base64').replace(/=+$/, '') },
		]);
		// Equal forms are listed once: JSON escaping is the raw form here, base64url the base64 form,
		// axios's encoding the form encoding.
		expect(new Set(secretForms(PASSWORD)).size).toBe(secretForms(PASSWORD).length);
	});

	it('lists base64url apart when it differs, and axios params encoding', () => {
		const forms = labelledSecretForms('??>: $,[]');
		expect(forms.find((item) => item.label === 'base64')?.form).toBe('Pz8+OiAkLFtd');
		expect(forms.find((item) => item.label === 'base64url')?.form).toBe('Pz8-OiAkLFtd');
		expect(forms.find((item) => item.label === 'axios params encoding')?.form).toBe(
			'%3F%3F%3E:+$,[]',
		);
	});

	it('matches what qs, URLSearchParams and the URL class really produce', () => {
		const forms = secretForms(PASSWORD);
		expect(forms).toContain(qs.stringify({ p: PASSWORD }).slice(2));
		expect(forms).toContain(new URLSearchParams({ p: PASSWORD }).toString().slice(2));
		expect(forms).toContain(new URL(`http://h/?p=${encodeURIComponent(PASSWORD)}`).search.slice(3));
		expect(forms).toContain(new URL(`http://h/?p=${PASSWORD}`).search.slice(3));
	});

	it('escapes for JSON: quotes, backslashes, control characters', () => {
		expect(secretForms('a"b\\c\nd')).toContain('a\\"b\\\\c\\nd');
		expect(labelledSecretForms('a"b\\c\nd').find((item) => item.label.startsWith('JSON'))).toEqual({
			form: 'a\\"b\\\\c\\nd',
			label: 'JSON string escaping',
		});
	});

	it(`lists every ${SECRET_PIECE_LENGTH}-character piece, by characters, not UTF-16 units`, () => {
		const secret = 'ab😀cdefg';
		const pieces = labelledSecretForms(secret).filter((item) => item.label.includes('piece'));
		expect(pieces.map((item) => item.form)).toEqual(['ab😀cde', 'b😀cdef', '😀cdefg']);
		expect(pieces[2]?.label).toBe('6-character piece at character 2');
		expect(labelledSecretForms('short').some((item) => item.label.includes('piece'))).toBe(false);
		expect(() => secretForms('')).toThrow(/empty secret/);
	});
});

describe('expectNoSecretIn', () => {
	const API_KEY = 'k3y-0123456789abcdef';

	it('passes on text without any form of the secrets', () => {
		expect(
			failure(() =>
				expectNoSecretIn('Durst Analytics rejected the login (401)', [PASSWORD, API_KEY]),
			),
		).toBe('');
	});

	it.each([
		['raw', `password=${PASSWORD}`],
		['RFC 3986 / qs encoding', `GET /api/v1/login?${qs.stringify({ password: PASSWORD })}`],
		['URLSearchParams', `?${new URLSearchParams({ p: PASSWORD }).toString()}`],
		['base64', `basic ${Buffer.from(`operator:${PASSWORD}`).toString('base64')}`],
		['6-character piece at character 0', `Error: ${PASSWORD.slice(0, 7)}… (cut at 200)`],
		['6-character piece at character 8', `…${PASSWORD.slice(8)}`],
	])('finds the %s form, naming it without showing the secret', (label, text) => {
		const secret = label === 'base64' ? `operator:${PASSWORD}` : PASSWORD;
		const message = failure(() =>
			expectNoSecretIn(`some text ${text} more text`, [API_KEY, secret]),
		);
		expect(message).toContain(
			`secret #2 (${Array.from(secret).length} characters) found as ${label}`,
		);
		expect(message).not.toContain('secret #1');
		for (const form of secretForms(secret)) expect(message).not.toContain(form);
	});

	it('reports every leaked secret, masking them all in the excerpt', () => {
		const text = `x-auth-token: ${API_KEY}, password: ${PASSWORD}`;
		const message = failure(() => expectNoSecretIn(text, [PASSWORD, API_KEY]));
		expect(message.split('\n')).toEqual([
			'secret leaked:',
			expect.stringMatching(
				/^ {2}secret #1 \(16 characters\) found as raw at index 46 \(and \d+ more forms\): …-token: ‹secret›, password: ‹secret›…$/,
			),
			expect.stringMatching(
				/^ {2}secret #2 \(20 characters\) found as raw at index 14 \(and \d+ more forms\): /,
			),
		]);
	});
});
