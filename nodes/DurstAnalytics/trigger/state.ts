/**
 * What the trigger remembers between polls, in the node's workflow static data: where the last poll
 * stood (`cursor`), which events it has already handled (`seen`: short hashed keys grouped by the
 * hour of the event's time, so whole hours can be forgotten once no window returns them) and, for
 * status changes, each printer's last status. Static data can be edited through n8n's API and is
 * saved last-writer-wins, so whatever is read back is checked and anything odd means "start over as
 * on activation".
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../../shared/values';

/** How far a window reaches past n8n's clock, for a printer clock a little ahead. */
export const FUTURE_SKEW_MS = 5 * 60_000;
/** After a long outage, a poll looks back at most this far. */
export const MAX_WINDOW_MS = 31 * 24 * 3_600_000;
/** Events a poll emits at most; the rest follow on the next poll, oldest first. */
export const MAX_EVENTS_PER_POLL = 100;
/**
 * Handled events remembered at most. Each costs KEY_LENGTH bytes of static data, so the memory
 * stays under ~61 KB whatever the servers send; past the cap the oldest hours are forgotten.
 */
export const MAX_SEEN = 5_000;
/** Memory is forgotten an hour at a time: one hour is one entry of static data. */
export const BUCKET_MS = 3_600_000;
/** 72 bits of SHA-256: a chance of about 1 in 10^18 that a new event matches a remembered one. */
const KEY_LENGTH = 12;
const KEY_TEXT = /^[A-Za-z0-9_-]*$/;
const STATE_VERSION = 2;
/** More than the printers a poll may visit: anything beyond is not ours. */
const MAX_STATUSES = 1_000;
const MAX_STATUS_LENGTH = 64;

/**
 * The keys of handled events. No event before `floor` is ever reported or looked at: what lies
 * before it was forgotten. The floor only moves forward, so a window held back for carried-over
 * events cannot reach events already forgotten, and a cap that must forget refuses instead of
 * reporting again.
 */
export class Seen {
	private readonly buckets = new Map<number, string[]>();
	private readonly keys = new Set<string>();

	constructor(public floor: number) {}

	get size(): number {
		return this.keys.size;
	}

	has(key: string): boolean {
		return this.keys.has(key);
	}

	/** Remembers an event; false when it lies before the floor, where nothing is remembered. */
	add(key: string, at: number): boolean {
		if (at < this.floor) return false;
		if (this.keys.has(key)) return true;
		const bucket = Math.floor(at / BUCKET_MS);
		const list = this.buckets.get(bucket);
		if (list === undefined) this.buckets.set(bucket, [key]);
		else list.push(key);
		this.keys.add(key);
		if (this.keys.size > MAX_SEEN) this.forgetOldestHour();
		return true;
	}

	/** Forgets the hours that end at or before `before`, and raises the floor to match. */
	forgetBefore(before: number): void {
		const hour = Math.floor(before / BUCKET_MS);
		for (const bucket of [...this.buckets.keys()].filter((b) => b < hour)) this.drop(bucket);
		this.floor = Math.max(this.floor, hour * BUCKET_MS);
	}

	toStored(): Record<string, string> {
		const stored: Record<string, string> = {};
		for (const bucket of [...this.buckets.keys()].sort((a, b) => a - b)) {
			stored[String(bucket)] = (this.buckets.get(bucket) ?? []).join('');
		}
		return stored;
	}

	private forgetOldestHour(): void {
		const oldest = Math.min(...this.buckets.keys());
		this.drop(oldest);
		this.floor = Math.max(this.floor, (oldest + 1) * BUCKET_MS);
	}

	private drop(bucket: number): void {
		for (const key of this.buckets.get(bucket) ?? []) this.keys.delete(key);
		this.buckets.delete(bucket);
	}
}

export interface TriggerState {
	/** The time of the last poll, or of the first event it had to carry over to the next. */
	cursor: number;
	seen: Seen;
	statuses: Map<string, string>;
}

