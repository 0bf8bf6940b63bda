/**
 * The benchmark's workflows, built in code so that N, the concurrency and the simulator addresses
 * are those of the run. Every workflow starts with the same generator (Manual Trigger -> Set ->
 * Split Out): N items without a Code node, whose task runner would add its own start-up and memory.
 */
import { createHash } from 'node:crypto';

/** Node type versions present in n8n 2.40.7's n8n-nodes-base (checked in .hosts). */
const HTTP_REQUEST_VERSION = 4.5;
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
export const WATCHER_LOGIN = 'demo@example.com';
export const PRINTER_ID = 'P-1001';
export const LINK_BASE_URL = 'https://n8n.example.com/webhook/watcher-login';
/** The Watcher node's default version: Generate Link makes a private link by default. */
const WATCHER_NODE_VERSION = 2;

/**
 * HTTP Request "Batching" of case (f). In HttpRequestV3 (n8n-nodes-base 2.40.2) the option only
 * sleeps `batchInterval` ms before every `batchSize`-th item while the requests are being started,
 * and only when `batchInterval > 0`; it never waits for answers. With 0 it changes nothing, so 1 ms
 * (the smallest interval that engages it) is used.
 */
export const BATCH_SIZE = 10;
export const BATCH_INTERVAL_MS = 1;

/**
 * Batching that keeps about `IN_FLIGHT` requests in flight, for the like-for-like cases (f20),
 * (wH20): start IN_FLIGHT requests, wait about one answer's time (the latency; 1 ms, the least that
 * engages the option, at 0 ms), start the next IN_FLIGHT. The simulators count the real peak.
 */
export const IN_FLIGHT = 20;
export function inFlightBatching(latencyMs: number): { batchSize: number; batchInterval: number } {
	return { batchSize: IN_FLIGHT, batchInterval: Math.max(1, latencyMs) };
}

export type CaseId =
	| 'a'
	| 'b'
	| 'c'
	| 'd'
	| 'e'
	| 'e20'
	| 'f'
	| 'f20'
	| 'g'
	| 'wSeq'
	| 'wC10'
	| 'w20'
	| 'wHttp'
	| 'wH20'
	| 'wLoop';
export type Product = 'durst' | 'watcher';

export interface CaseSpec {
	id: CaseId;
	product: Product;
	label: string;
	/** Which nodes' executionTime is summed into the case's node time. */
	measured: string[];
	/** The node whose output is validated (N items, no errors). */
	outputNode: string;
	/** Our node's Max Concurrent Requests ('default': the option left unset), or undefined for HTTP Request cases. */
	concurrency?: number | 'default';
	/** HTTP Request cases: the Batching option (see BATCH_SIZE and inFlightBatching). */
	batching?: 'spaced' | 'inFlight';
	/** b re-executes a's workflow: its static data then holds the token the cold run saved. */
	reuses?: CaseId;
	/**
	 * The measured nodes run once per item inside a Loop Over Items: node time and output are summed
	 * over all their runs. (The Loop node's own runs are not counted, which favours the baseline.)
	 */
	looped?: boolean;
}

