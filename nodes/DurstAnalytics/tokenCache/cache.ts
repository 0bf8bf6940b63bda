/**
 * The Durst Analytics token cache: when to log in, what to keep where. Plain TypeScript with a
 * small interface to n8n (the workflow's static data object and a login function), so it can be
 * tested without n8n; encryption lives in ./crypto.
 *
 * Two layers:
 * - workflow static data (./staticEntries): one sealed entry per credential;
 * - process memory, which serves manual executions (n8n does not save their static data) and
 *   executions running in parallel in this process.
 * Concurrent callers that need a login share one login (single flight); tokens a server refused
 * are remembered in ./refusedTokens.
 */
import { LruMap } from '../../shared/lru';
import { forgetOtherPasswords, passwordDigest, sha256 } from './crypto';
import { RefusedTokens } from './refusedTokens';
import type { StaticDataLike, TokenEntry } from './staticEntries';
import { StaticEntries, usable } from './staticEntries';

export { STATIC_DATA_FIELD } from './staticEntries';

export const TOKEN_LIFETIME_MS = 10 * 24 * 60 * 60 * 1000;
/** Renew an hour early so a token never expires between the check and the request. */
export const SAFETY_MARGIN_MS = 60 * 60 * 1000;

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

/** Keyed by `${entryId}:${passwordDigest}`: a changed password never reuses a token. */
const memory = new LruMap<string, TokenEntry>(100);
const inflight = new Map<string, Promise<TokenEntry>>();

/** Entry id: URL and username only, so the entry of a credential is found again after a password change and replaced. */
export function entryId(account: DurstAccount): string {
	return sha256(`${account.baseUrl}\n${account.username}`).slice(0, 32);
}

interface TokenCacheOptions {
	/** The workflow's global static data object (n8n saves it when it changes). */
	staticData: StaticDataLike;
	account: DurstAccount;
	login: () => Promise<LoginResult>;
	now?: () => number;
	/**
	 * Write static data behind the callers' backs: a token is handed out at once and sealed for
	 * static data meanwhile (the scrypt run of a fresh process takes about a second, off the event
	 * loop). Whoever sets it awaits `settled()` before the execution ends.
	 */
	deferWrites?: boolean;
}

/** One credential's view of the cache within one node execution. */
export class DurstTokenCache {
	private readonly login: () => Promise<LoginResult>;

	private readonly now: () => number;

	private readonly memKey: string;

	private readonly stored: StaticEntries;

	private readonly refused: RefusedTokens;

	private readonly deferWrites: boolean;

	/** Deferred writes, one after another: a later token is never overwritten by an earlier one. */
	private writing: Promise<void> = Promise.resolve();

	private queued: TokenEntry | undefined;

	constructor(options: TokenCacheOptions) {
		this.login = options.login;
		this.now = options.now ?? Date.now;
		this.deferWrites = options.deferWrites === true;
		const id = entryId(options.account);
		this.memKey = `${id}:${passwordDigest(options.account.password)}`;
		this.stored = new StaticEntries(options.staticData, id, options.account.password, this.now);
		this.refused = new RefusedTokens(this.memKey, this.now);
		// Tokens and keys of an older password of this credential are of no use any more.
		memory.deleteWhere((key) => key.startsWith(`${id}:`) && key !== this.memKey);
		forgetOtherPasswords(id, options.account.password);
		this.stored.prune();
	}

	/** Usable and not refused by the server: worth sending. */
	private live(entry: TokenEntry | undefined): entry is TokenEntry {
		return entry !== undefined && usable(entry, this.now()) && !this.refused.isDead(entry.token);
	}

	/** Memory's token if it is live; read again after every await, since other callers run meanwhile. */
	private liveMemory(): TokenEntry | undefined {
		const entry = memory.get(this.memKey);
		return this.live(entry) ? entry : undefined;
	}

	private toResult(entry: TokenEntry, fromCache: boolean): CachedToken {
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
	private async loginOnce(): Promise<{ entry: TokenEntry; loggedIn: boolean }> {
		const running = inflight.get(this.memKey);
		if (running) return { entry: await running, loggedIn: false };
		const current = this.liveMemory();
		if (current) return { entry: current, loggedIn: false };
		const started = (async () => {
			const result = await this.login();
			const obtainedAt = this.now();
			const entry: TokenEntry = {
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
			const current = memory.get(this.memKey) ?? (await this.stored.read());
			return await this.refresh(current?.token);
		}
		let entry = this.liveMemory();
		if (!entry) {
			const stored = await this.stored.read();
			// Memory may have gained a newer token while static data was read: it wins.
			entry = this.liveMemory();
			if (!entry && this.live(stored)) {
				entry = stored;
				memory.set(this.memKey, stored);
			}
		}
		if (entry) {
			await this.store(entry);
			return this.toResult(entry, true);
		}
		const { entry: fresh, loggedIn } = await this.loginOnce();
		await this.store(fresh);
		return this.toResult(fresh, !loggedIn);
	}

	/**
	 * Replaces a token the server refused. Callers that hit the same dead token at once share
	 * one login; a caller whose token was already replaced gets the replacement.
	 */
	async refresh(staleToken: string | undefined): Promise<CachedToken> {
		if (staleToken !== undefined) this.refused.markDead(staleToken);
		const current = this.liveMemory();
		if (current) {
			await this.store(current);
			return this.toResult(current, true);
		}
		if (!inflight.has(this.memKey)) {
			const stored = await this.stored.read();
			if (stored && stored.token === staleToken) this.stored.delete();
		}
		const { entry, loggedIn } = await this.loginOnce();
		await this.store(entry);
		return this.toResult(entry, !loggedIn);
	}

	/** Writes `entry` to static data, or queues the write when writes are deferred. */
	private async store(entry: TokenEntry): Promise<void> {
		if (!this.deferWrites) {
			await this.stored.write(entry);
			return;
		}
		// Every item of a run asks for the same entry: one write of it is enough.
		if (this.queued === entry) return;
		this.queued = entry;
		this.writing = this.writing
			.then(async () => {
				// A token forgotten, refused or replaced meanwhile must not come back into static data.
				const wanted = () => memory.get(this.memKey) === entry && !this.refused.isDead(entry.token);
				if (wanted()) await this.stored.write(entry, wanted);
			})
			// Caught here, at once: a rejection nobody handles yet would end n8n's process. A failed
			// write is dropped: the items have their answers, and a token missing from static data
			// costs one login in the next execution, nothing else.
			.catch(() => undefined);
	}

	/** Every deferred write has ended. */
	async settled(): Promise<void> {
		await this.writing;
	}

	/** The server refused the token of a login made for this very call: log in again only later. */
	refusedAfterLogin(token: string): void {
		this.refused.refusedAfterLogin(token);
	}

	/** Whether `token` was refused right after its login, recently: another login would not help. */
	wasRefusedAfterLogin(token: string): boolean {
		return this.refused.wasRefusedAfterLogin(token);
	}

	/** Drops this credential's token from memory and static data; true if there was one. */
	forget(): boolean {
		const hadMemory = memory.delete(this.memKey);
		const hadStatic = this.stored.delete();
		return hadMemory || hadStatic;
	}
}
