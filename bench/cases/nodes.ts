/**
 * The nodes the cases are built from: the item generator, our two nodes, and the HTTP Request
 * nodes (and Loop Over Items) users build the same calls from today, with the simulators' accounts
 * pasted in as users do.
 */
import type { CaseSpec } from './specs';
import { BATCH_INTERVAL_MS, BATCH_SIZE, inFlightBatching } from './specs';
import type { Workflow, WorkflowNode } from '../workflow';
import { HTTP_REQUEST_VERSION, chain, uuid } from '../workflow';

/** Node type versions present in n8n 2.40.7's n8n-nodes-base (checked in .hosts). */
const SET_VERSION = 3.4;
const SPLIT_OUT_VERSION = 1;
const MANUAL_TRIGGER_VERSION = 1;
const LOOP_OVER_ITEMS_VERSION = 3;

export const DURST_CREDENTIAL = {
	id: 'BenchDurstCred01',
	name: 'Durst Analytics (bench simulator)',
} as const;
export const WATCHER_CREDENTIAL = {
	id: 'BenchWatchCred01',
	name: 'Flussonic Watcher (bench simulator)',
} as const;

/** The simulators' default accounts; the HTTP Request baselines paste them in, as users do today. */
export const DURST_USERNAME = 'operator';
export const DURST_PASSWORD = 's3cr3t&pa ss?';
export const WATCHER_API_KEY = 'test-api-key';
const WATCHER_LOGIN = 'demo@example.com';
export const PRINTER_ID = 'P-1001';
export const LINK_BASE_URL = 'https://n8n.example.com/webhook/watcher-login';
/** The Watcher node's default version: Generate Link makes a private link by default. */
const WATCHER_NODE_VERSION = 2;

/** Where the simulators of this run listen. */
export interface SimulatorUrls {
	durstUrl: string;
	watcherUrl: string;
}

export function generatorNodes(n: number, seed: string): WorkflowNode[] {
	return [
		{
			id: uuid(`${seed}|start`),
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: MANUAL_TRIGGER_VERSION,
			position: [0, 0],
			parameters: {},
		},
		{
			id: uuid(`${seed}|make`),
			name: 'Make N',
			type: 'n8n-nodes-base.set',
			typeVersion: SET_VERSION,
			position: [200, 0],
			executeOnce: true,
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: [
						{
							id: uuid(`${seed}|i`),
							name: 'i',
							type: 'array',
							value: `={{ Array.from({ length: ${n} }, (_, k) => k) }}`,
						},
					],
				},
				options: {},
			},
		},
		{
			id: uuid(`${seed}|split`),
			name: 'Items',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: SPLIT_OUT_VERSION,
			position: [400, 0],
			parameters: { fieldToSplitOut: 'i', include: 'noOtherFields', options: {} },
		},
	];
}

function httpRequestNode(
	seed: string,
	name: string,
	x: number,
	parameters: Record<string, unknown>,
): WorkflowNode {
	return {
		id: uuid(`${seed}|${name}`),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_REQUEST_VERSION,
		position: [x, 0],
		parameters: { authentication: 'none', ...parameters },
	};
}

/** One of our nodes, as n8n loads the installed package (type prefix: the package name). */
function ourNode(
	seed: string,
	name: string,
	type: string,
	credentials: WorkflowNode['credentials'],
	parameters: Record<string, unknown>,
	typeVersion = 1,
): WorkflowNode {
	return {
		id: uuid(`${seed}|${name.toLowerCase()}`),
		name,
		type: `n8n-nodes-watcher-durst.${type}`,
		typeVersion,
		position: [600, 0],
		parameters,
		credentials,
	};
}

/** Our node's options for a case: Max Concurrent Requests and Pacing, each unset for its default. */
function ourOptions(spec: CaseSpec): Record<string, unknown> {
	return {
		...(spec.concurrency === 'default' ? {} : { maxConcurrency: spec.concurrency ?? 1 }),
		...(spec.pacing === undefined ? {} : { pacing: spec.pacing }),
	};
}

