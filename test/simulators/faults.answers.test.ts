/**
 * Injected faults that answer at once: redirects, HTML pages with any status, and exact bodies and
 * headers (including header values Node itself refuses to send). Both simulators share them.
 * Real HTTP throughout; `rawGet` shows the bytes exactly as the server wrote them.
 */
import { NON_JSON_FAILURE_BODY, REDIRECT_STATUSES } from '../../tools/simulators/common';
import { DurstSimulator } from '../../tools/simulators/durst';
import { WATCHER_ENDPOINTS, WatcherSimulator } from '../../tools/simulators/watcher';
import { GENERATE, JSON_HEADERS, rawGet, readJson, splitRaw } from './testSupport';

let durst: DurstSimulator;
let watcher: WatcherSimulator;

beforeAll(async () => {
	[durst, watcher] = await Promise.all([DurstSimulator.start(), WatcherSimulator.start()]);
});

afterAll(async () => {
	await Promise.all([durst.stop(), watcher.stop()]);
});

beforeEach(() => {
	for (const sim of [durst, watcher]) {
		sim.clearFailures();
		sim.clearRequestLog();
		sim.resetCounters();
	}
});

const LOGIN = '/api/v1/login?username=operator&password=x';

describe('redirect', () => {
	it('answers 302 by default with the location exactly as given, and an empty body', async () => {
		durst.failNext({ mode: 'redirect', location: 'http://elsewhere.invalid:8080/steal?x=1' });
		const response = await fetch(`${durst.url}${LOGIN}`, { redirect: 'manual' });
		expect(response.status).toBe(302);
		expect(response.headers.get('location')).toBe('http://elsewhere.invalid:8080/steal?x=1');
		expect(await response.text()).toBe('');
		expect(durst.requestLog.map((entry) => [entry.status, entry.fault])).toEqual([
			[302, 'redirect'],
		]);
	});

	it.each(REDIRECT_STATUSES)('answers %i', async (status) => {
		durst.failNext({ mode: 'redirect', status, location: '/api/v1/printers' });
		const response = await fetch(`${durst.url}/api/v1/printers`, { redirect: 'manual' });
		expect(response.status).toBe(status);
		expect(response.headers.get('location')).toBe('/api/v1/printers');
	});

	it('a relative redirect that is followed reaches the simulator again as a normal request', async () => {
		durst.failNext({ mode: 'redirect', status: 307, location: '/api/v1/login?moved=1' });
		const response = await fetch(`${durst.url}${LOGIN}`);
		expect(response.status).toBe(401);
		expect(durst.requestLog.map((entry) => `${entry.rawUrl} ${entry.status}`)).toEqual([
			`${LOGIN} 307`,
			'/api/v1/login?moved=1 401',
		]);
		expect(durst.injectedFailures).toBe(1);
	});

	it('works on the Watcher simulator, with a body and extra headers', async () => {
		watcher.failNext({
			mode: 'redirect',
			status: 308,
			location: 'https://other.example/vsaas',
			body: '<a href="https://other.example/vsaas">moved</a>',
			contentType: 'text/html',
			headers: { 'x-extra': '1' },
			path: WATCHER_ENDPOINTS.generateToken,
		});
		const response = await fetch(`${watcher.url}${GENERATE}`, {
			method: 'POST',
			headers: JSON_HEADERS,
			body: '{}',
			redirect: 'manual',
		});
		expect(response.status).toBe(308);
		expect(response.headers.get('location')).toBe('https://other.example/vsaas');
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(response.headers.get('x-extra')).toBe('1');
		expect(await response.text()).toContain('moved');
	});
});

