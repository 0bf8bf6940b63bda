/**
 * Flussonic Watcher (VSaaS) simulator: API v2 with the system API key, auto-login token issue,
 * the browser-side `POST /vsaas/autologin`, and a minimal web UI page that shows who is logged in.
 */
import { randomBytes } from 'node:crypto';

import { SimulatorBase } from '../common/base';
import type { SimulatorBaseOptions } from '../common/base';
import { emptyResponse, firstHeader, jsonResponse, mediaType, safeEqual } from '../common/http';
import type { RouteResult, SimRequest, SimResponse } from '../common/http';
import { parseJson } from '../common/json';
import type { JsonObject } from '../common/json';
import { checkTokenRequest, listAnswer } from './api';
import { autologinFailedPage, readCookie, sessionRedirect, uiPage } from './pages';
import { parseAutologinToken, signToken } from './tokens';
import type { TokenVerification, WatcherSession } from './tokens';
import {
	WATCHER_API_KEY_HEADER,
	WATCHER_CAMERAS,
	WATCHER_DEFAULT_API_KEY,
	WATCHER_DEFAULT_SIGNING_SECRET,
	WATCHER_DEFAULT_TOKEN_VALIDITY_SECONDS,
	WATCHER_DEFAULT_USERS,
	WATCHER_ENDPOINTS,
	WATCHER_PATHS,
	WATCHER_SESSION_COOKIE,
	WATCHER_WRONG_API_KEY_BODY,
	toUser,
	watcherError,
} from './types';
import type { WatcherUser, WatcherUserInput } from './types';

export interface WatcherSimulatorOptions extends SimulatorBaseOptions {
	apiKey?: string;
	users?: readonly WatcherUserInput[];
	signingSecret?: string;
	/** When true a token works for one auto-login only (the real behaviour is undocumented). */
	singleUseTokens?: boolean;
}

export class WatcherSimulator extends SimulatorBase {
	protected readonly simulatorName = 'watcher';

	readonly apiKey: string;
	private readonly signingSecret: string;
	private readonly singleUse: boolean;
	private userList: WatcherUser[];
	/** Lifetime is not part of the token text, so it is looked up by signature when the token is used. */
	private readonly lifetimes = new Map<string, number>();
	private readonly usedSignatures = new Set<string>();
	private readonly sessionMap = new Map<string, WatcherSession>();

	/** Parsed JSON body of the last generate-autologin-token call (also invalid ones), for assertions. */
	lastTokenRequest: unknown = undefined;
	/** Raw body text of that call. */
	lastTokenRequestRaw: string | undefined = undefined;

	tokensIssued = 0;
	/** Every token issued, so tests can look for it where it must not be (never cleared by resets). */
	readonly issuedTokenLog: string[] = [];
	autologinSuccesses = 0;
	autologinFailures = 0;
	wrongApiKeyRejections = 0;
	/** The last auto-login outcome, to assert on the exact rejection reason. */
	lastAutologin: TokenVerification | undefined = undefined;

	constructor(options: WatcherSimulatorOptions = {}) {
		super(options);
		this.apiKey = options.apiKey ?? WATCHER_DEFAULT_API_KEY;
		this.signingSecret = options.signingSecret ?? WATCHER_DEFAULT_SIGNING_SECRET;
		this.singleUse = options.singleUseTokens ?? false;
		this.userList = (options.users ?? WATCHER_DEFAULT_USERS).map(toUser);
	}

	static async start(options: WatcherSimulatorOptions = {}): Promise<WatcherSimulator> {
		return new WatcherSimulator(options).start();
	}

	// -- public helpers --------------------------------------------------------------------------

	get users(): readonly WatcherUser[] {
		return this.userList;
	}

	addUser(input: WatcherUserInput): WatcherUser {
		const user = toUser(input, this.userList.length);
		this.userList = [...this.userList.filter((existing) => existing.login !== input.login), user];
		return user;
	}

	removeUser(login: string): boolean {
		const before = this.userList.length;
		this.userList = this.userList.filter((user) => user.login !== login);
		return this.userList.length !== before;
	}

