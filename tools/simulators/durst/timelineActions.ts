/**
 * The admin actions of `POST /__sim/timeline`: each checks its own fields, turns relative times
 * (`inMs`, `startInMs`, `endInMs`) into instants of the simulated clock and calls the timeline.
 */
import { isPlainObject } from '../common/json';
import { fail, text, toEpochMs } from './timelineInput';
import type {
	DurstAddedPrinterInput,
	DurstScriptedErrorInput,
	DurstScriptedJob,
	DurstScriptedJobInput,
	DurstStatusChange,
	DurstTime,
	DurstTimelineAction,
	DurstTimelinePrinter,
} from './timelineTypes';
import type { DurstError, DurstJobEndState, DurstPrinterStatus } from './types';

/** What the actions call: the public methods of `DurstTimeline`. */
export interface TimelineOperations {
	addError(printerId: string, input: DurstScriptedErrorInput): DurstError;
	setStatus(printerId: string, value: DurstPrinterStatus, at?: DurstTime): DurstStatusChange;
	addJob(printerId: string, input: DurstScriptedJobInput): number;
	finishJob(
		printerId: string,
		jobId: number,
		at: DurstTime,
		state?: DurstJobEndState,
		numberOfPrintsDone?: number,
	): DurstScriptedJob;
	addPrinter(input: DurstAddedPrinterInput): DurstTimelinePrinter;
	removePrinter(id: string): void;
	restorePrinters(): void;
	clear(): void;
}

const ACTION_FIELDS: Readonly<Record<DurstTimelineAction['type'], readonly string[]>> = {
	error: ['printerId', 'at', 'inMs', 'errorNr', 'errorMessage', 'operator', 'errorCode'],
	status: ['printerId', 'status', 'at', 'inMs'],
	job: [
		'printerId',
		'startAt',
		'startInMs',
		'inMs',
		'endAt',
		'endInMs',
		'title',
		'numberOfPrints',
		'endState',
		'numberOfPrintsDone',
	],
	finishJob: ['printerId', 'jobId', 'at', 'inMs', 'endState', 'numberOfPrintsDone'],
	addPrinter: ['id', 'name', 'serialNumber', 'status', 'inkLevelPercent'],
	removePrinter: ['printerId'],
	restorePrinters: [],
	clear: [],
};

function isActionType(value: unknown): value is DurstTimelineAction['type'] {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ACTION_FIELDS, value);
}
/** One action's fields, with the readers every action type shares. */
class ActionFields {
	constructor(
		readonly action: Record<string, unknown>,
		private readonly now: number,
	) {}

	/** One instant from `atField` or the relative `inMsFields` (now + ms); `undefined` if none given. */
	instant(atField: string, ...inMsFields: string[]): number | undefined {
		const { action } = this;
		const given = [atField, ...inMsFields].filter((field) => action[field] !== undefined);
		if (given.length > 1) fail(`give only one of ${given.join(', ')}`);
		const field = given[0];
		if (field === undefined) return undefined;
		if (field === atField) return toEpochMs(action[field], field);
		const offset = action[field];
		if (typeof offset !== 'number' || !Number.isFinite(offset))
			fail(`${field} must be a finite number of milliseconds`);
		return toEpochMs(this.now + offset, field);
	}

	required(value: number | undefined, fields: string): number {
		return value ?? fail(`${fields} is required`);
	}

	printerId(field = 'printerId'): string {
		return text(this.action[field], field, { nonEmpty: true });
	}
}

type ActionType = DurstTimelineAction['type'];
type ActionHandler = (
	timeline: TimelineOperations,
	fields: ActionFields,
	type: ActionType,
) => Record<string, unknown>;

const HANDLERS: Readonly<Record<ActionType, ActionHandler>> = {
	error: (timeline, fields, type) => {
		const { action } = fields;
		const id = fields.printerId();
		const error = timeline.addError(id, {
			at: fields.required(fields.instant('at', 'inMs'), 'at or inMs'),
			errorNr: action.errorNr as number,
			errorMessage: action.errorMessage as string,
			...(action.operator === undefined ? {} : { operator: action.operator as string }),
			...(action.errorCode === undefined ? {} : { errorCode: action.errorCode as string }),
		});
		return { type, printerId: id, error };
	},
	status: (timeline, fields, type) => {
		const id = fields.printerId();
		const change = timeline.setStatus(
			id,
			fields.action.status as DurstPrinterStatus,
			fields.instant('at', 'inMs'),
		);
		return { type, ...change };
	},
	job: (timeline, fields, type) => {
		const { action } = fields;
		const id = fields.printerId();
		if (action.endAt === null && action.endInMs !== undefined)
			fail('give only one of endAt, endInMs');
		const endAt = action.endAt === null ? null : fields.instant('endAt', 'endInMs');
		const input: DurstScriptedJobInput = {
			startAt: fields.required(
				fields.instant('startAt', 'startInMs', 'inMs'),
				'startAt, startInMs or inMs',
			),
			endAt,
		};
		for (const key of ['title', 'numberOfPrints', 'endState', 'numberOfPrintsDone'] as const)
			if (action[key] !== undefined) Object.assign(input, { [key]: action[key] });
		return { type, printerId: id, jobId: timeline.addJob(id, input) };
	},
	finishJob: (timeline, fields, type) => {
		const { action } = fields;
		const id = fields.printerId();
		if (typeof action.jobId !== 'number' || !Number.isSafeInteger(action.jobId))
			fail('jobId must be an integer');
		const job = timeline.finishJob(
			id,
			action.jobId,
			fields.required(fields.instant('at', 'inMs'), 'at or inMs'),
			action.endState === undefined ? 'Finished' : (action.endState as DurstJobEndState),
			action.numberOfPrintsDone as number | undefined,
		);
		return { type, printerId: id, jobId: job.id, at: job.endAt, endState: job.endState };
	},
	addPrinter: (timeline, fields, type) => {
		const {
			number: _number,
			added: _added,
			...printer
		} = timeline.addPrinter(fields.action as unknown as DurstAddedPrinterInput);
		return { type, printer };
	},
	removePrinter: (timeline, fields, type) => {
		const id = fields.printerId();
		timeline.removePrinter(id);
		return { type, printerId: id };
	},
	restorePrinters: (timeline, _fields, type) => {
		timeline.restorePrinters();
		return { type };
	},
	clear: (timeline, _fields, type) => {
		timeline.clear();
		return { type };
	},
};

/** Checks one action's type and fields, then applies it; throws a `DurstTimelineError` when invalid. */
export function applyAction(
	timeline: TimelineOperations,
	action: unknown,
	now: () => number,
): Record<string, unknown> {
	if (!isPlainObject(action)) fail('an action must be a JSON object');
	const { type } = action;
	if (!isActionType(type)) fail(`type must be one of ${Object.keys(ACTION_FIELDS).join(', ')}`);
	const allowed = ACTION_FIELDS[type];
	for (const key of Object.keys(action))
		if (key !== 'type' && !allowed.includes(key)) fail(`unknown field ${key}`);
	return HANDLERS[type](timeline, new ActionFields(action, now()), type);
}
