/**
 * The request layer's pure pieces, for authors who reuse them: what scrubbing removes, what the HTML
 * reader keeps, which headers are refused. Their behaviour inside the nodes is in test/hostile/.
 */
import { headerProblem } from '../nodes/shared/transport/headers';
import { SecretSet } from '../nodes/shared/transport/secrets';
import { bounded, plainText } from '../nodes/shared/text';
import { secretForms } from './harness/assertions';

const PASSWORD = "Pa!ss*w'rd(1) ~Zq";

describe('SecretSet', () => {
	const secrets = new SecretSet([PASSWORD]);

	test.each(secretForms(PASSWORD).filter((form) => form.length > 6))(
		'removes the form %s from server text',
		(form) => {
			expect(secrets.scrubForeign(`before ${form} after`)).not.toContain(form);
		},
	);

	test('removes the whole password from our own text, and leaves other words alone', () => {
		expect(secrets.scrub(`login with ${PASSWORD} failed`)).toBe('login with [redacted] failed');
		expect(secrets.scrub('password was wrong')).toBe('password was wrong');
	});

	test('in server text, a 6-character piece is removed, a 5-character one is not', () => {
		expect(secrets.scrubForeign('hint: Pa!ss*')).toBe('hint: [redacted]');
		expect(secrets.scrubForeign('hint: Pa!ss')).toBe('hint: Pa!ss');
	});

	test('values shorter than 3 characters are not secrets (they would shred every message)', () => {
		expect(new SecretSet(['ab']).scrubForeign('about abc')).toBe('about abc');
	});
});

describe('plainText and bounded', () => {
	test('drops tags, collapses whitespace, shows control characters as spaces', () => {
		expect(plainText('<h1>Bad</h1>\n<p>gate\u0000way</p>')).toBe('Bad gate way');
	});

	test('a "<" with no ">" after it is text', () => {
		expect(plainText('a < b and <c')).toBe('a < b and <c');
	});

	test('reads at most 16 KB of a text', () => {
		expect(plainText('x'.repeat(100_000))).toHaveLength(16 * 1024);
	});

	test('bounded cuts to 1 KB and marks the cut', () => {
		expect(bounded('y'.repeat(2000))).toBe(`${'y'.repeat(1024)}…`);
		expect(bounded('short')).toBe('short');
	});
});

describe('headerProblem', () => {
	test.each([
		['X-Trace', 't-1', undefined],
		['x-auth-token', 'x', 'the node sets this header itself'],
		[
			'Content-Length',
			'1',
			"it controls how the request is framed or routed, which is the HTTP client's job",
		],
		[
			'Proxy-Authorization',
			'x',
			"it controls how the request is framed or routed, which is the HTTP client's job",
		],
		[
			'Bad Header',
			'x',
			"its name may only hold letters, digits and !#$%&'*+-.^_`|~ (no spaces or colons)",
		],
		[
			'X-Value',
			'a\r\nb',
			'its value holds a line break, a control character or a character outside Latin-1',
		],
		['X-Value', 'café', undefined],
		[
			'X-Value',
			'€',
			'its value holds a line break, a control character or a character outside Latin-1',
		],
	])('%s: %j', (name, value, problem) => {
		expect(headerProblem(name, value, ['x-auth-token'])).toBe(problem);
	});
});