describe('html / nonJson', () => {
	it('nonJson still answers 200 with the maintenance page', async () => {
		durst.failNext({ mode: 'nonJson' });
		const response = await fetch(`${durst.url}${LOGIN}`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(await response.text()).toBe(NON_JSON_FAILURE_BODY);
	});

	it.each([
		['html', 502],
		['nonJson', 404],
		['html', 200],
	] as const)('%s takes any status (%i)', async (mode, status) => {
		watcher.failNext({ mode, status });
		const response = await fetch(`${watcher.url}/vsaas/api/v2/cameras`);
		expect(response.status).toBe(status);
		expect(await response.text()).toBe(NON_JSON_FAILURE_BODY);
	});

	it('serves a given page, e.g. 100 KB of "<"', async () => {
		const page = '<'.repeat(100_000);
		durst.failNext({ mode: 'html', status: 500, body: page });
		const response = await fetch(`${durst.url}/api/v1/printers`);
		expect(response.status).toBe(500);
		expect(response.headers.get('content-length')).toBe('100000');
		expect(await response.text()).toBe(page);
	});
});

describe('exact body and headers', () => {
	it('a login answer with wrong JSON types and an odd Latin-1 token header', async () => {
		durst.failNext({
			status: 200,
			body: { userName: 5, xAuthToken: ['not', 'a', 'string'] },
			headers: { 'x-auth-token': 'tök\u00e9n;\u00ff' },
			path: '/api/v1/login',
		});
		const response = await fetch(`${durst.url}${LOGIN}`);
		expect(await readJson<unknown>(response)).toEqual({
			userName: 5,
			xAuthToken: ['not', 'a', 'string'],
		});
		// fetch decodes header bytes as Latin-1, as Node sent them.
		expect(response.headers.get('x-auth-token')).toBe('tök\u00e9n;\u00ff');
	});

	it('header values Node refuses (control characters, CR/LF, wide characters) are written as given', async () => {
		durst.failNext({
			status: 200,
			body: '{"userName":"operator"}',
			contentType: 'application/json',
			headers: {
				'x-auth-token': 'abc\u0001def\u0000',
				'x-wide': 'snow\u2603man',
				'x-split': 'one\r\nx-injected: two',
			},
		});
		const { head, body } = splitRaw(await rawGet(durst.url, LOGIN));
		const lines = head.split('\r\n');
		expect(lines[0]).toBe('HTTP/1.1 200 OK');
		expect(lines).toContain('x-auth-token: abc\u0001def\u0000');
		// UTF-8 bytes of U+2603, read back as Latin-1.
		expect(lines).toContain(`x-wide: ${Buffer.from('snow\u2603man').toString('latin1')}`);
		expect(lines).toContain('x-split: one');
		expect(lines).toContain('x-injected: two');
		expect(lines).toContain('content-type: application/json');
		expect(lines).toContain('content-length: 23');
		expect(lines).toContain('connection: close');
		expect(body.toString()).toBe('{"userName":"operator"}');
		expect(durst.requestLog[0]?.status).toBe(200);
	});

	it('sends bytes exactly, with a content-length the test chose, and removes a default header', async () => {
		const bytes = Buffer.from([0x00, 0xff, 0x1b, 0x5b, 0x0a]);
		durst.failNext({ status: 500, body: bytes, headers: { 'Content-Length': '99' } });
		const first = splitRaw(await rawGet(durst.url, '/api/v1/printers'));
		expect(first.head.split('\r\n')).toEqual([
			'HTTP/1.1 500 Internal Server Error',
			'content-type: application/octet-stream',
			'Content-Length: 99',
			'connection: close',
		]);
		expect(first.body).toEqual(bytes);

		durst.failNext({ status: 200, body: 'plain', headers: { 'content-type': null } });
		const second = await fetch(`${durst.url}/api/v1/printers`);
		expect(second.headers.get('content-type')).toBeNull();
		expect(await second.text()).toBe('plain');
	});

	it('repeats a header given as an array', async () => {
		watcher.failNext({ status: 401, headers: { 'set-cookie': ['a=1', 'b=2'] } });
		const response = await fetch(`${watcher.url}/vsaas/api/v2/users`);
		expect(response.status).toBe(401);
		expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
	});
});

describe('the /__sim/fail admin endpoint', () => {
	async function postFail(spec: unknown): Promise<{ status: number; json: unknown }> {
		const response = await fetch(`${durst.url}/__sim/fail`, {
			method: 'POST',
			body: JSON.stringify(spec),
		});
		return { status: response.status, json: await response.json() };
	}

	it('takes the new modes and fields', async () => {
		expect(
			(await postFail({ mode: 'redirect', status: 307, location: '/x', count: 2 })).status,
		).toBe(200);
		expect(
			(await postFail({ bodyBase64: Buffer.from([1, 2, 3]).toString('base64'), status: 201 }))
				.status,
		).toBe(200);
		expect(durst.pendingFailures).toBe(3);
		for (let i = 0; i < 2; i += 1) {
			const response = await fetch(`${durst.url}/api/v1/printers`, { redirect: 'manual' });
			expect([response.status, response.headers.get('location')]).toEqual([307, '/x']);
		}
		const bytes = await fetch(`${durst.url}/api/v1/printers`);
		expect(bytes.status).toBe(201);
		expect(Buffer.from(await bytes.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
	});

	it.each([
		[{ mode: 'explode' }, /^mode must be one of status, reset, nonJson, html, redirect/],
		[{ mode: 'redirect' }, 'redirect needs location (a string)'],
		[{ mode: 'redirect', location: '/x', status: 200 }, 'status of a redirect must be 3xx'],
		[{ location: '/x' }, 'location only applies to mode redirect'],
		[{ mode: 'hang', bytes: 5 }, 'bytes only applies to mode hugeBody'],
		[{ mode: 'hugeBody', body: 'x' }, 'hugeBody generates its body: no body or bodyBase64'],
		[{ mode: 'hugeBody', fill: 'xml' }, 'fill must be json or text'],
		[{ mode: 'slowBody', chunkIntervalMs: 0 }, 'chunkIntervalMs must be a number >= 1'],
		[{ mode: 'slowBody', chunk: '' }, 'chunk must be a non-empty string'],
		[{ body: 'x', bodyBase64: 'eA==' }, 'body and bodyBase64 exclude each other'],
		[{ bodyBase64: 'not base64!' }, 'bodyBase64 must be base64'],
		[{ headers: { a: 1 } }, 'header "a" must be a string, a string array or null'],
		[{ status: 200, colour: 'red' }, 'unknown field colour'],
		[{ count: 0 }, 'count must be a positive integer'],
	])('refuses %j', async (spec, message) => {
		const { status, json } = await postFail(spec);
		expect(status).toBe(400);
		expect((json as { error: string }).error).toMatch(message);
		expect(durst.pendingFailures).toBe(0);
	});

	it('failNext refuses the same specs with a RangeError', () => {
		expect(() => durst.failNext({ mode: 'redirect' })).toThrow(
			new RangeError('failNext: redirect needs location (a string)'),
		);
		expect(() => durst.failNext({ count: 1.5 })).toThrow(RangeError);
		expect(durst.pendingFailures).toBe(0);
	});
});
