import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, route } from '../shared/operation';
import { autologin } from './actions/Autologin.resource';
import { flussonicWatcherApiTest } from './methods/credentialTest';
import { searchUsers } from './methods/listSearch';
import { openWatcherSession } from './transport/session';

const resources = [autologin];

export class FlussonicWatcher implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flussonic Watcher',
		name: 'flussonicWatcher',
		icon: { light: 'file:flussonicWatcher.svg', dark: 'file:flussonicWatcher.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send people links that log them into Flussonic Watcher as their own user, without a password',
		defaults: { name: 'Flussonic Watcher' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'flussonicWatcherApi', required: true, testedBy: 'flussonicWatcherApiTest' },
		],
		properties: nodeProperties(resources, 'autologin'),
	};

	methods = {
		credentialTest: { flussonicWatcherApiTest },
		listSearch: { searchUsers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this, resources, openWatcherSession);
	}
}
