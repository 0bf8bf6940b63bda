/**
 * The single-use memory of a login page: hashes of redeemed ticket ids with their expiry.
 *
 * Where: the workflow's global static data under its own field, one record per page path, so
 * renaming the node keeps it (node static data is keyed by node name); and process memory, which
 * sees a second use at once, before n8n has saved anything. n8n saves static data with the answer
 * to each webhook request, whether or not an execution starts.
 *
 * Fail closed: a used, unexpired ticket is never forgotten. Past MAX_USED_TICKETS entries the
 * soonest to expire are dropped and the floor rises to the latest expiry dropped; every ticket that
 * expires at or before the floor is refused, seen or not.
 *
 * Compact, because n8n copies static data into every execution it saves: one string of fixed-width
 * entries (hash, expiry in minutes rounded up), sorted by expiry, so pruning and dropping are a
 * slice and a redemption is one insertion into one string.
 *
 * Limits, stated in the README: concurrent requests save static data last-writer-wins, and in queue
 * mode each webhook process has its own memory. Each visit therefore writes back what this process
 * remembers and static data lost (a heal), and pages served by several webhook processes confirm
 * a use before redeeming it (claims.ts).
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { LruMap } from '../../shared/lru';
import { isRecord } from '../../shared/values';
import { storedClaims, withOwnClaims } from './claims';

/** Entries per page: MAX_USED_TICKETS * ENTRY_LENGTH characters stay under 64 KB. */
export const MAX_USED_TICKETS = 3_600;
/** The one key of workflow static data owned by private links (the token cache owns another). */
export const LINKS_FIELD = 'n8nNodesWatcherLinks';
/** Where version 1 kept the memory: node static data, keyed by node name. */
const LEGACY_FIELD = 'usedTickets';

/** 72 bits of SHA-256: a collision only refuses a genuine ticket, it never opens one twice. */
const HASH_LENGTH = 12;
/** Minutes since the epoch in base 36: six digits last beyond the year 6000. */
const EXPIRY_LENGTH = 6;
const ENTRY_LENGTH = HASH_LENGTH + EXPIRY_LENGTH;
const MINUTE_MS = 60_000;
const ENTRY = /^[A-Za-z0-9_-]{12}[0-9a-z]{6}$/;

/** One page's memory: `u` the entries, `f` the floor (minutes; 0: nothing dropped). */
export interface PageMemory {
	f: number;
	u: string;
}

export type TicketState = 'unused' | 'alreadyUsed' | 'memoryFull';

/** The static data the memory lives in: the workflow's global one, and the node's (read once). */
export interface UsedTicketsData {
	global: IDataObject;
	node?: IDataObject;
}

/** Per page path, a bounded number of pages per process. */
const memory = new LruMap<string, PageMemory>(200);

export function hashOf(ticketId: string): string {
	return createHash('sha256').update(ticketId).digest('base64url').slice(0, HASH_LENGTH);
}

/** Rounded up, so an entry is kept at least as long as its ticket opens. */
function minutesOf(epochMs: number): number {
	return Math.ceil(epochMs / MINUTE_MS);
}

function count(entries: string): number {
	return entries.length / ENTRY_LENGTH;
}

function expiryAt(entries: string, index: number): number {
	const start = index * ENTRY_LENGTH + HASH_LENGTH;
	return parseInt(entries.slice(start, start + EXPIRY_LENGTH), 36);
}

function entryOf(hash: string, expiryMinutes: number): string {
	return hash + expiryMinutes.toString(36).padStart(EXPIRY_LENGTH, '0');
}

/** Index of the first entry expiring after `minutes` (entries are sorted by expiry). */
function firstAfter(entries: string, minutes: number): number {
	let low = 0;
	let high = count(entries);
	while (low < high) {
		const middle = (low + high) >> 1;
		if (expiryAt(entries, middle) <= minutes) low = middle + 1;
		else high = middle;
	}
	return low;
}

export function holds(entries: string, hash: string): boolean {
	for (let at = entries.indexOf(hash); at !== -1; at = entries.indexOf(hash, at + 1)) {
		if (at % ENTRY_LENGTH === 0) return true;
	}
	return false;
}

/**
 * Drops expired entries, then the soonest to expire beyond the bound, raising the floor to the
 * latest expiry dropped. A floor that has passed refuses nothing the expiry check does not.
 */
function bounded(page: PageMemory, now: number): PageMemory {
	let entries = page.u.slice(firstAfter(page.u, Math.floor(now / MINUTE_MS)) * ENTRY_LENGTH);
	let floor = page.f * MINUTE_MS > now ? page.f : 0;
	const excess = count(entries) - MAX_USED_TICKETS;
	if (excess > 0) {
		floor = Math.max(floor, expiryAt(entries, excess - 1));
		entries = entries.slice(excess * ENTRY_LENGTH);
	}
	return { f: floor, u: entries };
}

