/**
 * The foreign server: records what reaches it, answers 200 `{}`, and reports a leak without
 * printing the leaked values. Also shows its intended use as the target of a simulator's redirect.
 */
import { lookup } from 'node:dns/promises';

import { DurstSimulator } from '../../tools/simulators/durst';
import { ForeignServer, localhostUrlOf } from '../../tools/simulators/foreign';

let foreign: ForeignServer;

beforeEach(async () => {
	foreign = await ForeignServer.start();
});

afterEach(async () => {
	await foreign.stop();
});

it('listens on 127.0.0.1 on a random port and answers 200 {}', async () => {
	expect(foreign.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	expect(foreign.localhostUrl).toBe(`http://localhost:${foreign.port}`);
	const response = await fetch(`${foreign.url}/anything`);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
	expect(await response.json()).toEqual({});
});

it('records method, URL, host, headers as sent and the body', async () => {
	await fetch(`${foreign.url}/a/b?password=p%40ss&x=1`, {
		method: 'POST',
		headers: { 'X-Vsaas-Api-Key': 'key-1', 'content-type': 'application/json' },
		body: JSON.stringify({ login: 'demo' }),
	});
	expect(foreign.requests).toHaveLength(1);
	const [request] = foreign.requests;
	expect(request).toMatchObject({
		seq: 1,
		method: 'POST',
		url: '/a/b?password=p%40ss&x=1',
		host: `127.0.0.1:${foreign.port}`,
		bodyBytes: 16,
		bodyTruncated: false,
	});
	expect(request?.headers['x-vsaas-api-key']).toBe('key-1');
	expect(request?.rawHeaders).toContain('X-Vsaas-Api-Key');
	expect(request?.body.toString()).toBe('{"login":"demo"}');
	expect(foreign.text()).toContain('X-Vsaas-Api-Key: key-1');
	expect(foreign.text()).toContain('POST /a/b?password=p%40ss&x=1');
});

it('keeps a bounded prefix of large bodies and a bounded number of requests', async () => {
	const small = await ForeignServer.start({ maxBodyBytes: 1000, maxRequests: 2 });
	try {
		await fetch(small.url, { method: 'PUT', body: 'y'.repeat(200_000) });
		expect(small.requests[0]).toMatchObject({ bodyBytes: 200_000, bodyTruncated: true });
		expect(small.requests[0]?.body).toHaveLength(1000);
		for (let i = 0; i < 3; i += 1) await fetch(`${small.url}/${i}`);
		expect(small.requests.map((request) => request.url)).toEqual(['/1', '/2']);
		expect(small.totalRequests).toBe(4);
	} finally {
		await small.stop();
	}
});

it('expectNoRequests names what arrived but no query, header value or body', async () => {
	foreign.expectNoRequests();
	await fetch(`${foreign.url}/steal?password=hunter2`, {
		method: 'POST',
		headers: { 'x-auth-token': 'tok-secret' },
		body: 'password=hunter2',
	});
	let message = '';
	try {
		foreign.expectNoRequests('the attacker');
	} catch (error) {
		message = (error as Error).message;
	}
	expect(message).toMatch(
		/^1 request\(s\) reached the attacker, expected none:\n {2}POST \/steal\?<query>/,
	);
	expect(message).toContain('x-auth-token');
	expect(message).toContain('body: 16 bytes');
	expect(message).not.toContain('hunter2');
	expect(message).not.toContain('tok-secret');

	foreign.clear();
	expect(foreign.requests).toEqual([]);
	foreign.expectNoRequests();
	expect(foreign.totalRequests).toBe(1);
});

it('records headers even when the body never completes', async () => {
	const controller = new AbortController();
	const body = new ReadableStream<Uint8Array>({
		start(stream) {
			stream.enqueue(new TextEncoder().encode('partial'));
		},
	});
	const sent = fetch(`${foreign.url}/upload`, {
		method: 'POST',
		headers: { 'x-auth-token': 'tok' },
		body,
		duplex: 'half',
		signal: controller.signal,
	} as RequestInit).catch(() => 'aborted');
	for (let i = 0; i < 100 && foreign.requests[0]?.bodyBytes !== 7; i += 1)
		await new Promise((resolve) => setTimeout(resolve, 10));
	controller.abort();
	expect(await sent).toBe('aborted');
	expect(foreign.requests[0]).toMatchObject({ url: '/upload', bodyBytes: 7 });
	expect(foreign.requests[0]?.headers['x-auth-token']).toBe('tok');
});

it('is the target of a cross-origin redirect: what a following client sends there is on record', async () => {
	const sim = await DurstSimulator.start();
	try {
		sim.failNext({ mode: 'redirect', status: 307, location: `${foreign.url}/steal` });
		// Node's fetch drops only authorization/cookie-like headers across origins: x-auth-token goes along.
		await fetch(`${sim.url}/api/v1/printers`, { headers: { 'x-auth-token': 'tok-123' } });
		expect(foreign.requests.map((request) => request.url)).toEqual(['/steal']);
		expect(foreign.requests[0]?.headers['x-auth-token']).toBe('tok-123');
		expect(() => foreign.expectNoRequests()).toThrow(/GET \/steal/);
	} finally {
		await sim.stop();
	}
});

it('offers another origin for the same server under the name localhost', async () => {
	expect(localhostUrlOf('http://127.0.0.1:5602')).toBe('http://localhost:5602');
	expect(localhostUrlOf('http://127.0.0.1:5602/api/v1')).toBe('http://localhost:5602/api/v1');
	expect(() => localhostUrlOf('http://example.com/')).toThrow(/not an http:\/\/127\.0\.0\.1: URL/);
	// Reaching it by that name needs localhost to resolve to 127.0.0.1 first (it does in /etc/hosts here).
	if ((await lookup('localhost')).address !== '127.0.0.1') return;
	await fetch(`${foreign.localhostUrl}/x`);
	expect(foreign.requests[0]?.host).toBe(`localhost:${foreign.port}`);
});

it('stops promptly with open keep-alive connections', async () => {
	await fetch(foreign.url);
	const started = Date.now();
	await foreign.stop();
	expect(Date.now() - started).toBeLessThan(1_000);
	await expect(fetch(foreign.url)).rejects.toThrow('fetch failed');
});
