/**
 * Injected faults whose answer outlives the request: `hang` (never answers), `slowBody` (a body that
 * trickles) and `hugeBody` (a body of many megabytes, streamed). They must end when the client gives
 * up, on `destroyStalled()` and on `stop()`, so no test can leave a socket or timer behind.
 */
import { request } from 'node:http';

import { DEFAULT_HUGE_BODY_BYTES } from '../../tools/simulators/common';
import { DurstSimulator } from '../../tools/simulators/durst';
import { WatcherSimulator } from '../../tools/simulators/watcher';
import { KEY, countBytes, rawGet, readJson, splitRaw } from './testSupport';

let durst: DurstSimulator;

beforeEach(async () => {
	durst = await DurstSimulator.start();
});

afterEach(async () => {
	await durst.stop();
});

const PRINTERS = '/api/v1/printers';

/** A request that settles with what happened, so a test can check it after the fact. */
function pending(promise: Promise<Response>): Promise<string> {
	return promise.then(
		(response) => `answered ${response.status}`,
		(error: Error) => `failed: ${error.name}`,
	);
}

describe('hang', () => {
	it('never answers; the socket is released when the client gives up', async () => {
		durst.failNext({ mode: 'hang', path: PRINTERS });
		const outcome = pending(fetch(`${durst.url}${PRINTERS}`, { signal: AbortSignal.timeout(300) }));
		await durst.waitForStalled(1);
		expect(durst.stalledResponsesOf('hang')).toBe(1);
		expect(await outcome).toBe('failed: TimeoutError');
		await durst.waitForStalled(0);
		expect(durst.requestLog.map((entry) => [entry.status, entry.fault])).toEqual([
			[undefined, 'hang'],
		]);
		// The next request is served normally.
		expect((await fetch(`${durst.url}${PRINTERS}`)).status).toBe(401);
	});

	it('reads the whole request body first, then hangs (Watcher, POST)', async () => {
		const watcher = await WatcherSimulator.start();
		try {
			watcher.failNext({ mode: 'hang' });
			const outcome = new Promise<string>((resolve) => {
				const req = request(`${watcher.url}/vsaas/api/v2/auth/generate-autologin-token`, {
					method: 'POST',
					headers: { ...KEY, 'content-type': 'application/json' },
				});
				req.on('response', () => resolve('answered'));
				req.on('error', (error: NodeJS.ErrnoException) => resolve(`failed: ${error.code}`));
				req.end(JSON.stringify({ login: 'x'.repeat(100_000) }));
			});
			await watcher.waitForStalled(1);
			expect(watcher.stats().stalledResponses).toBe(1);
			await watcher.stop();
			expect(await outcome).toBe('failed: ECONNRESET');
			expect(watcher.stalledResponses).toBe(0);
		} finally {
			await watcher.stop();
		}
	});

	it('stop() ends hung requests at once', async () => {
		durst.failNext({ mode: 'hang', count: 3 });
		const outcomes = [1, 2, 3].map(() => pending(fetch(`${durst.url}${PRINTERS}`)));
		await durst.waitForStalled(3);
		const started = Date.now();
		await durst.stop();
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(await Promise.all(outcomes)).toEqual(Array(3).fill('failed: TypeError'));
		expect(durst.stalledResponses).toBe(0);
	});

	it('destroyStalled() and POST /__sim/destroy-stalled end them without stopping', async () => {
		durst.failNext({ mode: 'hang', count: 2 });
		const first = pending(fetch(`${durst.url}${PRINTERS}`));
		await durst.waitForStalled(1);
		expect(durst.destroyStalled()).toBe(1);
		expect(await first).toBe('failed: TypeError');

		const second = pending(fetch(`${durst.url}${PRINTERS}`));
		await durst.waitForStalled(1);
		const admin = await fetch(`${durst.url}/__sim/destroy-stalled`, { method: 'POST' });
		expect(await admin.json()).toEqual({ ok: true, destroyed: 1 });
		expect(await second).toBe('failed: TypeError');
		expect(durst.isRunning).toBe(true);
	});
});

