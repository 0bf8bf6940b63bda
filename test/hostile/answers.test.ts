/**
 * Answers that are not what they claim: a refused endpoint cannot make the node log in once per item, and a 2xx
 * that is not data is an error for every operation that expects JSON.
 */
import type { Env, HostileCase } from './harness';
import { DURST_PASSWORD, DURST_USER, resetEnv, runCase, useServers } from './harness';
import { DURST_TYPE, runNodes } from '../harness/engine';
import {
	byId,
	durstHost,
	durstNode,
	job,
	printer,
	printerErrors,
	printers,
	TOKEN_PATH,
	watcherHost,
	watcherToken,
} from './params';

const servers = useServers();

const html =
	(path: string, sim: 'durst' | 'watcher' = 'durst') =>
	(env: Env) =>
		env[sim].failNext({ mode: 'html', path });
const notJson =
	(call: string, product = 'Durst Analytics', host = durstHost) =>
	(env: Env) =>
		`${product} at ${host(env)} answered ${call} with text/html, not JSON`;
const forbidden = (call: string) =>
	`The Durst Analytics user "${DURST_USER}" may not call ${call} (status 403)`;

const cases: HostileCase[] = [
	{
		name: 'a 200 HTML page as the printer list',
		target: printers(),
		arrange: html('/api/v1/printers'),
		message: notJson('GET /api/v1/printers'),
		description:
			'The answer began: "Service Unavailable Maintenance The service is temporarily unavailable.". Is the Server URL that of Durst Analytics, and not of a proxy or a login page?',
	},
	{
		name: 'a 200 HTML page as one printer',
		target: printer('P-1002'),
		arrange: html('/api/v1/printers/P-1002'),
		message: notJson('GET /api/v1/printers/P-1002'),
	},
	{
		name: 'a 200 HTML page as the errors of a printer (POST)',
		target: printerErrors(),
		arrange: html('/api/v1/printers/P-1001/errors'),
		message: notJson('POST /api/v1/printers/P-1001/errors'),
	},
	{
		name: 'a 200 HTML page as the jobs of a printer',
		target: printerErrors({ operation: 'getAll', resource: 'job' }),
		arrange: html('/api/v1/printers/P-1001/jobs'),
		message: notJson('POST /api/v1/printers/P-1001/jobs'),
	},
	{
		name: 'a 200 HTML page as a job',
		target: job('P-1001', 'J-1001-1'),
		arrange: html('/api/v1/printers/P-1001/jobs/J-1001-1'),
		message: notJson('GET /api/v1/printers/P-1001/jobs/J-1001-1'),
	},
	{
		name: 'an empty 200 as one printer',
		target: printer('P-1003'),
		arrange: (env) => env.durst.failNext({ status: 200, path: '/api/v1/printers/P-1003' }),
		message: (env) =>
			`Durst Analytics at ${durstHost(env)} answered GET /api/v1/printers/P-1003 with an empty body`,
	},
	{
		name: 'a 200 HTML page as the Watcher token',
		target: watcherToken(),
		arrange: html(TOKEN_PATH, 'watcher'),
		message: notJson(`POST ${TOKEN_PATH}`, 'Flussonic Watcher', watcherHost),
	},
	{
		name: 'a 200 HTML page as the Watcher user list of the picker',
		target: { picker: 'watcher' },
		arrange: html('/vsaas/api/v2/users', 'watcher'),
		message: notJson('GET /vsaas/api/v2/users', 'Flussonic Watcher', watcherHost),
	},
	{
		name: 'a 200 HTML page as the printer list of the picker',
		target: { picker: 'durst' },
		arrange: html('/api/v1/printers'),
		message: notJson('GET /api/v1/printers'),
	},
	{
		name: 'a 200 HTML page to the Watcher credential Test',
		target: { credentialTest: 'watcher' },
		arrange: html('/vsaas/api/v2/cameras', 'watcher'),
		message: (env) =>
			`${notJson('GET /vsaas/api/v2/cameras', 'Flussonic Watcher', watcherHost)(env)}. The answer began: "Service Unavailable Maintenance The service is temporarily unavailable.". Is the Server URL that of Flussonic Watcher, and not of a proxy or a login page?`,
	},
	{
		name: 'a 403 on one endpoint with continueOnFail: an authorization error per item, one re-login at most',
		target: durstNode(
			{ resource: 'printer', operation: 'get', printerId: byId('P-1001') },
			{ continueOnFail: true, items: Array.from({ length: 20 }, () => ({})) },
		),
		arrange: (env) =>
			env.durst.failNext({ status: 403, count: 100, path: '/api/v1/printers/P-1001' }),
		message: forbidden('GET /api/v1/printers/P-1001'),
		check: (env) => expect(env.durst.logins).toBeLessThanOrEqual(1),
	},
];

test.each(cases.map((test) => [test.name, test]))('%s', async (_name, test) => {
	await runCase(servers(), test);
});

describe('a refusal storm', () => {
	const credentials = () => ({
		durstAnalyticsApi: {
			baseUrl: servers().durst.url,
			username: DURST_USER,
			password: DURST_PASSWORD,
			ignoreSslIssues: false,
		},
	});
	const getPrinter = (maxConcurrency: number) => ({
		type: DURST_TYPE,
		continueOnFail: true,
		parameters: {
			resource: 'printer',
			operation: 'get',
			printerId: byId('P-1001'),
			options: { maxConcurrency },
		},
	});

	test.each([1, 10])(
		'20 refused items (%i in flight) after a working call cost no login (the token is checked on the printer list), and the token stays',
		async (maxConcurrency) => {
			const env = servers();
			resetEnv(env);
			// A call that works proves the token: a later refusal may mean Analytics restarted.
			const warm = await runNodes({
				nodes: [
					{
						type: DURST_TYPE,
						parameters: { resource: 'printer', operation: 'getAll', returnAll: true },
					},
				],
				items: [{}],
				credentials: credentials(),
			});
			expect(warm.error).toBeUndefined();
			env.durst.resetCounters();
			env.durst.failNext({ status: 403, count: 100, path: '/api/v1/printers/P-1001' });
			const items = Array.from({ length: 20 }, (_, index) => ({ index }));
			const storm = await runNodes({
				nodes: [getPrinter(maxConcurrency)],
				items,
				credentials: credentials(),
			});
			expect(storm.output().map((item) => item.json.error)).toEqual(
				items.map(() => forbidden('GET /api/v1/printers/P-1001')),
			);
			expect(env.durst.logins).toBe(0);
			// The token stayed cached: an allowed call needs no further login.
			const after = await runNodes({
				nodes: [
					{
						type: DURST_TYPE,
						parameters: { resource: 'printer', operation: 'getAll', returnAll: true },
					},
				],
				items: [{}],
				credentials: credentials(),
			});
			expect(after.error).toBeUndefined();
			expect(env.durst.logins).toBe(0);
		},
	);

	test('Analytics restarting after a working call still costs exactly one login, and the call works', async () => {
		const env = servers();
		resetEnv(env);
		const run = async () =>
			await runNodes({
				nodes: [
					{
						type: DURST_TYPE,
						parameters: { resource: 'printer', operation: 'getAll', returnAll: true },
					},
				],
				items: [{}],
				credentials: credentials(),
			});
		expect((await run()).error).toBeUndefined();
		env.durst.restart();
		env.durst.resetCounters();
		const again = await run();
		expect(again.error).toBeUndefined();
		expect(again.output()).toHaveLength(4);
		expect(env.durst.logins).toBe(1);
	});
});
