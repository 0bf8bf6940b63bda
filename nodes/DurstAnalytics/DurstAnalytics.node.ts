import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, route } from '../shared/operation';
import { auth } from './actions/Auth.resource';
import { job } from './actions/Job.resource';
import { printer } from './actions/Printer.resource';
import { request } from './actions/Request.resource';
import { durstAnalyticsApiTest } from './methods/credentialTest';
import { searchPrinters } from './methods/listSearch';
import { openDurstSession } from './transport/session';

const resources = [auth, request, job, printer];

export class DurstAnalytics implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Durst Analytics',
		name: 'durstAnalytics',
		icon: { light: 'file:durstAnalytics.svg', dark: 'file:durstAnalytics.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read printers, errors, jobs and ink consumption from Durst Analytics',
		defaults: { name: 'Durst Analytics' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'durstAnalyticsApi', required: true, testedBy: 'durstAnalyticsApiTest' }],
		properties: nodeProperties(resources, 'printer'),
	};

	methods = {
		credentialTest: { durstAnalyticsApiTest },
		listSearch: { searchPrinters },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this, resources, openDurstSession);
	}
}
