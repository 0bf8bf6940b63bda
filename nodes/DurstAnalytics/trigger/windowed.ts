/**
 * Events that are entries in a period (errors, finished jobs): each poll asks for the window from
 * shortly before the last poll to now, reports the entries it has not reported before, and
 * remembers them until no later window can return them again.
 */
import type { IDataObject } from 'n8n-workflow';

import type { PollRun } from './printers';
import type { TriggerState } from './state';
import { FUTURE_SKEW_MS, MAX_EVENTS_PER_POLL, MAX_SEEN, OVERLAP_MS, windowStart } from './state';

/** One event found in a window: `at` places it in time, `key` tells it apart from every other. */
export interface Found {
	key: string;
	at: number;
	printerId: string;
	json: IDataObject;
}

/** What a poll asks for: entries in [from, to] that `accept` takes, at most `limit` per printer. */
export interface Window {
	from: number;
	to: number;
	accept: (entry: Found) => boolean;
	limit: number;
	/** The newest `limit` (Fetch Test Event) instead of the oldest (polls, which carry the rest over). */
	newest: boolean;
}

/** The entries of the watched printers in the window. */
export type Finder = (run: PollRun, window: Window) => Promise<Found[]>;

/** Oldest first; ties in a fixed order, so a capped poll and the next one agree on what came first. */
function byTime(a: Found, b: Found): number {
	return a.at - b.at || a.printerId.localeCompare(b.printerId) || a.key.localeCompare(b.key);
}

function unique(found: Found[]): Found[] {
	const keys = new Set<string>();
	return found.filter((entry) => !keys.has(entry.key) && keys.add(entry.key) !== undefined);
}

/**
 * One printer's share of a window. Keeping at most `limit` per printer bounds memory whatever the
 * server sends, and loses nothing: a poll reports the oldest MAX_EVENTS_PER_POLL of all printers,
 * which are among the oldest MAX_EVENTS_PER_POLL + 1 of each.
 */
export function inWindow(entries: Found[], window: Window): Found[] {
	const kept = unique(
		entries.filter((e) => e.at >= window.from && e.at <= window.to && window.accept(e)),
	).sort(byTime);
	return window.newest ? kept.slice(-window.limit) : kept.slice(0, window.limit);
}

/** The first poll: everything already there counts as seen, nothing is reported. */
export async function startWindow(run: PollRun, find: Finder): Promise<TriggerState> {
	const from = run.now - OVERLAP_MS;
	const found = await find(run, {
		from,
		to: run.now + FUTURE_SKEW_MS,
		accept: () => true,
		limit: MAX_SEEN,
		newest: true,
	});
	return {
		cursor: run.now,
		floor: from,
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
	const from = windowStart(state, run.now);
	const found = unique(
		await find(run, {
			from,
			to: run.now + FUTURE_SKEW_MS,
			accept: (entry) => !state.seen.has(entry.key),
			limit: MAX_EVENTS_PER_POLL + 1,
			newest: false,
		}),
	).sort(byTime);
	const events = found.slice(0, MAX_EVENTS_PER_POLL);
	const left = found[MAX_EVENTS_PER_POLL];
	const seen = new Map(state.seen);
	for (const entry of events) seen.set(entry.key, entry.at);
	// With events left over, the next window must still reach the first of them.
	const cursor = left === undefined ? run.now : Math.min(run.now, left.at);
	return { events, state: { ...state, cursor, floor: from, seen } };
}

/** For "Fetch Test Event": the newest events of a longer period, oldest first. */
export async function sampleWindow(
	run: PollRun,
	find: Finder,
	lookbackMs: number,
	count: number,
): Promise<Found[]> {
	const found = await find(run, {
		from: run.now - lookbackMs,
		to: run.now + FUTURE_SKEW_MS,
		accept: () => true,
		limit: count,
		newest: true,
	});
	return unique(found).sort(byTime).slice(-count);
}
