/**
 * A credential whose Server URL has a path (`https://apps.example.com/durst`): the host also serves
 * other applications, so the token and password must stay below that path, whatever the custom
 * call's Path says and wherever the server redirects.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { runCase, useServers } from './harness';
import type { Env, HostileCase, Target } from './harness';
import { customCall, printerErrors, printers } from './params';
import { DURST_TYPE, runNodes } from '../harness/engine';

const servers = useServers();

const outside = (problem: string) => `The "Path" is not allowed: ${problem}`;
const LEAVES = "it leaves the Server URL's path /durst";
const ENCODED =
	'it holds a "/", "\\" or dot segment in disguise (percent-encoded, or followed by ";"), which a server may read as a way out of the Server URL\'s path';

const underPath = { credential: (env: Env) => ({ baseUrl: `${env.durst.url}/durst` }) };

const refusedPaths: Array<[string, string]> = [
	['/../admin', LEAVES],
	['/%2e%2e/admin', LEAVES],
	['/.%2E/admin', LEAVES],
	['/api/..%2Fadmin', ENCODED],
	['/api/..%5Cadmin', ENCODED],
	['/api/%2E%2E%2F%2E%2E%2Fadmin', ENCODED],
	['/..;/admin', ENCODED],
	['/api/..;jsessionid=1/admin', ENCODED],
	['/api/%252e%252e/admin', ENCODED],
	['/api/%252F..%252Fadmin', ENCODED],
];

const cases: HostileCase[] = refusedPaths.map(([path, problem]) => ({
	name: `custom Path ${path} under a Server URL with a path is refused before any request`,
	target: customCall({ path }),
	...underPath,
	message: outside(problem),
	check: (env) => expect(env.durst.requestLog).toHaveLength(0),
}));

test.each(cases.map((c) => [c.name, c]))('%s', async (_name, c) => {
	await runCase(servers(), c);
});

function runAt(url: string, target: Target) {
	if (!('parameters' in target)) throw new Error('a node target is needed');
	const { parameters } = target;
	return runNodes({
		nodes: [{ type: DURST_TYPE, parameters }],
		items: [{}],
		credentials: {
			durstAnalyticsApi: {
				baseUrl: `${url}/durst`,
				username: 'operator',
				password: 'pw-apps',
				ignoreSslIssues: false,
			},
		},
	});
}

test('a custom Path below the Server URL path is sent there, with the token', async () => {
	const apps = await appsHost();
	try {
		const result = await runAt(apps.url, customCall({ path: '/api/v1/printers' }));
		expect(result.error).toBeUndefined();
		expect(result.output()[0].json).toMatchObject({ id: 'P-1', name: 'Press' });
		expect(apps.others).toEqual([]);
	} finally {
		await apps.close();
	}
});

/** One host, two applications: Analytics below /durst, something else beside it. */
async function appsHost(redirectTo?: string) {
	const others: string[] = [];
	const server: Server = createServer((req: IncomingMessage, res) => {
		const url = req.url ?? '';
		if (url.startsWith('/durst/api/v1/login')) {
			res.writeHead(200, { 'content-type': 'application/json', 'x-auth-token': 'tok-apps-1' });
			res.end('{}');
		} else if (url.startsWith('/durst/') && redirectTo !== undefined) {
			res.writeHead(302, { location: redirectTo });
			res.end();
		} else if (url.startsWith('/durst/')) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('[{"id":"P-1","name":"Press"}]');
		} else {
			others.push(`${req.method} ${url} ${JSON.stringify(req.headers)}`);
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('[]');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url, others, close: async () => await new Promise((r) => server.close(r)) };
}

test.each([
	['/admin/steal', 'a path beside the application'],
	['/durst/../admin/steal', 'a dot segment out of it'],
	['/durst/api/..%2F..%2Fadmin', 'an encoded separator'],
	['/durst/..;/admin/steal', 'a dot segment with a parameter'],
])(
	'a same-origin redirect to %s (%s) is not followed and the token stays below the path',
	async (location) => {
		const apps = await appsHost(location);
		try {
			for (const target of [printers(), printerErrors()]) {
				const result = await runAt(apps.url, target);
				const message = String((result.error as { message?: unknown } | undefined)?.message);
				expect(message).toMatch(
					/^Durst Analytics at 127\.0\.0\.1:\d+ redirected the request outside the credential's Server URL \(it (leaves the Server URL's path \/durst|holds a "\/", "\\" or dot segment in disguise)/,
				);
				expect(message).not.toContain('tok-apps-1');
			}
			expect(apps.others).toEqual([]);
		} finally {
			await apps.close();
		}
	},
);
