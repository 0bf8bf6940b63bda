/**
 * The token cache's lasting layer: one sealed entry per credential in the workflow's static data
 * (`getWorkflowStaticData('global')`), which n8n saves with the workflow for production, trigger
 * and CLI executions. Entries are sealed in ./crypto; this file knows their shape and their bounds.
 */
import { isRecord } from '../../shared/values';
import { open, seal } from './crypto';
import type { Sealed } from './crypto';

/** The one key of workflow static data owned by this package. */
export const STATIC_DATA_FIELD = 'n8nNodesWatcherDurst';

/** Bounds static data even for a workflow that cycles through many credentials. */
const MAX_ENTRIES = 20;

/** Version 2: keys derived with scrypt N=2^17; version 1 entries are dropped and logged in anew. */
const ENTRY_VERSION = 2;

export interface StaticDataLike {
	[key: string]: unknown;
}

/** A token as the cache holds it in memory. */
export interface TokenEntry {
	token: string;
	userName: string;
	obtainedAt: number;
	expiresAt: number;
	/**
	 * ivs of the static-data entries (one per workflow using this credential) known to hold this
	 * token, so an unchanged entry is not rewritten and the workflow not saved again.
	 */
	storedIvs: Set<string>;
}

interface StoredEntry extends Sealed {
	v: number;
	obtainedAt: string;
	expiresAt: string;
}

function isStoredEntry(value: unknown): value is StoredEntry {
	if (!value || typeof value !== 'object') return false;
	const entry = value as Record<string, unknown>;
	return (
		entry.v === ENTRY_VERSION &&
		['salt', 'iv', 'tag', 'data', 'obtainedAt', 'expiresAt'].every(
			(field) => typeof entry[field] === 'string' && (entry[field] as string).length < 4096,
		)
	);
}

export function usable(entry: { expiresAt: number } | undefined, now: number): boolean {
	return entry !== undefined && Number.isFinite(entry.expiresAt) && entry.expiresAt > now;
}

/** One credential's entry in one workflow's static data. */
export class StaticEntries {
	constructor(
		private readonly staticData: StaticDataLike,
		/** The credential's entry id: URL and username. */
		private readonly id: string,
		private readonly password: string,
		private readonly now: () => number,
	) {}

	private associated(obtainedAt: string, expiresAt: string): string {
		// The entry id and dates are bound to the ciphertext: moving or re-dating an entry breaks it.
		return `${this.id}|${obtainedAt}|${expiresAt}`;
	}

	/** The package's entries in static data, or undefined (created on first write only, so an unused workflow stays unchanged). */
	private entries(): Record<string, unknown> | undefined {
		const root = this.staticData[STATIC_DATA_FIELD];
		if (isRecord(root) && isRecord(root.durstTokens)) return root.durstTokens;
		return undefined;
	}

	/** n8n saves static data when a property is assigned, so every change assigns the root anew. */
	private setEntries(entries: Record<string, unknown>): void {
		this.staticData[STATIC_DATA_FIELD] = { durstTokens: entries };
	}

	/** Drops expired entries and anything this package does not recognise; assigns only when something changed. */
	prune(): void {
		const root = this.staticData[STATIC_DATA_FIELD];
		if (root === undefined) return;
		const entries = this.entries();
		if (!entries) {
			this.setEntries({});
			return;
		}
		const now = this.now();
		const keep = Object.entries(entries)
			.filter(([, value]) => isStoredEntry(value) && Date.parse(value.expiresAt) > now)
			.sort(
				([, a], [, b]) =>
					Date.parse((b as StoredEntry).obtainedAt) - Date.parse((a as StoredEntry).obtainedAt),
			)
			.slice(0, MAX_ENTRIES);
		const extraRootKeys = Object.keys(root as object).some((key) => key !== 'durstTokens');
		if (keep.length !== Object.keys(entries).length || extraRootKeys) {
			this.setEntries(Object.fromEntries(keep));
		}
	}

	/** The credential's token if its entry opens and has not expired. */
	async read(): Promise<TokenEntry | undefined> {
		const stored = this.entries()?.[this.id];
		if (!isStoredEntry(stored)) return undefined;
		const plain = await open(
			this.id,
			this.password,
			this.associated(stored.obtainedAt, stored.expiresAt),
			stored,
		);
		if (plain === undefined) return undefined;
		let parsed: { t?: unknown; u?: unknown };
		try {
			parsed = JSON.parse(plain) as { t?: unknown; u?: unknown };
		} catch {
			return undefined;
		}
		if (typeof parsed.t !== 'string' || typeof parsed.u !== 'string') return undefined;
		const entry: TokenEntry = {
			token: parsed.t,
			userName: parsed.u,
			obtainedAt: Date.parse(stored.obtainedAt),
			expiresAt: Date.parse(stored.expiresAt),
			storedIvs: new Set([stored.iv]),
		};
		return usable(entry, this.now()) ? entry : undefined;
	}

	/**
	 * Writes the entry unless static data already holds exactly it, so unchanged runs do not rewrite
	 * the workflow, or unless `wanted` says no once it is sealed (sealing may take a scrypt run).
	 */
	async write(entry: TokenEntry, wanted: () => boolean = () => true): Promise<void> {
		const current = this.entries()?.[this.id];
		if (isStoredEntry(current) && entry.storedIvs.has(current.iv)) return;
		const obtainedAt = new Date(entry.obtainedAt).toISOString();
		const expiresAt = new Date(entry.expiresAt).toISOString();
		const sealed = await seal(
			this.id,
			this.password,
			this.associated(obtainedAt, expiresAt),
			JSON.stringify({ t: entry.token, u: entry.userName }),
		);
		if (!wanted()) return;
		entry.storedIvs.add(sealed.iv);
		const stored: StoredEntry = { v: ENTRY_VERSION, ...sealed, obtainedAt, expiresAt };
		this.setEntries({ ...(this.entries() ?? {}), [this.id]: stored });
	}

	/** Removes the credential's entry; true if there was one. */
	delete(): boolean {
		const entries = this.entries();
		if (!entries || !(this.id in entries)) return false;
		const next = { ...entries };
		delete next[this.id];
		this.setEntries(next);
		return true;
	}
}
