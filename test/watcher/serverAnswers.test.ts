/** How each answer or failure of the Watcher server reads, and that it shows no API key. */
import { errorOf, expectNoSecrets } from '../harness/assertions';
import { WatcherSimulator } from '../../tools/simulators/watcher';
import {
	API_KEY,
	byEmail,
	expectLogsWithoutSecrets,
	run,
	sim,
	useWatcherSimulator,
} from './support';

useWatcherSimulator();

describe('server answers and failures', () => {
	test('400: "Flussonic Watcher rejected the request" with the server\'s reason', async () => {
		sim.failNext({
			status: 400,
			body: {
				errors: [{ code: 'ValidationError', title: 'invalid', detail: 'lifetime is too long' }],
			},
		});
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(errorOf(result).message).toBe(
			'Flussonic Watcher rejected the request: ValidationError: invalid: lifetime is too long',
		);
		expectNoSecrets(result, [API_KEY]);
	});

	test('403 for a wrong API key says so, without the key', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { apiKey: 'wrong-key-123' } },
		);
		expect(errorOf(result).message).toBe(
			'Flussonic Watcher refused the API key: it is wrong or has expired',
		);
		expect(sim.wrongApiKeyRejections).toBe(1);
		expectNoSecrets(result, [API_KEY, 'wrong-key-123']);
	});

	test('403 for an unknown login names the login', async () => {
		const result = await run({ operation: 'generateToken', login: byEmail('nobody@example.com') });
		expect(errorOf(result).message).toBe(
			'Flussonic Watcher does not know the login "nobody@example.com"',
		);
		expectNoSecrets(result, [API_KEY]);
	});

	test('403 with a body that tells nothing gives both causes', async () => {
		sim.failNext({ status: 403, body: '' });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		const { message, description } = errorOf(result);
		expect(message).toMatch(/^Flussonic Watcher refused the request with status 403: /);
		expect(description).toContain('API key');
		expect(description).toContain('demo@example.com');
	});

	test('404: no Watcher API at this URL', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { baseUrl: `${sim.url}/not-watcher` } },
		);
		expect(errorOf(result).message).toBe(
			'No Flussonic Watcher API at this URL: check the Server URL',
		);
	});

	test('5xx: server error with status', async () => {
		sim.failNext({ status: 500, body: 'maintenance' });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(errorOf(result).message).toBe(
			'Flussonic Watcher failed with a server error (status 500)',
		);
		expect(errorOf(result).description).toContain('maintenance');
		expect(sim.totalCalls).toBe(1);
	});

	test('503 (busy) is tried again, and the item succeeds', async () => {
		sim.failNext({ status: 503, body: 'busy', headers: { 'retry-after': '0' } });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(result.error).toBeUndefined();
		expect(sim.calls['POST /vsaas/api/v2/auth/generate-autologin-token']).toBe(2);
	});

	test('a 200 that is not JSON is a clear error', async () => {
		sim.failNext({ status: 200, mode: 'nonJson' });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(errorOf(result).message).toBe(
			`Flussonic Watcher at ${new URL(sim.url).host} answered POST /vsaas/api/v2/auth/generate-autologin-token with text/html, not JSON`,
		);
		expect(errorOf(result).description).toContain(
			'The answer began: "Service Unavailable Maintenance',
		);
	});

	test('a 200 JSON without autologin_token is a clear error', async () => {
		sim.failNext({ status: 200, body: { success: true } });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(errorOf(result).message).toBe('Flussonic Watcher answered without an Auto-Login token');
		expect(errorOf(result).description).toContain('no "autologin_token"');
	});

	test('connection refused names the host', async () => {
		const closed = await WatcherSimulator.start({ apiKey: API_KEY });
		const url = closed.url;
		await closed.stop();
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { baseUrl: url } },
		);
		// A refused connection is tried again (the server may be restarting), then reported with the tries.
		expect(errorOf(result).message).toBe(
			`Could not connect to Flussonic Watcher at ${new URL(url).host}: connection refused (after 5 tries)`,
		);
		expect(errorOf(result).description).toMatch(
			/The node made 5 tries in \d+\.\d s: connection refused ×5\.$/,
		);
		expectNoSecrets(result, [API_KEY]);
	});

	test('a host that does not resolve is named', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('demo@example.com') },
			{ credentials: { baseUrl: 'http://watcher.invalid' } },
		);
		expect(errorOf(result).message).toBe('Could not find the host watcher.invalid');
	});

	test('a dropped connection is reported, not hung on', async () => {
		sim.failNext({ mode: 'reset' });
		const result = await run({ operation: 'generateToken', login: byEmail('demo@example.com') });
		expect(errorOf(result).message).toMatch(/closed the connection|failed/);
	});
});

expectLogsWithoutSecrets(['wrong-key-123']);
