/**
 * Runs our nodes through n8n-core's real execution engine (WorkflowExecute), as n8n's own node test
 * harness does, so the real request helper, paired items and continueOnFail are exercised. HTTP goes
 * to the simulators; nothing here replaces n8n's request helper.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	IConnections,
	INodeListSearchResult,
	INodePropertyOptions,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, Workflow } from 'n8n-workflow';

import { DurstAnalyticsApi } from '../../credentials/DurstAnalyticsApi.credentials';
import { FlussonicWatcherApi } from '../../credentials/FlussonicWatcherApi.credentials';
import { DurstAnalytics } from '../../nodes/DurstAnalytics/DurstAnalytics.node';
import { DurstAnalyticsTrigger } from '../../nodes/DurstAnalytics/DurstAnalyticsTrigger.node';
import { FlussonicWatcher } from '../../nodes/FlussonicWatcher/FlussonicWatcher.node';

export const PACKAGE = 'n8n-nodes-watcher-durst';
export const WATCHER_TYPE = `${PACKAGE}.flussonicWatcher`;
export const DURST_TYPE = `${PACKAGE}.durstAnalytics`;
export const DURST_TRIGGER_TYPE = `${PACKAGE}.durstAnalyticsTrigger`;

const credentialTypes: Record<string, ICredentialType> = {
	flussonicWatcherApi: new FlussonicWatcherApi(),
	durstAnalyticsApi: new DurstAnalyticsApi(),
};

class PackageNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[WATCHER_TYPE]: new FlussonicWatcher(),
		[DURST_TYPE]: new DurstAnalytics(),
		[DURST_TRIGGER_TYPE]: new DurstAnalyticsTrigger(),
	};

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(Object.keys(this.types).map((name) => [name, {}]));
	}
}

export const nodeTypes = new PackageNodeTypes();

/**
 * Applies a credential type's `authenticate` the way n8n's CredentialsHelper does: generic
 * (declarative) blocks have their `={{ $credentials.x }}` expressions resolved by the workflow's
 * expression engine; function blocks are called.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const options = requestOptions as IHttpRequestOptions;
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (!authenticate) return options;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (!workflow || !node) throw new Error('generic authentication needs the workflow and node');
		const resolve = (value: unknown): unknown =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(
						node,
						value,
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					)
				: value;
		const target = options as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			const resolved: Record<string, unknown> = { ...(target[section] ?? {}) };
			for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
				resolved[String(resolve(key))] = resolve(value);
			}
			target[section] = resolved;
		}
		return options;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(_details: INodeCredentialsDetails, _type: string): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_details: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const found = this.credentials[type];
		if (!found) throw new Error(`No test credentials of type ${type}`);
		// A copy: n8n hands each execution its own decrypted object.
		return { ...found };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

export function makeAdditionalData(
	hooks: ExecutionLifecycleHooks | undefined,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		userId: 'user-1',
		setExecutionStatus: () => undefined,
		logAiEvent: () => undefined,
		getRunExecutionData: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used by these nodes');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

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
