/**
 * The Durst Analytics Trigger on n8n 2.x's durable scheduler with poller cursors
 * (N8N_SCHEDULER_ENABLED, N8N_SCHEDULER_POLL_TRIGGERS_ENABLED, N8N_POLLER_DURABLE_CURSORS_ENABLED),
 * where n8n keeps a poll node's node-level static data as its cursor in the table `poller_state`
 * and commits it with the execution. Three set-ups side by side, each with its own Durst simulator:
 * one `n8n start` on SQLite, one on PostgreSQL, queue mode (main + a worker). Example 5 (a
 * breakdown alert) polls every 5 s and posts its alerts to a sink in this test:
 * - a breakdown is alerted once, however many polls follow;
 * - n8n stopped after that alert, a second breakdown while it is down: after the restart that one
 *   is alerted once and the first not again, with no new login (the token came back from the
 *   workflow's static data);
 * - the cursor row is small and holds neither the token nor the password; the token is in the
 *   workflow's global static data, sealed.
 * The set-ups start one after another and are then watched at once: most of that is waiting for
 * polls.
 */
import path from 'node:path';

import { STATIC_DATA_FIELD } from '../../nodes/DurstAnalytics/tokenCache/cache';
import { EXAMPLES_DIR } from '../../tools/n8n/examples';
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { HOST_VERSIONS } from '../../tools/n8n/n8nHost';
import { DURST_AUTH_HEADER } from '../../tools/simulators/durst';
import { WORKFLOW_ID } from './durable/alerts';
import type { Watched } from './durable/watched';
import { DURST_PASSWORD, eachAtOnce, startWatched } from './durable/watched';
import { STACK_KINDS } from './durable/stacks';

jest.setTimeout(240_000);
/** Three n8n start-ups on a shared 2-core machine (PostgreSQL's first one migrates). */
const SETUP_TIMEOUT_MS = 600_000;

const ROOT = path.dirname(EXAMPLES_DIR);
/**
 * What the trigger keeps for Printer Status Changed: its state's version, event, two times, an
 * empty memory of events and one short status per printer (the simulator has four), ~200 bytes.
 * The bound catches a cursor that grows with polls or carries more than the trigger's state.
 */
const MAX_CURSOR_BYTES = 1_024;

const fileStarted = Date.now();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
afterAll(() =>
	console.log(`durable e2e: the whole file took ${seconds(Date.now() - fileStarted)}`),
);

const VERSIONS = HOST_VERSIONS.filter((version) => version.startsWith('2.'));

describe.each(VERSIONS)('n8n %s, durable scheduler and poller cursors', (version: HostVersion) => {
	const runs: Watched[] = [];

	beforeAll(async () => {
		const began = Date.now();
		// One after another: start-ups are what keeps the two cores busy; polls are mostly waiting.
		for (const kind of STACK_KINDS)
			await startWatched(kind, version, ROOT, (run) => runs.push(run));
		console.log(`durable e2e ${version}: three set-ups up in ${seconds(Date.now() - began)}`);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await Promise.allSettled(runs.map((run) => run.dispose()));
	}, SETUP_TIMEOUT_MS);

	test('SQLite, PostgreSQL, queue mode: a breakdown is alerted once across several polls', async () => {
		await eachAtOnce(runs, async (run) => {
			await run.baseline();
			expect(run.sink.alerts).toEqual([]);

			run.durst.setPrinterStatus('P-1001', 'Breakdown');
			await run.alerts(1);
			await run.quietPolls(2);
			expect(run.sink.printers()).toEqual(['P-1001']);
			expect(await run.stack.executions(WORKFLOW_ID)).toBe(1);
			expect(run.durst.logins).toBe(1);
		});
	});

	test(
		'SQLite, PostgreSQL, queue mode: a restart neither repeats the alert before it nor loses the breakdown during it',
		async () => {
			// Restarts one after another, so that no start-up waits for another's CPU.
			for (const run of runs) {
				await run.stack.stop();
				run.durst.setPrinterStatus('P-1002', 'Breakdown');
				const restarted = Date.now();
				await run.stack.start();
				console.log(
					`durable e2e ${version} ${run.kind}: restarted in ${seconds(Date.now() - restarted)}`,
				);
			}
			await eachAtOnce(runs, async (run) => {
				await run.alerts(2);
				await run.quietPolls(2);
				expect(run.sink.printers()).toEqual(['P-1001', 'P-1002']);
				expect(await run.stack.executions(WORKFLOW_ID)).toBe(2);
				// The token came back from the workflow's static data: no login after the restart.
				expect(run.durst.logins).toBe(1);
			});
		},
		SETUP_TIMEOUT_MS,
	);

	test('SQLite, PostgreSQL, queue mode: the cursor stays small and holds no secret; the token is sealed in global static data', async () => {
		await eachAtOnce(runs, async (run) => {
			const rows = await run.stack.cursorRows(WORKFLOW_ID);
			expect(rows).toHaveLength(1);
			const [{ row, cursor, bytes }] = rows;
			console.log(`durable e2e ${version} ${run.kind}: the cursor is ${bytes} bytes: ${cursor}`);
			expect(bytes).toBeGreaterThan(0);
			expect(bytes).toBeLessThanOrEqual(MAX_CURSOR_BYTES);
			const parsed = JSON.parse(cursor) as Record<string, unknown>;
			expect(Object.keys(parsed)).toEqual(['trigger']);
			expect(parsed.trigger).toMatchObject({
				event: 'printerStatusChanged',
				statuses: { 'P-1001': 'Breakdown', 'P-1002': 'Breakdown' },
			});

			const tokens = [
				...new Set(
					run.durst.tokenBearingRequests.map((entry) => String(entry.headers[DURST_AUTH_HEADER])),
				),
			];
			expect(tokens).toHaveLength(1);
			const staticData = await run.stack.staticData(WORKFLOW_ID);
			expect(staticData).toContain(STATIC_DATA_FIELD);
			for (const text of [row, staticData]) {
				for (const secret of [...tokens, DURST_PASSWORD, encodeURIComponent(DURST_PASSWORD)])
					expect(text).not.toContain(secret);
			}
			expect(row).not.toContain(STATIC_DATA_FIELD);
		});
	});
});
