/**
 * Runs our nodes through n8n-core's real execution engine (WorkflowExecute), as n8n's own node test
 * harness does, so the real request helper, paired items and continueOnFail are exercised. HTTP goes
 * to the simulators; nothing here replaces n8n's request helper.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteData,
	INode,
	INodeExecutionData,
	IRun,
	IRunExecutionData,
	IConnections,
	INodeListSearchResult,
	INodePropertyOptions,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { makeAdditionalData, nodeTypes, WATCHER_TYPE } from './package';

export { DURST_TRIGGER_TYPE, DURST_TYPE, WATCHER_TYPE } from './package';

export interface NodeSpec {
	name?: string;
	type: string;
	/** Default 1: what a node saved before a newer version existed runs as. */
	typeVersion?: number;
	parameters: INode['parameters'];
	continueOnFail?: boolean;
	credentialType?: string;
}

export interface RunOptions {
	/** Nodes run in a chain, each feeding the next. */
	nodes: NodeSpec[];
	items: IDataObject[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Workflow static data at the start, as n8n would load it from the database. */
	staticData?: IDataObject;
	mode?: WorkflowExecuteMode;
	workflowId?: string;
	/** The workflow's timezone (n8n's default is America/New_York). */
	timezone?: string;
	/** Cancels the execution after this many ms, as the editor's Stop button or a timeout does. */
	cancelAfterMs?: number;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node (first output, first run). */
	output(nodeName?: string): INodeExecutionData[];
	/** The node error that stopped the workflow, if any. */
	error: Error | undefined;
	/** Static data as n8n would save it, or undefined when nothing changed (n8n then saves nothing). */
	savedStaticData: IDataObject | undefined;
}

export async function runNodes(options: RunOptions): Promise<RunResult> {
	const nodes: INode[] = options.nodes.map((spec, index) => ({
		id: `node-${index}`,
		name: spec.name ?? `Node ${index + 1}`,
		type: spec.type,
		typeVersion: spec.typeVersion ?? 1,
		position: [index * 200, 0],
		parameters: spec.parameters,
		onError: spec.continueOnFail ? 'continueRegularOutput' : undefined,
		credentials: {
			[spec.credentialType ??
			(spec.type === WATCHER_TYPE ? 'flussonicWatcherApi' : 'durstAnalyticsApi')]: {
				id: 'cred-1',
				name: 'Test credential',
			},
		},
	}));
	const connections: IConnections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	const workflow = new Workflow({
		id: options.workflowId ?? 'wf-test',
		nodes,
		connections,
		nodeTypes,
		active: false,
		staticData: options.staticData ? structuredClone(options.staticData) : undefined,
		settings: { executionOrder: 'v1', timezone: options.timezone },
	});

	// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed by tsc: ESLint's program cannot resolve n8n-core's types here and sees an error type
	const hooks = new ExecutionLifecycleHooks('trigger', 'exec-1', {
		id: workflow.id,
		name: 'test',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		activeVersionId: null,
	} as unknown as ConstructorParameters<typeof ExecutionLifecycleHooks>[2]);
	let resolveFinished: (run: IRun) => void = () => undefined;
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));

	const additionalData = makeAdditionalData(hooks, options.credentials);

	const startNode = nodes[0];
	const runExecutionData: IRunExecutionData = {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed by tsc: ESLint's program cannot resolve n8n-core's types here and sees an error type
				{
					node: startNode,
					data: { main: [options.items.map((json) => ({ json }))] },
					source: null,
				} as IExecuteData,
			],
		},
	} as IRunExecutionData;

	const mode = options.mode ?? 'trigger';
	const execute = new WorkflowExecute(additionalData, mode, runExecutionData);
	const running = execute.processRunExecutionData(workflow);
	const cancel =
		options.cancelAfterMs === undefined
			? undefined
			: setTimeout(() => running.cancel(), options.cancelAfterMs);
	await running;
	const run = await finished;
	clearTimeout(cancel);

	const staticData = workflow.staticData as IDataObject & { __dataChanged?: boolean };
	const changed = staticData.__dataChanged === true;
	const savedStaticData = changed
		? (JSON.parse(
				JSON.stringify(staticData, (key, value: unknown) =>
					key === '__dataChanged' ? undefined : value,
				),
			) as IDataObject)
		: undefined;

	return {
		run,
		error: run.data.resultData.error,
		savedStaticData,
		output(nodeName = nodes[nodes.length - 1].name) {
			const runs = run.data.resultData.runData[nodeName];
			if (!runs?.length) {
				throw new Error(
					`Node "${nodeName}" did not run: ${run.data.resultData.error?.message ?? 'no error'}`,
				);
			}
			return runs[0].data?.main[0] ?? [];
		},
	};
}

/** The context the editor gives a node's methods: no execution, no static data. */
function editorContext(
	spec: NodeSpec,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): LoadOptionsContext {
	const node: INode = {
		id: 'node-0',
		name: 'Node 1',
		type: spec.type,
		typeVersion: 1,
		position: [0, 0],
		parameters: spec.parameters,
		credentials: {
			[spec.type === WATCHER_TYPE ? 'flussonicWatcherApi' : 'durstAnalyticsApi']: {
				id: 'cred-1',
				name: 'Test credential',
			},
		},
	};
	const workflow = new Workflow({
		id: 'wf-test',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
	});
	const context = new LoadOptionsContext(
		workflow,
		node,
		makeAdditionalData(undefined, credentials),
		'parameters',
	);
	return context;
}

/** Runs a node's loadOptions method (a dropdown's list) as the editor does. */
export async function loadOptions(
	spec: NodeSpec,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	method: string,
): Promise<INodePropertyOptions[]> {
	const context = editorContext(spec, credentials);
	const load = nodeTypes.getByNameAndVersion(spec.type).methods?.loadOptions?.[method];
	if (!load) throw new Error(`No loadOptions method ${method}`);
	return await load.call(context);
}

/** Runs a node's listSearch method as the editor does, through n8n-core's LoadOptionsContext. */
export async function listSearch(
	spec: NodeSpec,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	method: string,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const context = editorContext(spec, credentials);
	const type = nodeTypes.getByNameAndVersion(spec.type);
	const search = type.methods?.listSearch?.[method];
	if (!search) throw new Error(`No listSearch method ${method}`);
	return await search.call(context, filter, paginationToken);
}
