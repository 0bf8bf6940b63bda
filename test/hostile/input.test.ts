/**
 * Values from items, expressions and credentials (dates, numbers, IDs, custom-call headers, logins,
 * keys and server URLs) are checked before any request, each error naming the field; nothing
 * reaches either server.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Env, HostileCase } from './harness';
import { runCase, useServers } from './harness';
import {
	byEmail,
	byId,
	customCall,
	durstNode,
	printerErrors,
	printers,
	watcherNode,
} from './params';

const servers = useServers();

/** An expression yielding `value`: n8n checks literal parameters itself before the node runs. */
const expr = (value: unknown) => `={{ ${JSON.stringify(value)} }}`;

const watcherToken = (login: INodeParameters[string], options: INodeParameters = {}) =>
	watcherNode({ resource: 'autologin', operation: 'generateToken', login, options });
const demo = byEmail('demo@example.com');
const notADate = (label: string, reason: string) => `"${label}" is not a date: ${reason}`;
const MINUTES = 'must be a positive number of minutes, at most 5270400 (ten years)';
const FRAMING = "it controls how the request is framed or routed, which is the HTTP client's job";
const BAD_VALUE =
	'its value holds a line break, a control character or a character outside Latin-1';
const header = (name: string, value = 'x') =>
	customCall({ path: '/api/v1/echo', headerParameters: { header: [{ name, value }] } });
const headerRefused = (name: string, problem: string) =>
	`The header "${name}" cannot be sent: ${problem}`;

