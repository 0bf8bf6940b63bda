import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { durstApiRequest } from '../../transport/request';
import { showFor } from '../../../shared/operation';
import type { DurstSession } from '../../transport/session';
import { toItems } from '../calls';
import { optionsField } from '../fields';

const show = showFor('request', 'send');
const METHODS: IHttpRequestMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export const option = {
	name: 'Send',
	value: 'send',
	action: 'Send a request to any API path',
	description:
		"Call any Durst Analytics API path with the nodes' shared login. Use this, not n8n's Custom API Call: the API wants the login's token, which only this sends.",
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: METHODS.map((method) => ({ name: method, value: method })),
		default: 'GET',
		description: 'HTTP method of the call',
		displayOptions: show,
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '/api/v1/printers',
		required: true,
		placeholder: '/api/v1/printers',
		description:
			"Path on the Durst Analytics server. The token is only ever sent to the credential's server, so full URLs are refused.",
		displayOptions: show,
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Parameter',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'JSON Body',
		name: 'jsonBody',
		type: 'json',
		default: '',
		description: 'Body sent as JSON (POST, PUT, PATCH, DELETE); leave empty for none',
		displayOptions: { show: { ...show.show, method: ['POST', 'PUT', 'PATCH', 'DELETE'] } },
	},
	{
		displayName: 'Headers',
		name: 'headerParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Header',
		default: {},
		description: 'Extra headers; the node adds the login token (x-auth-token) itself',
		displayOptions: show,
		options: [
			{
				displayName: 'Header',
				name: 'header',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	optionsField(show, [
		{
			displayName: 'Full Response',
			name: 'fullResponse',
			type: 'boolean',
			default: false,
			description:
				'Whether to return the status code and headers with the body, instead of the body alone',
		},
	]),
];

function pairs(
	ctx: IExecuteFunctions,
	name: string,
	key: string,
	itemIndex: number,
): Record<string, string> {
	const collection = ctx.getNodeParameter(name, itemIndex, {}) as IDataObject;
	const listed = collection?.[key];
	const entries = (Array.isArray(listed) ? listed : []) as Array<{
		name?: unknown;
		value?: unknown;
	}>;
	const result: Record<string, string> = {};
	for (const entry of entries) {
		const entryName = typeof entry.name === 'string' ? entry.name.trim() : '';
		if (entryName)
			result[entryName] =
				entry.value === undefined || entry.value === null ? '' : String(entry.value);
	}
	return result;
}

function readBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	method: string,
): IDataObject | IDataObject[] | undefined {
	if (method === 'GET') return undefined;
	const raw = ctx.getNodeParameter('jsonBody', itemIndex, '');
	if (raw === '' || raw === undefined || raw === null) return undefined;
	if (typeof raw === 'object') return raw as IDataObject;
	try {
		const parsed = JSON.parse(String(raw)) as unknown;
		if (parsed && typeof parsed === 'object') return parsed as IDataObject;
	} catch {
		// Reported below with the field's name.
	}
	throw new NodeOperationError(ctx.getNode(), '"JSON Body" is not a JSON object or array', {
		description:
			'Enter valid JSON such as {"startDate": "2026-01-01T00:00:00Z"}, or leave the field empty.',
		itemIndex,
	});
}

export const concurrency = 'option';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: DurstSession,
): Promise<IDataObject[]> {
	const method = this.getNodeParameter('method', itemIndex, 'GET') as IHttpRequestMethods;
	if (!METHODS.includes(method)) {
		throw new NodeOperationError(this.getNode(), `"Method" must be one of ${METHODS.join(', ')}`, {
			description: `It is ${JSON.stringify(method)?.slice(0, 40)}.`,
			itemIndex,
		});
	}
	const path = this.getNodeParameter('path', itemIndex, '');
	const body = readBody(this, itemIndex, method);
	const response = await durstApiRequest(
		session,
		{
			method,
			path: typeof path === 'string' ? path : '',
			qs: pairs(this, 'queryParameters', 'parameter', itemIndex),
			headers: pairs(this, 'headerParameters', 'header', itemIndex),
			body,
			expectJson: false,
		},
		itemIndex,
	);
	if (this.getNodeParameter('options.fullResponse', itemIndex, false) === true) {
		return [
			{
				statusCode: response.statusCode,
				headers: response.headers,
				body: response.body as IDataObject,
			},
		];
	}
	return toItems(response.body);
}
