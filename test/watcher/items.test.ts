/**
 * Many items in one execution: each pairs with its input, a failing one stops the node or (with
 * continueOnFail) becomes an error item in place, and Max Concurrent Requests keeps the order.
 */
import { errorOf, expectNoSecrets } from '../harness/assertions';
import { WATCHER_SPECIAL_LOGIN } from '../../tools/simulators/watcher';
import {
	API_KEY,
	byEmail,
	expectLogsWithoutSecrets,
	LINK_BASE,
	run,
	sim,
	tokenCalls,
	useWatcherSimulator,
} from './support';

useWatcherSimulator();

describe('items', () => {
	test('with continueOnFail a failing item gives an error item paired with its input; the others succeed', async () => {
		const result = await run(
			{ operation: 'generateLink', login: byEmail('={{ $json.email }}'), linkBaseUrl: LINK_BASE },
			{
				continueOnFail: true,
				items: [
					{ email: 'demo@example.com' },
					{ email: 'not-an-email' },
					{ email: 'nobody@example.com' },
					{ email: 'viewer@example.com' },
				],
			},
		);
		const output = result.output();
		expect(output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(output[0].json.login).toBe('demo@example.com');
		expect(output[1].json.error).toMatch(/not an email address/);
		expect(output[2].json.error).toBe(
			'Flussonic Watcher does not know the login "nobody@example.com"',
		);
		expect(output[3].json.login).toBe('viewer@example.com');
		expect(tokenCalls()).toBe(3);
		expectNoSecrets(result, [API_KEY]);
	});

	test('without continueOnFail the first bad item stops the node and is named', async () => {
		const result = await run(
			{ operation: 'generateToken', login: byEmail('={{ $json.email }}') },
			{ items: [{ email: 'demo@example.com' }, { email: 'bad' }] },
		);
		expect(errorOf(result).message).toMatch(/"Login" "bad"/);
		expect(
			(result.error as unknown as { context?: { itemIndex?: number } }).context?.itemIndex,
		).toBe(1);
	});

	test('the API key is sent as X-Vsaas-Api-Key and appears in no output', async () => {
		const result = await run({
			operation: 'generateLink',
			login: byEmail('demo@example.com'),
			linkBaseUrl: LINK_BASE,
		});
		expect(sim.requestLog.at(-1)?.headers['x-vsaas-api-key']).toBe(API_KEY);
		expectNoSecrets(result, [API_KEY]);
	});
});

describe('Max Concurrent Requests', () => {
	test('20 links with 10 in flight: input order, pairedItem, each link for its own login', async () => {
		sim.latencyMs = 10;
		const logins = [
			'admin@example.com',
			'demo@example.com',
			'viewer@example.com',
			WATCHER_SPECIAL_LOGIN,
		];
		const items = Array.from({ length: 20 }, (_, i) => ({ email: logins[i % logins.length] }));
		const result = await run(
			{
				operation: 'generateLink',
				login: byEmail('={{ $json.email }}'),
				linkBaseUrl: LINK_BASE,
				options: { maxConcurrency: 10 },
			},
			{ items },
		);
		const output = result.output();
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		output.forEach((item, i) => {
			expect(item.json.login).toBe(items[i].email);
			const token = new URL(item.json.link as string).searchParams.get('token') as string;
			expect(sim.verifyToken(token)).toMatchObject({ ok: true, login: items[i].email });
		});
		expect(tokenCalls()).toBe(20);
	});
});

expectLogsWithoutSecrets();
