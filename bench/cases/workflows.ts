/**
 * The benchmark's workflows, built in code so that N, the concurrency and the simulator addresses
 * are those of the run. Every workflow starts with the same generator (Manual Trigger -> Set ->
 * Split Out): N items without a Code node, whose task runner would add its own start-up and memory.
 */
import { createHash } from 'node:crypto';

import type { SimulatorUrls } from './nodes';
import {
	DURST_CREDENTIAL,
	DURST_PASSWORD,
	DURST_USERNAME,
	WATCHER_API_KEY,
	WATCHER_CREDENTIAL,
	batchingOption,
	durstGetPrinter,
	durstLogin,
	durstNode,
	generatorNodes,
	loopConnections,
	loopNode,
	watcherNode,
	watcherPost,
} from './nodes';
import type { CaseId, CaseSpec } from './specs';
import type { Workflow, WorkflowNode } from '../workflow';
import { chain, uuid } from '../workflow';

/** A case's nodes, their order, and for loops the wiring (`chain(order)` otherwise). */
interface CaseNodes {
	nodes: WorkflowNode[];
	order: string[];
	connections?: Workflow['connections'];
}

const TOKEN_OF_LOGIN = "={{ $('Login').first().json.xAuthToken }}";

/** n8n ids are 16 alphanumerics; a hash keeps them stable per (case, N, latency, repetition) and unique. */
export function workflowId(caseId: CaseId, n: number, latencyMs: number, rep: number): string {
	const hash = createHash('sha256').update(`${caseId}|${n}|${latencyMs}|${rep}`).digest('hex');
	return `Bench${hash.slice(0, 11)}`;
}

/** The Durst HTTP Request baselines: (c), (f), (f20) and (g) log in once, (d) per item. */
function durstHttpNodes(
	spec: CaseSpec,
	generator: WorkflowNode[],
	latencyMs: number,
	seed: string,
	urls: SimulatorUrls,
): CaseNodes {
	if (spec.id === 'd') {
		const login = durstLogin(seed, urls, 600, false);
		const get = durstGetPrinter(seed, urls, 800, '={{ $json.xAuthToken }}');
		return {
			nodes: [...generator, login, get],
			order: [...generator.map((node) => node.name), 'Login', 'Get Printer'],
		};
	}
	// The login sits before the generator: a login node after it would turn N items into one
	// (executeOnce), which is why users log in first and reach back with $('Login').
	const login = durstLogin(seed, urls, 200, true);
	const order = ['Start', 'Login', 'Make N', 'Items'];
	if (spec.looped === true) {
		const get = durstGetPrinter(seed, urls, 800, TOKEN_OF_LOGIN);
		return {
			nodes: [generator[0], login, ...generator.slice(1), loopNode(seed), get],
			order: [...order, 'Loop', 'Get Printer'],
			connections: loopConnections(order, 'Get Printer'),
		};
	}
	const get = durstGetPrinter(seed, urls, 800, TOKEN_OF_LOGIN, batchingOption(spec, latencyMs));
	return {
		nodes: [generator[0], login, ...generator.slice(1), get],
		order: [...order, 'Get Printer'],
	};
}

/** The Watcher HTTP Request baselines: the token POST as it comes, batched, or in a loop. */
function watcherHttpNodes(
	spec: CaseSpec,
	generator: WorkflowNode[],
	latencyMs: number,
	seed: string,
	urls: SimulatorUrls,
): CaseNodes {
	const generatorNames = generator.map((node) => node.name);
	if (spec.looped === true) {
		return {
			nodes: [...generator, loopNode(seed), watcherPost(seed, urls)],
			order: [...generatorNames, 'Loop', 'Generate Token'],
			connections: loopConnections(generatorNames, 'Generate Token'),
		};
	}
	return {
		nodes: [...generator, watcherPost(seed, urls, batchingOption(spec, latencyMs))],
		order: [...generatorNames, 'Generate Token'],
	};
}

/** The one-item Generate Link of the warm-up cases (CaseSpec.warmUp). */
export const WARM_UP_NODE = 'Warm Up';

/** The nodes after the generator (or, for the Durst baselines, around it) and their order. */
function caseNodes(
	spec: CaseSpec,
	n: number,
	latencyMs: number,
	seed: string,
	urls: SimulatorUrls,
): CaseNodes {
	const generator = generatorNodes(n, seed);
	const generatorNames = generator.map((node) => node.name);
	if (spec.concurrency !== undefined) {
		const ours = spec.product === 'durst' ? durstNode(seed, spec) : watcherNode(seed, spec);
		if (spec.warmUp !== true) {
			return { nodes: [...generator, ours], order: [...generatorNames, ours.name] };
		}
		const warm = { ...watcherNode(`${seed}|warm`, spec), name: WARM_UP_NODE };
		const [start, ...rest] = generator;
		return {
			nodes: [start, warm, ...rest, ours],
			order: [start.name, warm.name, ...rest.map((node) => node.name), ours.name],
		};
	}
	return spec.product === 'durst'
		? durstHttpNodes(spec, generator, latencyMs, seed, urls)
		: watcherHttpNodes(spec, generator, latencyMs, seed, urls);
}

export function buildWorkflow(
	spec: CaseSpec,
	id: string,
	n: number,
	latencyMs: number,
	urls: SimulatorUrls,
): Workflow {
	const { nodes, order, connections } = caseNodes(spec, n, latencyMs, id, urls);
	const retried = nodes.find((node) => node.name === spec.outputNode);
	if (spec.retryOnFail !== undefined && retried !== undefined)
		Object.assign(retried, { retryOnFail: true, ...spec.retryOnFail });
	if (spec.continueOnError === true && retried !== undefined)
		retried.onError = 'continueRegularOutput';
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

/** The two credentials the cases' nodes use, pointing at this run's simulators. */
export function credentials(urls: SimulatorUrls): object[] {
	return [
		{
			...DURST_CREDENTIAL,
			type: 'durstAnalyticsApi',
			data: {
				baseUrl: urls.durstUrl,
				username: DURST_USERNAME,
				password: DURST_PASSWORD,
				ignoreSslIssues: false,
			},
		},
		{
			...WATCHER_CREDENTIAL,
			type: 'flussonicWatcherApi',
			data: { baseUrl: urls.watcherUrl, apiKey: WATCHER_API_KEY, ignoreSslIssues: false },
		},
	];
}
