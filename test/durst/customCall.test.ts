/**
 * Custom API Call: any call to the Durst Analytics API with the node's token, and nowhere else.
 * Headers and bodies the node refuses before any request: see refused.test.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { errorOf, expectNoSecrets } from '../harness/assertions';
import { durst, expectLogsWithoutSecrets, run, secrets, sim, useDurstSimulator } from './support';

useDurstSimulator();

describe('confinement of the custom call', () => {
	let evil: http.Server;
	let evilHits = 0;
	let evilUrl: string;

	beforeAll(async () => {
		evil = http.createServer((_req, res) => {
			evilHits += 1;
			res.end('{}');
		});
		await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
		evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		evil.closeAllConnections();
		await new Promise((resolve) => evil.close(resolve));
	});

	const absolute = "the path is an absolute URL; only paths on the credential's server are allowed";
	const unsafeCharacters = 'the path contains spaces, control characters or backslashes';
	test.each<[string, () => string, string]>([
		['an absolute URL', () => `${evilUrl}/api/v1/printers`, absolute],
		['an absolute URL to the same server', () => `${sim.url}/api/v1/printers`, absolute],
		[
			'a protocol-relative URL',
			() => `//127.0.0.1:${new URL(evilUrl).port}/x`,
			'the path starts with "//", which would name another host',
		],
		['a backslash host', () => `\\\\127.0.0.1:${new URL(evilUrl).port}\\x`, unsafeCharacters],
		['a slash-backslash host', () => `/\\127.0.0.1:${new URL(evilUrl).port}/x`, unsafeCharacters],
		['another scheme', () => 'javascript:alert(1)', absolute],
		['a file URL', () => 'file:///etc/passwd', absolute],
		['a path with a space', () => '/api/v1/echo x', unsafeCharacters],
		['an empty path', () => '={{ "" }}', 'the path is empty'],
	])('%s is refused before any request', async (_label, pathOf, reason) => {
		evilHits = 0;
		const result = await run([
			durst({ resource: 'request', operation: 'send', method: 'GET', path: pathOf() }),
		]);
		expect(errorOf(result).message).toBe(`The "Path" is not allowed: ${reason}`);
		expect(sim.totalCalls).toBe(0);
		expect(evilHits).toBe(0);
		expectNoSecrets(result, secrets());
	});

	test('a path without a leading slash is taken as relative to the server', async () => {
		const result = await run([
			durst({ resource: 'request', operation: 'send', method: 'GET', path: 'api/v1/echo' }),
		]);
		expect(result.output()[0].json.path).toBe('/api/v1/echo');
	});

	test('extra headers go along with the token, and every token-bearing request reached the server itself', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'GET',
				path: '/api/v1/echo',
				headerParameters: { header: [{ name: 'X-Trace', value: 't-1' }] },
			}),
		]);
		expect(result.output()[0].json.headers).toMatchObject({ 'x-trace': 't-1' });
		const log = sim.tokenBearingRequests;
		expect(log.length).toBeGreaterThan(0);
		for (const entry of log) {
			expect(sim.isTokenValid(entry.headers['x-auth-token'] as string)).toBe(true);
		}
	});
});

describe('Custom API Call', () => {
	test('GET with query parameters and headers returns the body', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'GET',
				path: '/api/v1/echo',
				queryParameters: {
					parameter: [
						{ name: 'a', value: '1 2' },
						{ name: 'b', value: 'x&y' },
					],
				},
			}),
		]);
		const body = result.output()[0].json;
		expect(body).toMatchObject({
			method: 'GET',
			path: '/api/v1/echo',
			query: { a: '1 2', b: 'x&y' },
		});
		expect(JSON.stringify(body.headers)).not.toContain('x-auth-token');
	});

	test('POST sends the JSON body', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'POST',
				path: '/api/v1/echo',
				jsonBody: '{"startDate":"2026-01-01T00:00:00Z","n":[1,2]}',
			}),
		]);
		expect(result.output()[0].json.body).toEqual({ startDate: '2026-01-01T00:00:00Z', n: [1, 2] });
	});

	test('a list answer becomes one item per element', async () => {
		const result = await run([
			durst({ resource: 'request', operation: 'send', method: 'GET', path: '/api/v1/printers' }),
		]);
		expect(result.output().map((item) => item.json.id)).toEqual([
			'P-1001',
			'P-1002',
			'P-1003',
			'P-1004',
		]);
	});

	test('Full Response gives status, headers without x-auth-token, and body', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'DELETE',
				path: '/api/v1/echo',
				options: { fullResponse: true },
			}),
		]);
		const item = result.output()[0].json;
		expect(item.statusCode).toBe(200);
		expect(item.headers).toMatchObject({ 'x-sim-echo': '1' });
		expect(Object.keys(item.headers as IDataObject).map((h) => h.toLowerCase())).not.toContain(
			'x-auth-token',
		);
		expect(item.body).toMatchObject({ method: 'DELETE' });
	});

	test('an HTTP error of the API is reported with status and call, without secrets', async () => {
		const result = await run([
			durst({
				resource: 'request',
				operation: 'send',
				method: 'GET',
				path: '/api/v1/printers/NOPE',
			}),
		]);
		expect(errorOf(result).message).toBe(
			'Durst Analytics found nothing at GET /api/v1/printers/NOPE (status 404)',
		);
		expectNoSecrets(result, secrets());
	});
});

expectLogsWithoutSecrets();
