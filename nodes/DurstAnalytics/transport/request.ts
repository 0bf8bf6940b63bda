import type { IDataObject, IHttpRequestMethods, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { headerProblem } from '../../shared/transport/headers';
import type { Answer, Call } from '../../shared/transport/request';
import { answerError, exchange, notJsonError, originOf } from '../../shared/transport/request';
import type { CachedToken } from '../tokenCache/cache';
import type { DurstSession } from './session';
import { TOKEN_HEADER } from './vendor';

interface DurstRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	headers?: Record<string, string>;
	/** Typed operations want JSON; the custom call takes whatever comes. */
	expectJson: boolean;
	/** A 404 is an answer (body undefined), not an error: the trigger skips a printer that is gone. */
	notFoundIsAnswer?: boolean;
}

interface DurstResponse {
	statusCode: number;
	headers: IDataObject;
	/** Parsed JSON, or the text when the answer is not JSON. */
	body: unknown;
	token: CachedToken;
}

/**
 * Resolves a user-supplied API path against the server. The token must never travel to another
 * host, so anything that is not a plain path on the credential's origin is refused before any request.
 */
function resolveApiUrl(
	baseUrl: string,
	path: unknown,
): { url: string; pathname: string } | { problem: string } {
	if (typeof path !== 'string' || path.trim() === '') return { problem: 'the path is empty' };
	const trimmed = path.trim();
	if (trimmed.length > 2048) return { problem: 'the path is longer than 2048 characters' };
	if (/[\u0000-\u001f\u007f\s\\]/.test(trimmed)) {
		return { problem: 'the path contains spaces, control characters or backslashes' };
	}
	if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
		return {
			problem: "the path is an absolute URL; only paths on the credential's server are allowed",
		};
	}
	if (trimmed.startsWith('//'))
		return { problem: 'the path starts with "//", which would name another host' };
	const relative = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
	let resolved: URL;
	try {
		resolved = new URL(`${baseUrl}${relative}`);
	} catch {
		return { problem: 'the path does not form a valid URL with the server URL' };
	}
	if (resolved.origin !== originOf(baseUrl)) return { problem: 'the path leads to another server' };
	return { url: resolved.toString(), pathname: resolved.pathname };
}

function refused(status: number): boolean {
	return status === 401 || status === 403;
}

function forbidden(
	node: INode,
	session: DurstSession,
	call: Call,
	status: number,
	itemIndex?: number,
) {
	return new NodeApiError(
		node,
		{ status, call: call.label },
		{
			message: `The Durst Analytics user "${session.username}" may not call ${call.label} (${status})`,
			description:
				'Analytics refused the call although the login is fresh, so the user lacks the right to it. Ask an Analytics administrator for access, or use the credential of a user who has it. The token stays cached; no further logins were made.',
			httpCode: String(status),
			itemIndex,
		},
	);
}

function checkedHeaders(node: INode, headers: Record<string, string>, itemIndex?: number) {
	for (const [name, value] of Object.entries(headers)) {
		const problem = headerProblem(name, value, [TOKEN_HEADER]);
		if (problem) {
			throw new NodeOperationError(
				node,
				`The header "${name.slice(0, 100)}" cannot be sent: ${problem}`,
				{
					description: 'Change or remove it under Headers.',
					itemIndex,
				},
			);
		}
	}
	return headers;
}

/**
 * An authenticated call. A refusal (401/403) of a token that may have died (Analytics restarted)
 * costs one shared login and one retry; a refusal of a fresh token is the user's lack of a right,
 * reported as such without logging in again, so a refused endpoint cannot cause a login per item.
 */
export async function durstApiRequest(
	session: DurstSession,
	request: DurstRequest,
	itemIndex?: number,
): Promise<DurstResponse> {
	const { node } = session;
	const target = resolveApiUrl(session.endpoint.baseUrl, request.path);
	if ('problem' in target) {
		throw new NodeOperationError(node, `The "Path" is not allowed: ${target.problem}`, {
			description:
				"Enter a path on the Durst Analytics server, such as /api/v1/printers. The token is only ever sent to the credential's server.",
			itemIndex,
		});
	}
	const headers = checkedHeaders(node, request.headers ?? {}, itemIndex);
	const call: Call = {
		method: request.method,
		url: target.url,
		label: `${request.method} ${target.pathname}`,
		qs: request.qs,
		body: request.body,
	};
	const attempt = async (token: string): Promise<Answer> =>
		await exchange(
			node,
			session.endpoint,
			{ ...call, headers: { ...headers, [TOKEN_HEADER]: token } },
			session.send,
			itemIndex,
		);

	let token = await session.cache.get();
	session.endpoint.secrets.add(token.token);
	let answer = await attempt(token.token);
	if (refused(answer.statusCode)) {
		if (!session.cache.worthRenewing(token.token)) {
			throw forbidden(node, session, call, answer.statusCode, itemIndex);
		}
		token = await session.cache.refresh(token.token);
		session.endpoint.secrets.add(token.token);
		answer = await attempt(token.token);
		if (refused(answer.statusCode))
			throw forbidden(node, session, call, answer.statusCode, itemIndex);
	}
	if (answer.statusCode === 404 && request.notFoundIsAnswer === true) {
		return { statusCode: 404, headers: {}, body: undefined, token };
	}
	if (answer.statusCode < 200 || answer.statusCode >= 300) {
		throw answerError(node, session.endpoint, call, answer, itemIndex);
	}
	session.cache.confirm(token.token);
	if (request.expectJson && !answer.isJson) {
		throw notJsonError(node, session.endpoint, call, answer, itemIndex);
	}
	const responseHeaders: IDataObject = {};
	for (const [name, value] of Object.entries(answer.headers)) {
		if (name.toLowerCase() !== TOKEN_HEADER && value !== undefined) {
			responseHeaders[name] = value as IDataObject[string];
		}
	}
	return {
		statusCode: answer.statusCode,
		headers: responseHeaders,
		body: answer.isJson ? answer.json : answer.text,
		token,
	};
}
