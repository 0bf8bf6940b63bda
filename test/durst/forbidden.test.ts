/**
 * A call the user may not make (403 with a live token) is told from a dead token (401, or 403 on
 * Analytics versions that answer so) by asking the printer list with the same token: forbidden
 * items cost no login, a dead token one shared login and one retry.
 */

import { errorOf, expectNoSecrets } from '../harness/assertions';
import { DURST_TYPE, runNodes } from '../harness/engine';
import type { NodeSpec, RunResult } from '../harness/engine';
import type { SimRequest } from '../../tools/simulators/common';
import { DURST_ENDPOINTS, DurstSimulator } from '../../tools/simulators/durst';
import { credentials, expectLogsWithoutSecrets, user, useDurstSimulator } from './support';

/** Restarts (every token dies) on the arrival of the n-th call of one printer, mid-run. */
class RestartingSimulator extends DurstSimulator {
	restartOnPrinterCall = 0;
	private printerCalls = 0;

	protected override onArrival(req: SimRequest, key: string): void {
		super.onArrival(req, key);
		if (key !== DURST_ENDPOINTS.printer) return;
		this.printerCalls += 1;
		if (this.printerCalls === this.restartOnPrinterCall) this.restart();
	}

	restartOn(printerCall: number): void {
		this.printerCalls = 0;
		this.restartOnPrinterCall = printerCall;
	}
}

const ALLOWED = 'P-1001';
const FORBIDDEN = 'P-1002';

let sim: RestartingSimulator;
useDurstSimulator(
	async () => (sim = await new RestartingSimulator({ forbiddenPrinters: [FORBIDDEN] }).start()),
);

beforeEach(() => {
	sim.restartOn(0);
});

function getPrinter(maxConcurrency?: number): NodeSpec {
	return {
		type: DURST_TYPE,
		continueOnFail: true,
		parameters: {
			resource: 'printer',
			operation: 'get',
			printerId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			options: maxConcurrency === undefined ? {} : { maxConcurrency },
		},
	};
}

async function run(ids: string[], maxConcurrency?: number): Promise<RunResult> {
	return await runNodes({
		nodes: [getPrinter(maxConcurrency)],
		items: ids.map((id) => ({ id })),
		credentials: credentials(),
	});
}

/** Each item's printer id, or its error message. */
function outcomes(result: RunResult): unknown[] {
	return result.output().map((item) => item.json.id ?? item.json.error);
}

const mayNot = (id: string) =>
	`The Durst Analytics user "${user.username}" may not call GET /api/v1/printers/${id} (status 403)`;

const alternating = (count: number) =>
	Array.from({ length: count }, (_, index) => (index % 2 === 0 ? ALLOWED : FORBIDDEN));

test('20 items alternating allowed and forbidden printers, one at a time: one login, each forbidden item an authorization error', async () => {
	const ids = alternating(20);
	const result = await run(ids, 1);
	expect(outcomes(result)).toEqual(ids.map((id) => (id === ALLOWED ? id : mayNot(id))));
	expect(sim.logins).toBe(1);
	expectNoSecrets(result, [user.password]);
});

test('20 forbidden items, 10 in flight: no login after the first, and far fewer checks than items', async () => {
	await run([ALLOWED]);
	sim.resetCounters();
	sim.latencyMs = 20;
	const ids = Array.from({ length: 20 }, () => FORBIDDEN);
	const result = await run(ids, 10);
	expect(outcomes(result)).toEqual(ids.map(mayNot));
	expect(sim.logins).toBe(0);
	expect(sim.callCount(DURST_ENDPOINTS.printers)).toBeLessThanOrEqual(6);
});

test.each([401, 403] as const)(
	'Analytics restarts right after a login (dead tokens answered with %s): one re-login, all 8 items succeed',
	async (rejectStatus) => {
		sim.rejectStatus = rejectStatus;
		sim.latencyMs = 20;
		// Every item is in flight when Analytics restarts, before any call accepted the new token.
		sim.restartOn(1);
		const ids = Array.from({ length: 8 }, () => ALLOWED);
		const result = await run(ids);
		expect(outcomes(result)).toEqual(ids);
		expect(sim.logins).toBe(2);
	},
);

