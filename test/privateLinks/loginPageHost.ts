/**
 * Serves the Login Page's webhook as n8n's live webhook handler does: for each request the
 * workflow is loaded from its saved form (static data as JSON), n8n-core's WebhookContext calls
 * the node, and static data that changed is saved with the answer, whether an execution starts or
 * not. `restart()` loads the node's modules anew, as a restarted n8n would: the process forgets
 * what it remembered and only saved static data is left. Links come from Generate Link run through
 * n8n-core's engine against the Watcher simulator.
 */
import { WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { FlussonicWatcherLoginPage } from '../../nodes/FlussonicWatcher/FlussonicWatcherLoginPage.node';
import { runNodes, WATCHER_TYPE } from '../harness/engine';
import { makeAdditionalData } from '../harness/package';

export const LOGIN_PAGE_TYPE = 'n8n-nodes-watcher-durst.flussonicWatcherLoginPage';

export interface PageSpec {
	/** The node's Path parameter. */
	path: string;
	name?: string;
	options?: INodeParameters;
}

type Response = NonNullable<IWorkflowExecuteAdditionalData['httpResponse']>;

export interface Visit {
	status: number;
	html: string;
	/** The item of the execution the visit started, or undefined when none started. */
	item: IDataObject | undefined;
}

async function loadNodeType(): Promise<INodeType> {
	let loaded: typeof FlussonicWatcherLoginPage | undefined;
	await jest.isolateModulesAsync(async () => {
		({ FlussonicWatcherLoginPage: loaded } =
			await import('../../nodes/FlussonicWatcher/FlussonicWatcherLoginPage.node'));
	});
	if (!loaded) throw new Error('the Login Page node did not load');
	return new loaded();
}

function nodeTypesOf(type: INodeType): INodeTypes {
	return {
		getByName: () => type,
		getByNameAndVersion: () => type,
		getKnownTypes: () => ({ [LOGIN_PAGE_TYPE]: {} }),
	};
}

/** The answer the node wrote through the response object, as a browser would receive it. */
function recorder(): { response: Response; answer: () => { status: number; html: string } } {
	let status = 0;
	let html = '';
	const response = {
		headersSent: false,
		writeHead(code: number) {
			status = code;
			return response;
		},
		end(body: string) {
			html = body;
			return response;
		},
	};
	return { response: response, answer: () => ({ status, html }) };
}

/** n8n's database row of the workflow: what every process loads and saves static data to. */
export interface SavedWorkflow {
	staticData: IDataObject;
}

/** What one POST sends besides the ticket, and the static data it loaded, if not the saved one. */
export interface PostOptions {
	body?: IDataObject;
	/** A copy loaded earlier (a request that began before another saved). */
	loaded?: IDataObject;
}

export class LoginPageHost {
	private constructor(
		private nodeType: INodeType,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
		private readonly saved: SavedWorkflow,
		readonly workflowId = 'wf-login-page',
	) {}

	static async start(
		credentials: Record<string, ICredentialDataDecryptedObject>,
	): Promise<LoginPageHost> {
		return new LoginPageHost(await loadNodeType(), credentials, { staticData: {} });
	}

	/** Another n8n process (its own memory) on the same database as this one. */
	async anotherProcess(): Promise<LoginPageHost> {
		return new LoginPageHost(await loadNodeType(), this.credentials, this.saved, this.workflowId);
	}

	/** The workflow's static data as n8n last saved it. */
	get savedStaticData(): IDataObject {
		return this.saved.staticData;
	}

	set savedStaticData(value: IDataObject) {
		this.saved.staticData = value;
	}

	async restart(): Promise<void> {
		this.nodeType = await loadNodeType();
	}

	/** A private link made by Generate Link for the given Link Base URL. */
	async link(linkBaseUrl: string, linkValidityMinutes = 15): Promise<string> {
		const [link] = await this.links(linkBaseUrl, linkValidityMinutes, 1);
		return link;
	}

	/** Private links made by one run of Generate Link, one per item. */
	async links(linkBaseUrl: string, linkValidityMinutes: number, count: number): Promise<string[]> {
		const result = await runNodes({
			nodes: [
				{
					type: WATCHER_TYPE,
					typeVersion: 2,
					parameters: {
						resource: 'autologin',
						operation: 'generateLink',
						login: { __rl: true, mode: 'email', value: 'demo@example.com' },
						linkBaseUrl,
						options: { linkValidityMinutes },
					},
				},
			],
			items: Array.from({ length: count }, () => ({})),
			credentials: this.credentials,
		});
		const links = result.output().map((item) => item.json.link);
		if (links.length !== count || !links.every((link) => typeof link === 'string')) {
			throw new Error(`no links: ${result.error?.message ?? ''}`);
		}
		return links;
	}

	/** What the page's script posts for a link: its fragment, the ticket. */
	async post(
		page: PageSpec,
		link: string,
		step: 'redeem' | 'confirm' | 'finish' = 'redeem',
		options: PostOptions = {},
	): Promise<Visit> {
		const ticket = link.slice(link.indexOf('#') + 1);
		const node: INode = {
			id: 'login-page-node',
			// The editor gives every webhook node one; n8n then routes the Path as it is.
			webhookId: 'login-page-webhook',
			name: page.name ?? 'Watcher Login Page',
			type: LOGIN_PAGE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { path: page.path, options: page.options ?? {} },
			credentials: { flussonicWatcherApi: { id: 'cred-1', name: 'Watcher' } },
		};
		const workflow = new Workflow({
			id: this.workflowId,
			nodes: [node],
			connections: {},
			nodeTypes: nodeTypesOf(this.nodeType),
			active: true,
			staticData: structuredClone(options.loaded ?? this.savedStaticData),
		});
		const additionalData = makeAdditionalData(undefined, this.credentials);
		const { response, answer } = recorder();
		additionalData.httpRequest = {
			method: 'POST',
			headers: { 'user-agent': 'jest' },
			body: { ticket, step, ...(options.body ?? {}) },
		};
		additionalData.httpResponse = response;
		const description = this.nodeType.description.webhooks?.find((w) => w.name === 'default');
		if (!description) throw new Error('the Login Page has no POST webhook');
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: page.path,
			webhookDescription: description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);
		if (!this.nodeType.webhook) throw new Error('the Login Page has no webhook method');
		const result: IWebhookResponseData = await this.nodeType.webhook.call(context);
		const staticData = workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (staticData.__dataChanged === true) {
			this.savedStaticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		}
		return { ...answer(), item: result.workflowData?.[0]?.[0]?.json };
	}
}
