/**
 * The Durst Analytics token cache: when to log in, what to keep where. Plain TypeScript with a
 * small interface to n8n (the workflow's static data object and a login function), so it can be
 * tested without n8n; encryption lives in ./crypto.
 *
 * Two layers:
 * - workflow static data (`getWorkflowStaticData('global')`), which n8n saves with the workflow for
 *   production, trigger and CLI executions: one sealed entry per credential;
 * - process memory, which serves manual executions (n8n does not save their static data) and
 *   executions running in parallel in this process.
 * Concurrent callers that need a login share one login (single flight).
 */
import { LruMap } from '../../shared/lru';
import { forgetOtherPasswords, open, passwordDigest, seal, sha256 } from './crypto';
import type { Sealed } from './crypto';

/** The one key of workflow static data owned by this package. */
export const STATIC_DATA_FIELD = 'n8nNodesWatcherDurst';

export const TOKEN_LIFETIME_MS = 10 * 24 * 60 * 60 * 1000;
/** Renew an hour early so a token never expires between the check and the request. */
export const SAFETY_MARGIN_MS = 60 * 60 * 1000;
/** Bounds static data even for a workflow that cycles through many credentials. */
const MAX_ENTRIES = 20;

/** Version 2: keys derived with scrypt N=2^17; version 1 entries are dropped and logged in anew. */
const ENTRY_VERSION = 2;

export interface DurstAccount {
	/** Normalized server URL. */
	baseUrl: string;
	username: string;
	password: string;
}

export interface LoginResult {
	token: string;
	userName: string;
}

export interface CachedToken extends LoginResult {
	obtainedAt: number;
	expiresAt: number;
	/** True when no login was made for this call. */
	fromCache: boolean;
}

export interface StaticDataLike {
	[key: string]: unknown;
}

interface StoredEntry extends Sealed {
	v: number;
	obtainedAt: string;
	expiresAt: string;
}

interface MemoryEntry extends LoginResult {
	obtainedAt: number;
	expiresAt: number;
	/**
	 * ivs of the static-data entries (one per workflow using this credential) known to hold this
	 * token, so an unchanged entry is not rewritten and the workflow not saved again.
	 */
	storedIvs: Set<string>;
}

/** Keyed by `${entryId}:${passwordDigest}`: a changed password never reuses a token. */
const memory = new LruMap<string, MemoryEntry>(100);
const inflight = new Map<string, Promise<MemoryEntry>>();
/**
 * Tokens a server refused, by `${memKey}:${sha256(token)}`. An execution that started before the
 * refusal still holds the dead token in its copy of static data (n8n loads static data when an
 * execution starts); without this list it would put the token back into memory over its
 * replacement and cause a second login.
 */
const deadTokens = new LruMap<string, true>(200);
/**
 * Tokens refused by the very call a fresh login was made for, by `${memKey}:${sha256(token)}`, with
 * the time until which no further login is tried for them: a server that refuses every new token
 * (several Analytics behind a balancer that share no sessions) would otherwise cost a login per item.
 */
const refusedFresh = new LruMap<string, number>(200);
/** How long a token refused right after its login stops further logins. */
export const REFUSED_FRESH_MS = 5 * 60 * 1000;

