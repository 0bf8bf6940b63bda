/**
 * The one shape of an operation, and the resource files that collect them (as n8n's Airtable v2
 * does in `<Resource>.resource.ts`): a node file holds only its description and the dispatch, and
 * adding an operation is adding one file and one line in its resource.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Later } from './items';
import { processItems } from './items';
import { readConcurrency } from './runOptions';

export interface OperationModule<Session> {
	/** The entry in the resource's Operation list; its `value` is the operation's saved name. */
	option: INodePropertyOptions & { value: string; action: string };
	properties: INodeProperties[];
	/** 'option': items go out as the Max Concurrent Requests option says; 'oneByOne': always one at a time. */
	concurrency: 'option' | 'oneByOne';
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		session: Session,
	): Promise<IDataObject | IDataObject[] | Later>;
	/** With continueOnFail, what a failed item yields instead of `{ error }`. */
	onFailure?: (error: Error, itemIndex: number) => IDataObject;
}

export interface ResourceModule<Session> {
	/** The entry in the Resource list; its `value` is the resource's saved name. */
	option: { name: string; value: string };
	defaultOperation: string;
	operations: Array<OperationModule<Session>>;
}

/** Where an operation's own fields show: with its resource and operation selected. */
export type Show = { show: { resource: string[]; operation: string[] } };

export function showFor(resource: string, operation: string): Show {
	return { show: { resource: [resource], operation: [operation] } };
}

/** Alphabetical, as n8n's lint wants, except that legacy choices come last: old workflows only. */
const isLegacy = (option: { name: string }) => option.name.endsWith(' (Legacy)');
const byName = (a: { name: string }, b: { name: string }) =>
	Number(isLegacy(a)) - Number(isLegacy(b)) || a.name.localeCompare(b.name);

/** The Resource and Operation selectors and every operation's own properties. */
export function nodeProperties<Session>(
	resources: Array<ResourceModule<Session>>,
	defaultResource: string,
): INodeProperties[] {
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map((resource) => resource.option).sort(byName),
			default: defaultResource,
		},
		...resources.map(({ option, defaultOperation, operations }): INodeProperties => ({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [option.value] } },
			options: operations.map((operation) => operation.option).sort(byName),
			default: defaultOperation,
		})),
		...resources.flatMap((resource) =>
			resource.operations.flatMap((operation) => operation.properties),
		),
	];
}

/** A session may finish work of its own after the items (e.g. a token sealed for static data). */
interface Settles {
	settle: () => Promise<void>;
}

function settles(session: unknown): session is Settles {
	return typeof session === 'object' && session !== null && 'settle' in session;
}

/**
 * Reads resource and operation once, opens the vendor session once, runs the item loop, and lets
 * the session settle before n8n saves the workflow's static data.
 */
export async function route<Session>(
	ctx: IExecuteFunctions,
	resources: Array<ResourceModule<Session>>,
	openSession: (ctx: IExecuteFunctions) => Promise<Session>,
): Promise<INodeExecutionData[][]> {
	const resourceName = ctx.getNodeParameter('resource', 0) as string;
	const operationName = ctx.getNodeParameter('operation', 0) as string;
	const operation = resources
		.find((resource) => resource.option.value === resourceName)
		?.operations.find((candidate) => candidate.option.value === operationName);
	if (!operation) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${resourceName}: ${operationName}" is not known to this node`,
		);
	}
	const session = await openSession(ctx);
	const concurrency = operation.concurrency === 'option' ? readConcurrency(ctx) : 1;
	try {
		const output = await processItems(
			ctx,
			concurrency,
			async (itemIndex) => await operation.execute.call(ctx, itemIndex, session),
			operation.onFailure,
		);
		return [output];
	} finally {
		if (settles(session)) await session.settle();
	}
}
