/**
 * Events that are entries in a period (errors, finished jobs). Each poll looks back over the
 * look-back window, because entries reach Analytics late (a printer offline during a breakdown
 * sends its errors when it is back, a server clock lags n8n's), and reports the entries it has not
 * handled before. It also reads one more day before the window: an entry that appears there is
 * too late to report, and is counted instead, so that a too short window does not go unnoticed.
 */
import type { IDataObject } from 'n8n-workflow';

import type { PollRun } from './run';
import type { TriggerState } from './state';
import { FUTURE_SKEW_MS, MAX_EVENTS_PER_POLL, MAX_WINDOW_MS, Seen } from './state';

/** How far before the look-back window late entries are still noticed (and counted, not reported). */
export const LATE_WATCH_MS = 24 * 3_600_000;

/** One event found in a window: `at` places it in time, `key` tells it apart from every other. */
export interface Found {
	key: string;
	at: number;
	printerId: string;
	json: IDataObject;
}

/**
 * What a poll asks for: entries in [from, to]. `accept` sees each of them once per printer and
 * says whether to keep it; at most `limit` per printer are kept, so memory stays bounded whatever
 * the server sends.
 */
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

/** Entries that arrived after the look-back window had passed them: not reported, counted. */
export interface Late {
	count: number;
	oldest: number;
}

/** Oldest first; ties in a fixed order, so a capped poll and the next one agree on what came first. */
function byTime(a: Found, b: Found): number {
	return a.at - b.at || a.printerId.localeCompare(b.printerId) || a.key.localeCompare(b.key);
}

function unique(found: Found[]): Found[] {
	const keys = new Set<string>();
	return found.filter((entry) => !keys.has(entry.key) && keys.add(entry.key) !== undefined);
}

/**
 * One printer's share of a window. Keeping at most `limit` per printer loses nothing: a poll
 * reports the oldest MAX_EVENTS_PER_POLL of all printers, which are among the oldest
 * MAX_EVENTS_PER_POLL + 1 of each.
 */
export function inWindow(entries: Found[], window: Window): Found[] {
	const kept = unique(
		entries.filter((e) => e.at >= window.from && e.at <= window.to && window.accept(e)),
	).sort(byTime);
	return window.newest ? kept.slice(-window.limit) : kept.slice(0, window.limit);
}

/**
 * The first poll: everything already there, back to a day before the look-back window, counts as
 * handled and nothing is reported. Only keys are kept (the memory's cap holds during the read).
 */
export async function startWindow(
	run: PollRun,
	find: Finder,
	lookBackMs: number,
): Promise<TriggerState> {
	const seen = new Seen(run.now - lookBackMs - LATE_WATCH_MS);
	await find(run, {
		from: seen.floor,
		to: run.now + FUTURE_SKEW_MS,
		accept: (entry) => {
			seen.add(entry.key, entry.at);
			return false;
		},
		limit: 0,
		newest: false,
	});
	return { cursor: run.now, seen, statuses: new Map() };
}

/**
 * A later poll: the new events in the look-back window (reaching back to the cursor when it lies
 * further back, after an outage or with events carried over), at most MAX_EVENTS_PER_POLL, the
 * late ones before it, and the state after reporting them.
 */
export async function nextWindow(
	run: PollRun,
	find: Finder,
	state: TriggerState,
	lookBackMs: number,
): Promise<{ events: Found[]; late: Late; state: TriggerState }> {
	const { seen } = state;
	const windowStart = Math.max(
		Math.min(run.now - lookBackMs, state.cursor),
		seen.floor,
		run.now - MAX_WINDOW_MS,
	);
	const to = run.now + FUTURE_SKEW_MS;
	const lateKeys = new Map<string, number>();
	const found =
		windowStart > to
			? []
			: unique(
					await find(run, {
						from: Math.max(windowStart - LATE_WATCH_MS, seen.floor),
						to,
						accept: (entry) => {
							if (seen.has(entry.key)) return false;
							if (entry.at >= windowStart) return true;
							lateKeys.set(entry.key, entry.at);
							return false;
						},
						limit: MAX_EVENTS_PER_POLL + 1,
						newest: false,
					}),
				).sort(byTime);
	const events = found.slice(0, MAX_EVENTS_PER_POLL);
	const left = found[MAX_EVENTS_PER_POLL];
	for (const entry of events) seen.add(entry.key, entry.at);
	// Remembered, so each late entry is counted once.
	for (const [key, at] of lateKeys) seen.add(key, at);
	// With events left over, the next window must still reach the first of them.
	const cursor = left === undefined ? run.now : Math.min(run.now, left.at);
	seen.forgetBefore(Math.min(run.now - lookBackMs, cursor) - LATE_WATCH_MS);
	const late = { count: lateKeys.size, oldest: Math.min(...lateKeys.values()) };
	return { events, late, state: { ...state, cursor, seen } };
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