	get sessions(): readonly WatcherSession[] {
		return [...this.sessionMap.values()];
	}

	/** Login of a live session, or `undefined` (unknown or expired). */
	sessionLogin(sessionId: string): string | undefined {
		const session = this.sessionMap.get(sessionId);
		if (session === undefined) return undefined;
		if (session.expiresAt !== undefined && session.expiresAt <= this.now()) {
			this.sessionMap.delete(sessionId);
			return undefined;
		}
		return session.login;
	}

	/**
	 * Issues a token exactly as the API would (without HTTP). `validTill` in epoch seconds;
	 * `lifetime` in seconds.
	 */
	issueToken(login: string, validTill?: number, lifetime?: number): string {
		const time =
			validTill ?? Math.floor(this.now() / 1000) + WATCHER_DEFAULT_TOKEN_VALIDITY_SECONDS;
		const salt = randomBytes(2).toString('hex');
		const signature = this.sign(login, time, salt);
		if (lifetime !== undefined) this.lifetimes.set(signature, lifetime);
		this.tokensIssued += 1;
		const token = `${login}:${time}:${salt}:${signature}`;
		this.issuedTokenLog.push(token);
		return token;
	}

	/** Checks a token without consuming it. */
	verifyToken(token: string): TokenVerification {
		if (token === '') return { ok: false, reason: 'missing' };
		const parts = parseAutologinToken(token);
		if (parts === undefined) return { ok: false, reason: 'malformed' };
		if (!safeEqual(parts.signature, this.sign(parts.login, parts.time, parts.salt))) {
			return { ok: false, reason: 'badSignature' };
		}
		// The token stays valid through the whole second named by its time.
		if (parts.time < Math.floor(this.now() / 1000)) return { ok: false, reason: 'expired' };
		if (!this.userList.some((user) => user.login === parts.login))
			return { ok: false, reason: 'unknownUser' };
		if (this.singleUse && this.usedSignatures.has(parts.signature))
			return { ok: false, reason: 'alreadyUsed' };
		return {
			ok: true,
			login: parts.login,
			validTill: parts.time,
			lifetime: this.lifetimes.get(parts.signature),
			salt: parts.salt,
		};
	}

	// -- base hooks ------------------------------------------------------------------------------

	protected override onResetCounters(): void {
		this.tokensIssued = 0;
		this.autologinSuccesses = 0;
		this.autologinFailures = 0;
		this.wrongApiKeyRejections = 0;
	}

	/** A restart drops web sessions; tokens are signed, so they survive like on a real server. */
	protected override onRestart(): void {
		this.sessionMap.clear();
	}

	protected override extraStats(): Record<string, unknown> {
		return {
			tokensIssued: this.tokensIssued,
			autologinSuccesses: this.autologinSuccesses,
			autologinFailures: this.autologinFailures,
			wrongApiKeyRejections: this.wrongApiKeyRejections,
			activeSessions: this.sessionMap.size,
			lastTokenRequest: this.lastTokenRequest ?? null,
			lastAutologin: this.lastAutologin ?? null,
		};
	}

	protected route(req: SimRequest): RouteResult {
		const { method, path } = req;
		if (path.startsWith('/vsaas/api/v2/')) return this.routeApi(req);
		if (path === WATCHER_PATHS.autologin) {
			if (method !== 'POST') {
				return { key: `${method} ${path}`, handle: () => emptyResponse(405, { allow: 'POST' }) };
			}
			return { key: WATCHER_ENDPOINTS.autologin, handle: () => this.autologin(req) };
		}
		if (path === '/vsaas/' || path === '/vsaas') {
			if (method !== 'GET' && method !== 'HEAD') {
				return {
					key: `${method} ${WATCHER_PATHS.ui}`,
					handle: () => emptyResponse(405, { allow: 'GET, HEAD' }),
				};
			}
			return { key: WATCHER_ENDPOINTS.ui, handle: () => this.uiPage(req) };
		}
		return { key: `${method} ${path}`, handle: () => emptyResponse(404) };
	}

	// -- API v2 ----------------------------------------------------------------------------------

