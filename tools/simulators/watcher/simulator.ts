/**
 * Flussonic Watcher (VSaaS) simulator: API v2 with the system API key, auto-login token issue,
 * the browser-side `POST /vsaas/autologin`, and a minimal web UI page that shows who is logged in.
 *
 * The real token format is undocumented beyond its shape (`login:unix-time:hex-salt:40-hex`), so the
 * simulator signs `login:time:salt` with HMAC-SHA1: that lets it reject tampered or foreign tokens
 * without storing them, which is what a real server must do too.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
	SimulatorBase,
	emptyResponse,
	escapeHtml,
	firstHeader,
	htmlResponse,
	isPlainObject,
	jsonResponse,
	mediaType,
	parseJson,
	safeEqual,
} from '../common';
import type {
	JsonObject,
	RouteResult,
	SimRequest,
	SimResponse,
	SimulatorBaseOptions,
} from '../common';

export const WATCHER_DEFAULT_API_KEY = 'test-api-key';
export const WATCHER_DEFAULT_SIGNING_SECRET = 'watcher-simulator-signing-secret';
/** Validity of a token issued without `valid_till`. */
export const WATCHER_DEFAULT_TOKEN_VALIDITY_SECONDS = 3600;
export const WATCHER_API_KEY_HEADER = 'X-Vsaas-Api-Key';
export const WATCHER_SESSION_COOKIE = 'vsaas_session';

export const WATCHER_PATHS = {
	generateToken: '/vsaas/api/v2/auth/generate-autologin-token',
	users: '/vsaas/api/v2/users',
	cameras: '/vsaas/api/v2/cameras',
	settings: '/vsaas/api/v2/settings',
	autologin: '/vsaas/autologin',
	ui: '/vsaas/',
} as const;

/** Endpoint keys as they appear in `calls` / `/__sim/stats`. */
export const WATCHER_ENDPOINTS = {
	generateToken: `POST ${WATCHER_PATHS.generateToken}`,
	users: `GET ${WATCHER_PATHS.users}`,
	cameras: `GET ${WATCHER_PATHS.cameras}`,
	settings: `GET ${WATCHER_PATHS.settings}`,
	autologin: `POST ${WATCHER_PATHS.autologin}`,
	ui: `GET ${WATCHER_PATHS.ui}`,
} as const;

/** Markers of the HTML pages, stable so that tests can search for them. */
export const WATCHER_AUTOLOGIN_ERROR_MARKER = '<h1 id="autologin-error">Auto-login failed</h1>';
export const WATCHER_AUTOLOGIN_ERROR_REASON_ID = 'autologin-error-reason';
export const WATCHER_LOGGED_IN_ID = 'logged-in-user';
export const WATCHER_NOT_LOGGED_IN_ID = 'not-logged-in';

/** A login that needs escaping in HTML, URLs and JSON, and is still a valid e-mail address. */
export const WATCHER_SPECIAL_LOGIN = `o'brien+"x"<y>@example.com`;

// -- v2 error body -------------------------------------------------------------------------------
// The real v2 error body is undocumented; this JSON:API-like shape is the simulator's choice, used for
// every JSON error it sends. Clients should rely on the status code and treat `errors[0].code` as a hint.

export const WATCHER_ERROR_CODES = {
	WrongApikey: 'WrongApikey',
	ValidationError: 'ValidationError',
	UserNotFound: 'UserNotFound',
	ApplicationError: 'ApplicationError',
} as const;
export type WatcherErrorCode = (typeof WATCHER_ERROR_CODES)[keyof typeof WATCHER_ERROR_CODES];

export interface WatcherErrorItem {
	code: WatcherErrorCode;
	title: string;
	/** Human-readable reason; for ValidationError it starts with the field name. */
	detail?: string;
	/** For ValidationError: the offending field (`login`, `valid_till`, `lifetime`, `body`, `limit`, ...). */
	field?: string;
}

export interface WatcherErrorBody {
	errors: WatcherErrorItem[];
}

export const WATCHER_WRONG_API_KEY_BODY: WatcherErrorBody = {
	errors: [{ code: 'WrongApikey', title: 'wrong api key' }],
};

export function watcherError(
	code: WatcherErrorCode,
	title: string,
	detail?: string,
	field?: string,
): WatcherErrorBody {
	const item: WatcherErrorItem = { code, title };
	if (detail !== undefined) item.detail = detail;
	if (field !== undefined) item.field = field;
	return { errors: [item] };
}

// -- data ----------------------------------------------------------------------------------------

export interface WatcherUser {
	id: number;
	/** The user's e-mail address; Watcher uses it as the login. */
	login: string;
	email: string;
	name: string;
	is_admin: boolean;
	organization_id: number;
	enabled: boolean;
}

