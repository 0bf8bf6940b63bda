/** A Watcher server behind a self-signed certificate: refused by default, reached on request. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { errorOf } from '../harness/assertions';
import { API_KEY, byEmail, run, sim, useWatcherSimulator } from './support';

useWatcherSimulator();

describe('TLS with a self-signed certificate', () => {
	let dir: string;
	let server: https.Server;
	let url: string;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'watcher-tls-'));
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-days',
				'2',
				'-subj',
				'/CN=127.0.0.1',
				'-keyout',
				path.join(dir, 'key.pem'),
				'-out',
				path.join(dir, 'cert.pem'),
			],
			{ stdio: 'ignore' },
		);
		server = https.createServer(
			{
				key: readFileSync(path.join(dir, 'key.pem')),
				cert: readFileSync(path.join(dir, 'cert.pem')),
			},
			(req, res) => {
				const ok = req.headers['x-vsaas-api-key'] === API_KEY;
				res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
				res.end(
					JSON.stringify(
						ok
							? { autologin_token: sim.issueToken('demo@example.com'), success: true }
							: { errors: [] },
					),
				);
			},
		);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
		rmSync(dir, { recursive: true, force: true });
	});

	test('is refused by default, and the message names the certificate option', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { baseUrl: url } },
		);
		const { message, description } = errorOf(result);
		expect(message).toMatch(/^The TLS certificate of 127\.0\.0\.1:\d+ was not accepted/);
		expect(description).toContain('Ignore SSL Issues (Insecure)');
	});

	test('works with Ignore SSL Issues on', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { baseUrl: url, ignoreSslIssues: true } },
		);
		expect(result.output()[0].json.autologinToken).toMatch(/^demo@example\.com:/);
	});
});
