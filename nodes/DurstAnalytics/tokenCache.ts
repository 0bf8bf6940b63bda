/**
 * The Durst Analytics token cache. Plain TypeScript with a small interface to n8n (the workflow's
 * static data object and a login function), so it can be tested without n8n.
 *
 * Two layers:
 * - workflow static data (`getWorkflowStaticData('global')`), which n8n saves with the workflow for
 *   production, trigger and CLI executions: one encrypted entry per credential;
 * - process memory, which serves manual executions (n8n does not save their static data) and
 *   executions running in parallel in this process.
 * Concurrent callers that need a login share one login (single flight).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'crypto';

/** The one key of workflow static data owned by this package. */
export const STATIC_DATA_FIELD = 'n8nNodesWatcherDurst';

export const TOKEN_LIFETIME_MS = 10 * 24 * 60 * 60 * 1000;
/** Renew an hour early so a token never expires between the check and the request. */
export const SAFETY_MARGIN_MS = 60 * 60 * 1000;
/** Bounds static data even for a workflow that cycles through many credentials. */
export const MAX_ENTRIES = 20;

const ENTRY_VERSION = 1;
const DERIVATION_LABEL = 'n8n-nodes-watcher-durst/durst-token/v1';

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

interface StoredEntry {
	v: number;
	salt: string;
	iv: string;
	tag: string;
	data: string;
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

const memory = new Map<string, MemoryEntry>();
const inflight = new Map<string, Promise<MemoryEntry>>();
const derivedKeys = new Map<string, Buffer>();
/** One salt per credential and process: entries written by this process share one scrypt run. */
const processSalts = new Map<string, Buffer>();

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** Entry id: URL and username only, so the entry of a credential is found again after a password change and replaced. */
export function entryId(account: DurstAccount): string {
	return sha256(`${account.baseUrl}\n${account.username}`).slice(0, 32);
}

/** Process-memory key: includes the password, so a changed password never reuses a token. */
function memoryKey(account: DurstAccount): string {
	return `${entryId(account)}:${sha256(`${DERIVATION_LABEL}\n${account.password}`)}`;
}

/**
 * scrypt makes guessing the password from an exported entry slow; the result is memoized per
 * process so only the first use of an entry pays for it.
 */
function keyFor(account: DurstAccount, salt: Buffer): Buffer {
	const memo = `${salt.toString('base64')}:${memoryKey(account)}`;
	let key = derivedKeys.get(memo);
	if (!key) {
		key = scryptSync(`${DERIVATION_LABEL}\n${account.password}`, salt, 32, {
			N: 1 << 14,
			r: 8,
			p: 1,
		});
		if (derivedKeys.size > 100) derivedKeys.clear();
		derivedKeys.set(memo, key);
	}
	return key;
}

function encrypt(account: DurstAccount, entry: MemoryEntry): StoredEntry {
	const saltKey = memoryKey(account);
	let salt = processSalts.get(saltKey);
	if (!salt) {
		if (processSalts.size > 100) processSalts.clear();
		salt = randomBytes(16);
		processSalts.set(saltKey, salt);
	}
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', keyFor(account, salt), iv);
	// The entry id and timestamps are bound as associated data: moving or re-dating an entry breaks it.
	const obtainedAt = new Date(entry.obtainedAt).toISOString();
	const expiresAt = new Date(entry.expiresAt).toISOString();
	cipher.setAAD(Buffer.from(`${entryId(account)}|${obtainedAt}|${expiresAt}`));
	const data = Buffer.concat([
		cipher.update(JSON.stringify({ t: entry.token, u: entry.userName }), 'utf8'),
		cipher.final(),
	]);
	return {
		v: ENTRY_VERSION,
		salt: salt.toString('base64'),
		iv: iv.toString('base64'),
		tag: cipher.getAuthTag().toString('base64'),
		data: data.toString('base64'),
		obtainedAt,
		expiresAt,
	};
}

function isStoredEntry(value: unknown): value is StoredEntry {
	if (!value || typeof value !== 'object') return false;
	const entry = value as Record<string, unknown>;
	return (
		entry.v === ENTRY_VERSION &&
		['salt', 'iv', 'tag', 'data', 'obtainedAt', 'expiresAt'].every(
			(field) => typeof entry[field] === 'string',
		)
	);
}

/** Any entry that does not decrypt (other password, tampered, truncated) is treated as absent. */
function decrypt(account: DurstAccount, stored: StoredEntry): MemoryEntry | undefined {
	try {
		const decipher = createDecipheriv(
			'aes-256-gcm',
			keyFor(account, Buffer.from(stored.salt, 'base64')),
			Buffer.from(stored.iv, 'base64'),
		);
		decipher.setAAD(Buffer.from(`${entryId(account)}|${stored.obtainedAt}|${stored.expiresAt}`));
		decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
		const plain = Buffer.concat([
			decipher.update(Buffer.from(stored.data, 'base64')),
			decipher.final(),
		]).toString('utf8');
		const parsed = JSON.parse(plain) as { t?: unknown; u?: unknown };
		if (typeof parsed.t !== 'string' || typeof parsed.u !== 'string') return undefined;
		return {
			token: parsed.t,
			userName: parsed.u,
			obtainedAt: Date.parse(stored.obtainedAt),
			expiresAt: Date.parse(stored.expiresAt),
			storedIvs: new Set([stored.iv]),
		};
	} catch {
		return undefined;
	}
}

function usable(entry: { expiresAt: number } | undefined, now: number): boolean {
	return entry !== undefined && Number.isFinite(entry.expiresAt) && entry.expiresAt > now;
}

export interface TokenCacheOptions {
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
		this.memKey = memoryKey(options.account);
		this.prune();
	}

