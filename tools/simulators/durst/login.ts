/**
 * The login endpoint's answers and the switchable quirks behind them: the token in the header and/or
 * in two differently named body fields depending on the version, and errors without any body.
 */
import { jsonResponse, safeEqual } from '../common/http';
import type { SimResponse } from '../common/http';
import { isPlainObject, parseJson } from '../common/json';
import { DURST_AUTH_HEADER } from './types';
import type { DurstLoginMode, DurstRejectStatus, DurstUser, DurstVersion } from './types';

export interface DurstConfig {
	version: DurstVersion;
	loginMode: DurstLoginMode;
	rejectStatus: DurstRejectStatus;
	loginRejectStatus: DurstRejectStatus;
	/** Only present when false (the default, true, is left out so the answer keeps its long-known shape). */
	generated?: boolean;
}

/** The user whose name and password the query names, compared in constant time. */
export function findUser(
	users: readonly DurstUser[],
	query: URLSearchParams,
): DurstUser | undefined {
	const username = query.get('username');
	const password = query.get('password');
	return users.find(
		(candidate) =>
			username !== null &&
			password !== null &&
			candidate.username === username &&
			safeEqual(candidate.password, password),
	);
}

/** A successful login's answer; `issue` is only called when the mode hands out a token. */
export function loginAnswer(
	config: Pick<DurstConfig, 'version' | 'loginMode'>,
	username: string,
	issue: () => string,
): SimResponse {
	const nameKey = config.version === 'header-only' ? 'username' : 'userName';
	if (config.loginMode === 'noToken') return jsonResponse(200, { [nameKey]: username });

	const token = issue();
	const headers = { [DURST_AUTH_HEADER]: token };
	switch (config.version) {
		case '1.4':
			return jsonResponse(200, { userName: username, xAuthToken: token }, headers);
		case '1.6':
			return jsonResponse(
				200,
				{ userName: username, xAuthToken: token, x_auth_token: token },
				headers,
			);
		case 'header-only':
			return jsonResponse(200, { username }, headers);
	}
}

export type DurstConfigUpdate =
	{ ok: true; change: Partial<DurstConfig> } | { ok: false; error: string };

/** The body of `POST /__sim/config`: the fields to change, or why it is refused. */
export function parseConfigUpdate(body: Buffer): DurstConfigUpdate {
	const parsed = parseJson(body);
	if (!parsed.ok || !isPlainObject(parsed.value))
		return { ok: false, error: 'config must be a JSON object' };
	const { version, loginMode, rejectStatus, loginRejectStatus, generated } = parsed.value;
	if (
		version !== undefined &&
		version !== '1.4' &&
		version !== '1.6' &&
		version !== 'header-only'
	) {
		return { ok: false, error: 'version must be 1.4, 1.6 or header-only' };
	}
	if (loginMode !== undefined && loginMode !== 'normal' && loginMode !== 'noToken') {
		return { ok: false, error: 'loginMode must be normal or noToken' };
	}
	if (rejectStatus !== undefined && rejectStatus !== 401 && rejectStatus !== 403) {
		return { ok: false, error: 'rejectStatus must be 401 or 403' };
	}
	if (loginRejectStatus !== undefined && loginRejectStatus !== 401 && loginRejectStatus !== 403) {
		return { ok: false, error: 'loginRejectStatus must be 401 or 403' };
	}
	if (generated !== undefined && typeof generated !== 'boolean') {
		return { ok: false, error: 'generated must be true or false' };
	}
	return { ok: true, change: { version, loginMode, rejectStatus, loginRejectStatus, generated } };
}
