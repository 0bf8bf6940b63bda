/** Printer Status Changed: printers whose status differs from the one the last poll saw. */
import type { IDataObject } from 'n8n-workflow';

import type { Printer } from '../printers';
import { listPrinters } from '../printers';
import type { PollRun } from '../run';
import { asSample, madeUpPrinter } from '../samples';
import type { TriggerState } from '../state';
import { MAX_EVENTS_PER_POLL, Seen, statusText } from '../state';

export const option = {
	name: 'Printer Status Changed',
	value: 'printerStatusChanged',
	description: 'A printer changes its status, e.g. to Breakdown',
};

export const STATUSES = ['Running', 'Idle', 'Setup', 'Breakdown'] as const;

export interface StatusFilter {
	chosen: string[];
	toStatus: string[];
}

async function watchedPrinters(run: PollRun, filter: StatusFilter): Promise<Printer[]> {
	const printers = await listPrinters(run);
	if (filter.chosen.length === 0) return printers;
	const chosen = new Set(filter.chosen);
	return printers.filter((printer) => chosen.has(printer.id));
}

function wanted(filter: StatusFilter, status: string): boolean {
	return filter.toStatus.length === 0 || filter.toStatus.includes(status);
}

function item(printer: Printer, previousStatus: string | null): IDataObject {
	const out: IDataObject = { printerId: printer.id, previousStatus, ...printer.json };
	// Ours win over same-named server fields; the keys keep their place at the front.
	out.printerId = printer.id;
	out.previousStatus = previousStatus;
	return out;
}

/** The first poll: each printer's status, nothing reported. */
export async function start(run: PollRun, filter: StatusFilter): Promise<TriggerState> {
	const printers = await watchedPrinters(run, filter);
	return {
		cursor: run.now,
		seen: new Seen(run.now),
		statuses: new Map(printers.map((printer) => [printer.id, statusText(printer.json.status)])),
	};
}

/**
 * A later poll. A printer new to the list is only recorded; a removed one is forgotten. A change
 * the filter does not want is recorded too; a wanted change beyond the per-poll cap keeps the old
 * status, so the next poll reports it.
 */
export async function next(
	run: PollRun,
	filter: StatusFilter,
	state: TriggerState,
): Promise<{ events: IDataObject[]; state: TriggerState }> {
	const printers = await watchedPrinters(run, filter);
	const statuses = new Map<string, string>();
	const events: IDataObject[] = [];
	for (const printer of printers) {
		const status = statusText(printer.json.status);
		const previous = state.statuses.get(printer.id);
		const changed = previous !== undefined && previous !== status && wanted(filter, status);
		if (changed && events.length >= MAX_EVENTS_PER_POLL) {
			statuses.set(printer.id, previous);
			continue;
		}
		if (changed) events.push(item(printer, previous));
		statuses.set(printer.id, status);
	}
	return { events, state: { cursor: run.now, seen: new Seen(run.now), statuses } };
}

/**
 * For "Fetch Test Event": the printers now in a wanted status, with the status last seen. With
 * none, the first watched printer as a change to the first wanted status would report it (or a
 * made-up printer when none is watched), marked as a sample: the user needs fields to map, and
 * the normal case is that no printer is broken down.
 */
export async function sample(
	run: PollRun,
	filter: StatusFilter,
	state: TriggerState | undefined,
): Promise<IDataObject[]> {
	const printers = await watchedPrinters(run, filter);
	const now = printers
		.filter((printer) => wanted(filter, statusText(printer.json.status)))
		.map((printer) => item(printer, state?.statuses.get(printer.id) ?? null));
	if (now.length > 0) return now;
	const toStatus = filter.toStatus[0] ?? 'Breakdown';
	const none =
		filter.toStatus.length > 0
			? `No watched printer is in the status ${filter.toStatus.join(' or ')} now`
			: 'No printer is watched';
	const real = printers[0];
	const madeUp = madeUpPrinter(filter.chosen[0], toStatus === 'Running' ? 'Idle' : 'Running');
	const printer = real ?? { id: String(madeUp.id), json: madeUp };
	const previous = statusText(printer.json.status);
	const json = { ...item(printer, previous), status: toStatus };
	const notice = real
		? `${none}: this sample is printer ${printer.id} as a change to ${toStatus} would report it, to map fields from. Once the workflow is published, real changes start it.`
		: `${none}: this sample has made-up values, to map fields from. Once the workflow is published, real changes start it.`;
	return [asSample(json, notice)];
}
