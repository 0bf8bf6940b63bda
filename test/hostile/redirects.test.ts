/**
 * Redirects. The secret-bearing request (API key, password, token, the POST body)
 * never reaches another origin; a cross-origin redirect is an error naming where it pointed.
 */
import type { Env, HostileCase } from './harness';
import { DURST_PASSWORD, DURST_USER, resetEnv, runCase, useServers } from './harness';
import { DURST_TYPE, runNodes } from '../harness/engine';
import {
	customCall,
	durstHost,
	LOGIN_PATH,
	logIn,
	printerErrors,
	printers,
	TOKEN_PATH,
	watcherHost,
	watcherToken,
} from './params';

const servers = useServers();

const MOVED =
	"The credential's secrets are only ever sent to the server of the credential. If the server has moved, enter its new address as the credential's Server URL.";
const durstAway = (env: Env, where = env.foreign.url) =>
	`Durst Analytics at ${durstHost(env)} redirected the request to another server, ${where}; it was not followed`;
const watcherAway = (env: Env, where = env.foreign.url) =>
	`Flussonic Watcher at ${watcherHost(env)} redirected the request to another server, ${where}; it was not followed`;

function away(status: number, path: string, sim: 'durst' | 'watcher') {
	return (env: Env) =>
		env[sim].failNext({ mode: 'redirect', status, location: `${env.foreign.url}/steal`, path });
}

const cases: HostileCase[] = [
	...[301, 302, 303, 307, 308].map((status): HostileCase => ({
		name: `Durst data call answered ${status} to another host`,
		target: printers(),
		arrange: away(status, '/api/v1/printers', 'durst'),
		message: (env) => durstAway(env),
		description: MOVED,
	})),
	...[302, 307].map((status): HostileCase => ({
		name: `Durst login (password in the query) answered ${status} to another host`,
		target: logIn({ forceNewLogin: true }),
		arrange: away(status, LOGIN_PATH, 'durst'),
		message: (env) => durstAway(env),
		description: MOVED,
	})),
	{
		name: 'Durst POST with a body answered 307 to another host',
		target: printerErrors(),
		arrange: away(307, '/api/v1/printers/P-1001/errors', 'durst'),
		message: (env) => durstAway(env),
	},
	{
		name: 'Durst custom call answered 308 to another host',
		target: customCall({ path: '/api/v1/printers/P-1002' }),
		arrange: away(308, '/api/v1/printers/P-1002', 'durst'),
		message: (env) => durstAway(env),
	},
	{
		name: 'Durst redirect to the same port under another host name (localhost)',
		target: printers(),
		arrange: (env) =>
			env.durst.failNext({
				mode: 'redirect',
				location: `${env.durst.url.replace('127.0.0.1', 'localhost')}/api/v1/printers`,
				path: '/api/v1/printers',
			}),
		message: (env) => durstAway(env, env.durst.url.replace('127.0.0.1', 'localhost')),
	},
	{
		name: 'Durst redirect from http to https on the same host',
		target: printers(),
		arrange: (env) =>
			env.durst.failNext({
				mode: 'redirect',
				location: `${env.durst.url.replace('http:', 'https:')}/api/v1/printers`,
				path: '/api/v1/printers',
			}),
		message: (env) => durstAway(env, env.durst.url.replace('http:', 'https:')),
	},
	{
		name: 'Durst redirect whose Location carries the password in its host name is named scrubbed',
		target: printers(),
		arrange: (env) =>
			env.durst.failNext({
				mode: 'redirect',
				location: `http://x${encodeURIComponent('Pa!ss*w')}.invalid/`,
				path: '/api/v1/printers',
			}),
		message:
			'Durst Analytics at HOST redirected the request to another server, http://x[redacted].invalid; it was not followed',
	},
	{
		name: 'Durst redirects round in circles on its own origin',
		target: printers(),
		arrange: (env) =>
			env.durst.failNext({
				mode: 'redirect',
				location: '/api/v1/printers',
				path: '/api/v1/printers',
				count: 20,
			}),
		message: (env) =>
			`Durst Analytics at ${durstHost(env)} redirected the request more than 5 times`,
	},
	{
		name: 'Durst redirect to something that is not a URL',
		target: printers(),
		arrange: (env) =>
			env.durst.failNext({ mode: 'redirect', location: 'http://[::1', path: '/api/v1/printers' }),
		message: (env) =>
			`Durst Analytics at ${durstHost(env)} redirected the request to an address that is not a URL`,
	},
	...[302, 307].map((status): HostileCase => ({
		name: `Watcher token call answered ${status} to another host`,
		target: watcherToken(),
		arrange: away(status, TOKEN_PATH, 'watcher'),
		message: (env) => watcherAway(env),
		description: MOVED,
	})),
	{
		name: 'Watcher user picker answered 302 to another host',
		target: { picker: 'watcher' },
		arrange: away(302, '/vsaas/api/v2/users', 'watcher'),
		message: (env) => watcherAway(env),
	},
	{
		name: 'Durst printer picker answered 302 to another host',
		target: { picker: 'durst' },
		arrange: away(302, '/api/v1/printers', 'durst'),
		message: (env) => durstAway(env),
	},
	{
		name: 'Watcher credential Test answered 302 to another host',
		target: { credentialTest: 'watcher' },
		arrange: away(302, '/vsaas/api/v2/cameras', 'watcher'),
		message: (env) => `${watcherAway(env)}. ${MOVED}`,
	},
	{
		name: 'Durst credential Test (login with the password) answered 307 to another host',
		target: { credentialTest: 'durst' },
		arrange: away(307, LOGIN_PATH, 'durst'),
		message: (env) => `${durstAway(env)}. ${MOVED}`,
	},
];

// The host of the scrubbed-Location case is only known once the servers run.
const scrubbed = cases.find((test) => test.name.includes('carries the password'));
if (scrubbed) {
	const text = scrubbed.message as string;
	scrubbed.message = (env: Env) => text.replace('HOST', durstHost(env));
}

test.each(cases.map((test) => [test.name, test]))('%s', async (_name, test) => {
	await runCase(servers(), test);
});

describe('redirects on the credential origin are followed', () => {
	test('a relative 302 of a Durst data call leads to the data', async () => {
		const env = servers();
		resetEnv(env);
		env.durst.failNext({
			mode: 'redirect',
			location: '/api/v1/printers',
			path: '/api/v1/printers',
		});
		const result = await runNodes({
			nodes: [
				{
					type: DURST_TYPE,
					parameters: { resource: 'printer', operation: 'getAll', returnAll: true },
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
		});
		expect(result.error).toBeUndefined();
		expect(result.output().map((item) => item.json.id)).toEqual([
			'P-1001',
			'P-1002',
			'P-1003',
			'P-1004',
		]);
		expect(env.foreign.requests).toEqual([]);
	});
});