/** Entry id: URL and username only, so the entry of a credential is found again after a password change and replaced. */
export function entryId(account: DurstAccount): string {
	return sha256(`${account.baseUrl}\n${account.username}`).slice(0, 32);
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

function usable(entry: { expiresAt: number } | undefined, now: number): boolean {
	return entry !== undefined && Number.isFinite(entry.expiresAt) && entry.expiresAt > now;
}

interface TokenCacheOptions {
	/** The workflow's global static data object (n8n saves it when it changes). */
	staticData: StaticDataLike;
	account: DurstAccount;
	login: () => Promise<LoginResult>;
	now?: () => number;
}

/** One credential's view of the cache within one node execution. */
export class DurstTokenCache {
	private readonly staticData: StaticDataLike;

	private readonly account: DurstAccount;

	private readonly login: () => Promise<LoginResult>;

	private readonly now: () => number;

	private readonly id: string;

	private readonly memKey: string;

	constructor(options: TokenCacheOptions) {
		this.staticData = options.staticData;
		this.account = options.account;
		this.login = options.login;
		this.now = options.now ?? Date.now;
		this.id = entryId(options.account);
		this.memKey = `${this.id}:${passwordDigest(options.account.password)}`;
		// Tokens and keys of an older password of this credential are of no use any more.
		memory.deleteWhere((key) => key.startsWith(`${this.id}:`) && key !== this.memKey);
		forgetOtherPasswords(this.id, options.account.password);
		this.prune();
	}

	private deadKey(token: string): string {
		return `${this.memKey}:${sha256(token)}`;
	}

	/** Usable and not refused by the server: worth sending. */
	private live(entry: MemoryEntry | undefined): entry is MemoryEntry {
		return (
			entry !== undefined &&
			usable(entry, this.now()) &&
			deadTokens.get(this.deadKey(entry.token)) === undefined
		);
	}

	/** Memory's token if it is live; read again after every await, since other callers run meanwhile. */
	private liveMemory(): MemoryEntry | undefined {
		const entry = memory.get(this.memKey);
		return this.live(entry) ? entry : undefined;
	}

	private associated(obtainedAt: string, expiresAt: string): string {
		// The entry id and dates are bound to the ciphertext: moving or re-dating an entry breaks it.
		return `${this.id}|${obtainedAt}|${expiresAt}`;
	}

	/** The package's entries in static data, or undefined (created on first write only, so an unused workflow stays unchanged). */
	private entries(): Record<string, unknown> | undefined {
		const root = this.staticData[STATIC_DATA_FIELD];
		if (root && typeof root === 'object' && !Array.isArray(root)) {
			const tokens = (root as Record<string, unknown>).durstTokens;
			if (tokens && typeof tokens === 'object' && !Array.isArray(tokens)) {
				return tokens as Record<string, unknown>;
			}
		}
		return undefined;
	}

	/** n8n saves static data when a property is assigned, so every change assigns the root anew. */
	private setEntries(entries: Record<string, unknown>): void {
		this.staticData[STATIC_DATA_FIELD] = { durstTokens: entries };
	}

	/** Drops expired entries and anything this package does not recognise; assigns only when something changed. */
	private prune(): void {
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

	private async readStatic(): Promise<MemoryEntry | undefined> {
		const stored = this.entries()?.[this.id];
		if (!isStoredEntry(stored)) return undefined;
		const plain = await open(
			this.id,
			this.account.password,
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
		const entry: MemoryEntry = {
			token: parsed.t,
			userName: parsed.u,
			obtainedAt: Date.parse(stored.obtainedAt),
			expiresAt: Date.parse(stored.expiresAt),
			storedIvs: new Set([stored.iv]),
		};
		return usable(entry, this.now()) ? entry : undefined;
	}

	/** Writes the entry unless static data already holds exactly it, so unchanged runs do not rewrite the workflow. */
	private async writeStatic(entry: MemoryEntry): Promise<void> {
		const current = this.entries()?.[this.id];
		if (isStoredEntry(current) && entry.storedIvs.has(current.iv)) return;
		const obtainedAt = new Date(entry.obtainedAt).toISOString();
		const expiresAt = new Date(entry.expiresAt).toISOString();
		const sealed = await seal(
			this.id,
			this.account.password,
			this.associated(obtainedAt, expiresAt),
			JSON.stringify({ t: entry.token, u: entry.userName }),
		);
		entry.storedIvs.add(sealed.iv);
		const stored: StoredEntry = { v: ENTRY_VERSION, ...sealed, obtainedAt, expiresAt };
		this.setEntries({ ...(this.entries() ?? {}), [this.id]: stored });
	}

	private deleteStatic(): boolean {
		const entries = this.entries();
		if (!entries || !(this.id in entries)) return false;
		const next = { ...entries };
		delete next[this.id];
		this.setEntries(next);
		return true;
	}

	private toResult(entry: MemoryEntry, fromCache: boolean): CachedToken {
		return {
			token: entry.token,
			userName: entry.userName,
			obtainedAt: entry.obtainedAt,
			expiresAt: entry.expiresAt,
			fromCache,
		};
	}

	/**
	 * One login per credential and process at a time. Checked and started without an await in
	 * between: a caller that reaches here after another's login ended takes its token.
	 */
	private async loginOnce(): Promise<{ entry: MemoryEntry; loggedIn: boolean }> {
		const running = inflight.get(this.memKey);
		if (running) return { entry: await running, loggedIn: false };
		const current = this.liveMemory();
		if (current) return { entry: current, loggedIn: false };
		const started = (async () => {
			const result = await this.login();
			const obtainedAt = this.now();
			const entry: MemoryEntry = {
				...result,
				obtainedAt,
				expiresAt: obtainedAt + TOKEN_LIFETIME_MS - SAFETY_MARGIN_MS,
				storedIvs: new Set(),
			};
			memory.set(this.memKey, entry);
			return entry;
		})();
		inflight.set(this.memKey, started);
		try {
			return { entry: await started, loggedIn: true };
		} finally {
			inflight.delete(this.memKey);
		}
	}

	/** A usable token: from memory, else static data, else one shared login. */
	async get(options: { forceNewLogin?: boolean } = {}): Promise<CachedToken> {
		if (options.forceNewLogin) {
			const current = memory.get(this.memKey) ?? (await this.readStatic());
			return await this.refresh(current?.token);
		}
		let entry = this.liveMemory();
		if (!entry) {
			const stored = await this.readStatic();
			// Memory may have gained a newer token while static data was read: it wins.
			entry = this.liveMemory();
			if (!entry && this.live(stored)) {
				entry = stored;
				memory.set(this.memKey, stored);
			}
		}
		if (entry) {
			await this.writeStatic(entry);
			return this.toResult(entry, true);
		}
		const { entry: fresh, loggedIn } = await this.loginOnce();
		await this.writeStatic(fresh);
		return this.toResult(fresh, !loggedIn);
	}

	/**
	 * Replaces a token the server refused. Callers that hit the same dead token at once share
	 * one login; a caller whose token was already replaced gets the replacement.
	 */
	async refresh(staleToken: string | undefined): Promise<CachedToken> {
		if (staleToken !== undefined) deadTokens.set(this.deadKey(staleToken), true);
		const current = this.liveMemory();
		if (current) {
			await this.writeStatic(current);
			return this.toResult(current, true);
		}
		if (!inflight.has(this.memKey)) {
			const stored = await this.readStatic();
			if (stored && stored.token === staleToken) this.deleteStatic();
		}
		const { entry, loggedIn } = await this.loginOnce();
		await this.writeStatic(entry);
		return this.toResult(entry, !loggedIn);
	}

	/** The server refused the token of a login made for this very call: log in again only later. */
	refusedAfterLogin(token: string): void {
		refusedFresh.set(this.deadKey(token), this.now() + REFUSED_FRESH_MS);
	}

	/** Whether `token` was refused right after its login, recently: another login would not help. */
	wasRefusedAfterLogin(token: string): boolean {
		const until = refusedFresh.get(this.deadKey(token));
		return until !== undefined && until > this.now();
	}

	/** Drops this credential's token from memory and static data; true if there was one. */
	forget(): boolean {
		const hadMemory = memory.delete(this.memKey);
		const hadStatic = this.deleteStatic();
		return hadMemory || hadStatic;
	}
}
