/**
 * Servers that never answer, never finish or send too much: every exchange ends at its time limit or when the execution is cancelled,
 * whatever the server does, and an answer is read only up to 10 MiB. Time limits are shown by the
 * error messages, never asserted as durations.
 */
import type { Env, HostileCase } from './harness';
import { DURST_PASSWORD, DURST_USER, resetEnv, runCase, useServers } from './harness';
import { DURST_TYPE, runNodes } from '../harness/engine';
import {
	customCall,
	durstHost,
	LOGIN_PATH,
	logIn,
	printers,
	TOKEN_PATH,
	watcherHost,
	watcherToken,
} from './params';

const servers = useServers();

const STOPPED =
	'The node stopped waiting at its "Timeout (Seconds)" limit. If the server is just slow, raise the limit in the node\'s options.';
const durstLate = (seconds: number) => (env: Env) =>
	`Durst Analytics at ${durstHost(env)} did not answer within ${seconds} s`;
const watcherLate = (seconds: number) => (env: Env) =>
	`Flussonic Watcher at ${watcherHost(env)} did not answer within ${seconds} s`;
const tooLarge = (product: string, host: (env: Env) => string, call: string) => (env: Env) =>
	`${product} at ${host(env)} sent an answer larger than 10 MiB to ${call}`;

/** The node closed the socket of the answer it gave up on (the simulator saw the client leave). */
const socketClosed = (sim: 'durst' | 'watcher') => async (env: Env) =>
	await env[sim].waitForStalled(0, 5_000);

const slow = { mode: 'slowBody', body: '[', chunk: '{},', chunkIntervalMs: 100 } as const;
const huge = { mode: 'hugeBody', bytes: 20 * 1024 * 1024 } as const;
/** Header bytes faster than any idle timeout: only the node's own deadline ends the exchange. */
const trickle = { mode: 'slowHeaders', chunkIntervalMs: 100 } as const;

