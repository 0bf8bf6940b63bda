import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Endpoint, Send } from '../../shared/transport/call';
import { answerError, exchange, headerText } from '../../shared/transport/request';
import { hostOf } from '../../shared/url';
import { isRecord } from '../../shared/values';
import type { LoginResult } from '../tokenCache/cache';
import { LOGIN_STATUSES, TOKEN_HEADER } from './vendor';

const LOGIN_PATH = '/api/v1/login';
/** What a header value may hold (visible ASCII); a token that breaks it is refused, not mangled. */
const TOKEN_SHAPE = /^[\x21-\x7e]{1,4096}$/;

function tokenFrom(answerHeaders: Record<string, unknown>, body: IDataObject): unknown[] {
	// Every 1.4+ server sends the header; the body field moved from xAuthToken (1.4) to x_auth_token (1.6).
	return [headerText(answerHeaders, TOKEN_HEADER), body.x_auth_token, body.xAuthToken].filter(
		(value) => value !== undefined && value !== null && value !== '',
	);
}

/**
 * The only call that carries the password: `send` applies the credential (username and password
 * in the query). The password and the token it yields join the endpoint's secrets.
 */
export async function login(
	node: INode,
	endpoint: Endpoint,
	username: string,
	send: Send,
): Promise<LoginResult> {
	const call = {
		method: 'GET' as const,
		url: `${endpoint.baseUrl}${LOGIN_PATH}`,
		label: `GET ${LOGIN_PATH}`,
		login: username,
	};
	const answer = await exchange(node, endpoint, call, send);
	if (answer.statusCode < 200 || answer.statusCode >= 300) {
		throw answerError(node, endpoint, call, answer, undefined, LOGIN_STATUSES);
	}
	const body = isRecord(answer.json) ? (answer.json as IDataObject) : {};
	const details = { status: answer.statusCode, call: call.label };
	const candidates = tokenFrom(answer.headers, body);
	if (candidates.length === 0) {
		throw new NodeApiError(node, details, {
			message: 'Durst Analytics accepted the login but sent no token',
			description:
				'Neither the x-auth-token header nor the xAuthToken / x_auth_token body fields were present. Is the Server URL that of Durst Analytics 1.4 or later, and not of a proxy?',
			httpCode: String(answer.statusCode),
		});
	}
	const token = candidates[0];
	if (typeof token !== 'string' || !TOKEN_SHAPE.test(token.trim())) {
		if (typeof token === 'string') endpoint.secrets.add(token);
		throw new NodeApiError(node, details, {
			message: 'Durst Analytics sent a token that cannot be used',
			description: `The token from ${hostOf(endpoint.baseUrl)} is not a string of up to 4096 visible characters (it holds spaces, line breaks or control characters, or is too long), so it cannot be sent as the ${TOKEN_HEADER} header. Is the Server URL that of Durst Analytics?`,
			httpCode: String(answer.statusCode),
		});
	}
	endpoint.secrets.add(token.trim());
	const named = [body.userName, body.username].find(
		(value): value is string => typeof value === 'string' && value !== '' && value.length <= 256,
	);
	return { token: token.trim(), userName: named ?? username };
}
