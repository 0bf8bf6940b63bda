/**
 * Generate Link against a Flussonic Watcher that is busy: every link made, the refusals tried
 * again; a 429 is a refusal too; a reset token call (a POST) is not repeated.
 */
import { errorOf } from '../harness/assertions';
import { WATCHER_ENDPOINTS } from '../../tools/simulators/watcher';
import {
	byEmail,
	expectLogsWithoutSecrets,
	LINK_BASE,
	run,
	sim,
	tokenCalls,
	useWatcherSimulator,
} from '../watcher/support';

useWatcherSimulator();

afterEach(() => sim.setCapacity(undefined));

const generateLink = (options = {}) => ({
	operation: 'generateLink',
	login: byEmail('demo@example.com'),
	linkBaseUrl: LINK_BASE,
	options,
});

test('serving 3 at a time and refusing the rest with 429: every link is made', async () => {
	sim.latencyMs = 10;
	sim.setCapacity({ limit: 3, mode: 'refuse', status: 429, retryAfter: '0' });
	const result = await run(generateLink(), { items: Array.from({ length: 40 }, () => ({})) });
	expect(result.error).toBeUndefined();
	const output = result.output();
	expect(output).toHaveLength(40);
	expect(output.every((item) => typeof item.json.link === 'string')).toBe(true);
	const { refused } = sim.stats().capacity;
	expect(refused).toBeGreaterThan(0);
	expect(tokenCalls()).toBe(40 + refused);
	// The pace backs off: fewer refusals than links (all at once would be refused 37 at a time).
	expect(refused).toBeLessThan(30);
});

test('a reset token call is not repeated: the token may have been made', async () => {
	sim.failNext({ mode: 'reset', path: WATCHER_ENDPOINTS.generateToken });
	const result = await run(generateLink());
	expect(errorOf(result).message).toContain('closed the connection without answering');
	expect(tokenCalls()).toBe(1);
});

expectLogsWithoutSecrets();
