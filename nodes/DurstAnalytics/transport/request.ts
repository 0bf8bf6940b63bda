import type { IDataObject, IHttpRequestMethods, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { headerProblem } from '../../shared/transport/headers';
import type { Answer, Call } from '../../shared/transport/call';
import { pacedExchange } from '../../shared/transport/paced';
import { answerError, notJsonError } from '../../shared/transport/request';
import type { CachedToken } from '../tokenCache/cache';
import { resolveApiUrl } from './apiUrl';
import { aliveSince, printerList, probesSoFar } from './probe';
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
	/** A query sent as POST (the period calls): safe to repeat after a reset. */
	readOnly?: boolean;
}

interface DurstResponse {
	statusCode: number;
	headers: IDataObject;
	/** Parsed JSON, or the text when the answer is not JSON. */
	body: unknown;
	token: CachedToken;
}

/**
 * A call the Durst user may not make: Analytics refused it (403) while the same token was alive,
 * or refused it even with the token of a fresh login. The trigger skips such a printer for a poll.
 */
export class DurstForbiddenError extends NodeApiError {}

function forbidden(
	node: INode,
	session: DurstSession,
	call: Call,
	evidence: string,
	itemIndex?: number,
) {
	return new DurstForbiddenError(
		node,
		{ status: 403, call: call.label },
		{
			message: `The Durst Analytics user "${session.username}" may not call ${call.label} (status 403)`,
			description: `${evidence}, so the user lacks the right to it. Ask a Durst Analytics administrator for access, or use the credential of a user who has it. No further logins were made.`,
			httpCode: '403',
			itemIndex,
		},
	);
}

function freshTokenRefused(node: INode, session: DurstSession, call: Call, itemIndex?: number) {
	return new NodeApiError(
		node,
		{ status: 401, call: call.label },
		{
			message: `Durst Analytics refused the token of a new login of the user "${session.username}" at ${call.label} (status 401)`,
			description:
				'The token in use was refused, so the node logged in again; Durst Analytics refused the new token as well. Check that the user is active and that the Server URL leads to one Durst Analytics server (not to several behind a load balancer that do not share sessions). No further logins were made.',
			httpCode: '401',
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
 * After a 403: returns when the token is dead (a login and a retry may help), throws when it lives,
 * since then the call itself is forbidden and no login is made, so a forbidden item cannot cost a
 * login per item. Called at once when the refusal arrives, so the probes it counts as earlier are.
 */
async function checkForbidden(
	session: DurstSession,
	call: Call,
	token: string,
	itemIndex?: number,
): Promise<void> {
	const { node } = session;
	const seen = probesSoFar();
	const list = printerList(session);
	// A refused printer list is its own evidence: every user may read it.
	const isList = call.method === 'GET' && call.url.replace(/\/$/, '') === list.url;
	let alive: boolean;
	try {
		alive = !isList && (await aliveSince(session, list, token, seen));
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new NodeApiError(
			node,
			{ status: 403, call: call.label },
			{
				message: `Durst Analytics refused ${call.label} (status 403), and the check whether the token is still valid failed`,
				description: `The check (${list.label}) failed: ${reason}`,
				httpCode: '403',
				itemIndex,
			},
		);
	}
	if (alive) {
		const evidence =
			'Analytics refused the call while it accepted the same token on the printer list';
		throw forbidden(node, session, call, evidence, itemIndex);
	}
}

/**
 * A refused token (a 401, or a 403 of a dead token): one shared login and one retry, unless the
 * token was refused right after its own login a moment ago. A refusal after that login ends the
 * call without another.
 */
async function retryWithNewLogin(
	session: DurstSession,
	call: Call,
	refused: { token: CachedToken; answer: Answer },
	attempt: (token: string) => Promise<Answer>,
	itemIndex?: number,
): Promise<{ token: CachedToken; answer: Answer }> {
	const { node } = session;
	let { token, answer } = refused;
	// A token refused right after its login stays so for a while: no login per item.
	if (!session.cache.wasRefusedAfterLogin(token.token)) {
		token = await session.cache.refresh(token.token);
		session.endpoint.secrets.add(token.token);
		answer = await attempt(token.token);
	}
	if (answer.statusCode === 401) {
		session.cache.refusedAfterLogin(token.token);
		throw freshTokenRefused(node, session, call, itemIndex);
	}
	if (answer.statusCode === 403) {
		session.cache.refusedAfterLogin(token.token);
		const evidence = 'Analytics refused the call with the token of a login made for it moments ago';
		throw forbidden(node, session, call, evidence, itemIndex);
	}
	return { token, answer };
}

/** The answer's headers for the item, without the token. */
function publicHeaders(headers: Record<string, unknown>): IDataObject {
	const shown: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (name.toLowerCase() !== TOKEN_HEADER && value !== undefined) {
			shown[name] = value as IDataObject[string];
		}
	}
	return shown;
}

/**
 * An authenticated call. Durst answers a dead token (Analytics restarted) with 401 or, on some
 * versions, 403, and a call the user may not make with 403. A 401 costs one shared login and one
 * retry; a 403 first asks the printer list whether the token lives: alive means the call is
 * forbidden (no login, so a forbidden item cannot cost a login per item), dead means the same
 * shared login and retry. A refusal after that login ends the call without another.
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
		readOnly: request.readOnly,
	};
	const attempt = async (token: string): Promise<Answer> =>
		await pacedExchange(
			node,
			session.endpoint,
			{ ...call, headers: { ...headers, [TOKEN_HEADER]: token } },
			session.send,
			itemIndex,
		);

	let token = await session.cache.get();
	session.endpoint.secrets.add(token.token);
	let answer = await attempt(token.token);
	if (answer.statusCode === 403) await checkForbidden(session, call, token.token, itemIndex);
	if (answer.statusCode === 401 || answer.statusCode === 403) {
		({ token, answer } = await retryWithNewLogin(
			session,
			call,
			{ token, answer },
			attempt,
			itemIndex,
		));
	}
	if (answer.statusCode === 404 && request.notFoundIsAnswer === true) {
		return { statusCode: 404, headers: {}, body: undefined, token };
	}
	if (answer.statusCode < 200 || answer.statusCode >= 300) {
		throw answerError(node, session.endpoint, call, answer, itemIndex);
	}
	if (request.expectJson && !answer.isJson) {
		throw notJsonError(node, session.endpoint, call, answer, itemIndex);
	}
	return {
		statusCode: answer.statusCode,
		headers: publicHeaders(answer.headers),
		body: answer.isJson ? answer.json : answer.text,
		token,
	};
}
