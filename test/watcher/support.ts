/**
 * What every Flussonic Watcher node test shares: one simulator per test file, reset before each
 * test, and a short way to run the node's Autologin operations through n8n's real engine.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { testLogsHoldNoSecret } from '../harness/assertions';
import type { RunResult } from '../harness/engine';
import { runNodes, WATCHER_TYPE } from '../harness/engine';
import { WATCHER_ENDPOINTS, WatcherSimulator } from '../../tools/simulators/watcher';

export const API_KEY = 'wk-SECRET-7f3a9c1e';
export const LINK_BASE = 'https://n8n.example.com/webhook/watcher-login';

export let sim: WatcherSimulator;

/** Starts the simulator for this test file and resets its counters and failures before each test. */
export function useWatcherSimulator(): void {
	beforeAll(async () => {
		sim = await WatcherSimulator.start({ apiKey: API_KEY });
	});

	afterAll(async () => {
		await sim.stop();
	});

	beforeEach(() => {
		sim.resetCounters();
		sim.clearFailures();
		sim.latencyMs = 0;
	});
}

export function credentials(overrides: IDataObject = {}) {
	return {
		flussonicWatcherApi: {
			baseUrl: sim.url,
			apiKey: API_KEY,
			ignoreSslIssues: false,
			...overrides,
		},
	};
}

export function byEmail(login: string) {
	return { __rl: true, mode: 'email', value: login };
}

/** Runs one Watcher node (resource Autologin unless `parameters` says otherwise). */
export async function run(
	parameters: INodeParameters,
	options: {
		items?: IDataObject[];
		continueOnFail?: boolean;
		credentials?: IDataObject;
		timezone?: string;
	} = {},
): Promise<RunResult> {
	return await runNodes({
		nodes: [
			{
				type: WATCHER_TYPE,
				parameters: { resource: 'autologin', ...parameters },
				continueOnFail: options.continueOnFail,
			},
		],
		items: options.items ?? [{}],
		credentials: credentials(options.credentials),
		timezone: options.timezone,
	});
}

export function tokenCalls(): number {
	return sim.callCount(WATCHER_ENDPOINTS.generateToken);
}

/** A test file's last test: the API key, nor `more`, is in n8n's log. */
export function expectLogsWithoutSecrets(more: string[] = []): void {
	testLogsHoldNoSecret(() => [API_KEY, ...more]);
}