export const CASES: Record<CaseId, CaseSpec> = {
	a: {
		id: 'a',
		product: 'durst',
		label: 'Durst node, Max Concurrent Requests 1 (one at a time), cold cache',
		measured: ['Durst'],
		outputNode: 'Durst',
		concurrency: 1,
	},
	b: {
		id: 'b',
		product: 'durst',
		label: 'Durst node, Max Concurrent Requests 1, warm cache',
		measured: ['Durst'],
		outputNode: 'Durst',
		concurrency: 1,
		reuses: 'a',
	},
	c: {
		id: 'c',
		product: 'durst',
		label: 'HTTP Request: login once + token by expression',
		measured: ['Login', 'Get Printer'],
		outputNode: 'Get Printer',
	},
	d: {
		id: 'd',
		product: 'durst',
		label: 'HTTP Request: login per item',
		measured: ['Login', 'Get Printer'],
		outputNode: 'Get Printer',
	},
	e: {
		id: 'e',
		product: 'durst',
		label: 'Durst node, default settings (10 in flight), cold cache',
		measured: ['Durst'],
		outputNode: 'Durst',
		concurrency: 'default',
	},
	e20: {
		id: 'e20',
		product: 'durst',
		label: `Durst node, Max Concurrent Requests ${IN_FLIGHT}, cold cache`,
		measured: ['Durst'],
		outputNode: 'Durst',
		concurrency: IN_FLIGHT,
	},
	f: {
		id: 'f',
		product: 'durst',
		label: `HTTP Request: login once + batching ${BATCH_SIZE}/${BATCH_INTERVAL_MS} ms`,
		measured: ['Login', 'Get Printer'],
		outputNode: 'Get Printer',
		batching: 'spaced',
	},
	f20: {
		id: 'f20',
		product: 'durst',
		label: `HTTP Request: login once + batching ${IN_FLIGHT} per latency (about ${IN_FLIGHT} in flight)`,
		measured: ['Login', 'Get Printer'],
		outputNode: 'Get Printer',
		batching: 'inFlight',
	},
	g: {
		id: 'g',
		product: 'durst',
		label: 'HTTP Request: login once + Loop Over Items (1 at a time)',
		measured: ['Login', 'Get Printer'],
		outputNode: 'Get Printer',
		looped: true,
	},
	wSeq: {
		id: 'wSeq',
		product: 'watcher',
		label: 'Watcher node, Generate Link, Max Concurrent Requests 1 (one at a time)',
		measured: ['Watcher'],
		outputNode: 'Watcher',
		concurrency: 1,
	},
	wC10: {
		id: 'wC10',
		product: 'watcher',
		label: 'Watcher node, Generate Link, default settings (10 in flight)',
		measured: ['Watcher'],
		outputNode: 'Watcher',
		concurrency: 'default',
	},
	w20: {
		id: 'w20',
		product: 'watcher',
		label: `Watcher node, Generate Link, Max Concurrent Requests ${IN_FLIGHT}`,
		measured: ['Watcher'],
		outputNode: 'Watcher',
		concurrency: IN_FLIGHT,
	},
	wHttp: {
		id: 'wHttp',
		product: 'watcher',
		label: 'HTTP Request: same POST',
		measured: ['Generate Token'],
		outputNode: 'Generate Token',
	},
	wH20: {
		id: 'wH20',
		product: 'watcher',
		label: `HTTP Request: same POST + batching ${IN_FLIGHT} per latency (about ${IN_FLIGHT} in flight)`,
		measured: ['Generate Token'],
		outputNode: 'Generate Token',
		batching: 'inFlight',
	},
	wLoop: {
		id: 'wLoop',
		product: 'watcher',
		label: 'HTTP Request: same POST in Loop Over Items (1 at a time)',
		measured: ['Generate Token'],
		outputNode: 'Generate Token',
		looped: true,
	},
};

export const CASE_ORDER: CaseId[] = [
	'a',
	'b',
	'c',
	'd',
	'e',
	'e20',
	'f',
	'f20',
	'g',
	'wSeq',
	'wC10',
	'w20',
	'wHttp',
	'wH20',
	'wLoop',
];

