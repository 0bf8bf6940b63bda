/**
 * Example 5 (Printer Status Changed to Breakdown -> Alert) polled every few seconds, with an HTTP
 * Request node that posts each alert to a sink in the test: what reached the sink is what the
 * workflow did, whichever process ran it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ExampleWorkflow } from '../../../tools/n8n/examples';
import { EXAMPLE_IDS } from '../../../tools/n8n/examples';

export const WORKFLOW_ID = EXAMPLE_IDS.durstBreakdownAlert;
export const POLL_SECONDS = 5;

/**
 * n8n refuses a cron that fires more than once a minute, but takes several poll times: one
 * once-a-minute entry per slot, POLL_SECONDS apart.
 */
const POLL_TIMES = Array.from({ length: 60 / POLL_SECONDS }, (_, i) => ({
	mode: 'custom',
	cronExpression: `${i * POLL_SECONDS} * * * * *`,
}));

export async function waitFor(
	what: string,
	check: () => boolean | Promise<boolean>,
	timeoutMs: number,
	describe: () => string = () => '',
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${describe()}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

export function alertWorkflow(workflows: ExampleWorkflow[], sinkUrl: string): ExampleWorkflow {
	const example = workflows.find((workflow) => workflow.id === WORKFLOW_ID);
	if (!example) throw new Error('example 5 is missing');
	const trigger = example.nodes.find((node) => node.type.endsWith('.durstAnalyticsTrigger'));
	if (!trigger) throw new Error('example 5 has no trigger');
	trigger.parameters.pollTimes = { item: POLL_TIMES };
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

/** An HTTP server on 127.0.0.1 that keeps every alert posted to it. */
export class AlertSink {
	readonly alerts: Array<Record<string, unknown>> = [];

	private constructor(private readonly server: http.Server) {}

	static async start(): Promise<AlertSink> {
		const server = http.createServer();
		const sink = new AlertSink(server);
		server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				sink.alerts.push(
					JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
				);
				res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return sink;
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/alerts`;
	}

	/** The printers alerted, in order: one entry per alert. */
	printers(): string[] {
		return this.alerts.map((alert) => String(alert.printerId));
	}

	async stop(): Promise<void> {
		await new Promise((resolve) => this.server.close(resolve));
	}
}
