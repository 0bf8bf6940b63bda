import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { concurrencyOption } from '../../../shared/concurrency';
import { toDate } from '../../../shared/dates';
import type { WatcherServer } from '../../transport';
import { autologinUrl, watcherApiRequest } from '../../transport';

/** Deliberately loose: Watcher logins are e-mail addresses, and quotes or "+" are legal in them. */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';
const EMAIL = new RegExp(EMAIL_PATTERN);

export const loginField: INodeProperties = {
	displayName: 'Login',
	name: 'login',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: "The Watcher user to sign in; a Watcher login is the user's e-mail address",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a user...',
			typeOptions: { searchListMethod: 'searchUsers', searchable: true },
		},
		{
			displayName: 'By E-Mail',
			name: 'email',
			type: 'string',
			placeholder: 'user@example.com',
			validation: [
				{
					type: 'regex',
					properties: { regex: EMAIL_PATTERN, errorMessage: 'Not a valid e-mail address' },
				},
			],
		},
	],
};

export const tokenOptionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		concurrencyOption,
		{
			displayName: 'Session Lifetime (Minutes)',
			name: 'sessionLifetimeMinutes',
			type: 'number',
			default: 480,
			typeOptions: { minValue: 1 },
			description:
				"How long the Watcher session opened by the link lasts. Unset: Watcher's default.",
		},
		{
			displayName: 'Valid for (Minutes)',
			name: 'validForMinutes',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 1 },
			description:
				'How long, from now, the token can be used to sign in. Use this or Valid Till, not both.',
		},
		{
			displayName: 'Valid Till',
			name: 'validTill',
			type: 'dateTime',
			default: '',
			description:
				'Until when the token can be used to sign in. Use this or Valid for (Minutes), not both.',
		},
	],
};

export interface TokenRequest {
	login: string;
	validTill: Date | undefined;
	sessionLifetimeSeconds: number | undefined;
}

function positiveMinutes(
	ctx: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const minutes = typeof value === 'string' ? Number(value) : value;
	if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0) {
		throw new NodeOperationError(ctx.getNode(), `"${label}" must be a positive number of minutes`, {
			description: `It is ${JSON.stringify(value)}. Enter a number greater than 0, or remove the option.`,
			itemIndex,
		});
	}
	return minutes;
}

/** Reads and checks one item's inputs before anything is sent. */
export function readTokenRequest(ctx: IExecuteFunctions, itemIndex: number): TokenRequest {
	const rawLogin = ctx.getNodeParameter('login', itemIndex, '', { extractValue: true });
	const login = typeof rawLogin === 'string' ? rawLogin.trim() : '';
	if (!login) {
		throw new NodeOperationError(ctx.getNode(), 'The "Login" is empty', {
			description: "Pick a Watcher user from the list, or enter the user's e-mail address.",
			itemIndex,
		});
	}
	if (!EMAIL.test(login)) {
		throw new NodeOperationError(ctx.getNode(), `The "Login" "${login}" is not an e-mail address`, {
			description: "A Watcher login is the user's e-mail address, e.g. user@example.com.",
			itemIndex,
		});
	}

	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const validForMinutes = positiveMinutes(
		ctx,
		options.validForMinutes,
		'Valid for (Minutes)',
		itemIndex,
	);
	const lifetimeMinutes = positiveMinutes(
		ctx,
		options.sessionLifetimeMinutes,
		'Session Lifetime (Minutes)',
		itemIndex,
	);

	let validTill: Date | undefined;
	try {
		validTill = toDate(options.validTill, ctx.getTimezone());
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Valid Till" is not a date: ${(error as Error).message}`,
			{
				description: 'Pick a date and time, or use an expression that gives an ISO 8601 date.',
				itemIndex,
			},
		);
	}
	if (validTill && validForMinutes !== undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Set either "Valid Till" or "Valid for (Minutes)", not both',
			{
				description: 'Both say when the token stops working; remove one of them.',
				itemIndex,
			},
		);
	}
	if (validTill && validTill.getTime() <= Date.now()) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Valid Till" (${validTill.toISOString()}) is in the past`,
			{
				description: 'Pick a moment in the future, or use "Valid for (Minutes)".',
				itemIndex,
			},
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

export interface TokenResult extends IDataObject {
	login: string;
	autologinToken: string;
	validTill: string | null;
	sessionLifetimeSeconds: number | null;
	autologinUrl: string;
}

export async function generateToken(
	ctx: IExecuteFunctions,
	server: WatcherServer,
	request: TokenRequest,
	itemIndex: number,
): Promise<TokenResult> {
	const body: IDataObject = { login: request.login };
	// The API takes whole epoch seconds; rounding down keeps the token from outliving the chosen moment.
	if (request.validTill) body.valid_till = Math.floor(request.validTill.getTime() / 1000);
	if (request.sessionLifetimeSeconds !== undefined) body.lifetime = request.sessionLifetimeSeconds;

	const response = await watcherApiRequest(
		ctx,
		server,
		{
			method: 'POST',
			path: '/vsaas/api/v2/auth/generate-autologin-token',
			body,
			login: request.login,
		},
		itemIndex,
	);
	const token =
		response && typeof response === 'object'
			? (response as IDataObject).autologin_token
			: undefined;
	if (typeof token !== 'string' || token === '') {
		throw new NodeOperationError(ctx.getNode(), 'Watcher answered without an autologin token', {
			description:
				typeof response === 'object'
					? 'The answer was JSON but had no "autologin_token". Is the Server URL that of a Watcher?'
					: 'The answer was not JSON. Is the Server URL that of a Watcher, and not of a proxy or login page?',
			itemIndex,
		});
	}
	return {
		login: request.login,
		autologinToken: token,
		validTill: request.validTill
			? new Date(Math.floor(request.validTill.getTime() / 1000) * 1000).toISOString()
			: null,
		sessionLifetimeSeconds: request.sessionLifetimeSeconds ?? null,
		autologinUrl: autologinUrl(server),
	};
}