interface StoredState {
	v: number;
	event: string;
	cursor: number;
	floor: number;
	seen: Record<string, string>;
	statuses: Record<string, string>;
}

/** A short, fixed-size key: server text never lands in static data as such, only its hash. */
export function eventKey(...parts: unknown[]): string {
	const hash = createHash('sha256');
	for (const part of parts) hash.update(`${JSON.stringify(part) ?? ''}\u0000`);
	return hash.digest('base64url').slice(0, KEY_LENGTH);
}

/** A status as a bounded string: the server may answer anything. */
export function statusText(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
	return text.slice(0, MAX_STATUS_LENGTH);
}

function isTime(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Version 1 kept 16-character keys with each event's time; its keys start with today's, so an
 * upgrade goes on from where it stood instead of starting over silently.
 */
function seenOfVersion1(seen: Record<string, unknown>, floor: number, now: number): Seen {
	const memory = new Seen(floor);
	for (const [key, at] of Object.entries(seen).slice(0, MAX_SEEN)) {
		if (isTime(at) && at <= now + FUTURE_SKEW_MS && KEY_TEXT.test(key) && key.length >= KEY_LENGTH)
			memory.add(key.slice(0, KEY_LENGTH), at);
	}
	return memory;
}

function seenOfVersion2(
	seen: Record<string, unknown>,
	floor: number,
	now: number,
): Seen | undefined {
	const memory = new Seen(floor);
	let count = 0;
	for (const [hour, keys] of Object.entries(seen)) {
		const at = Number(hour) * BUCKET_MS;
		if (!/^\d{1,10}$/.test(hour) || at > now + FUTURE_SKEW_MS) return undefined;
		if (typeof keys !== 'string' || keys.length % KEY_LENGTH !== 0 || !KEY_TEXT.test(keys))
			return undefined;
		count += keys.length / KEY_LENGTH;
		if (count > MAX_SEEN) return undefined;
		// An hour the floor has passed is remembered only from the floor on: its keys carry no time.
		for (let i = 0; i < keys.length; i += KEY_LENGTH)
			memory.add(keys.slice(i, i + KEY_LENGTH), Math.max(at, floor));
	}
	return memory;
}

/** The remembered state of this event, or undefined when there is none to trust (first poll). */
export function loadState(
	staticData: IDataObject,
	event: string,
	now: number,
): TriggerState | undefined {
	const stored = staticData.trigger;
	if (!isRecord(stored) || (stored.v !== 1 && stored.v !== STATE_VERSION)) return undefined;
	const { cursor, floor, seen, statuses } = stored;
	if (stored.event !== event || !isTime(cursor) || !isTime(floor)) return undefined;
	// A floor may pass the cursor: the cap forgot the hour of the newest event, dated up to the skew ahead.
	if (floor > cursor + BUCKET_MS + FUTURE_SKEW_MS || cursor > now + FUTURE_SKEW_MS)
		return undefined;
	if (!isRecord(seen) || !isRecord(statuses)) return undefined;
	const memory =
		stored.v === 1 ? seenOfVersion1(seen, floor, now) : seenOfVersion2(seen, floor, now);
	if (memory === undefined) return undefined;
	const state: TriggerState = { cursor, seen: memory, statuses: new Map() };
	for (const [id, status] of Object.entries(statuses).slice(0, MAX_STATUSES)) {
		if (typeof status === 'string') state.statuses.set(id, status.slice(0, MAX_STATUS_LENGTH));
	}
	return state;
}

/** Stores the state whole (one assignment: n8n marks static data changed). */
export function saveState(staticData: IDataObject, event: string, state: TriggerState): void {
	const stored: StoredState = {
		v: STATE_VERSION,
		event,
		cursor: state.cursor,
		floor: state.seen.floor,
		seen: state.seen.toStored(),
		statuses: Object.fromEntries(state.statuses),
	};
	staticData.trigger = stored as unknown as IDataObject;
}
