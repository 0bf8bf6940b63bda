/**
 * Auto-login tokens. The real token format is undocumented beyond its shape
 * (`login:unix-time:hex-salt:40-hex`), so the simulator signs `login:time:salt` with HMAC-SHA1: that
 * lets it reject tampered or foreign tokens without storing them, which is what a real server must
 * do too.
 */
import { createHmac } from 'node:crypto';

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

export function signToken(secret: string, login: string, time: number, salt: string): string {
	return createHmac('sha1', secret).update(`${login}:${time}:${salt}`).digest('hex');
}
