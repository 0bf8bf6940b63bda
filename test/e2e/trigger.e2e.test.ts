/**
 * The Durst Analytics Trigger in a real, active n8n: example 5 (Printer Status Changed to
 * Breakdown -> Alert), polled every 10 seconds, with an HTTP Request node that hands each alert to
 * a sink in this test. A printer breaks down in the simulator: the workflow runs once with that
 * printer, not again on later polls, and the whole time costs one login.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { DURST_ENDPOINTS, DurstSimulator } from '../../tools/simulators/durst';
import { WatcherSimulator } from '../../tools/simulators/watcher';
import type { ExampleWorkflow } from '../../tools/n8n/examples';
import {
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadWorkflows,
} from '../../tools/n8n/examples';
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { HOST_VERSIONS, N8nHost } from '../../tools/n8n/n8nHost';

jest.setTimeout(300_000);

const ROOT = path.dirname(EXAMPLES_DIR);

/**
 * n8n refuses a cron that fires more than once a minute, but takes several poll times: six
 * once-a-minute entries, ten seconds apart, poll every ten seconds.
 */
const EVERY_TEN_SECONDS = [0, 10, 20, 30, 40, 50].map((second) => ({
	mode: 'custom',
	cronExpression: `${second} * * * * *`,
}));

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Example 5 polling every ten seconds, with its alerts posted to the sink. */
function alertWorkflow(workflows: ExampleWorkflow[], sinkUrl: string): ExampleWorkflow {
	const example = workflows.find((workflow) => workflow.id === EXAMPLE_IDS.durstBreakdownAlert);
	if (!example) throw new Error('example 5 is missing');
	const trigger = example.nodes.find((node) => node.type.endsWith('.durstAnalyticsTrigger'));
	if (!trigger) throw new Error('example 5 has no trigger');
	trigger.parameters.pollTimes = { item: EVERY_TEN_SECONDS };
	example.nodes.push({
		id: '6f3d2e4c-0005-4e9b-9b5c-0000000000ff',
		name: 'Sink',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [440, 0],
		parameters: {
			method: 'POST',
			url: sinkUrl,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
	});
	(example.connections as Record<string, unknown>).Alert = {
		main: [[{ node: 'Sink', type: 'main', index: 0 }]],
	};
	return example;
}

describe.each(HOST_VERSIONS)('n8n %s: Durst Analytics Trigger', (version: HostVersion) => {
	let host: N8nHost;
	let durst: DurstSimulator;
	let watcher: WatcherSimulator;
	let sink: http.Server;
	const alerts: Array<Record<string, unknown>> = [];

	beforeAll(async () => {
		durst = await DurstSimulator.start();
		watcher = await WatcherSimulator.start();
		sink = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				alerts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
				res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
			});
		});
		await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
		const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/alerts`;

		host = await N8nHost.create({ version, packageDir: ROOT });
		const targets = { n8nUrl: host.baseUrl, watcherUrl: watcher.url, durstUrl: durst.url };
		await host.importCredentials(loadCredentials(targets));
		await host.importWorkflow(alertWorkflow(loadWorkflows(targets), sinkUrl));
		await host.activate(EXAMPLE_IDS.durstBreakdownAlert);
		await host.start();
	});

	afterAll(async () => {
		await host?.dispose();
		await durst?.stop();
		await watcher?.stop();
		await new Promise((resolve) => sink?.close(resolve));
	});

	const polls = () =>
		durst.requestLog.filter((entry) => entry.endpoint === DURST_ENDPOINTS.printers).length;

	test('a breakdown runs the workflow once, with that printer; later polls stay quiet; one login', async () => {
		// The activation poll (the baseline), then one scheduled poll: the schedule runs.
		await waitFor('two polls', () => polls() >= 2);
		expect(alerts).toEqual([]);

		durst.setPrinterStatus('P-1001', 'Breakdown');
		const before = polls();
		await waitFor('the alert', () => alerts.length > 0, 45_000);
		expect(alerts).toEqual([
			{
				subject: 'Printer Rho 1312 is in Breakdown',
				text: expect.stringMatching(
					/^Printer Rho 1312 \(P-1001, serial number DRH1312-0001\) changed from Running to Breakdown\. Noticed at \d{4}-\d\d-\d\d \d\d:\d\d\.$/,
				),
				printerId: 'P-1001',
			},
		]);

		await waitFor('three more polls', () => polls() >= before + 3, 60_000);
		// Let the last poll's execution, if any, reach the sink.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(alerts).toHaveLength(1);
		expect(durst.logins).toBe(1);
	});
});
