/**
 * What the Generate Link tests share: a Watcher simulator for the test file, the sealing key a
 * private link's ticket is sealed with under its API key and origin, and a way to run Generate Link.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { SealingKey } from '../../nodes/FlussonicWatcher/privateLinks/tickets';
import { ticketKey } from '../../nodes/FlussonicWatcher/privateLinks/tickets';
import type { RunResult } from '../harness/engine';
import { runNodes, WATCHER_TYPE } from '../harness/engine';
import { WatcherSimulator } from '../../tools/simulators/watcher';

export const API_KEY = 'wk-PRIVATE-0c4e';
export const LINK_BASE = 'https://n8n.example.com/webhook/watcher-login';
export const LOGIN = 'demo@example.com';

export let sim: WatcherSimulator;
/** The key tickets are sealed with for this simulator's origin and API_KEY. */
export let key: SealingKey;

export function useLinkSimulator(): void {
	beforeAll(async () => {
		sim = await WatcherSimulator.start({ apiKey: API_KEY });
		key = await ticketKey(API_KEY, new URL(sim.url).origin).derive();
	});

	afterAll(async () => {
		await sim.stop();
	});
}

/** Generate Link for LOGIN to LINK_BASE, unless `parameters` says otherwise. */
export async function generateLink(
	parameters: INodeParameters,
	typeVersion: number,
): Promise<RunResult> {
	return await runNodes({
		nodes: [
			{
				type: WATCHER_TYPE,
				typeVersion,
				parameters: {
					resource: 'autologin',
					operation: 'generateLink',
					login: { __rl: true, mode: 'email', value: LOGIN },
					linkBaseUrl: LINK_BASE,
					...parameters,
				},
			},
		],
		items: [{}],
		credentials: { flussonicWatcherApi: { baseUrl: sim.url, apiKey: API_KEY } },
	});
}