export interface WatcherUserInput {
	login: string;
	name?: string;
	is_admin?: boolean;
	organization_id?: number;
	enabled?: boolean;
}

export const WATCHER_DEFAULT_USERS: readonly WatcherUserInput[] = [
	{ login: 'admin@example.com', name: 'Administrator', is_admin: true },
	{ login: 'demo@example.com', name: 'Demo User' },
	{ login: 'viewer@example.com', name: 'Viewer One' },
	{ login: WATCHER_SPECIAL_LOGIN, name: `Conan O'Brien <&>` },
];

export interface WatcherCamera {
	name: string;
	title: string;
	enabled: boolean;
	organization_id: number;
	alive: boolean;
}

export const WATCHER_CAMERAS: readonly WatcherCamera[] = [
	{ name: 'cam-entrance', title: 'Entrance', enabled: true, organization_id: 1, alive: true },
	{ name: 'cam-parking', title: 'Parking lot', enabled: true, organization_id: 1, alive: true },
	{ name: 'cam-lobby', title: 'Lobby', enabled: true, organization_id: 1, alive: false },
	{ name: 'cam-warehouse', title: 'Warehouse', enabled: false, organization_id: 1, alive: false },
	{ name: 'cam-roof', title: 'Roof', enabled: true, organization_id: 2, alive: true },
];

// -- tokens --------------------------------------------------------------------------------------

export type TokenRejectReason =
	'missing' | 'malformed' | 'badSignature' | 'expired' | 'unknownUser' | 'alreadyUsed';

export const TOKEN_REJECT_MESSAGES: Readonly<Record<TokenRejectReason, string>> = {
	missing: 'autologin_token is missing',
	malformed: 'autologin_token is malformed',
	badSignature: 'autologin_token signature is invalid',
	expired: 'autologin_token has expired',
	unknownUser: 'the user of this autologin_token does not exist',
	alreadyUsed: 'autologin_token has already been used',
};

export type TokenVerification =
	| { ok: true; login: string; validTill: number; lifetime: number | undefined; salt: string }
	| { ok: false; reason: TokenRejectReason };

/** Parsed pieces of a token: the login is everything before the last three `:`-separated parts. */
export interface TokenParts {
	login: string;
	time: number;
	salt: string;
	signature: string;
}

export function parseAutologinToken(token: string): TokenParts | undefined {
	const parts = token.split(':');
	if (parts.length < 4) return undefined;
	const signature = parts.pop() ?? '';
	const salt = parts.pop() ?? '';
	const time = parts.pop() ?? '';
	const login = parts.join(':');
	if (
		login === '' ||
		!/^\d{1,12}$/.test(time) ||
		!/^[0-9a-f]{4}$/.test(salt) ||
		!/^[0-9a-f]{40}$/.test(signature)
	) {
		return undefined;
	}
	return { login, time: Number(time), salt, signature };
}

export interface WatcherSession {
	id: string;
	login: string;
	/** Simulator clock ms, or `undefined` when the token carried no lifetime (browser session). */
	expiresAt: number | undefined;
}

export interface WatcherSimulatorOptions extends SimulatorBaseOptions {
	apiKey?: string;
	users?: readonly WatcherUserInput[];
	signingSecret?: string;
	/** When true a token works for one auto-login only (the real behaviour is undocumented). */
	singleUseTokens?: boolean;
}

const INTEGER_QUERY = /^\d{1,9}$/;

function toUser(input: WatcherUserInput, index: number): WatcherUser {
	return {
		id: index + 1,
		login: input.login,
		email: input.login,
		name: input.name ?? input.login,
		is_admin: input.is_admin ?? false,
		organization_id: input.organization_id ?? 1,
		enabled: input.enabled ?? true,
	};
}

function page(title: string, bodyHtml: string): string {
	return (
		'<!DOCTYPE html><html><head><meta charset="utf-8"><title>' +
		escapeHtml(title) +
		'</title></head><body>' +
		bodyHtml +
		'</body></html>'
	);
}