const cases: HostileCase[] = [
	// Dates and numbers: impossible dates, offsets and sizes, none taken for another date
	{
		name: 'Valid Till 1e20 (epoch) is outside any date',
		target: watcherToken(demo, { validTill: '={{ 1e20 }}' }),
		message: notADate(
			'Token Valid Till',
			'"100000000000000000000" is outside the years 1970 to 9999',
		),
	},
	{
		name: 'Valid for (Minutes) 1e12 is refused before a token is issued',
		target: watcherToken(demo, { validForMinutes: 1e12 }),
		message: `"Token Valid for (Minutes)" ${MINUTES}`,
	},
	{
		name: 'Session Lifetime (Minutes) 1e9 is refused',
		target: watcherToken(demo, { sessionLifetimeMinutes: 1e9 }),
		message: `"Session Lifetime (Minutes)" ${MINUTES}`,
	},
	{
		name: 'Valid Till 2030-13-45 has no month 13',
		target: watcherToken(demo, { validTill: expr('2030-13-45') }),
		message: notADate('Token Valid Till', '"2030-13-45" has no month 13'),
	},
	{
		name: 'Valid Till 2030-02-30T25:61 has no 30 February',
		target: watcherToken(demo, { validTill: expr('2030-02-30T25:61') }),
		message: notADate('Token Valid Till', '"2030-02-30T25:61" has no day 30 in month 2'),
	},
	{
		name: 'Valid Till 2030-01-01T25:61 is no time of day',
		target: watcherToken(demo, { validTill: expr('2030-01-01T25:61') }),
		message: notADate('Token Valid Till', '"2030-01-01T25:61" is not a time of day'),
	},
	{
		name: 'Valid Till with offset +25:00',
		target: watcherToken(demo, { validTill: expr('2030-01-01T10:00:00+25:00') }),
		message: notADate(
			'Token Valid Till',
			'"2030-01-01T10:00:00+25:00" has no time zone offset +25:00',
		),
	},
	{
		name: 'Valid Till in words',
		target: watcherToken(demo, { validTill: expr('tomorrow') }),
		message: notADate(
			'Token Valid Till',
			'"tomorrow" is not an ISO 8601 date such as 2030-01-31T12:00:00Z',
		),
	},
	{
		name: 'Durst Start Date 2026-02-30',
		target: printerErrors({ startDate: expr('2026-02-30') }),
		message: notADate('Start Date', '"2026-02-30" has no day 30 in month 2'),
	},
	{
		name: 'Durst End Date of 100 KB of digits',
		target: printerErrors({ endDate: expr('9'.repeat(100_000)) }),
		message: notADate('End Date', 'the text is too long to be a date'),
	},
	{
		name: 'Durst Start Date after End Date',
		target: printerErrors({ startDate: '2026-01-03T00:00:00Z' }),
		message: '"Start Date" must be before "End Date"',
	},
	// IDs: none that is empty, too long, holds a line break or would change the request's path
	...[
		['Printer', '.', printerErrors({ printerId: byId('.') })],
		['Printer', '..', durstNode({ resource: 'printer', operation: 'get', printerId: byId('..') })],
		[
			'Job ID',
			'..',
			durstNode({ resource: 'job', operation: 'get', printerId: byId('P-1001'), jobId: '..' }),
		],
		[
			'Job ID',
			'.',
			durstNode({
				resource: 'job',
				operation: 'getInkConsumption',
				printerId: byId('P-1001'),
				jobId: expr('.'),
			}),
		],
	].map(([label, id, target]): HostileCase => ({
		name: `${label as string} "${id as string}" would change the path`,
		target: target as HostileCase['target'],
		message: `The "${label as string}" is "${id as string}", which is not an ID`,
	})),
	{
		name: 'a Printer that is only spaces is empty',
		target: durstNode({ resource: 'printer', operation: 'get', printerId: byId(expr('   ')) }),
		message: 'The "Printer" is empty',
	},
	{
		name: 'a Job ID with a line break',
		target: durstNode({
			resource: 'job',
			operation: 'get',
			printerId: byId('P-1001'),
			jobId: expr('J-1\nX'),
		}),
		message: 'The "Job ID" holds a line break or control character',
	},
	{
		name: 'a Printer of 300 characters',
		target: durstNode({ resource: 'printer', operation: 'get', printerId: byId('P'.repeat(300)) }),
		message: 'The "Printer" is longer than 256 characters',
	},
	// Headers of the custom call: none that frames the request, or that the client would mangle
	...[
		'Content-Length',
		'Transfer-Encoding',
		'Connection',
		'Keep-Alive',
		'Upgrade',
		'TE',
		'Trailer',
		'Host',
		'Proxy-Authorization',
	].map((name): HostileCase => ({
		name: `the framing or routing header ${name} is refused`,
		target: header(name, name === 'Content-Length' ? '999' : 'x'),
		message: headerRefused(name, FRAMING),
	})),
	{
		name: 'the token header in lower case is refused',
		target: header('x-auth-token', 'forged-token'),
		message: headerRefused('x-auth-token', 'the node sets this header itself'),
	},
	{
		name: 'a header name with a space is refused, not reported as a network failure',
		target: header('Bad Header'),
		message: headerRefused(
			'Bad Header',
			"its name may only hold letters, digits and !#$%&'*+-.^_`|~ (no spaces or colons)",
		),
	},
	{
		name: 'a header name with a colon is refused',
		target: header('X:Y'),
		message: headerRefused(
			'X:Y',
			"its name may only hold letters, digits and !#$%&'*+-.^_`|~ (no spaces or colons)",
		),
	},
	{
		name: 'a header value with CR/LF is refused',
		target: header('X-Trace', expr('a\r\nX-Injected: 1')),
		message: headerRefused('X-Trace', BAD_VALUE),
	},
	{
		name: 'a header value outside Latin-1 is refused, not silently dropped',
		target: header('X-Currency', '€100'),
		message: headerRefused('X-Currency', BAD_VALUE),
	},
	// Other values of the custom call
	{
		name: 'a full URL as the Path is refused',
		target: customCall({ path: 'http://127.0.0.1:1/steal' }),
		message:
			'The "Path" is not allowed: the path is an absolute URL; only paths on the credential\'s server are allowed',
	},
	{
		name: 'a protocol-relative Path is refused',
		target: customCall({ path: '//127.0.0.1:1/steal' }),
		message: 'The "Path" is not allowed: the path starts with "//", which would name another host',
	},
	{
		name: 'a Method from an expression that is not offered',
		target: customCall({ method: expr('TRACE'), path: '/api/v1/echo' }),
		message: '"Method" must be one of GET, POST, PUT, PATCH, DELETE',
	},
	{
		name: 'a Limit of -1 from an expression',
		target: durstNode({
			resource: 'printer',
			operation: 'getAll',
			returnAll: false,
			limit: '={{ -1 }}',
		}),
		message: '"Limit" must be a whole number of at least 1',
	},
	{
		name: 'Max Concurrent Requests 0',
		target: printers({ maxConcurrency: '={{ 0 }}' }),
		message: '"Max Concurrent Requests" must be a whole number from 1 to 200',
	},
	// Logins and credentials: nothing that would reach a header, a pattern or the server unchecked
	{
		name: 'a login holding NUL is not sent',
		target: watcherToken(byEmail(expr('demo\u0000@example.com'))),
		message: 'The "Login" holds a line break or control character',
	},
	{
		name: 'a login of 50,000 characters is refused by its length, before any pattern',
		target: watcherToken(byEmail('={{ "a".repeat(50000) + "@example.com" }}')),
		message: 'The "Login" is longer than 254 characters',
	},
	{
		name: 'a login that is not an e-mail address',
		target: watcherToken(byEmail(expr('nobody'))),
		message: 'The "Login" "nobody" is not an email address',
	},
	{
		name: 'a Durst username holding a control character is not sent',
		target: printers(),
		credential: { username: 'operator\u0007' },
		message: 'The Username in the Durst Analytics credential is not valid',
	},
	{
		name: 'a Durst Server URL that is not http(s)',
		target: printers(),
		credential: { baseUrl: 'ftp://127.0.0.1/' },
		message: 'The Server URL in the Durst Analytics credential is not a valid http(s) URL',
	},
	{
		name: 'a Watcher API key with a line break inside is refused, naming the field',
		target: watcherToken(demo),
		credential: { apiKey: 'wk-part-one\nwk-part-two' },
		message: 'The API Key in the Flussonic Watcher credential is not valid',
		secrets: ['wk-part-one\nwk-part-two'],
	},
	{
		name: 'a Watcher API key outside Latin-1 is refused by the credential Test, naming the field',
		target: { credentialTest: 'watcher' },
		credential: { apiKey: 'wk-€uro-key-0123' },
		message:
			'The API Key in the Flussonic Watcher credential is not valid. It is longer than 1024 characters or holds a line break, a control character or a character outside Latin-1, which no HTTP header can carry. Copy it again from the Flussonic Watcher web UI.',
		secrets: ['wk-€uro-key-0123'],
	},
	{
		name: 'an empty Watcher API key',
		target: watcherToken(demo),
		credential: { apiKey: '   ' },
		message: 'The Flussonic Watcher credential has no API key',
	},
	{
		name: 'a Watcher Server URL with a user and password in it',
		target: watcherToken(demo),
		credential: (env: Env) => ({ baseUrl: env.watcher.url.replace('//', '//u:p@') }),
		message: 'The Server URL in the Flussonic Watcher credential is not a valid http(s) URL',
	},
];

test.each(cases.map((test) => [test.name, test]))('%s', async (_name, test) => {
	await runCase(servers(), {
		...test,
		check: (env) => {
			expect(env.durst.requestLog).toHaveLength(0);
			expect(env.watcher.requestLog).toHaveLength(0);
		},
	});
});
