import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { networkError, reasonsFromBody, textSnippet } from '../shared/errors';
import { scrubSecrets } from '../shared/secrets';
import { hostOf, normalizeServerUrl } from '../shared/url';
import type { CachedToken, LoginResult, StaticDataLike } from './tokenCache';
import { DurstTokenCache } from './tokenCache';

export const CREDENTIAL_TYPE = 'durstAnalyticsApi';
const PRODUCT = { product: 'Durst Analytics', certificateOption: 'Ignore SSL Issues (Insecure)' };
const TOKEN_HEADER = 'x-auth-token';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export interface DurstSession {
	baseUrl: string;
	username: string;
	ignoreSslIssues: boolean;
	cache: DurstTokenCache;
	/** Values no message may show: the password, and tokens once known. */
	secrets: string[];
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	if (body === '') return undefined;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

function headerValue(headers: FullResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/** The login is the only call that carries the credential: n8n applies its `authenticate` block (username and password in the query). */
async function login(ctx: Context, session: Omit<DurstSession, 'cache'>): Promise<LoginResult> {
	const node = ctx.getNode();
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: `${session.baseUrl}/api/v1/login`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		skipSslCertificateValidation: session.ignoreSslIssues,
	};
	let response: FullResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			options,
		)) as FullResponse;
	} catch (error) {
		throw networkError(node, PRODUCT, hostOf(session.baseUrl), error);
	}
	const status = response.statusCode;
	const body = parseBody(response.body);
	const details = { status, call: 'GET /api/v1/login' } as JsonObject;
	if (status === 401 || status === 403) {
		throw new NodeApiError(node, details, {
			message: 'Durst Analytics rejected the username or password',
			description: `The login of "${session.username}" was refused (${status}). Check the username and password in the Durst Analytics credential.`,
			httpCode: String(status),
		});
	}
	if (status === 404) {
		throw new NodeApiError(node, details, {
			message: 'No Durst Analytics API at this URL: check the server URL',
			description: `${hostOf(session.baseUrl)} answered 404 for /api/v1/login. The Server URL must be the address of Durst Analytics (version 1.4 or later).`,
			httpCode: '404',
		});
	}
	if (status < 200 || status >= 300) {
		throw new NodeApiError(node, details, {
			message: `The Durst Analytics login failed with status ${status}`,
			description: scrubSecrets(
				`Durst Analytics said: ${textSnippet(body) || 'nothing'}`,
				session.secrets,
			),
			httpCode: String(status),
		});
	}
	const record = body && typeof body === 'object' ? (body as IDataObject) : {};
	// Every 1.4+ server sends the header; the body field moved from xAuthToken (1.4) to x_auth_token (1.6).
	const token =
		headerValue(response.headers, TOKEN_HEADER) ??
		(typeof record.x_auth_token === 'string' && record.x_auth_token
			? record.x_auth_token
			: undefined) ??
		(typeof record.xAuthToken === 'string' && record.xAuthToken ? record.xAuthToken : undefined);
	if (!token) {
		throw new NodeApiError(node, details, {
			message: 'Durst Analytics accepted the login but sent no token',
			description:
				'Neither the x-auth-token header nor the xAuthToken / x_auth_token body fields were present. Is the Server URL that of Durst Analytics 1.4 or later, and not of a proxy?',
			httpCode: String(status),
		});
	}
	const userName =
		(typeof record.userName === 'string' && record.userName) ||
		(typeof record.username === 'string' && record.username) ||
		session.username;
	return { token, userName };
}

function staticDataOf(ctx: Context): StaticDataLike {
	// Pickers in the editor have no workflow static data; the process-memory layer still serves them.
	if ('getWorkflowStaticData' in ctx && typeof ctx.getWorkflowStaticData === 'function') {
		return ctx.getWorkflowStaticData('global') as StaticDataLike;
	}
	return {};
}

export async function openSession(ctx: Context): Promise<DurstSession> {
	const data = await ctx.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = normalizeServerUrl(data.baseUrl, ['/api/v1']);
	if (!baseUrl) {
		throw new NodeOperationError(
			ctx.getNode(),
			'The Server URL in the Durst Analytics credential is not a valid http(s) URL',
			{
				description: 'Enter the address of Durst Analytics, e.g. https://analytics.example.com',
			},
		);
	}
	const username = typeof data.username === 'string' ? data.username : '';
	const password = typeof data.password === 'string' ? data.password : '';
	if (!username || !password) {
		throw new NodeOperationError(
			ctx.getNode(),
			'The Durst Analytics credential has no username or password',
			{
				description: 'Fill in both in the credential.',
			},
		);
	}
	const base = {
		baseUrl,
		username,
		ignoreSslIssues: data.ignoreSslIssues === true,
		secrets: [password],
	};
	const cache = new DurstTokenCache({
		staticData: staticDataOf(ctx),
		account: { baseUrl, username, password },
		login: async () => {
			const result = await login(ctx, base);
			base.secrets.push(result.token);
			return result;
		},
	});
	return { ...base, cache };
}

/**
 * Resolves a user-supplied API path against the server. The token must never travel to another
 * host, so anything that is not a plain path on the credential's origin is refused before any request.
 */
