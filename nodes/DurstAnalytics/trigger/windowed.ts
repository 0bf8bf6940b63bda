/**
 * Events that are entries in a period (errors, finished jobs): each poll asks for the window from
 * shortly before the last poll to now, reports the entries it has not reported before, and
 * remembers them until no later window can return them again.
 */
import type { IDataObject } from 'n8n-workflow';

import type { PollRun } from './printers';
import type { TriggerState } from './state';
import { FUTURE_SKEW_MS, MAX_EVENTS_PER_POLL, MAX_WINDOW_MS, OVERLAP_MS } from './state';

/** One event found in a window: `at` places it in time, `key` tells it apart from every other. */
export interface Found {
	key: string;
	at: number;
	printerId: string;
	json: IDataObject;
}

/** The entries of the watched printers whose time is in [from, to]. */
export type Finder = (run: PollRun, from: number, to: number) => Promise<Found[]>;

/** Oldest first; ties in a fixed order, so a capped poll and the next one agree on what came first. */
function byTime(a: Found, b: Found): number {
	return a.at - b.at || a.printerId.localeCompare(b.printerId) || a.key.localeCompare(b.key);
}

function unique(found: Found[]): Found[] {
	const keys = new Set<string>();
	return found.filter((entry) => !keys.has(entry.key) && keys.add(entry.key) !== undefined);
}

/** The first poll: everything already there counts as seen, nothing is reported. */
export async function startWindow(run: PollRun, find: Finder): Promise<TriggerState> {
	const found = await find(run, run.now - OVERLAP_MS, run.now + FUTURE_SKEW_MS);
	return {
		cursor: run.now,
		seen: new Map(found.map((entry) => [entry.key, entry.at])),
		statuses: new Map(),
	};
}

/** A later poll: the new events, at most MAX_EVENTS_PER_POLL, and the state after reporting them. */
export async function nextWindow(
	run: PollRun,
	find: Finder,
	state: TriggerState,
): Promise<{ events: Found[]; state: TriggerState }> {
	const from = Math.max(state.cursor - OVERLAP_MS, run.now - MAX_WINDOW_MS);
	const found = unique(
		(await find(run, from, run.now + FUTURE_SKEW_MS)).filter(
			(entry) => entry.at >= from && !state.seen.has(entry.key),
		),
	).sort(byTime);
	const events = found.slice(0, MAX_EVENTS_PER_POLL);
	const left = found[MAX_EVENTS_PER_POLL];
	const seen = new Map(state.seen);
	for (const entry of events) seen.set(entry.key, entry.at);
	// With events left over, the next window must still reach the first of them.
	const cursor = left === undefined ? run.now : Math.min(run.now, left.at);
	return { events, state: { ...state, cursor, seen } };
}

/** For "Fetch Test Event": the newest events of a longer period, oldest first. */
export async function sampleWindow(
	run: PollRun,
	find: Finder,
	lookbackMs: number,
	count: number,
): Promise<Found[]> {
	const found = unique(await find(run, run.now - lookbackMs, run.now + FUTURE_SKEW_MS)).sort(
		byTime,
	);
	return found.slice(-count);
}