describe('slowBody', () => {
	it('sends status and headers at once, then one chunk per interval, until the client gives up', async () => {
		durst.failNext({
			mode: 'slowBody',
			status: 200,
			body: '[',
			chunk: '{},',
			chunkIntervalMs: 20,
			headers: { 'x-auth-token': 'slow' },
		});
		const response = await fetch(`${durst.url}${PRINTERS}`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(response.headers.get('x-auth-token')).toBe('slow');
		expect(response.headers.get('content-length')).toBeNull();
		const reader = response.body!.getReader();
		let text = '';
		while (text.length < '[{},{},{},'.length) {
			const { value } = await reader.read();
			text += Buffer.from(value!).toString();
		}
		expect(text).toMatch(/^\[(\{\},){3,}$/);
		expect(durst.stalledResponsesOf('slowBody')).toBe(1);
		await reader.cancel();
		await durst.waitForStalled(0);
	});

	it('ends after durationMs when given', async () => {
		durst.failNext({ mode: 'slowBody', chunk: 'ab', chunkIntervalMs: 10, durationMs: 100 });
		const text = await (await fetch(`${durst.url}${PRINTERS}`)).text();
		expect(text).toMatch(/^(ab)+$/);
		expect(durst.stalledResponses).toBe(0);
	});

	it('writes a head Node would refuse by hand, the body delimited by closing the connection', async () => {
		durst.failNext({
			mode: 'slowBody',
			chunk: 'z',
			chunkIntervalMs: 10,
			durationMs: 60,
			headers: { 'x-odd': 'a\u0001b' },
		});
		const { head, body } = splitRaw(await rawGet(durst.url, PRINTERS));
		expect(head.split('\r\n')).toEqual([
			'HTTP/1.1 200 OK',
			'content-type: application/json; charset=utf-8',
			'x-odd: a\u0001b',
			'connection: close',
		]);
		expect(body.toString()).toMatch(/^z+$/);
	});

	it('is ended by stop()', async () => {
		durst.failNext({ mode: 'slowBody' });
		const response = await fetch(`${durst.url}${PRINTERS}`);
		const body = response.text().then(
			() => 'complete',
			() => 'cut off',
		);
		await durst.stop();
		expect(await body).toBe('cut off');
	});
});

describe('hugeBody', () => {
	it('streams 20 MiB by default, announced in content-length', async () => {
		durst.failNext({ mode: 'hugeBody' });
		const response = await fetch(`${durst.url}${PRINTERS}`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(response.headers.get('content-length')).toBe(String(DEFAULT_HUGE_BODY_BYTES));
		expect(await countBytes(response)).toBe(20 * 1024 * 1024);
		await durst.waitForStalled(0);
	});

	it.each([0, 1, 2, 3, 128, 129, 130, 258, 259, 260, 1_000_003])(
		'a JSON array of exactly %i bytes (valid JSON from 2 bytes)',
		async (bytes) => {
			durst.failNext({ mode: 'hugeBody', bytes, status: 203 });
			const response = await fetch(`${durst.url}${PRINTERS}`);
			expect(response.status).toBe(203);
			const text = await response.text();
			expect(Buffer.byteLength(text)).toBe(bytes);
			if (bytes >= 2) expect(Array.isArray(JSON.parse(text))).toBe(true);
		},
	);

	it('text, chunked, with a given content type', async () => {
		durst.failNext({
			mode: 'hugeBody',
			fill: 'text',
			bytes: 300_000,
			chunked: true,
			contentType: 'text/csv',
		});
		const response = await fetch(`${durst.url}${PRINTERS}`);
		expect(response.headers.get('content-length')).toBeNull();
		expect(response.headers.get('transfer-encoding')).toBe('chunked');
		expect(response.headers.get('content-type')).toBe('text/csv');
		const text = await response.text();
		expect(text).toHaveLength(300_000);
		expect(text.startsWith('The quick brown fox')).toBe(true);
	});

	it('with a head Node would refuse: written by hand, length still announced', async () => {
		durst.failNext({ mode: 'hugeBody', bytes: 100_000, headers: { 'x-odd': '\u0000' } });
		const { head, body } = splitRaw(await rawGet(durst.url, PRINTERS));
		expect(head.split('\r\n')).toEqual([
			'HTTP/1.1 200 OK',
			'content-type: application/json; charset=utf-8',
			'x-odd: \u0000',
			'content-length: 100000',
			'connection: close',
		]);
		expect(body).toHaveLength(100_000);
		expect(Array.isArray(JSON.parse(body.toString()))).toBe(true);
	});

	it('stops streaming when the client goes away', async () => {
		durst.failNext({ mode: 'hugeBody', bytes: 500 * 1024 * 1024 });
		const response = await fetch(`${durst.url}${PRINTERS}`);
		const reader = response.body!.getReader();
		await reader.read();
		expect(durst.stalledResponsesOf('hugeBody')).toBe(1);
		await reader.cancel();
		await durst.waitForStalled(0);
		const stats = await readJson<{ stalledResponses: number }>(
			await fetch(`${durst.url}/__sim/stats`),
		);
		expect(stats.stalledResponses).toBe(0);
	});
});