export function resolveApiUrl(
	baseUrl: string,
	path: unknown,
): { url: string } | { problem: string } {
	if (typeof path !== 'string' || path.trim() === '') return { problem: 'the path is empty' };
	const trimmed = path.trim();
	if (/[\u0000-\u001f\u007f\s\\]/.test(trimmed))
		return { problem: 'the path contains spaces, control characters or backslashes' };
	if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed))
		return {
			problem: "the path is an absolute URL; only paths on the credential's server are allowed",
		};
	if (trimmed.startsWith('//'))
		return { problem: 'the path starts with "//", which would name another host' };
	const relative = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
	let resolved: URL;
	try {
		resolved = new URL(`${baseUrl}${relative}`);
	} catch {
		return { problem: 'the path does not form a valid URL with the server URL' };
	}
	if (resolved.origin !== new URL(baseUrl).origin) {
		return { problem: 'the path leads to another server' };
	}
	return { url: resolved.toString() };
}

export interface DurstRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	headers?: Record<string, string>;
}

export interface DurstResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
	token: CachedToken;
}

async function send(
	ctx: Context,
	session: DurstSession,
	url: string,
	request: DurstRequest,
	token: string,
	itemIndex: number | undefined,
): Promise<FullResponse> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers ?? {})) {
		// The token header is ours to set; a Host header could redirect the request at a proxy.
		if (![TOKEN_HEADER, 'host'].includes(name.toLowerCase())) headers[name] = value;
	}
	headers[TOKEN_HEADER] = token;
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		body: request.body,
		headers,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		skipSslCertificateValidation: session.ignoreSslIssues,
	};
	try {
		return (await ctx.helpers.httpRequest(options)) as FullResponse;
	} catch (error) {
		throw networkError(ctx.getNode(), PRODUCT, hostOf(session.baseUrl), error, itemIndex);
	}
}

function refusedAgain(
	node: INode,
	session: DurstSession,
	request: DurstRequest,
	status: number,
	itemIndex?: number,
) {
	return new NodeApiError(
		node,
		{ status, call: `${request.method} ${request.path}` } as JsonObject,
		{
			message: `Durst Analytics refused the request (${status}) even after a fresh login`,
			description: `n8n logged in again once and retried. The user "${session.username}" may not be allowed to make this call, or Analytics is restarting; not retrying further.`,
			httpCode: String(status),
			itemIndex,
		},
	);
}

function httpError(
	node: INode,
	session: DurstSession,
	request: DurstRequest,
	response: FullResponse,
	itemIndex?: number,
) {
	const status = response.statusCode;
	const body = parseBody(response.body);
	const reasons = reasonsFromBody(body);
	const said =
		scrubSecrets(reasons.length ? reasons.join(': ') : textSnippet(body), session.secrets) ||
		'nothing';
	const call = `${request.method} ${request.path.split('?')[0]}`;
	const details = { status, call, reason: said } as JsonObject;
	const options = (message: string, description: string) => ({
		message,
		description,
		httpCode: String(status),
		itemIndex,
	});
	if (status === 404) {
		return new NodeApiError(
			node,
			details,
			options(
				`Durst Analytics found nothing at ${call} (404)`,
				'The printer or job ID does not exist on this server, or the path is wrong.',
			),
		);
	}
	if (status === 400) {
		return new NodeApiError(
			node,
			details,
			options(`Durst Analytics rejected the request: ${said}`, `Check the parameters of ${call}.`),
		);
	}
	if (status >= 500) {
		return new NodeApiError(
			node,
			details,
			options(
				`Durst Analytics failed with a server error (${status})`,
				`Durst Analytics said: ${said}. Try again later.`,
			),
		);
	}
	return new NodeApiError(
		node,
		details,
		options(
			`Durst Analytics answered ${call} with status ${status}`,
			`Durst Analytics said: ${said}`,
		),
	);
}

/**
 * An authenticated call. A 401 or 403 means the token died (Analytics restarted): the token is
 * replaced with one login and the call retried once; a second refusal is an error, never a loop.
 */
export async function durstRequest(
	ctx: Context,
	session: DurstSession,
	request: DurstRequest,
	itemIndex?: number,
): Promise<DurstResponse> {
	const node = ctx.getNode();
	const target = resolveApiUrl(session.baseUrl, request.path);
	if ('problem' in target) {
		throw new NodeOperationError(node, `The "Path" is not allowed: ${target.problem}`, {
			description:
				"Enter a path on the Durst Analytics server, such as /api/v1/printers. The token is only ever sent to the credential's server.",
			itemIndex,
		});
	}
	let token = await session.cache.get();
	if (!session.secrets.includes(token.token)) session.secrets.push(token.token);
	let response = await send(ctx, session, target.url, request, token.token, itemIndex);
	if (response.statusCode === 401 || response.statusCode === 403) {
		token = await session.cache.refresh(token.token);
		if (!session.secrets.includes(token.token)) session.secrets.push(token.token);
		response = await send(ctx, session, target.url, request, token.token, itemIndex);
		if (response.statusCode === 401 || response.statusCode === 403) {
			throw refusedAgain(node, session, request, response.statusCode, itemIndex);
		}
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw httpError(node, session, request, response, itemIndex);
	}
	const headers: IDataObject = {};
	for (const [name, value] of Object.entries(response.headers ?? {})) {
		if (name.toLowerCase() !== TOKEN_HEADER && value !== undefined) headers[name] = value;
	}
	return { statusCode: response.statusCode, headers, body: parseBody(response.body), token };
}
