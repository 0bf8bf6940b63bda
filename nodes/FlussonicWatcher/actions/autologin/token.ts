import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hasControlCharacters } from '../../../shared/text';
import type { WatcherSession } from '../../transport/session';
import { watcherApiRequest } from '../../transport/request';
import { autologinUrl } from '../../transport/session';
import { MAX_AUTOLOGIN_TOKEN_LENGTH } from '../../transport/vendor';
import type { TokenRequest } from './read';

export interface TokenResult extends IDataObject {
	login: string;
	autologinToken: string;
	validTill: string | null;
	sessionLifetimeSeconds: number | null;
	autologinUrl: string;
}

export async function generateToken(
	session: WatcherSession,
	request: TokenRequest,
	itemIndex: number,
): Promise<TokenResult> {
	const body: IDataObject = { login: request.login };
	// The API takes whole epoch seconds; rounding down keeps the token from outliving the chosen moment.
	const validTillSeconds = request.validTill
		? Math.floor(request.validTill.getTime() / 1000)
		: undefined;
	if (validTillSeconds !== undefined) body.valid_till = validTillSeconds;
	if (request.sessionLifetimeSeconds !== undefined) body.lifetime = request.sessionLifetimeSeconds;

	const response = await watcherApiRequest(
		session,
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
		throw new NodeOperationError(
			session.node,
			'Flussonic Watcher answered without an Auto-Login token',
			{
				description:
					'The answer was JSON but had no "autologin_token". Is the Server URL that of a Flussonic Watcher?',
				itemIndex,
			},
		);
	}
	if (token.length > MAX_AUTOLOGIN_TOKEN_LENGTH || hasControlCharacters(token)) {
		throw new NodeOperationError(
			session.node,
			'Flussonic Watcher answered with an Auto-Login token that cannot be used',
			{
				description: `The "autologin_token" is longer than ${MAX_AUTOLOGIN_TOKEN_LENGTH} characters or holds control characters. Is the Server URL that of a Flussonic Watcher?`,
				itemIndex,
			},
		);
	}
	return {
		login: request.login,
		autologinToken: token,
		validTill:
			validTillSeconds === undefined ? null : new Date(validTillSeconds * 1000).toISOString(),
		sessionLifetimeSeconds: request.sessionLifetimeSeconds ?? null,
		autologinUrl: autologinUrl(session),
	};
}