export interface Targets {
	durstUrl: string;
	watcherUrl: string;
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	/** Webhook nodes: n8n registers the production path under it. */
	webhookId?: string;
	executeOnce?: boolean;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface Workflow {
	id: string;
	name: string;
	active: boolean;
	/** n8n 2.x refuses to import a workflow without one. */
	versionId: string;
	settings: Record<string, unknown>;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	>;
}

/** A stable UUID from a seed, so re-imported workflows keep their node ids. */
export function uuid(seed: string): string {
	const hex = createHash('sha256').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** n8n ids are 16 alphanumerics; a hash keeps them stable per (case, N, latency, repetition) and unique. */
export function workflowId(caseId: CaseId, n: number, latencyMs: number, rep: number): string {
	const hash = createHash('sha256').update(`${caseId}|${n}|${latencyMs}|${rep}`).digest('hex');
	return `Bench${hash.slice(0, 11)}`;
}

/** Connects the named nodes one after another. */
export function chain(names: string[]): Workflow['connections'] {
	const connections: Workflow['connections'] = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function generatorNodes(n: number, seed: string): WorkflowNode[] {
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

function durstLogin(seed: string, targets: Targets, x: number, once: boolean): WorkflowNode {
	const node = httpRequestNode(seed, 'Login', x, {
		method: 'GET',
		url: `${targets.durstUrl}/api/v1/login`,
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
function batchingOption(spec: CaseSpec, latencyMs: number): Record<string, unknown> {
	if (spec.batching === undefined) return {};
	const batch =
		spec.batching === 'spaced'
			? { batchSize: BATCH_SIZE, batchInterval: BATCH_INTERVAL_MS }
			: inFlightBatching(latencyMs);
	return { batching: { batch } };
}

function durstGetPrinter(
	seed: string,
	targets: Targets,
	x: number,
	tokenExpression: string,
	options: Record<string, unknown> = {},
): WorkflowNode {
	return httpRequestNode(seed, 'Get Printer', x, {
		method: 'GET',
		url: `${targets.durstUrl}/api/v1/printers/${PRINTER_ID}`,
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: { parameters: [{ name: 'x-auth-token', value: tokenExpression }] },
		options,
	});
}

function loopNode(seed: string): WorkflowNode {
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
function loopConnections(order: string[], body: string): Workflow['connections'] {
	const connections = chain([...order, 'Loop']);
	connections.Loop = { main: [[], [{ node: body, type: 'main', index: 0 }]] };
	connections[body] = { main: [[{ node: 'Loop', type: 'main', index: 0 }]] };
	return connections;
}

function watcherPost(
	seed: string,
	targets: Targets,
	options: Record<string, unknown> = {},
): WorkflowNode {
	return httpRequestNode(seed, 'Generate Token', 600, {
		method: 'POST',
		url: `${targets.watcherUrl}/vsaas/api/v2/auth/generate-autologin-token`,
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

/** The nodes after the generator (or, for c/f/g, around it) and their order (and, for loops, the wiring). */
function caseNodes(
	spec: CaseSpec,
	n: number,
	latencyMs: number,
	seed: string,
	targets: Targets,
): { nodes: WorkflowNode[]; order: string[]; connections?: Workflow['connections'] } {
	const generator = generatorNodes(n, seed);
	const ourOptions =
		spec.concurrency === 'default' ? {} : { maxConcurrency: spec.concurrency ?? 1 };
	const generatorNames = generator.map((node) => node.name);
	switch (spec.id) {
		case 'a':
		case 'b':
		case 'e':
		case 'e20': {
			const durst = ourNode(
				seed,
				'Durst',
				'durstAnalytics',
				{ durstAnalyticsApi: { ...DURST_CREDENTIAL } },
				{
					resource: 'printer',
					operation: 'get',
					printerId: { __rl: true, mode: 'id', value: PRINTER_ID },
					options: ourOptions,
				},
			);
			return { nodes: [...generator, durst], order: [...generatorNames, 'Durst'] };
		}
		case 'c':
		case 'f':
		case 'f20': {
			// The login sits before the generator: a login node after it would turn N items into one
			// (executeOnce), which is why users log in first and reach back with $('Login').
			const login = durstLogin(seed, targets, 200, true);
			const get = durstGetPrinter(
				seed,
				targets,
				800,
				"={{ $('Login').first().json.xAuthToken }}",
				batchingOption(spec, latencyMs),
			);
			return {
				nodes: [generator[0], login, ...generator.slice(1), get],
				order: ['Start', 'Login', 'Make N', 'Items', 'Get Printer'],
			};
		}
		case 'g': {
			const login = durstLogin(seed, targets, 200, true);
			const get = durstGetPrinter(seed, targets, 800, "={{ $('Login').first().json.xAuthToken }}");
			const order = ['Start', 'Login', 'Make N', 'Items'];
			return {
				nodes: [generator[0], login, ...generator.slice(1), loopNode(seed), get],
				order: [...order, 'Loop', 'Get Printer'],
				connections: loopConnections(order, 'Get Printer'),
			};
		}
		case 'd': {
			const login = durstLogin(seed, targets, 600, false);
			const get = durstGetPrinter(seed, targets, 800, '={{ $json.xAuthToken }}');
			return {
				nodes: [...generator, login, get],
				order: [...generatorNames, 'Login', 'Get Printer'],
			};
		}
		case 'wSeq':
		case 'wC10':
		case 'w20': {
			const watcher = ourNode(
				seed,
				'Watcher',
				'flussonicWatcher',
				{ flussonicWatcherApi: { ...WATCHER_CREDENTIAL } },
				{
					resource: 'autologin',
					operation: 'generateLink',
					login: { __rl: true, mode: 'email', value: WATCHER_LOGIN },
					linkBaseUrl: LINK_BASE_URL,
					options: ourOptions,
				},
				// What a node added today is: private single-use links (the token sealed into the link).
				WATCHER_NODE_VERSION,
			);
			return { nodes: [...generator, watcher], order: [...generatorNames, 'Watcher'] };
		}
		case 'wHttp':
		case 'wH20':
			return {
				nodes: [...generator, watcherPost(seed, targets, batchingOption(spec, latencyMs))],
				order: [...generatorNames, 'Generate Token'],
			};
		case 'wLoop':
			return {
				nodes: [...generator, loopNode(seed), watcherPost(seed, targets)],
				order: [...generatorNames, 'Loop', 'Generate Token'],
				connections: loopConnections(generatorNames, 'Generate Token'),
			};
	}
}

export function buildWorkflow(
	spec: CaseSpec,
	id: string,
	n: number,
	latencyMs: number,
	targets: Targets,
): Workflow {
	const { nodes, order, connections } = caseNodes(spec, n, latencyMs, id, targets);
	nodes.forEach((node, index) => {
		node.position = [index * 200, 0];
	});
	return {
		id,
		name: `bench ${spec.id}: ${spec.label} (N=${n}, ${latencyMs} ms)`,
		active: false,
		versionId: uuid(`${id}|version`),
		settings: { executionOrder: 'v1' },
		nodes,
		connections: connections ?? chain(order),
	};
}

export function credentials(targets: Targets): object[] {
	return [
		{
			...DURST_CREDENTIAL,
			type: 'durstAnalyticsApi',
			data: {
				baseUrl: targets.durstUrl,
				username: DURST_USERNAME,
				password: DURST_PASSWORD,
				ignoreSslIssues: false,
			},
		},
		{
			...WATCHER_CREDENTIAL,
			type: 'flussonicWatcherApi',
			data: { baseUrl: targets.watcherUrl, apiKey: WATCHER_API_KEY, ignoreSslIssues: false },
		},
	];
}