test('Analytics restarts mid-run (dead tokens answered with 403), items alternating, one at a time: exactly one re-login', async () => {
	sim.rejectStatus = 403;
	sim.restartOn(7);
	const ids = alternating(20);
	const result = await run(ids, 1);
	expect(outcomes(result)).toEqual(ids.map((id) => (id === ALLOWED ? id : mayNot(id))));
	expect(sim.logins).toBe(2);
});

test('a 401 after the re-login is a clear error, without a further login', async () => {
	await run([ALLOWED]);
	sim.failNext({ status: 401, count: 2, path: `/api/v1/printers/${ALLOWED}` });
	const result = await runNodes({
		nodes: [{ ...getPrinter(), continueOnFail: false }],
		items: [{ id: ALLOWED }],
		credentials: credentials(),
	});
	expect(errorOf(result).message).toBe(
		`Durst Analytics refused the token of a new login of the user "${user.username}" at GET /api/v1/printers/${ALLOWED} (status 401)`,
	);
	expect(sim.logins).toBe(2);
});

test('a check of the token that fails (503) is named, and makes no login', async () => {
	await run([ALLOWED]);
	sim.failNext({ status: 503, path: '/api/v1/printers' });
	const result = await run([FORBIDDEN]);
	expect(outcomes(result)).toEqual([
		`Durst Analytics refused GET /api/v1/printers/${FORBIDDEN} (status 403), and the check whether the token is still valid failed`,
	]);
	expect(sim.logins).toBe(1);
});

test.each([
	[401, `/api/v1/printers/${ALLOWED}`],
	[403, '/api/v1/printers'],
] as const)(
	'a server that refuses every new token (%s on %s): 6 items, one at a time, cost one re-login, not six',
	async (status, path) => {
		await run([ALLOWED]);
		sim.resetCounters();
		sim.failNext({ status, count: 100, path });
		const result =
			status === 401 ? outcomes(await run(Array(6).fill(ALLOWED), 1)) : await listRuns(6);
		expect(result.every((message) => typeof message === 'string')).toBe(true);
		expect(sim.logins).toBe(1);
	},
);

/** Printer: Get Many, once per item (the printer list is the call that is refused). */
async function listRuns(count: number): Promise<unknown[]> {
	const result = await runNodes({
		nodes: [
			{
				type: DURST_TYPE,
				continueOnFail: true,
				parameters: {
					resource: 'printer',
					operation: 'getAll',
					returnAll: true,
					options: { maxConcurrency: 1 },
				},
			},
		],
		items: Array.from({ length: count }, () => ({})),
		credentials: credentials(),
	});
	return result.output().map((item) => item.json.error);
}

test.each([
	['never answers', { mode: 'hang' }],
	['sends 20 MiB', { mode: 'hugeBody', bytes: 20 * 1024 * 1024 }],
	[
		'redirects to another host',
		{ mode: 'redirect', status: 302, location: 'http://127.0.0.1:1/steal' },
	],
] as const)(
	'a check of the token whose server %s ends at its limits, is named, and makes no login',
	async (_what, fault) => {
		await run([ALLOWED]);
		sim.failNext({ ...fault, path: '/api/v1/printers' });
		const result = await runNodes({
			nodes: [
				{
					...getPrinter(),
					parameters: { ...getPrinter().parameters, options: { timeout: 1 } },
				},
			],
			items: [{ id: FORBIDDEN }],
			credentials: credentials(),
		});
		expect(outcomes(result)).toEqual([
			`Durst Analytics refused GET /api/v1/printers/${FORBIDDEN} (status 403), and the check whether the token is still valid failed`,
		]);
		expect(sim.logins).toBe(1);
		await sim.waitForStalled(0, 5_000);
	},
);

expectLogsWithoutSecrets();
