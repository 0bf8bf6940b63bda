/**
 * One poll of the Durst Analytics Trigger. State changes only when the whole poll succeeded, so a
 * poll that fails (server down, a broken answer) changes nothing and the next one catches up.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idProblem, MAX_ID_LENGTH } from '../../shared/ids';
import * as jobFinished from './events/jobFinished';
import * as newPrinterError from './events/newPrinterError';
import * as printerStatusChanged from './events/printerStatusChanged';
import { MAX_PRINTERS } from './printers';
import { asSample, madeUpError, madeUpJob } from './samples';
import { DEFAULT_LOOK_BACK_HOURS, MAX_LOOK_BACK_HOURS } from './properties';
import { awaitingSave, fingerprint, handOff } from './handoff';
import type { PollRun } from './run';
import { startRun } from './run';
import type { TriggerState } from './state';
import { loadState, MAX_SEEN, saveState } from './state';
import type { Finder, Found, Late } from './windowed';
import { nextWindow, sampleWindow, startWindow } from './windowed';

/** Fetch Test Event looks this far back for real events and shows the newest few. */
const SAMPLE_LOOKBACK_MS = 7 * 24 * 3_600_000;
const SAMPLE_SIZE = 5;
/** With none of those, it shows the newest event of this longer period, marked as a sample. */
const OLD_SAMPLE_LOOKBACK_DAYS = 90;
/** A server clock further off than this is worth a line in the log: Date headers have 1 s steps. */
const CLOCK_WARNING_MS = 5 * 60_000;

/** A multi-select may come from an expression: a list, or IDs separated by commas. */
function readList(ctx: IPollFunctions, name: string, label: string): string[] {
	const value: unknown = ctx.getNodeParameter(name, []);
	const entries = typeof value === 'string' ? value.split(',') : value;
	if (!Array.isArray(entries)) {
		throw new NodeOperationError(ctx.getNode(), `"${label}" must be a list`, {
			description: `It is ${JSON.stringify(value)?.slice(0, 100)}.`,
		});
	}
	const list = entries
		.map((entry: unknown) => (typeof entry === 'number' ? String(entry) : entry))
		.map((entry: unknown) => (typeof entry === 'string' ? entry.trim() : entry))
		.filter((entry: unknown) => entry !== '');
	for (const entry of list) {
		if (typeof entry !== 'string' || idProblem(entry) !== undefined) {
			throw new NodeOperationError(ctx.getNode(), `"${label}" holds an entry that is not valid`, {
				description: `The entry ${JSON.stringify(entry)?.slice(0, 100)} is not an ID (text of at most ${MAX_ID_LENGTH} characters without line breaks, slashes or backslashes).`,
			});
		}
	}
	if (list.length > MAX_PRINTERS) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"${label}" holds more than ${MAX_PRINTERS} entries`,
		);
	}
	return [...new Set(list as string[])];
}

function lookBackMs(ctx: IPollFunctions): number {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const hours = options.lookBackHours ?? DEFAULT_LOOK_BACK_HOURS;
	if (typeof hours !== 'number' || !(hours >= 0.25 && hours <= MAX_LOOK_BACK_HOURS)) {
		throw new NodeOperationError(ctx.getNode(), '"Look Back (Hours)" is not valid', {
			description: `It must be a number of hours from 0.25 to ${MAX_LOOK_BACK_HOURS}; it is ${JSON.stringify(hours)?.slice(0, 100)}.`,
		});
	}
	return hours * 3_600_000;
}

function duration(ms: number): string {
	const minutes = Math.round(ms / 60_000);
	return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function warnLate(run: PollRun, noun: string, late: Late, lookBack: number): void {
	if (late.count === 0) return;
	run.ctx.logger.warn(
		`Durst Analytics Trigger: ${late.count} ${late.count === 1 ? noun : `${noun}s`} arrived after the look-back window (${duration(lookBack)}) had passed them, the oldest dated ${new Date(late.oldest).toISOString()}; they are not reported. A longer "Look Back (Hours)" reports such late events.`,
	);
}

/** The memory's cap forgot hours inside the look-back window: late events from them go unreported. */
function warnFloor(run: PollRun, noun: string, state: TriggerState, lookBack: number): void {
	const { floor } = state.seen;
	if (floor <= run.now - lookBack) return;
	run.ctx.logger.warn(
		`Durst Analytics Trigger: more ${noun}s came than the trigger remembers (${MAX_SEEN}); ${noun}s dated before ${new Date(floor).toISOString()} are no longer looked at, so one that arrives late from before then is not reported. A shorter "Look Back (Hours)" keeps the memory inside its bound.`,
	);
}

/** Entries are dated by the server's clock, so one far off moves them in or out of the window. */
function warnClock(run: PollRun, lookBack: number): void {
	const offset = run.serverClockOffsetMs;
	if (offset === undefined || Math.abs(offset) <= CLOCK_WARNING_MS) return;
	const side = offset > 0 ? 'ahead of' : 'behind';
	const effect =
		offset > 0
			? "events it dates in the future are reported only once n8n's clock reaches them"
			: offset < -lookBack
				? 'everything it reports is older than the look-back window and is not reported'
				: 'events reach the trigger late, within the look-back window';
	run.ctx.logger.warn(
		`Durst Analytics Trigger: the clock of Durst Analytics is ${duration(Math.abs(offset))} ${side} n8n's (its Date header); ${effect}`,
	);
}

