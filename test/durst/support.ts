/**
 * What every Durst Analytics node test shares: one simulator per test file, a fresh user per test
 * (so the process-memory layer of one test cannot serve another), and short ways to build and run
 * the node through n8n's real engine.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { testLogsHoldNoSecret } from '../harness/assertions';
import type { NodeSpec, RunOptions, RunResult } from '../harness/engine';
import * as engine from '../harness/engine';
import { DurstSimulator } from '../../tools/simulators/durst';
import { STATIC_DATA_FIELD } from '../../nodes/DurstAnalytics/tokenCache/cache';

export const USERNAME = 'operator';
export const PASSWORD = 's3cr3t&pa ss?';
export const DAY = 86_400_000;

export let sim: DurstSimulator;
/** This test's own user; `sim` also knows USERNAME with PASSWORD. */
export let user: { username: string; password: string };
const allPasswords: string[] = [];
let userCounter = 0;

/**
 * Starts the simulator for this test file (`start` for one of another kind) and resets it, with a
 * new user, before each test.
 */
export function useDurstSimulator(
	start: () => Promise<DurstSimulator> = async () => await DurstSimulator.start(),
): void {
	beforeAll(async () => {
		sim = await start();
	});

	afterAll(async () => {
		await sim.stop();
	});

	beforeEach(() => {
		userCounter += 1;
		user = { username: `${USERNAME}-${userCounter}`, password: `${PASSWORD}-${userCounter}` };
		allPasswords.push(user.password);
		sim.setUsers([user, { username: USERNAME, password: PASSWORD }]);
		sim.resetCounters();
		sim.clearRequestLog();
		sim.clearFailures();
		sim.latencyMs = 0;
		sim.version = '1.6';
		sim.loginMode = 'normal';
		sim.rejectStatus = 401;
		sim.loginRejectStatus = 401;
	});
}

export function credentials(overrides: IDataObject = {}) {
	return {
		durstAnalyticsApi: { baseUrl: sim.url, ...user, ignoreSslIssues: false, ...overrides },
	};
}

export function durst(parameters: INodeParameters, extra: Partial<NodeSpec> = {}): NodeSpec {
	return { type: engine.DURST_TYPE, parameters, ...extra };
}

type RunExtras = Partial<Omit<RunOptions, 'nodes'>> & {
	credentialOverrides?: IDataObject;
	runner?: typeof engine.runNodes;
};

export async function run(nodes: NodeSpec[], extras: RunExtras = {}): Promise<RunResult> {
	const { credentialOverrides, runner, ...rest } = extras;
	return await (runner ?? engine.runNodes)({
		nodes,
		items: [{}],
		credentials: credentials(credentialOverrides),
		...rest,
	});
}

export const logIn = (options: INodeParameters = {}) =>
	durst({ resource: 'auth', operation: 'login', options });
export const printers = (options: INodeParameters = {}) =>
	durst({ resource: 'printer', operation: 'getAll', returnAll: true, options });
export const printer = (id: string) => ({ __rl: true, mode: 'id', value: id });

/** A new n8n process: a fresh module registry, so the process-memory layer is empty. */
export function freshProcess(): typeof engine.runNodes {
	let runner: typeof engine.runNodes | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the engine per call: jest.isolateModules works only with require
		runner = (require('../harness/engine') as typeof engine).runNodes;
	});
	if (!runner) throw new Error('could not load a fresh engine');
	return runner;
}

/** The package's token entries in saved static data (n8n keeps a node's 'global' static data under `global`). */
export function tokenEntries(saved: IDataObject | undefined): Record<string, IDataObject> {
	const global = saved?.global as IDataObject | undefined;
	const root = global?.[STATIC_DATA_FIELD] as IDataObject | undefined;
	if (!root) throw new Error(`no ${STATIC_DATA_FIELD} in static data: ${JSON.stringify(saved)}`);
	return root.durstTokens as Record<string, IDataObject>;
}

/** The secrets no output, error or log of this test may show. */
export function secrets(...tokens: string[]): string[] {
	return [user.password, PASSWORD, ...tokens];
}

/** A test file's last test: no password of the file's users, nor `more`, is in n8n's log. */
export function expectLogsWithoutSecrets(
	more: string[] = [],
	options: Parameters<typeof testLogsHoldNoSecret>[1] = {},
): void {
	testLogsHoldNoSecret(() => [PASSWORD, ...more, ...allPasswords], options);
}