	private routeApi(req: SimRequest): RouteResult {
		const { method, path } = req;
		const endpoint = `${method} ${path}`;
		const table: Record<string, (() => SimResponse) | undefined> = {
			[WATCHER_ENDPOINTS.generateToken]: () => this.generateToken(req),
			[WATCHER_ENDPOINTS.users]: () => this.listUsers(req),
			[WATCHER_ENDPOINTS.cameras]: () => this.listCameras(req),
			[WATCHER_ENDPOINTS.settings]: () => this.settings(),
		};
		const handler = table[endpoint];
		const knownPath = Object.values(WATCHER_PATHS).some((known) => known === path);
		return {
			key: endpoint,
			handle: () => {
				// The key is checked before anything else, so an unknown path does not reveal itself to anonymous callers.
				const key = firstHeader(req.headers, WATCHER_API_KEY_HEADER);
				if (key === undefined || !safeEqual(key, this.apiKey)) {
					this.wrongApiKeyRejections += 1;
					return jsonResponse(403, WATCHER_WRONG_API_KEY_BODY);
				}
				if (handler !== undefined) return handler();
				return knownPath ? emptyResponse(405) : emptyResponse(404);
			},
		};
	}

	private generateToken(req: SimRequest): SimResponse {
		this.lastTokenRequestRaw = req.body.toString('utf8');
		const parsed = parseJson(req.body);
		this.lastTokenRequest = parsed.ok ? parsed.value : undefined;
		const checked = checkTokenRequest(req.headers, parsed, () => Math.floor(this.now() / 1000));
		if (!checked.ok) return checked.response;
		const { login, validTill, lifetime } = checked.request;
		if (!this.userList.some((user) => user.login === login)) {
			return jsonResponse(
				403,
				watcherError('UserNotFound', 'user not found', `no user with login ${login}`),
			);
		}
		const token = this.issueToken(login, validTill, lifetime);
		return jsonResponse(200, { autologin_token: token, success: true });
	}

	private listUsers(req: SimRequest): SimResponse {
		return listAnswer(
			this.userList,
			(user, search) =>
				user.login.toLowerCase().includes(search) || user.name.toLowerCase().includes(search),
			req,
		);
	}

	private listCameras(req: SimRequest): SimResponse {
		return listAnswer(
			WATCHER_CAMERAS,
			(camera, search) =>
				camera.name.includes(search) || camera.title.toLowerCase().includes(search),
			req,
		);
	}

	/** Exists so that tests can prove a credential test never calls it: it discloses the key. */
	private settings(): SimResponse {
		const body: JsonObject = {
			api_key: this.apiKey,
			title: 'Watcher simulator',
			version: '24.09-sim',
		};
		return jsonResponse(200, body);
	}

	// -- web side --------------------------------------------------------------------------------

	private autologin(req: SimRequest): SimResponse {
		let token = '';
		if (mediaType(req.headers) === 'application/x-www-form-urlencoded') {
			token = new URLSearchParams(req.body.toString('utf8')).get('autologin_token') ?? '';
		}
		const result = this.verifyToken(token);
		this.lastAutologin = result;
		if (!result.ok) {
			this.autologinFailures += 1;
			return autologinFailedPage(result.reason);
		}
		this.autologinSuccesses += 1;
		const parts = parseAutologinToken(token);
		if (parts !== undefined) this.usedSignatures.add(parts.signature);
		const sessionId = randomBytes(16).toString('hex');
		this.sessionMap.set(sessionId, {
			id: sessionId,
			login: result.login,
			expiresAt: result.lifetime === undefined ? undefined : this.now() + result.lifetime * 1000,
		});
		return sessionRedirect(sessionId, result.lifetime);
	}

	private uiPage(req: SimRequest): SimResponse {
		const sessionId = readCookie(firstHeader(req.headers, 'cookie'), WATCHER_SESSION_COOKIE);
		return uiPage(sessionId === undefined ? undefined : this.sessionLogin(sessionId));
	}

	private sign(login: string, time: number, salt: string): string {
		return signToken(this.signingSecret, login, time, salt);
	}
}