/**
 * Fetch Test Event with no event in the last 7 days: the newest one of a longer period, or one of
 * the event's shape with made-up values, marked as a sample either way, so the user can map fields.
 */
async function olderSample(
	run: PollRun,
	event: typeof newPrinterError | typeof jobFinished,
	find: Finder,
	finish: (found: Found[]) => Promise<IDataObject[]>,
	chosen: string[],
	withInk: boolean,
): Promise<IDataObject[]> {
	const none = `No ${event.noun} in the last 7 days on the watched printers`;
	const older = await sampleWindow(run, find, OLD_SAMPLE_LOOKBACK_DAYS * 24 * 3_600_000, 1);
	if (older.length > 0) {
		const notice = `${none}: this is the newest one of the last ${OLD_SAMPLE_LOOKBACK_DAYS} days, shown as a sample to map fields from. Once the workflow is published, new ones start it.`;
		return (await finish(older)).map((json) => asSample(json, notice));
	}
	const json =
		event === jobFinished
			? madeUpJob(chosen[0], run.now, withInk)
			: madeUpError(chosen[0], run.now);
	const notice = `No ${event.noun} in the last ${OLD_SAMPLE_LOOKBACK_DAYS} days on the watched printers: this sample has made-up values, to map fields from. Once the workflow is published, real ones start it.`;
	return [asSample(json, notice)];
}

async function windowedPoll(
	run: PollRun,
	event: typeof newPrinterError | typeof jobFinished,
	chosen: string[],
	lookBack: number,
): Promise<IDataObject[]> {
	const { ctx } = run;
	const find = event.finder(chosen);
	const withInk =
		event === jobFinished && ctx.getNodeParameter('includeInkConsumption', false) === true;
	const finish = async (found: Found[]) =>
		withInk ? await jobFinished.withInkConsumption(run, found) : found.map((entry) => entry.json);

	if (ctx.getMode() === 'manual') {
		const found = await sampleWindow(run, find, SAMPLE_LOOKBACK_MS, SAMPLE_SIZE);
		warnClock(run, lookBack);
		if (found.length === 0) return await olderSample(run, event, find, finish, chosen, withInk);
		return await finish(found);
	}
	const staticData = ctx.getWorkflowStaticData('node');
	const state = loadState(staticData, event.option.value, run.now);
	if (state === undefined) {
		const started = await startWindow(run, find, lookBack);
		warnClock(run, lookBack);
		saveState(staticData, event.option.value, started);
		return [];
	}
	const next = await nextWindow(run, find, state, lookBack);
	warnClock(run, lookBack);
	warnLate(run, event.noun, next.late, lookBack);
	warnFloor(run, event.noun, next.state, lookBack);
	const items = await finish(next.events);
	saveState(staticData, event.option.value, next.state);
	return items;
}

async function statusPoll(run: PollRun, chosen: string[]): Promise<IDataObject[]> {
	const { ctx } = run;
	const toStatus = readList(ctx, 'toStatus', 'To Status');
	const filter = { chosen, toStatus };
	const event = printerStatusChanged.option.value;
	const staticData = ctx.getWorkflowStaticData('node');
	const state = loadState(staticData, event, run.now);
	if (ctx.getMode() === 'manual') {
		return await printerStatusChanged.sample(run, filter, state);
	}
	if (state === undefined) {
		saveState(staticData, event, await printerStatusChanged.start(run, filter));
		return [];
	}
	const next = await printerStatusChanged.next(run, filter, state);
	saveState(staticData, event, next.state);
	return next.events;
}

/**
 * Polls under way in this process. n8n starts a poll on schedule without waiting for the one
 * before; two at once would read the same state and report the same events.
 */
const running = new Set<string>();

export async function pollDurst(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const key = `${ctx.getWorkflow().id ?? ''}|${ctx.getNode().id}|${ctx.getMode()}`;
	if (running.has(key)) {
		ctx.logger.warn(
			'Durst Analytics Trigger: the previous poll is still running; this one is skipped',
		);
		return null;
	}
	running.add(key);
	try {
		const manual = ctx.getMode() === 'manual';
		const staticData = ctx.getWorkflowStaticData('node');
		const found = manual ? undefined : fingerprint(staticData.trigger);
		if (awaitingSave(key, found, Date.now())) {
			ctx.logger.warn(
				"Durst Analytics Trigger: n8n has not yet saved where the previous poll stood; this poll is skipped so that it does not report the previous poll's events again",
			);
			return null;
		}
		const result = await pollOnce(ctx);
		if (!manual && result !== null) handOff(key, found, Date.now());
		return result;
	} finally {
		running.delete(key);
	}
}

async function pollOnce(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const event = ctx.getNodeParameter('event', '') as string;
	const chosen = readList(ctx, 'printerIds', 'Printer Names or IDs');
	const lookBack = lookBackMs(ctx);
	const run = await startRun(ctx);
	let items: IDataObject[];
	if (event === newPrinterError.option.value)
		items = await windowedPoll(run, newPrinterError, chosen, lookBack);
	else if (event === jobFinished.option.value)
		items = await windowedPoll(run, jobFinished, chosen, lookBack);
	else if (event === printerStatusChanged.option.value) items = await statusPoll(run, chosen);
	else {
		throw new NodeOperationError(
			ctx.getNode(),
			`The event "${String(event).slice(0, 100)}" is not known`,
			{
				description: 'Choose an event from the list.',
			},
		);
	}
	return items.length > 0 ? [ctx.helpers.returnJsonArray(items)] : null;
}
