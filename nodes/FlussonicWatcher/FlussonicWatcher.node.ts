import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import * as generateLink from './actions/autologin/generateLink.operation';
import * as generateToken from './actions/autologin/generateToken.operation';
import * as renderLoginPage from './actions/autologin/renderLoginPage.operation';
import { searchUsers } from './methods/listSearch';
import type { WatcherServer } from './transport';
import { CREDENTIAL_TYPE, getWatcherServer } from './transport';
import { readConcurrency } from '../shared/concurrency';
import { processItems } from '../shared/items';

type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	server: WatcherServer,
) => Promise<IDataObject>;

const operations: Record<string, Operation> = {
	generateToken: generateToken.execute,
	generateLink: generateLink.execute,
	renderLoginPage: renderLoginPage.execute,
};

export class FlussonicWatcher implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flussonic Watcher',
		name: 'flussonicWatcher',
		icon: { light: 'file:flussonicWatcher.svg', dark: 'file:flussonicWatcher.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Sign people in to Flussonic Watcher with auto-login tokens and links',
		defaults: { name: 'Flussonic Watcher' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Auto-Login', value: 'autologin' }],
				default: 'autologin',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['autologin'] } },
				options: [
					{
						name: 'Generate Link',
						value: 'generateLink',
						action: 'Generate an auto login link',
						description: 'Create a token and a link to a page that signs the user in',
					},
					{
						name: 'Generate Token',
						value: 'generateToken',
						action: 'Generate an auto login token',
						description: 'Create a token that signs a user in to the Watcher web UI',
					},
					{
						name: 'Render Login Page',
						value: 'renderLoginPage',
						action: 'Render the auto login page',
						description: 'Build the HTML page that posts a token to Watcher (no API call)',
					},
				],
				default: 'generateLink',
			},
			...generateToken.description,
			...generateLink.description,
			...renderLoginPage.description,
		],
	};

	methods = { listSearch: { searchUsers } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = operations[operation];
		if (!run) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" is not known to this node`,
			);
		}
		const server = await getWatcherServer(this);
		const concurrency = operation === 'renderLoginPage' ? 1 : readConcurrency(this);
		const output = await processItems(
			this,
			concurrency,
			async (itemIndex) => await run.call(this, itemIndex, server),
			operation === 'renderLoginPage' ? renderLoginPage.failurePage : undefined,
		);
		return [output];
	}
}
