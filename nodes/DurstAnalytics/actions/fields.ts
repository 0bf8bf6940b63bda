/** The fields Durst operations share, built per operation so each shows only with its own. */
import type { INodeProperties } from 'n8n-workflow';

import type { Show } from '../../shared/operation';
import { concurrencyOption, pacingOption, timeoutOption } from '../../shared/runOptions';

export function printerField(displayOptions: Show): INodeProperties {
	return {
		displayName: 'Printer',
		name: 'printerId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The printer, picked from the list of Durst Analytics or given by its ID',
		displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a printer...',
				typeOptions: { searchListMethod: 'searchPrinters', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. P-1001',
			},
		],
	};
}

export function jobIdField(displayOptions: Show): INodeProperties {
	return {
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. J-1001-1',
		description: 'ID of the print job, as returned by Job: Get Many',
		displayOptions,
	};
}

export function dateRangeFields(displayOptions: Show): INodeProperties[] {
	return [
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			default: '={{ $now.minus({ days: 1 }).toISO() }}',
			required: true,
			description: 'Start of the period (sent as ISO 8601)',
			displayOptions,
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			default: '={{ $now.toISO() }}',
			required: true,
			description: 'End of the period (sent as ISO 8601)',
			displayOptions,
		},
	];
}

export function returnAllFields(displayOptions: Show): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...displayOptions.show, returnAll: [false] } },
		},
	];
}

/** Every operation that calls the API gets the pacing and timeout options; some add their own. */
export function optionsField(displayOptions: Show, extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [...extra, concurrencyOption, pacingOption, timeoutOption].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}
