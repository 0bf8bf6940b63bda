/**
 * Parameters the Durst Analytics node refuses with an exact message before it sends anything: not
 * even the login, so a wrong workflow costs the server nothing and shows no half-done work.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { errorOf, expectNoSecrets } from '../harness/assertions';
import {
	durst,
	expectLogsWithoutSecrets,
	printer,
	run,
	secrets,
	sim,
	useDurstSimulator,
} from './support';

useDurstSimulator();

interface Refusal {
	name: string;
	parameters: INodeParameters;
	/** The input items, when the bad value comes from an expression over them. */
	items?: IDataObject[];
	message: string;
}

const maxConcurrency = (value: number): Refusal => ({
	name: `Max Concurrent Requests ${value}`,
	parameters: {
		resource: 'printer',
		operation: 'getAll',
		returnAll: true,
		options: { maxConcurrency: value },
	},
	message: '"Max Concurrent Requests" must be a whole number from 1 to 200',
});

const refusals: Refusal[] = [
	maxConcurrency(0),
	maxConcurrency(201),
	maxConcurrency(2.5),
	{
		name: 'a JSON Body that is not JSON',
		parameters: {
			resource: 'request',
			operation: 'send',
			method: 'POST',
			path: '/api/v1/echo',
			jsonBody: '{nope',
		},
		message: '"JSON Body" is not a JSON object or array',
	},
	{
		name: 'a user header that would replace the token',
		parameters: {
			resource: 'request',
			operation: 'send',
			method: 'GET',
			path: '/api/v1/echo',
			headerParameters: {
				header: [
					{ name: 'X-Auth-Token', value: 'forged' },
					{ name: 'X-Trace', value: 't-1' },
				],
			},
		},
		message: 'The header "X-Auth-Token" cannot be sent: the node sets this header itself',
	},
	{
		name: 'Start Date after End Date',
		parameters: {
			resource: 'printer',
			operation: 'getErrors',
			printerId: printer('P-1001'),
			startDate: '2026-02-01T00:00:00Z',
			endDate: '2026-01-01T00:00:00Z',
		},
		message: '"Start Date" must be before "End Date"',
	},
	{
		name: 'a Start Date that is not a date',
		parameters: {
			resource: 'job',
			operation: 'getAll',
			printerId: printer('P-1001'),
			startDate: '={{ "last week" }}',
			endDate: '2026-01-01T00:00:00Z',
		},
		message:
			'"Start Date" is not a date: "last week" is not an ISO 8601 date such as 2030-01-31T12:00:00Z',
	},
	{
		name: 'an empty Printer from an expression',
		parameters: { resource: 'printer', operation: 'get', printerId: printer('={{ $json.id }}') },
		items: [{ id: '' }],
		message: 'The "Printer" is empty',
	},
	{
		name: 'a Printer ID that would change the path',
		parameters: { resource: 'printer', operation: 'get', printerId: printer('../echo') },
		message: 'The "Printer" holds a "/" or "\\", which no ID has',
	},
];

test.each(refusals)('$name: "$message", and no request', async ({ parameters, items, message }) => {
	const result = await run([durst(parameters)], items ? { items } : {});
	expect(errorOf(result).message).toBe(message);
	expect(sim.requestLog).toEqual([]);
	expect(sim.totalCalls).toBe(0);
	expectNoSecrets(result, secrets());
});

expectLogsWithoutSecrets();