const cases: Array<HostileCase & { after?: (env: Env) => Promise<void> }> = [
	{
		name: 'a Durst data call the server never answers',
		target: printers({ timeout: 1 }),
		arrange: (env) => env.durst.failNext({ mode: 'hang', path: '/api/v1/printers' }),
		message: durstLate(1),
		description: STOPPED,
		after: socketClosed('durst'),
	},
	{
		name: 'a Durst login the server never answers',
		target: logIn({ forceNewLogin: true, timeout: 2 }),
		arrange: (env) => env.durst.failNext({ mode: 'hang', path: LOGIN_PATH }),
		message: durstLate(2),
	},
	{
		name: 'a Durst answer whose body never ends',
		target: printers({ timeout: 1 }),
		arrange: (env) => env.durst.failNext({ ...slow, path: '/api/v1/printers' }),
		message: durstLate(1),
		after: socketClosed('durst'),
	},
	{
		name: 'a Watcher token call the server never answers',
		target: watcherToken('demo@example.com', { timeout: 1 }),
		arrange: (env) => env.watcher.failNext({ mode: 'hang', path: TOKEN_PATH }),
		message: watcherLate(1),
		description: STOPPED,
		after: socketClosed('watcher'),
	},
	{
		name: 'a Watcher token call whose headers never end (never idle) closes at the time limit',
		target: watcherToken('demo@example.com', { timeout: 1 }),
		arrange: (env) => env.watcher.failNext({ ...trickle, path: TOKEN_PATH }),
		message: watcherLate(1),
		after: socketClosed('watcher'),
	},
	{
		name: 'a Durst login whose headers never end (never idle) closes at the time limit',
		target: logIn({ forceNewLogin: true, timeout: 1 }),
		arrange: (env) => env.durst.failNext({ ...trickle, path: LOGIN_PATH }),
		message: durstLate(1),
		after: socketClosed('durst'),
	},
	{
		name: 'a Durst data call whose headers never end (never idle) closes at the time limit',
		target: printers({ timeout: 1 }),
		arrange: (env) => env.durst.failNext({ ...trickle, path: '/api/v1/printers' }),
		message: durstLate(1),
		after: socketClosed('durst'),
	},
	{
		name: 'a Watcher answer whose body never ends',
		target: watcherToken('demo@example.com', { timeout: 1 }),
		arrange: (env) => env.watcher.failNext({ ...slow, path: TOKEN_PATH }),
		message: watcherLate(1),
		after: socketClosed('watcher'),
	},
	{
		name: 'the Watcher credential Test against a server that never answers ends at 20 s',
		target: { credentialTest: 'watcher' },
		arrange: (env) => env.watcher.failNext({ mode: 'hang', path: '/vsaas/api/v2/cameras' }),
		message: (env) => `${watcherLate(20)(env)}. ${STOPPED}`,
	},
	{
		name: 'a 20 MiB Durst list is refused at 10 MiB',
		target: printers(),
		arrange: (env) => env.durst.failNext({ ...huge, path: '/api/v1/printers' }),
		message: tooLarge('Durst Analytics', durstHost, 'GET /api/v1/printers'),
		description:
			"The node stops reading there to protect n8n's memory. Ask for less at a time, e.g. a shorter period.",
		after: socketClosed('durst'),
	},
	{
		name: 'a 20 MiB Durst list without a content-length is refused at 10 MiB',
		target: printers(),
		arrange: (env) => env.durst.failNext({ ...huge, chunked: true, path: '/api/v1/printers' }),
		message: tooLarge('Durst Analytics', durstHost, 'GET /api/v1/printers'),
		after: socketClosed('durst'),
	},
	{
		name: 'a 20 MiB error page is refused at 10 MiB',
		target: printers(),
		arrange: (env) =>
			env.durst.failNext({ ...huge, status: 500, fill: 'text', path: '/api/v1/printers' }),
		message: tooLarge('Durst Analytics', durstHost, 'GET /api/v1/printers'),
	},
	{
		name: 'a 20 MiB answer to the custom call is refused at 10 MiB',
		target: customCall({ path: '/api/v1/printers/P-1003' }),
		arrange: (env) => env.durst.failNext({ ...huge, path: '/api/v1/printers/P-1003' }),
		message: tooLarge('Durst Analytics', durstHost, 'GET /api/v1/printers/P-1003'),
	},
	{
		name: 'a 20 MiB Watcher token answer is refused at 10 MiB',
		target: watcherToken(),
		arrange: (env) => env.watcher.failNext({ ...huge, path: TOKEN_PATH }),
		message: tooLarge('Flussonic Watcher', watcherHost, `POST ${TOKEN_PATH}`),
	},
	{
		name: 'a Timeout (Seconds) of 0 is refused before any request',
		target: printers({ timeout: 0 }),
		message: '"Timeout (Seconds)" must be a whole number from 1 to 600',
		check: (env) => expect(env.durst.requestLog).toHaveLength(0),
	},
	{
		name: 'a Timeout (Seconds) of 601 is refused before any request',
		target: watcherToken('demo@example.com', { timeout: 601 }),
		message: '"Timeout (Seconds)" must be a whole number from 1 to 600',
		check: (env) => expect(env.watcher.requestLog).toHaveLength(0),
	},
	{
		name: 'a Timeout (Seconds) that is text is refused before any request',
		target: printers({ timeout: '={{ "soon" }}' }),
		message: '"Timeout (Seconds)" must be a whole number from 1 to 600',
	},
];

test.each(cases.map((test) => [test.name, test]))('%s', async (_name, test) => {
	const { after, ...rest } = test;
	await runCase(servers(), rest);
	if (after) await after(servers());
});

test('a cancelled execution stops its hung request at once, whatever the time limit', async () => {
	const env = servers();
	resetEnv(env);
	env.durst.failNext({ mode: 'hang', path: '/api/v1/printers' });
	const result = await runNodes({
		nodes: [
			{
				type: DURST_TYPE,
				parameters: {
					resource: 'printer',
					operation: 'getAll',
					returnAll: true,
					options: { timeout: 600 },
				},
			},
		],
		items: [{}],
		credentials: {
			durstAnalyticsApi: {
				baseUrl: env.durst.url,
				username: DURST_USER,
				password: DURST_PASSWORD,
				ignoreSslIssues: false,
			},
		},
		cancelAfterMs: 500,
	});
	// Without the cancel signal the request would hold the item for 600 s and this test time out.
	expect(result.run.status).toBe('canceled');
	await env.durst.waitForStalled(0, 5_000);
	expect(env.foreign.requests).toEqual([]);
});
