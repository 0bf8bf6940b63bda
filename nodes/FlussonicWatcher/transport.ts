import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { networkError, reasonsFromBody, textSnippet } from '../shared/errors';
import { scrubSecrets } from '../shared/secrets';
import { hostOf, normalizeServerUrl } from '../shared/url';

export const CREDENTIAL_TYPE = 'flussonicWatcherApi';
const PRODUCT = { product: 'Flussonic Watcher', certificateOption: 'Ignore SSL Issues (Insecure)' };

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface WatcherServer {
	/** Server origin plus any path prefix, without a trailing slash or `/vsaas`. */
	baseUrl: string;
	apiKey: string;
	ignoreSslIssues: boolean;
	/**
	 * The credential as read once per execution. Handed to httpRequestWithAuthentication so that
	 * n8n does not load and decrypt it again for every item (a database read each time).
	 */
	credential: ICredentialsDecrypted;
}

export async function getWatcherServer(ctx: Context, itemIndex?: number): Promise<WatcherServer> {
	const data = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const baseUrl = normalizeServerUrl(data.baseUrl, ['/vsaas']);
	if (!baseUrl) {
		throw new NodeOperationError(
			ctx.getNode(),
			'The Server URL in the Flussonic Watcher credential is not a valid http(s) URL',
			{
				description: 'Enter the address of the Watcher web UI, e.g. https://watcher.example.com',
				itemIndex,
			},
		);
	}
	const reference = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		baseUrl,
		apiKey: typeof data.apiKey === 'string' ? data.apiKey.trim() : '',
		ignoreSslIssues: data.ignoreSslIssues === true,
		credential: {
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CREDENTIAL_TYPE,
			data,
		},
	};
}

export function autologinUrl(server: WatcherServer): string {
	return `${server.baseUrl}/vsaas/autologin`;
}

export interface WatcherRequest {
	method: IHttpRequestMethods;
	/** Path below the server, starting with /vsaas/api/v2/. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** A user login the request is about; a 403 then may mean "no such user". */
	login?: string;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

function errorCodes(body: unknown): string[] {
	return reasonsFromBody(body).filter((reason) => /^[A-Za-z_]+$/.test(reason));
}

/** The one place that talks HTTP to Watcher; HTTP statuses come back as values so each gets its own message. */
export async function watcherApiRequest(
	ctx: Context,
	server: WatcherServer,
	request: WatcherRequest,
	itemIndex?: number,
): Promise<unknown> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${server.baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		skipSslCertificateValidation: server.ignoreSslIssues,
	};
	let response: { statusCode: number; body: unknown };
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			options,
			{
				credentialsDecrypted: server.credential,
			},
		)) as {
			statusCode: number;
			body: unknown;
		};
	} catch (error) {
		throw networkError(ctx.getNode(), PRODUCT, hostOf(server.baseUrl), error, itemIndex);
	}

	const status = response.statusCode;
	const body = parseBody(response.body);
	if (status >= 200 && status < 300) return body;

	const clean = (text: string) => scrubSecrets(text, [server.apiKey]);
	const reasons = reasonsFromBody(body).map(clean);
	const reasonText = reasons.length
		? reasons.join(': ')
		: clean(textSnippet(body)) || 'no reason given';
	const details = { status, reason: reasonText } as JsonObject;
	const fail = (message: string, description: string) =>
		new NodeApiError(ctx.getNode(), details, {
			message,
			description,
			httpCode: String(status),
			itemIndex,
		});

	if (status === 400) {
		throw fail(
			`Watcher rejected the request: ${reasonText}`,
			'Check the login and options of this item.',
		);
	}
	if (status === 403) {
		const codes = errorCodes(body).join(' ');
		if (/apikey|api_key|api key/i.test(codes + reasonText)) {
			throw fail(
				'Watcher refused the API key: it is wrong or has expired',
				'Copy the API key from the Watcher UI (Settings, API key) into the Flussonic Watcher credential.',
			);
		}
		if (request.login && /user|login|notfound|not found/i.test(codes + reasonText)) {
			throw fail(
				`Watcher does not know the login "${request.login}"`,
				'Pick the user from the list, or check the e-mail address: it must be the login of an existing Watcher user.',
			);
		}
		throw fail(
			`Watcher refused the request (403): ${reasonText}`,
			request.login
				? `Either the API key in the credential is wrong or expired, or "${request.login}" is not a Watcher user.`
				: 'The API key in the credential is wrong or expired.',
		);
	}
	if (status === 404) {
		throw fail(
			'No Watcher API at this URL: check the server URL',
			`${hostOf(server.baseUrl)} answered 404 for ${request.path}. The Server URL in the credential must be the address of the Watcher web UI.`,
		);
	}
	if (status >= 500) {
		throw fail(
			`Watcher failed with a server error (${status})`,
			`Watcher said: ${reasonText}. Try again later, or check the Watcher server's logs.`,
		);
	}
	throw fail(`Watcher answered with unexpected status ${status}`, `Watcher said: ${reasonText}`);
}
