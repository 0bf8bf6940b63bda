import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { durstAnalyticsApiTest } from './methods/credentialTest';
import { getPrinters } from './methods/loadOptions';
import { pollDurst } from './trigger/poll';
import { triggerProperties } from './trigger/properties';

export class DurstAnalyticsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Durst Analytics Trigger',
		name: 'durstAnalyticsTrigger',
		icon: { light: 'file:durstAnalytics.svg', dark: 'file:durstAnalytics.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow when a Durst printer reports an error, changes status or finishes a job',
		defaults: { name: 'Durst Analytics Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'durstAnalyticsApi', required: true, testedBy: 'durstAnalyticsApiTest' }],
		properties: triggerProperties,
	};

	methods = {
		credentialTest: { durstAnalyticsApiTest },
		loadOptions: { getPrinters },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollDurst(this);
	}
}