/** Merges memories (each hash once, its latest expiry), sorted; only when they differ. */
function merged(pages: PageMemory[]): PageMemory {
	const latest = new Map<string, number>();
	let floor = 0;
	for (const page of pages) {
		floor = Math.max(floor, page.f);
		for (let i = 0; i < count(page.u); i++) {
			const hash = page.u.slice(i * ENTRY_LENGTH, i * ENTRY_LENGTH + HASH_LENGTH);
			const expiry = expiryAt(page.u, i);
			if (expiry > (latest.get(hash) ?? 0)) latest.set(hash, expiry);
		}
	}
	const sorted = [...latest].sort((a, b) => a[1] - b[1]);
	return { f: floor, u: sorted.map(([hash, expiry]) => entryOf(hash, expiry)).join('') };
}

const CANONICAL = /^(?:[A-Za-z0-9_-]{12}[0-9a-z]{6})*$/;

function isSorted(entries: string): boolean {
	for (let i = 1; i < count(entries); i++) {
		if (expiryAt(entries, i - 1) > expiryAt(entries, i)) return false;
	}
	return true;
}

/** A stored page record; a record that is not as we write it is read entry by entry. */
function storedPage(value: unknown): PageMemory | undefined {
	if (!isRecord(value)) return undefined;
	const floor = typeof value.f === 'number' && Number.isFinite(value.f) ? Math.max(0, value.f) : 0;
	const text = typeof value.u === 'string' ? value.u : '';
	if (CANONICAL.test(text) && isSorted(text)) return { f: floor, u: text };
	const entries: string[] = [];
	for (let at = 0; at + ENTRY_LENGTH <= text.length; at += ENTRY_LENGTH) {
		const entry = text.slice(at, at + ENTRY_LENGTH);
		if (ENTRY.test(entry)) entries.push(entry);
	}
	// Re-sorted through a merge: the binary searches need sorted entries.
	return merged([{ f: floor, u: entries.join('') }]);
}

function rootOf(global: IDataObject): Record<string, unknown> {
	const root = global[LINKS_FIELD];
	return isRecord(root) ? root : {};
}

export function pagesOf(global: IDataObject): Record<string, unknown> {
	const pages = rootOf(global).usedTickets;
	return isRecord(pages) ? pages : {};
}

/** Version 1's map of 22-character hashes to expiry (ms): the same hashes, longer. */
function legacyPage(node: IDataObject | undefined): PageMemory | undefined {
	const stored = node?.[LEGACY_FIELD];
	if (!isRecord(stored)) return undefined;
	const entries: string[] = [];
	for (const [hash, expiresAt] of Object.entries(stored)) {
		if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt) || expiresAt <= 0) continue;
		const entry = entryOf(hash.slice(0, HASH_LENGTH), minutesOf(expiresAt));
		if (ENTRY.test(entry)) entries.push(entry);
	}
	return entries.length === 0 ? undefined : merged([{ f: 0, u: entries.join('') }]);
}

function same(a: PageMemory, b: PageMemory): boolean {
	return a.f === b.f && a.u === b.u;
}

/**
 * What this page remembers: static data (and version 1's) and this process's memory. Usually
 * they agree and nothing is merged; they differ after a restart or another process's save.
 */
export function remembered(data: UsedTicketsData, page: string, now: number): PageMemory {
	return recall(data, page, now).page;
}

/** The page's memory, and whether the loaded static data lacks part of it (a save was lost). */
function recall(
	data: UsedTicketsData,
	page: string,
	now: number,
): { page: PageMemory; stale: boolean } {
	const known = memory.get(page);
	const raw = pagesOf(data.global)[page];
	// Usually static data holds what this process saved last: nothing to read entry by entry.
	const stored =
		known !== undefined && isRecord(raw) && raw.u === known.u && raw.f === known.f
			? known
			: storedPage(raw);
	const sources = [known, stored, legacyPage(data.node)]
		.filter((source): source is PageMemory => source !== undefined)
		.map((source) => bounded(source, now));
	const [first, ...others] = sources;
	let result: PageMemory = first ?? { f: 0, u: '' };
	if (!others.every((other) => same(result, other))) result = bounded(merged(sources), now);
	memory.set(page, result);
	const loaded = stored === undefined ? undefined : bounded(stored, now);
	return { page: result, stale: loaded === undefined ? result.u !== '' : !same(loaded, result) };
}

