/** The Flussonic Watcher simulator and the API vocabulary its tests use. */
export { WatcherSimulator } from './simulator';
export type { WatcherSimulatorOptions } from './simulator';
export { TOKEN_REJECT_MESSAGES, parseAutologinToken } from './tokens';
export type { TokenParts, TokenRejectReason, TokenVerification, WatcherSession } from './tokens';
export {
	WATCHER_API_KEY_HEADER,
	WATCHER_AUTOLOGIN_ERROR_MARKER,
	WATCHER_AUTOLOGIN_ERROR_REASON_ID,
	WATCHER_CAMERAS,
	WATCHER_DEFAULT_API_KEY,
	WATCHER_DEFAULT_SIGNING_SECRET,
	WATCHER_DEFAULT_TOKEN_VALIDITY_SECONDS,
	WATCHER_DEFAULT_USERS,
	WATCHER_ENDPOINTS,
	WATCHER_ERROR_CODES,
	WATCHER_LOGGED_IN_ID,
	WATCHER_NOT_LOGGED_IN_ID,
	WATCHER_PATHS,
	WATCHER_SESSION_COOKIE,
	WATCHER_SPECIAL_LOGIN,
	WATCHER_WRONG_API_KEY_BODY,
	watcherError,
} from './types';
export type {
	WatcherCamera,
	WatcherErrorBody,
	WatcherErrorCode,
	WatcherErrorItem,
	WatcherUser,
	WatcherUserInput,
} from './types';
