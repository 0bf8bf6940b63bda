/**
 * The Durst examples in a real n8n, run as n8n runs them from the CLI (`n8n execute --id`, a new
 * process each time, static data saved between runs), on both supported n8n lines.
 */
import path from 'node:path';

import { DurstSimulator } from '../../tools/simulators/durst';
import { WatcherSimulator } from '../../tools/simulators/watcher';
import {
	CREDENTIAL_IDS,
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadWorkflows,
} from '../../tools/n8n/examples';
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { HOST_VERSIONS, N8nHost, nodeOutputItems, runError } from '../../tools/n8n/n8nHost';

jest.setTimeout(300_000);

const ROOT = path.dirname(EXAMPLES_DIR);
const PASSWORD = 's3cr3t&pa ss?';

describe.each(HOST_VERSIONS)('n8n %s: Durst workflows from the CLI', (version: HostVersion) => {
	let host: N8nHost;
	let durst: DurstSimulator;
	let watcher: WatcherSimulator;

	beforeAll(async () => {
		durst = await DurstSimulator.start();
		watcher = await WatcherSimulator.start();
		host = await N8nHost.create({ version, packageDir: ROOT });
		const targets = { n8nUrl: host.baseUrl, watcherUrl: watcher.url, durstUrl: durst.url };
		await host.importCredentials(loadCredentials(targets));
		await host.importWorkflow(loadWorkflows(targets));
	});

	afterAll(async () => {
		await host?.dispose();
		await durst?.stop();
		await watcher?.stop();
	});

	async function execute(id: string) {
		const result = await host.execute(id);
		const error = runError(result.data);
		if (result.code !== 0 || error) {
			throw new Error(
				`execute ${id} failed (code ${result.code}): ${JSON.stringify(error)}\n${result.stderr.slice(-2000)}`,
			);
		}
		return result;
	}

	test('two Durst nodes share one login; a second execution makes 0 login calls', async () => {
		const first = await execute(EXAMPLE_IDS.durstSharedToken);
		expect(durst.logins).toBe(1);
		const [login] = nodeOutputItems(first.data, 'Log In') as Array<{
			xAuthToken: string;
			fromCache: boolean;
		}>;
		expect(login.fromCache).toBe(false);
		expect(nodeOutputItems(first.data, 'List Printers')).toHaveLength(4);

		const second = await execute(EXAMPLE_IDS.durstSharedToken);
		expect(durst.logins).toBe(1);
		const [again] = nodeOutputItems(second.data, 'Log In') as Array<{
			xAuthToken: string;
			fromCache: boolean;
		}>;
		expect(again).toMatchObject({ xAuthToken: login.xAuthToken, fromCache: true });
		expect(nodeOutputItems(second.data, 'List Printers')).toHaveLength(4);

		// What leaves n8n with every export and backup: no usable token, no password.
		const exported = await host.exportWorkflow(EXAMPLE_IDS.durstSharedToken);
		expect(exported).toContain('n8nNodesWatcherDurst');
		for (const secret of [login.xAuthToken, PASSWORD]) {
			expect(exported).not.toContain(secret);
			expect(exported).not.toContain(encodeURIComponent(secret));
		}
		for (const output of [first.stdout + first.stderr, second.stdout + second.stderr]) {
			expect(output).not.toContain(PASSWORD);
			expect(output).not.toContain(encodeURIComponent(PASSWORD));
		}
	});

	test('Analytics restarts between executions: success with exactly one re-login', async () => {
		await execute(EXAMPLE_IDS.durstSharedToken);
		const loginsBefore = durst.logins;
		durst.restart();
		const rejectedBefore = durst.rejected;
		// The same workflow: its saved static data holds the token the restart killed.
		const result = await execute(EXAMPLE_IDS.durstSharedToken);
		expect(durst.logins).toBe(loginsBefore + 1);
		expect(durst.rejected).toBe(rejectedBefore + 1);
		expect(nodeOutputItems(result.data, 'List Printers')).toHaveLength(4);
	});

	test('the daily report: one summary item; run again without logging in', async () => {
		const first = await execute(EXAMPLE_IDS.durstDailyReport);
		const [summary] = nodeOutputItems(first.data, 'Summary') as Array<Record<string, unknown>>;
		expect(summary).toMatchObject({ printers: 4, inBreakdown: ['Tau 330 RSC'] });
		expect(Number(summary.errors)).toBeGreaterThan(0);
		const logins = durst.logins;
		const result = await execute(EXAMPLE_IDS.durstDailyReport);
		expect(durst.logins).toBe(logins);
		expect(nodeOutputItems(result.data, 'Summary')).toHaveLength(1);
		const exported = await host.exportWorkflow(EXAMPLE_IDS.durstDailyReport);
		expect(exported).not.toContain(PASSWORD);
		expect(exported).toContain(CREDENTIAL_IDS.durst);
	});

	test('the ink report: one item per printer with its name, yesterday and liters per color', async () => {
		const result = await execute(EXAMPLE_IDS.durstInkReport);
		const printers = nodeOutputItems(result.data, 'Printers') as Array<{
			id: string;
			name: string;
		}>;
		const report = nodeOutputItems(result.data, 'Ink Report') as Array<Record<string, unknown>>;
		expect(printers).toHaveLength(4);
		// The name comes from the Printers node through n8n's paired items, so each row must match.
		expect(report.map(({ name, printerId }) => ({ name, printerId }))).toEqual(
			printers.map(({ id, name }) => ({ name, printerId: id })),
		);
		for (const row of report) {
			expect(Object.keys(row)).toEqual(['name', 'printerId', 'startDate', 'endDate', 'litres']);
			const start = Date.parse(String(row.startDate));
			const end = Date.parse(String(row.endDate));
			// Yesterday from midnight to midnight in the workflow's time zone: 23 to 25 hours with DST.
			expect(end - start).toBeGreaterThanOrEqual(23 * 3_600_000);
			expect(end - start).toBeLessThanOrEqual(25 * 3_600_000);
			expect(end).toBeLessThanOrEqual(Date.now());
			const litres = row.litres as Record<string, unknown>;
			expect(Object.keys(litres)).toEqual(
				expect.arrayContaining(['cyan', 'magenta', 'yellow', 'black']),
			);
			for (const value of Object.values(litres)) expect(typeof value).toBe('number');
			// Every simulated printer prints some part of each hour, so a day uses some cyan.
			expect(litres.cyan).toBeGreaterThan(0);
		}
	});
});