	/** The package's entries in static data, created on first write only (an empty workflow stays unchanged). */
	private entries(create: boolean): Record<string, unknown> | undefined {
		const root = this.staticData[STATIC_DATA_FIELD];
		if (root && typeof root === 'object' && !Array.isArray(root)) {
			const tokens = (root as Record<string, unknown>).durstTokens;
			if (tokens && typeof tokens === 'object' && !Array.isArray(tokens))
				return tokens as Record<string, unknown>;
		}
		if (!create) return undefined;
		const fresh: Record<string, unknown> = {};
		this.staticData[STATIC_DATA_FIELD] = { durstTokens: fresh };
		return fresh;
	}

	/** Drops expired entries and anything this package does not recognise; assigns only when something changed, since n8n saves static data on assignment. */
	private prune(): void {
		const root = this.staticData[STATIC_DATA_FIELD];
		if (root === undefined) return;
		const entries = this.entries(false);
		if (!entries) {
			this.staticData[STATIC_DATA_FIELD] = { durstTokens: {} };
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
			this.staticData[STATIC_DATA_FIELD] = { durstTokens: Object.fromEntries(keep) };
		}
	}

	private readStatic(): MemoryEntry | undefined {
		const stored = this.entries(false)?.[this.id];
		if (!isStoredEntry(stored)) return undefined;
		const entry = decrypt(this.account, stored);
		return usable(entry, this.now()) ? entry : undefined;
	}

	/** Writes the entry unless static data already holds exactly it, so unchanged runs do not rewrite the workflow. */
	private writeStatic(entry: MemoryEntry): void {
		const entries = this.entries(false);
		const current = entries?.[this.id];
		if (isStoredEntry(current) && entry.storedIvs.has(current.iv)) return;
		const stored = encrypt(this.account, entry);
		entry.storedIvs.add(stored.iv);
		const next = { ...(entries ?? {}), [this.id]: stored };
		this.staticData[STATIC_DATA_FIELD] = { durstTokens: next };
	}

	private deleteStatic(): boolean {
		const entries = this.entries(false);
		if (!entries || !(this.id in entries)) return false;
		const next = { ...entries };
		delete next[this.id];
		this.staticData[STATIC_DATA_FIELD] = { durstTokens: next };
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

	private async loginOnce(): Promise<{ entry: MemoryEntry; loggedIn: boolean }> {
		const running = inflight.get(this.memKey);
		if (running) return { entry: await running, loggedIn: false };
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
			const current = memory.get(this.memKey) ?? this.readStatic();
			return await this.refresh(current?.token);
		}
		const now = this.now();
		let entry = memory.get(this.memKey);
		if (!usable(entry, now)) {
			entry = this.readStatic();
			if (entry) memory.set(this.memKey, entry);
		}
		if (entry && usable(entry, now)) {
			this.writeStatic(entry);
			return this.toResult(entry, true);
		}
		const { entry: fresh, loggedIn } = await this.loginOnce();
		this.writeStatic(fresh);
		return this.toResult(fresh, !loggedIn);
	}

	/**
	 * Replaces a token the server refused. Callers that hit the same dead token at once share
	 * one login; a caller whose token was already replaced gets the replacement.
	 */
	async refresh(staleToken: string | undefined): Promise<CachedToken> {
		const current = memory.get(this.memKey);
		if (current && current.token !== staleToken && usable(current, this.now())) {
			this.writeStatic(current);
			return this.toResult(current, true);
		}
		if (!inflight.has(this.memKey)) {
			memory.delete(this.memKey);
			const stored = this.readStatic();
			if (stored && stored.token === staleToken) this.deleteStatic();
		}
		const { entry, loggedIn } = await this.loginOnce();
		this.writeStatic(entry);
		return this.toResult(entry, !loggedIn);
	}

	/** Drops this credential's token from memory and static data; true if there was one. */
	forget(): boolean {
		const hadMemory = memory.delete(this.memKey);
		const hadStatic = this.deleteStatic();
		return hadMemory || hadStatic;
	}
}
