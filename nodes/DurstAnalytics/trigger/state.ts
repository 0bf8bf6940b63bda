/**
 * What the trigger remembers between polls, in the node's workflow static data: where the last poll
 * stood (`cursor`), which events it already reported (`seen`, hashed keys with the event's time, so
 * they can be forgotten once no window can return them again) and, for status changes, each
 * printer's last status. Static data can be edited through n8n's API and is saved last-writer-wins,
 * so whatever is read back is checked and anything odd means "start over as on activation".
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

/** How far a window reaches back before the last poll: a printer clock a little off, an error written late. */
export const OVERLAP_MS = 15 * 60_000;
/** How far a window reaches past n8n's clock, for a printer clock a little ahead. */
export const FUTURE_SKEW_MS = 5 * 60_000;
/** After a long outage, a poll looks back at most this far. */
export const MAX_WINDOW_MS = 31 * 24 * 3_600_000;
/** Events a poll emits at most; the rest follow on the next poll, oldest first. */
export const MAX_EVENTS_PER_POLL = 100;
/** Reported events remembered at most (the oldest are forgotten first). */
export const MAX_SEEN = 5_000;
const STATE_VERSION = 1;
/** More than the printers a poll may visit: anything beyond is not ours. */
const MAX_STATUSES = 1_000;
const MAX_STATUS_LENGTH = 64;

export interface TriggerState {
	cursor: number;
	/**
	 * No window starts before this: what lies before it was forgotten. It only moves forward, so a
	 * cursor held back for carried-over events cannot reach events already forgotten.
	 */
	floor: number;
	seen: Map<string, number>;
	statuses: Map<string, string>;
}

interface StoredState {
	v: number;
	event: string;
	cursor: number;
	floor: number;
	seen: Record<string, number>;
	statuses: Record<string, string>;
}

/** Where the next window starts. */
export function windowStart(state: TriggerState, now: number): number {
	return Math.max(state.cursor - OVERLAP_MS, state.floor, now - MAX_WINDOW_MS);
}

/** A short, fixed-size key: server text never lands in static data as such, only its hash. */
export function eventKey(...parts: unknown[]): string {
	const hash = createHash('sha256');
	for (const part of parts) hash.update(`${JSON.stringify(part) ?? ''}\u0000`);
	return hash.digest('base64url').slice(0, 16);
}

/** A status as a bounded string: the server may answer anything. */
export function statusText(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
	return text.slice(0, MAX_STATUS_LENGTH);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The remembered state of this event, or undefined when there is none to trust (first poll). */
export function loadState(
	staticData: IDataObject,
	event: string,
	now: number,
): TriggerState | undefined {
	const stored = staticData.trigger;
	if (!isRecord(stored) || stored.v !== STATE_VERSION || stored.event !== event) return undefined;
	const { cursor, floor, seen, statuses } = stored;
	if (typeof cursor !== 'number' || !Number.isFinite(cursor)) return undefined;
	if (typeof floor !== 'number' || !Number.isFinite(floor) || floor > cursor) return undefined;
	if (cursor > now + FUTURE_SKEW_MS || !isRecord(seen) || !isRecord(statuses)) return undefined;
	const state: TriggerState = { cursor, floor, seen: new Map(), statuses: new Map() };
	for (const [key, at] of Object.entries(seen).slice(0, MAX_SEEN)) {
		// A remembered time past what any window asks for would never be forgotten.
		if (typeof at === 'number' && Number.isFinite(at) && at <= now + FUTURE_SKEW_MS)
			state.seen.set(key, at);
	}
	for (const [id, status] of Object.entries(statuses).slice(0, MAX_STATUSES)) {
		if (typeof status === 'string') state.statuses.set(id, status.slice(0, MAX_STATUS_LENGTH));
	}
	return state;
}

/**
 * Forgets what no later window can return (events before the next window's start) and, past the
 * cap, the oldest, then stores the state whole (one assignment: n8n marks static data changed).
 */
export function saveState(staticData: IDataObject, event: string, state: TriggerState): void {
	let floor = Math.min(Math.max(state.cursor - OVERLAP_MS, state.floor), state.cursor);
	const kept = [...state.seen].filter(([, at]) => at >= floor);
	kept.sort((a, b) => b[1] - a[1]);
	const forgotten = kept[MAX_SEEN];
	// Past the cap the oldest are forgotten, and no later window may reach back to them.
	if (forgotten !== undefined) floor = Math.min(Math.max(floor, forgotten[1] + 1), state.cursor);
	const stored: StoredState = {
		v: STATE_VERSION,
		event,
		cursor: state.cursor,
		floor,
		seen: Object.fromEntries(kept.slice(0, MAX_SEEN)),
		statuses: Object.fromEntries(state.statuses),
	};
	staticData.trigger = stored as unknown as IDataObject;
}
