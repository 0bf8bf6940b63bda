import type { INodeProperties } from 'n8n-workflow';

import * as jobFinished from './events/jobFinished';
import * as newPrinterError from './events/newPrinterError';
import * as printerStatusChanged from './events/printerStatusChanged';
import { MAX_EVENTS_PER_POLL } from './state';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [jobFinished.option, newPrinterError.option, printerStatusChanged.option],
		default: 'newPrinterError',
		description: `What starts the workflow. Each poll reports at most ${MAX_EVENTS_PER_POLL} events, the rest on the next poll, oldest first.`,
	},
	{
		displayName: 'Printer Names or IDs',
		name: 'printerIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getPrinters' },
		default: [],
		description:
			'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: 'None chosen: all printers, also those added later',
	},
	{
		displayName: 'To Status',
		name: 'toStatus',
		type: 'multiOptions',
		options: printerStatusChanged.STATUSES.map((status) => ({ name: status, value: status })),
		default: [],
		description: 'Report only changes to these statuses. None chosen: any change.',
		displayOptions: { show: { event: ['printerStatusChanged'] } },
	},
	{
		displayName: 'Include Ink Consumption',
		name: 'includeInkConsumption',
		type: 'boolean',
		default: false,
		description: "Whether to add each finished job's ink consumption (one more request per job)",
		displayOptions: { show: { event: ['jobFinished'] } },
	},
];