/** The Durst node: Printer: Get of PRINTER_ID. */
export function durstNode(seed: string, spec: CaseSpec): WorkflowNode {
	return ourNode(
		seed,
		'Durst',
		'durstAnalytics',
		{ durstAnalyticsApi: { ...DURST_CREDENTIAL } },
		{
			resource: 'printer',
			operation: 'get',
			printerId: { __rl: true, mode: 'id', value: PRINTER_ID },
			options: ourOptions(spec),
		},
	);
}

/** The Watcher node: Generate Link for WATCHER_LOGIN. */
export function watcherNode(seed: string, spec: CaseSpec): WorkflowNode {
	return ourNode(
		seed,
		'Watcher',
		'flussonicWatcher',
		{ flussonicWatcherApi: { ...WATCHER_CREDENTIAL } },
		{
			resource: 'autologin',
			operation: 'generateLink',
			login: { __rl: true, mode: 'email', value: WATCHER_LOGIN },
			linkBaseUrl: LINK_BASE_URL,
			options: ourOptions(spec),
		},
		// What a node added today is: private single-use links (the token sealed into the link).
		WATCHER_NODE_VERSION,
	);
}

export function durstLogin(
	seed: string,
	urls: SimulatorUrls,
	x: number,
	once: boolean,
): WorkflowNode {
	const node = httpRequestNode(seed, 'Login', x, {
		method: 'GET',
		url: `${urls.durstUrl}/api/v1/login`,
		sendQuery: true,
		specifyQuery: 'keypair',
		queryParameters: {
			parameters: [
				{ name: 'username', value: DURST_USERNAME },
				{ name: 'password', value: DURST_PASSWORD },
			],
		},
		options: {},
	});
	if (once) node.executeOnce = true;
	return node;
}

/** The HTTP Request option Batching of a case, or none. */
export function batchingOption(spec: CaseSpec, latencyMs: number): Record<string, unknown> {
	if (spec.batching === undefined) return {};
	const batch =
		spec.batching === 'spaced'
			? { batchSize: BATCH_SIZE, batchInterval: BATCH_INTERVAL_MS }
			: spec.batching === 'capacity' && spec.scenario !== undefined
				? { batchSize: spec.scenario.capacity.limit, batchInterval: Math.max(1, latencyMs) }
				: inFlightBatching(latencyMs);
	return { batching: { batch } };
}

export function durstGetPrinter(
	seed: string,
	urls: SimulatorUrls,
	x: number,
	tokenExpression: string,
	options: Record<string, unknown> = {},
): WorkflowNode {
	return httpRequestNode(seed, 'Get Printer', x, {
		method: 'GET',
		url: `${urls.durstUrl}/api/v1/printers/${PRINTER_ID}`,
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: { parameters: [{ name: 'x-auth-token', value: tokenExpression }] },
		options,
	});
}

export function loopNode(seed: string): WorkflowNode {
	return {
		id: uuid(`${seed}|loop`),
		name: 'Loop',
		type: 'n8n-nodes-base.splitInBatches',
		typeVersion: LOOP_OVER_ITEMS_VERSION,
		position: [0, 0],
		parameters: { batchSize: 1, options: {} },
	};
}

/**
 * How users make the HTTP Request node wait for each answer (it otherwise starts every item's request
 * at once): Loop Over Items with batch size 1, whose "loop" output (1) feeds the request node, which
 * feeds back into the loop. `order` runs up to the loop; the body is wired here.
 */
export function loopConnections(order: string[], body: string): Workflow['connections'] {
	const connections = chain([...order, 'Loop']);
	connections.Loop = { main: [[], [{ node: body, type: 'main', index: 0 }]] };
	connections[body] = { main: [[{ node: 'Loop', type: 'main', index: 0 }]] };
	return connections;
}

export function watcherPost(
	seed: string,
	urls: SimulatorUrls,
	options: Record<string, unknown> = {},
): WorkflowNode {
	return httpRequestNode(seed, 'Generate Token', 600, {
		method: 'POST',
		url: `${urls.watcherUrl}/vsaas/api/v2/auth/generate-autologin-token`,
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: { parameters: [{ name: 'X-Vsaas-Api-Key', value: WATCHER_API_KEY }] },
		sendBody: true,
		contentType: 'json',
		specifyBody: 'keypair',
		bodyParameters: { parameters: [{ name: 'login', value: WATCHER_LOGIN }] },
		options,
	});
}