function readCookie(header: string | undefined, name: string): string | undefined {
	if (header === undefined) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
	}
	return undefined;
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

	private validation(field: string, detail: string): SimResponse {
		return jsonResponse(
			400,
			watcherError('ValidationError', 'validation error', `${field}: ${detail}`, field),
		);
	}

	private generateToken(req: SimRequest): SimResponse {
		this.lastTokenRequestRaw = req.body.toString('utf8');
		const parsed = parseJson(req.body);
		this.lastTokenRequest = parsed.ok ? parsed.value : undefined;
		if (mediaType(req.headers) !== 'application/json') {
			return this.validation('body', 'Content-Type must be application/json');
		}
		if (!parsed.ok) return this.validation('body', parsed.reason);
		const body = parsed.value;
		if (!isPlainObject(body)) return this.validation('body', 'must be a JSON object');

		const { login, valid_till: validTill, lifetime } = body;
		if (login === undefined) return this.validation('login', 'is required');
		if (typeof login !== 'string' || login === '')
			return this.validation('login', 'must be a non-empty string');
		if (validTill !== undefined) {
			if (typeof validTill !== 'number' || !Number.isInteger(validTill) || validTill < 0) {
				return this.validation('valid_till', 'must be an integer (UTC epoch seconds)');
			}
			if (validTill < Math.floor(this.now() / 1000))
				return this.validation('valid_till', 'is in the past');
		}
		if (
			lifetime !== undefined &&
			(typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime <= 0)
		) {
			return this.validation('lifetime', 'must be a positive integer (seconds)');
		}
		if (!this.userList.some((user) => user.login === login)) {
			return jsonResponse(
				403,
				watcherError('UserNotFound', 'user not found', `no user with login ${login}`),
			);
		}
		const token = this.issueToken(login, validTill, lifetime);
		return jsonResponse(200, { autologin_token: token, success: true });
	}

	private pagination(req: SimRequest): { offset: number; limit: number | undefined } | SimResponse {
		const limitText = req.query.get('limit');
		const offsetText = req.query.get('offset');
		if (limitText !== null && !INTEGER_QUERY.test(limitText))
			return this.validation('limit', 'must be a non-negative integer');
		if (offsetText !== null && !INTEGER_QUERY.test(offsetText))
			return this.validation('offset', 'must be a non-negative integer');
		return {
			offset: offsetText === null ? 0 : Number(offsetText),
			limit: limitText === null ? undefined : Number(limitText),
		};
	}

	private paginate<T>(items: readonly T[], req: SimRequest): T[] | SimResponse {
		const paging = this.pagination(req);
		if ('status' in paging) return paging;
		const end = paging.limit === undefined ? undefined : paging.offset + paging.limit;
		return items.slice(paging.offset, end);
	}

	private listUsers(req: SimRequest): SimResponse {
		const search = (req.query.get('search') ?? '').toLowerCase();
		const matching = this.userList.filter(
			(user) =>
				search === '' ||
				user.login.toLowerCase().includes(search) ||
				user.name.toLowerCase().includes(search),
		);
		const result = this.paginate(matching, req);
		if (!Array.isArray(result)) return result;
		return jsonResponse(
			200,
			result.map((user) => ({ ...user })),
		);
	}

	private listCameras(req: SimRequest): SimResponse {
		const search = (req.query.get('search') ?? '').toLowerCase();
		const matching = WATCHER_CAMERAS.filter(
			(camera) =>
				search === '' ||
				camera.name.includes(search) ||
				camera.title.toLowerCase().includes(search),
		);
		const result = this.paginate(matching, req);
		if (!Array.isArray(result)) return result;
		return jsonResponse(
			200,
			result.map((camera) => ({ ...camera })),
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
			const html = page(
				'Auto-login failed',
				`${WATCHER_AUTOLOGIN_ERROR_MARKER}<p id="${WATCHER_AUTOLOGIN_ERROR_REASON_ID}">` +
					`${escapeHtml(TOKEN_REJECT_MESSAGES[result.reason])}</p>` +
					`<p id="${WATCHER_NOT_LOGGED_IN_ID}">You are not logged in.</p>`,
			);
			return htmlResponse(403, html);
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
		const maxAge = result.lifetime === undefined ? '' : `; Max-Age=${result.lifetime}`;
		return htmlResponse(302, page('Redirecting', '<a href="/vsaas/">Continue</a>'), {
			location: WATCHER_PATHS.ui,
			'set-cookie': `${WATCHER_SESSION_COOKIE}=${sessionId}; HttpOnly; Path=/${maxAge}`,
		});
	}

	private uiPage(req: SimRequest): SimResponse {
		const sessionId = readCookie(firstHeader(req.headers, 'cookie'), WATCHER_SESSION_COOKIE);
		const login = sessionId === undefined ? undefined : this.sessionLogin(sessionId);
		if (login === undefined) {
			return htmlResponse(
				200,
				page(
					'Watcher',
					`<h1>Watcher</h1><p id="${WATCHER_NOT_LOGGED_IN_ID}">You are not logged in.</p>`,
				),
			);
		}
		return htmlResponse(
			200,
			page('Watcher', `<h1>Watcher</h1><p id="${WATCHER_LOGGED_IN_ID}">${escapeHtml(login)}</p>`),
		);
	}

	private sign(login: string, time: number, salt: string): string {
		return createHmac('sha1', this.signingSecret).update(`${login}:${time}:${salt}`).digest('hex');
	}
}
