import type { INodeProperties } from 'n8n-workflow';

import * as jobFinished from './events/jobFinished';
import * as newPrinterError from './events/newPrinterError';
import * as printerStatusChanged from './events/printerStatusChanged';
import { MAX_EVENTS_PER_POLL } from './state';

export const DEFAULT_LOOK_BACK_HOURS = 24;
/** As far as a poll may look back at all. */
export const MAX_LOOK_BACK_HOURS = 31 * 24;

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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { event: ['newPrinterError', 'jobFinished'] } },
		options: [
			{
				displayName: 'Look Back (Hours)',
				name: 'lookBackHours',
				type: 'number',
				typeOptions: { minValue: 0.25, maxValue: MAX_LOOK_BACK_HOURS, numberPrecision: 2 },
				default: DEFAULT_LOOK_BACK_HOURS,
				description:
					"How far back each poll looks for events it has not reported yet. Printers that were offline send their errors late, dated when they happened; anything later than this is counted in a warning in n8n's log instead.",
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/Vienna',
				description:
					"The time zone of Durst Analytics times that have no offset, as an IANA name such as Europe/Vienna. Empty: the workflow's time zone.",
			},
		],
	},
];
