/**
 * The Flussonic Watcher API as the simulator serves it: paths, endpoint keys, page markers, the v2
 * error body and the default users and cameras.
 */

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

export function toUser(input: WatcherUserInput, index: number): WatcherUser {
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
