/**
 * What both simulators share (latency, failure injection, the /__sim admin surface, lifecycle),
 * and the CLI that starts them.
 * Real HTTP throughout, so that the node tests built on the simulators test the nodes, not a fake.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NON_JSON_FAILURE_BODY } from '../../tools/simulators/common';
import type { SimStats } from '../../tools/simulators/common';
import { DURST_ENDPOINTS, DurstSimulator } from '../../tools/simulators/durst';
import { parseCliArgs, startSimulators } from '../../tools/simulators/cli';
import { KEY, readJson } from './testSupport';

describe('shared behaviour', () => {
	let durst: DurstSimulator;

	beforeEach(async () => {
		durst = await DurstSimulator.start();
	});

	afterEach(async () => {
		await durst.stop();
	});

	it('delays answers by latencyMs, settable at run time and over the admin endpoint', async () => {
		durst.latencyMs = 150;
		let started = Date.now();
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(401);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);

		// Admin calls are never delayed.
		started = Date.now();
		const set = await fetch(`${durst.url}/__sim/latency?ms=0`, { method: 'POST' });
		expect(await set.json()).toEqual({ latencyMs: 0 });
		expect(Date.now() - started).toBeLessThan(140);
		expect(durst.latencyMs).toBe(0);

		expect((await fetch(`${durst.url}/__sim/latency?ms=abc`, { method: 'POST' })).status).toBe(400);
		expect(() => {
			durst.latencyMs = -1;
		}).toThrow(RangeError);
	});

	it('injects status failures with a body, a count and a path filter', async () => {
		durst.failNext({ status: 503, body: { error: 'down' }, count: 2, path: '/api/v1/login' });
		expect(durst.pendingFailures).toBe(2);
		const other = await fetch(`${durst.url}/api/v1/printers`);
		expect(other.status).toBe(401);
		for (let i = 0; i < 2; i += 1) {
			const failed = await fetch(`${durst.url}/api/v1/login?username=operator&password=x`);
			expect(failed.status).toBe(503);
			expect(await failed.json()).toEqual({ error: 'down' });
		}
		expect((await fetch(`${durst.url}/api/v1/login?username=operator&password=x`)).status).toBe(
			401,
		);
		expect(durst.injectedFailures).toBe(2);
		expect(durst.logins).toBe(3);
		expect(durst.loginFailures).toBe(1);
		expect(durst.callCount(DURST_ENDPOINTS.login)).toBe(3);

		durst.failNext({ status: 500, path: 'GET /api/v1/printers/{id}' });
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(401);
		const byKey = await fetch(`${durst.url}/api/v1/printers/P-1001`);
		expect(byKey.status).toBe(500);
		expect(await byKey.text()).toBe('');

		durst.failNext({ status: 502, path: '/api/v1/printers/*' });
		expect(
			(await fetch(`${durst.url}/api/v1/printers/P-1004/errors`, { method: 'POST' })).status,
		).toBe(502);
	});

	it('injects connection resets', async () => {
		durst.failNext({ mode: 'reset' });
		// Node's fetch lives in another realm than jest's globals, so match the message, not the class.
		await expect(fetch(`${durst.url}/api/v1/printers`)).rejects.toThrow('fetch failed');
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(401);
		expect(durst.injectedFailures).toBe(1);
		expect(durst.totalCalls).toBe(2);
	});

	it('injects 200 answers with an HTML body', async () => {
		durst.failNext({ mode: 'nonJson' });
		const response = await fetch(
			`${durst.url}/api/v1/login?username=operator&password=${encodeURIComponent('s3cr3t&pa ss?')}`,
		);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		expect(response.headers.get('x-auth-token')).toBeNull();
		expect(await response.text()).toBe(NON_JSON_FAILURE_BODY);
		expect(durst.tokensIssued).toBe(0);
	});

	it('exposes stats, counters, failures, clock and config over /__sim without counting them', async () => {
		await fetch(`${durst.url}/api/v1/printers`);
		let stats = await readJson<SimStats>(await fetch(`${durst.url}/__sim/stats`));
		expect(stats).toMatchObject({
			name: 'durst',
			url: durst.url,
			totalCalls: 1,
			calls: { [DURST_ENDPOINTS.printers]: 1 },
			rejected: 1,
			version: '1.6',
		});

		expect((await fetch(`${durst.url}/__sim/reset-counters`, { method: 'POST' })).status).toBe(200);
		stats = await readJson<SimStats>(await fetch(`${durst.url}/__sim/stats`));
		expect(stats).toMatchObject({ totalCalls: 0, calls: {}, rejected: 0 });

		const fail = await fetch(`${durst.url}/__sim/fail`, {
			method: 'POST',
			body: JSON.stringify({ status: 418, count: 1 }),
		});
		expect(await fail.json()).toEqual({ ok: true, pendingFailures: 1 });
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(418);
		expect(
			(
				await fetch(`${durst.url}/__sim/fail`, {
					method: 'POST',
					body: JSON.stringify({ mode: 'explode' }),
				})
			).status,
		).toBe(400);

		const before = durst.clockMs;
		const clock = await readJson<{ clockMs: number }>(
			await fetch(`${durst.url}/__sim/clock?advanceMs=86400000`, { method: 'POST' }),
		);
		expect(clock.clockMs - before).toBeGreaterThanOrEqual(86_400_000);
		expect(clock.clockMs - before).toBeLessThan(86_400_000 + 5_000);

		const config = await fetch(`${durst.url}/__sim/config`, {
			method: 'POST',
			body: JSON.stringify({ version: '1.4', rejectStatus: 403 }),
		});
		expect(await config.json()).toEqual({
			version: '1.4',
			loginMode: 'normal',
			rejectStatus: 403,
			loginRejectStatus: 401,
		});
		expect(durst.version).toBe('1.4');
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(403);

		const log = await readJson<{ path: string; status: number }[]>(
			await fetch(`${durst.url}/__sim/requests`),
		);
		expect(log.map((entry) => `${entry.path} ${entry.status}`)).toEqual([
			'/api/v1/printers 401',
			'/api/v1/printers 418',
			'/api/v1/printers 403',
		]);
		expect(durst.totalCalls).toBe(2);
		expect((await fetch(`${durst.url}/__sim/nope`)).status).toBe(404);
	});

	it('answers 413 for an oversized body', async () => {
		const small = await DurstSimulator.start({ maxBodyBytes: 1000 });
		try {
			const token = small.issueToken('operator');
			const response = await fetch(`${small.url}/api/v1/echo`, {
				method: 'POST',
				headers: { 'x-auth-token': token },
				body: 'x'.repeat(5000),
			});
			expect(response.status).toBe(413);
			const fine = await fetch(`${small.url}/api/v1/echo`, {
				method: 'POST',
				headers: { 'x-auth-token': token },
				body: 'x'.repeat(1000),
			});
			expect(((await fine.json()) as { body: string }).body).toHaveLength(1000);
		} finally {
			await small.stop();
		}
	});

	it('stops promptly with open keep-alive connections, frees the port, and can restart', async () => {
		const port = durst.port;
		await fetch(`${durst.url}/api/v1/printers`);
		durst.latencyMs = 10_000;
		const pending = fetch(`${durst.url}/api/v1/printers`).then(
			() => 'answered',
			() => 'failed',
		);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const started = Date.now();
		await durst.stop();
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(await pending).toBe('failed');
		expect(durst.isRunning).toBe(false);

		const reuse = createServer();
		await new Promise<void>((resolve) => reuse.listen(port, '127.0.0.1', resolve));
		expect((reuse.address() as AddressInfo).port).toBe(port);
		await new Promise((resolve) => reuse.close(resolve));

		durst.latencyMs = 0;
		await durst.start();
		expect((await fetch(`${durst.url}/api/v1/printers`)).status).toBe(401);
	});

	it('refuses to start on a port in use', async () => {
		await expect(new DurstSimulator({ port: durst.port }).start()).rejects.toThrow(/EADDRINUSE/);
	});
});

describe('cli', () => {
	it('parses arguments', () => {
		expect(parseCliArgs([])).toEqual({ watcherPort: 5601, durstPort: 5602, latencyMs: undefined });
		expect(parseCliArgs(['--watcher-port', '0', '--durst-port=7000', '--latency-ms', '5'])).toEqual(
			{ watcherPort: 0, durstPort: 7000, latencyMs: 5 },
		);
		expect(() => parseCliArgs(['--watcher-port', 'x'])).toThrow(/port/);
		expect(() => parseCliArgs(['--bogus'])).toThrow(/unknown argument/);
	});

	it('starts both simulators', async () => {
		const running = await startSimulators({ watcherPort: 0, durstPort: 0, latencyMs: 1 });
		try {
			expect(running.watcher.latencyMs).toBe(1);
			expect(
				(await fetch(`${running.watcher.url}/vsaas/api/v2/cameras?limit=1`, { headers: KEY }))
					.status,
			).toBe(200);
			expect((await fetch(`${running.durst.url}/api/v1/printers`)).status).toBe(401);
		} finally {
			await running.stop();
		}
		expect(running.watcher.isRunning).toBe(false);
		expect(running.durst.isRunning).toBe(false);
	});
});
