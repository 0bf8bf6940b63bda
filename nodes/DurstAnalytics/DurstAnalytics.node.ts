import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import * as forgetToken from './actions/auth/forgetToken.operation';
import * as login from './actions/auth/login.operation';
import * as jobGet from './actions/job/get.operation';
import * as jobGetAll from './actions/job/getAll.operation';
import * as jobGetInkConsumption from './actions/job/getInkConsumption.operation';
import * as printerGet from './actions/printer/get.operation';
import * as printerGetAll from './actions/printer/getAll.operation';
import * as printerGetErrors from './actions/printer/getErrors.operation';
import * as printerGetInkConsumption from './actions/printer/getInkConsumption.operation';
import * as send from './actions/request/send.operation';
import { searchPrinters } from './methods/listSearch';
import type { DurstSession } from './transport';
import { CREDENTIAL_TYPE, openSession } from './transport';
import { readConcurrency } from '../shared/concurrency';
import { processItems } from '../shared/items';

type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
) => Promise<IDataObject | IDataObject[]>;

const operations: Record<string, Record<string, Operation>> = {
	auth: { login: login.execute, forgetToken: forgetToken.execute },
	request: { send: send.execute },
	printer: {
		getAll: printerGetAll.execute,
		get: printerGet.execute,
		getErrors: printerGetErrors.execute,
		getInkConsumption: printerGetInkConsumption.execute,
	},
	job: {
		getAll: jobGetAll.execute,
		get: jobGet.execute,
		getInkConsumption: jobGetInkConsumption.execute,
	},
};

function operationField(
	resource: string,
	defaultOperation: string,
	options: INodeProperties['options'],
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultOperation,
	};
}

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
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Auth', value: 'auth' },
					{ name: 'Custom API Call', value: 'request' },
					{ name: 'Job', value: 'job' },
					{ name: 'Printer', value: 'printer' },
				],
				default: 'printer',
			},
			operationField('auth', 'login', [
				{
					name: 'Forget Token',
					value: 'forgetToken',
					action: 'Forget the cached token',
					description: 'Drop the cached token of this credential; the next call logs in again',
				},
				{
					name: 'Log In',
					value: 'login',
					action: 'Log in',
					description: 'Get a token (from the cache when one is valid)',
				},
			]),
			operationField('request', 'send', [
				{
					name: 'Custom API Call',
					value: 'send',
					action: 'Make a custom API call',
					description: 'Call any Durst Analytics endpoint with the cached token',
				},
			]),
			operationField('printer', 'getAll', [
				{
					name: 'Get',
					value: 'get',
					action: 'Get a printer',
					description: 'Get one printer with its ink level',
				},
				{
					name: 'Get Errors',
					value: 'getErrors',
					action: 'Get errors of a printer',
					description: 'Get the errors of a printer in a period',
				},
				{
					name: 'Get Ink Consumption',
					value: 'getInkConsumption',
					action: 'Get ink consumption of a printer',
					description: 'Get litres of ink per colour used by a printer in a period',
				},
				{
					name: 'Get Many',
					value: 'getAll',
					action: 'Get many printers',
					description: 'List the printers',
				},
			]),
			operationField('job', 'getAll', [
				{ name: 'Get', value: 'get', action: 'Get a job', description: 'Get one print job' },
				{
					name: 'Get Ink Consumption',
					value: 'getInkConsumption',
					action: 'Get ink consumption of a job',
					description: 'Get litres of ink per colour used by a print job',
				},
				{
					name: 'Get Many',
					value: 'getAll',
					action: 'Get many jobs',
					description: 'List the print jobs of a printer in a period',
				},
			]),
			...login.description,
			...forgetToken.description,
			...send.description,
			...printerGetAll.description,
			...printerGet.description,
			...printerGetErrors.description,
			...printerGetInkConsumption.description,
			...jobGetAll.description,
			...jobGet.description,
			...jobGetInkConsumption.description,
		],
	};

	methods = { listSearch: { searchPrinters } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = operations[resource]?.[operation];
		if (!run) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${resource}: ${operation}" is not known to this node`,
			);
		}
		const session = await openSession(this);
		const concurrency = operation === 'forgetToken' ? 1 : readConcurrency(this);
		return [
			await processItems(
				this,
				concurrency,
				async (itemIndex) => await run.call(this, itemIndex, session),
			),
		];
	}
}