/** Writes back what this process remembers if the loaded static data lost it (another save won). */
function recallAndHeal(data: UsedTicketsData, page: string, now: number): PageMemory {
	const { page: known, stale } = recall(data, page, now);
	if (stale) save(data, page, known, now);
	return known;
}

/** The page with one more entry, in expiry order; undefined past the field's last expiry. */
function withEntry(
	known: PageMemory,
	hash: string,
	expiresAt: number,
	now: number,
): PageMemory | undefined {
	const expiry = minutesOf(expiresAt);
	if (!(expiry < 36 ** EXPIRY_LENGTH)) return undefined;
	const at = firstAfter(known.u, expiry) * ENTRY_LENGTH;
	return bounded(
		{ f: known.f, u: known.u.slice(0, at) + entryOf(hash, expiry) + known.u.slice(at) },
		now,
	);
}

/** The page's record as this request loaded it from static data, without this process's memory. */
export function loadedPage(data: UsedTicketsData, page: string, now: number): PageMemory {
	return bounded(storedPage(pagesOf(data.global)[page]) ?? { f: 0, u: '' }, now);
}

export function stateOf(page: PageMemory, hash: string, expiresAt: number): TicketState {
	if (holds(page.u, hash)) return 'alreadyUsed';
	return minutesOf(expiresAt) <= page.f ? 'memoryFull' : 'unused';
}

/** Whether a stored record still refuses anything: its latest entry or its floor is ahead. */
function isLive(value: unknown, now: number): boolean {
	if (!isRecord(value) || typeof value.u !== 'string') return false;
	const floor = Number(value.f);
	if (Number.isFinite(floor) && floor * MINUTE_MS > now) return true;
	const last = count(value.u) - 1;
	return Number.isInteger(last) && last >= 0 && expiryAt(value.u, last) * MINUTE_MS > now;
}

/**
 * Saves the page's record with `claims` (default: the pending claims as loaded) and this process's
 * own pending claims that they lack (claims.ts); other pages keep theirs unless all they hold has
 * expired.
 */
export function save(
	data: UsedTicketsData,
	page: string,
	record: PageMemory,
	now: number,
	claims = storedClaims(pagesOf(data.global)[page], now),
): void {
	const pages: Record<string, unknown> = {};
	for (const [other, value] of Object.entries(pagesOf(data.global))) {
		if (other !== page && isLive(value, now)) pages[other] = value;
	}
	const kept = withOwnClaims(page, claims, (hash) => holds(record.u, hash), now);
	pages[page] = kept === '' ? { f: record.f, u: record.u } : { f: record.f, u: record.u, c: kept };
	// One assignment: n8n marks static data changed on assignment, not on nested changes.
	data.global[LINKS_FIELD] = { ...rootOf(data.global), usedTickets: pages } as IDataObject;
	if (data.node && LEGACY_FIELD in data.node) delete data.node[LEGACY_FIELD];
}

/**
 * Marks a ticket used if it was unused: one synchronous step, so two requests in this process
 * cannot both find a ticket unused. Otherwise says why it is refused. `claims`: the page's pending
 * claims to save with the mark (claims.ts), when the use is to be confirmed.
 */
export function useTicket(
	data: UsedTicketsData,
	page: string,
	ticketId: string,
	expiresAt: number,
	now: number,
	claims?: (loaded: string) => string,
): TicketState {
	const known = recallAndHeal(data, page, now);
	const hash = hashOf(ticketId);
	const state = stateOf(known, hash, expiresAt);
	if (state !== 'unused') return state;
	const record = withEntry(known, hash, expiresAt, now);
	// An expiry past what the fixed-width field holds (year ~6100) would misalign every entry after it.
	if (record === undefined) return 'memoryFull';
	memory.set(page, record);
	const loaded = storedClaims(pagesOf(data.global)[page], now);
	save(data, page, record, now, claims === undefined ? loaded : claims(loaded));
	return 'unused';
}

/** Marks an already-known ticket used again (a confirmation whose first mark a save lost). */
export function markUsed(
	data: UsedTicketsData,
	page: string,
	ticketId: string,
	expiresAt: number,
	now: number,
	claims: string,
): void {
	const known = remembered(data, page, now);
	const hash = hashOf(ticketId);
	const record = holds(known.u, hash) ? known : (withEntry(known, hash, expiresAt, now) ?? known);
	memory.set(page, record);
	save(data, page, record, now, claims);
}

/** Whether a ticket would be refused, without using it (Require a Click's first step). */
export function ticketState(
	data: UsedTicketsData,
	page: string,
	ticketId: string,
	expiresAt: number,
	now: number,
): TicketState {
	return stateOf(recallAndHeal(data, page, now), hashOf(ticketId), expiresAt);
}
