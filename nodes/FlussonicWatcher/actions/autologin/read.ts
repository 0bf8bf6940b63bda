/**
 * Reads and checks one item's token request before anything is sent: the login, dates and
 * numbers may come from expressions over untrusted data, so each is bounded and named in its error.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toDate } from '../../../shared/dates';
import { hasControlCharacters } from '../../../shared/text';
import { positiveNumber } from '../../../shared/values';

/** RFC 5321: a path (and so an address) is at most 254 characters; checked before any pattern runs. */
const MAX_LOGIN_LENGTH = 254;
/** Ten years: longer is a typo, and a date that far overflows what Watcher and JavaScript hold. */
const MAX_MINUTES = 10 * 366 * 24 * 60;
/** Watcher takes whole epoch seconds; JavaScript dates end in the year 275760. */
const LATEST_VALID_TILL = Date.UTC(9999, 11, 31, 23, 59, 59);

export interface TokenRequest {
	login: string;
	validTill: Date | undefined;
	sessionLifetimeSeconds: number | undefined;
}

/** Linear: one split at the last "@", no pattern that can backtrack. */
function isEmailAddress(login: string): boolean {
	const at = login.lastIndexOf('@');
	if (at <= 0 || at === login.length - 1) return false;
	if (/[\s]/.test(login) || login.slice(0, at).includes('@')) return false;
	const domain = login.slice(at + 1);
	const dot = domain.lastIndexOf('.');
	return dot > 0 && dot < domain.length - 1;
}

function fail(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): never {
	throw new NodeOperationError(ctx.getNode(), message, { description, itemIndex });
}

function readLogin(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('login', itemIndex, '', { extractValue: true });
	const login = typeof raw === 'string' ? raw.trim() : '';
	if (!login) {
		fail(
			ctx,
			itemIndex,
			'The "Login" is empty',
			"Pick a Flussonic Watcher user from the list, or enter the user's email address.",
		);
	}
	if (login.length > MAX_LOGIN_LENGTH) {
		fail(
			ctx,
			itemIndex,
			`The "Login" is longer than ${MAX_LOGIN_LENGTH} characters`,
			`It starts "${login.slice(0, 40)}…"; an email address is at most ${MAX_LOGIN_LENGTH} characters.`,
		);
	}
	if (hasControlCharacters(login)) {
		fail(
			ctx,
			itemIndex,
			'The "Login" holds a line break or control character',
			'Check the data the login comes from: an email address has none.',
		);
	}
	if (!isEmailAddress(login)) {
		fail(
			ctx,
			itemIndex,
			`The "Login" "${login}" is not an email address`,
			"A Flussonic Watcher login is the user's email address, e.g. user@example.com.",
		);
	}
	return login;
}

function positiveMinutes(
	ctx: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const minutes = positiveNumber(value, MAX_MINUTES);
	if (minutes === undefined) {
		fail(
			ctx,
			itemIndex,
			`"${label}" must be a positive number of minutes, at most ${MAX_MINUTES} (ten years)`,
			`It is ${JSON.stringify(value)?.slice(0, 60)}. Enter a number of minutes up to ten years, or remove the option.`,
		);
	}
	return minutes;
}

function readValidTill(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): Date | undefined {
	let validTill: Date | undefined;
	try {
		validTill = toDate(value, ctx.getTimezone());
	} catch (error) {
		fail(
			ctx,
			itemIndex,
			`"Token Valid Till" is not a date: ${(error as Error).message}`,
			'Pick a date and time, or use an expression that gives an ISO 8601 date.',
		);
	}
	if (validTill && validTill.getTime() <= Date.now()) {
		fail(
			ctx,
			itemIndex,
			`"Token Valid Till" (${validTill.toISOString()}) is in the past`,
			'Pick a moment in the future, or use "Token Valid for (Minutes)".',
		);
	}
	if (validTill && validTill.getTime() > LATEST_VALID_TILL) {
		fail(
			ctx,
			itemIndex,
			`"Token Valid Till" (${validTill.toISOString()}) is after the year 9999`,
			'Pick a moment within the next years, or use "Token Valid for (Minutes)".',
		);
	}
	return validTill;
}

export function readTokenRequest(ctx: IExecuteFunctions, itemIndex: number): TokenRequest {
	const login = readLogin(ctx, itemIndex);
	const rawOptions = ctx.getNodeParameter('options', itemIndex, {});
	const options = (rawOptions && typeof rawOptions === 'object' ? rawOptions : {}) as IDataObject;
	const validForMinutes = positiveMinutes(
		ctx,
		options.validForMinutes,
		'Token Valid for (Minutes)',
		itemIndex,
	);
	const lifetimeMinutes = positiveMinutes(
		ctx,
		options.sessionLifetimeMinutes,
		'Session Lifetime (Minutes)',
		itemIndex,
	);
	let validTill = readValidTill(ctx, options.validTill, itemIndex);
	if (validTill && validForMinutes !== undefined) {
		fail(
			ctx,
			itemIndex,
			'Set either "Token Valid Till" or "Token Valid for (Minutes)", not both',
			'Both say when the token stops working; remove one of them.',
		);
	}
	if (validForMinutes !== undefined) validTill = new Date(Date.now() + validForMinutes * 60_000);
	return {
		login,
		validTill,
		sessionLifetimeSeconds:
			lifetimeMinutes === undefined ? undefined : Math.max(1, Math.round(lifetimeMinutes * 60)),
	};
}
