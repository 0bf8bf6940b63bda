/**
 * The one request layer of the package. Every call to a vendor goes through `exchange`, which owns
 * what must hold for all of them: the secret-bearing request never leaves the credential's origin
 * (redirects are followed by hand, on the same origin only), every exchange ends within its time
 * limit or when the execution is cancelled, an answer is read up to a size limit, and the body is
 * parsed once. Vendors add their login, retry and status messages on top (see `Vendor`).
 */
import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { BodyTooLargeError, discard, MAX_RESPONSE_BYTES, parseJson, readText } from './body';
import type { StatusTable, Vendor } from './errors';
import { failure, networkError, serverReason, statusError } from './errors';
import { originOf, outsideBase } from './baseUrl';
import type { SecretSet } from './secrets';

export { originOf, outsideBase };

const MAX_REDIRECTS = 5;

/** n8n's request helper, bound to its context (with or without the credential applied). */
export type Send = (options: IHttpRequestOptions) => Promise<unknown>;

export interface Endpoint {
	vendor: Vendor;
	/** The credential's server: origin plus any path prefix, no trailing slash. */
	baseUrl: string;
	ignoreSslIssues: boolean;
	timeoutSeconds: number;
	secrets: SecretSet;
	/** The execution's cancel signal; pickers and credential tests have none. */
	cancelSignal?: AbortSignal;
}

export interface Call {
	method: IHttpRequestMethods;
	/** Absolute URL on the endpoint's origin. */
	url: string;
	/** How the call is named in messages, e.g. "GET /api/v1/printers" (never with a query). */
	label: string;
	qs?: IDataObject;
	headers?: Record<string, string>;
	/** Sent as JSON. */
	body?: unknown;
	/** A user the call is about; vendors' messages may name it. */
	login?: string;
}

export interface Answer {
	statusCode: number;
	headers: Record<string, unknown>;
	contentType: string;
	text: string;
	isJson: boolean;
	/** The parsed body when it is JSON. */
	json: unknown;
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}

export function headerText(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	const first = Array.isArray(value) ? (value[0] as unknown) : value;
	return typeof first === 'string' ? first : undefined;
}

function isRedirect(status: number): boolean {
	return [301, 302, 303, 307, 308].includes(status);
}

/**
 * One exchange's time limit and the execution's cancel signal, as one signal and one race. Wired
 * by hand rather than with `AbortSignal.any`, which costs about as much again per request.
 */
class Limit {
	readonly signal: AbortSignal;

	readonly timeout: AbortSignal;

	private readonly stopped: Promise<never>;

	private readonly onAbort: () => void;

	constructor(
		readonly seconds: number,
		readonly cancel: AbortSignal | undefined,
	) {
		this.timeout = AbortSignal.timeout(seconds * 1000);
		const controller = new AbortController();
		this.signal = controller.signal;
		let stop: (error: Error) => void = () => undefined;
		this.stopped = new Promise<never>((_resolve, reject) => {
			stop = reject;
		});
		this.stopped.catch(() => undefined);
		this.onAbort = () => {
			controller.abort();
			stop(new Error('stopped'));
		};
		this.timeout.addEventListener('abort', this.onAbort, { once: true });
		if (cancel?.aborted) this.onAbort();
		else cancel?.addEventListener('abort', this.onAbort, { once: true });
	}

	async race<T>(work: Promise<T>): Promise<T> {
		if (this.signal.aborted) throw new Error('stopped');
		return await Promise.race([work, this.stopped]);
	}

	release(): void {
		this.timeout.removeEventListener('abort', this.onAbort);
		this.cancel?.removeEventListener('abort', this.onAbort);
	}
}

function stopError(node: INode, endpoint: Endpoint, limit: Limit, itemIndex?: number) {
	const host = hostOf(endpoint.baseUrl);
	const { product } = endpoint.vendor;
	if (limit.cancel?.aborted) {
		return failure(
			node,
			host,
			'CANCELLED',
			{
				message: `The request to ${product} at ${host} was stopped: the execution was cancelled`,
				description: 'n8n cancelled the execution while the request was under way.',
			},
			itemIndex,
		);
	}
	return failure(
		node,
		host,
		'TIMEOUT',
		{
			message: `${product} at ${host} did not answer within ${limit.seconds} s`,
			description:
				'The node stopped waiting at its "Timeout (Seconds)" limit. If the server is just slow, raise the limit in the node\'s options.',
		},
		itemIndex,
	);
}

/** What a failed send or read becomes (n8n's own wrapping is replaced: it would name neither host nor limit). */
function transportError(
	node: INode,
	endpoint: Endpoint,
	call: Call,
	limit: Limit,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (limit.signal.aborted) return stopError(node, endpoint, limit, itemIndex);
	const host = hostOf(endpoint.baseUrl);
	const { product } = endpoint.vendor;
	if (error instanceof BodyTooLargeError) {
		return failure(
			node,
			host,
			'RESPONSE_TOO_LARGE',
			{
				message: `${product} at ${host} sent an answer larger than ${error.limit / 1024 / 1024} MiB to ${call.label}`,
				description:
					"The node stops reading there to protect n8n's memory. Ask for less at a time, e.g. a shorter period.",
			},
			itemIndex,
		);
	}
	return networkError(node, endpoint.vendor, host, error, itemIndex);
}

/**
 * Sends one call and returns the answer, whatever its status. Redirects on the credential's origin
 * are followed (at most MAX_REDIRECTS); one to another origin is an error naming where it pointed.
 */
export async function exchange(
	node: INode,
	endpoint: Endpoint,
	call: Call,
	send: Send,
	itemIndex?: number,
): Promise<Answer> {
	const origin = originOf(endpoint.baseUrl);
	const host = origin.slice(origin.indexOf('//') + 2);
	const { product } = endpoint.vendor;
	const outside = outsideBase(endpoint.baseUrl, new URL(call.url));
	if (outside !== undefined) {
		throw failure(
			node,
			host,
			'OUTSIDE_BASE_URL',
			{
				message: `The request ${call.label.slice(0, 200)} to ${product} at ${host} was not sent: ${outside}`,
				description:
					"The credential's secrets are only ever sent below the credential's Server URL. Check the path or the IDs the request was built from.",
			},
			itemIndex,
		);
	}
	const limit = new Limit(endpoint.timeoutSeconds, endpoint.cancelSignal);
	let { method, url, qs, body } = call;
	try {
		for (let hop = 0; ; hop++) {
			const headers: IDataObject = { accept: 'application/json', ...call.headers };
			let payload: string | undefined;
			if (body !== undefined) {
				payload = JSON.stringify(body);
				headers['content-type'] = 'application/json';
			}
			const options: IHttpRequestOptions = {
				method,
				url,
				qs,
				headers,
				body: payload,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				skipSslCertificateValidation: endpoint.ignoreSslIssues,
				timeout: endpoint.timeoutSeconds * 1000,
				abortSignal: limit.signal,
			};
			const pending = send(options) as Promise<RawResponse>;
			// An answer that arrives after the limit is closed at once instead of holding a socket.
			pending.then(
				(late) => limit.signal.aborted && discard(late?.body),
				() => undefined,
			);
			const raw = await limit.race(pending).catch((error: unknown) => {
				throw transportError(node, endpoint, call, limit, error, itemIndex);
			});
			const statusCode = Number(raw.statusCode);
			const responseHeaders = raw.headers ?? {};
			const location = headerText(responseHeaders, 'location');
			if (isRedirect(statusCode) && location !== undefined) {
				discard(raw.body);
				let target: URL;
				try {
					target = new URL(location, url);
				} catch {
					throw failure(
						node,
						host,
						'BAD_REDIRECT',
						{
							message: `${product} at ${host} redirected the request to an address that is not a URL`,
							description: 'The redirect was not followed. Check the Server URL in the credential.',
						},
						itemIndex,
					);
				}
				if (target.origin !== origin) {
					const where = endpoint.secrets.scrubForeign(`${target.protocol}//${target.host}`);
					throw failure(
						node,
						host,
						'CROSS_ORIGIN_REDIRECT',
						{
							message: `${product} at ${host} redirected the request to another server, ${where}; it was not followed`,
							description:
								"The credential's secrets are only ever sent to the server of the credential. If the server has moved, enter its new address as the credential's Server URL.",
						},
						itemIndex,
					);
				}
				const away = outsideBase(endpoint.baseUrl, target);
				if (away !== undefined) {
					throw failure(
						node,
						host,
						'REDIRECT_OUTSIDE_BASE_URL',
						{
							message: `${product} at ${host} redirected the request outside the credential's Server URL (${away}); it was not followed`,
							description:
								"The credential's secrets are only ever sent below the credential's Server URL. If the server has moved, enter its new address as the credential's Server URL.",
						},
						itemIndex,
					);
				}
				if (hop >= MAX_REDIRECTS) {
					throw failure(
						node,
						host,
						'TOO_MANY_REDIRECTS',
						{
							message: `${product} at ${host} redirected the request more than ${MAX_REDIRECTS} times`,
							description:
								'The server sends the request round in circles; check the Server URL in the credential.',
						},
						itemIndex,
					);
				}
				if (
					statusCode === 303 ||
					((statusCode === 301 || statusCode === 302) && method === 'POST')
				) {
					method = 'GET';
					body = undefined;
				}
				url = target.toString();
				qs = undefined;
				continue;
			}
			const contentType = headerText(responseHeaders, 'content-type') ?? '';
			// An announced size over the limit is refused before a byte of it is read.
			if (Number(headerText(responseHeaders, 'content-length')) > MAX_RESPONSE_BYTES) {
				discard(raw.body);
				throw transportError(
					node,
					endpoint,
					call,
					limit,
					new BodyTooLargeError(MAX_RESPONSE_BYTES),
					itemIndex,
				);
			}
			const text = await limit
				.race(readText(raw.body, MAX_RESPONSE_BYTES, limit.signal))
				.catch((error: unknown) => {
					throw transportError(node, endpoint, call, limit, error, itemIndex);
				});
			return {
				statusCode,
				headers: responseHeaders,
				contentType,
				text,
				...parseJson(text, contentType),
			};
		}
	} finally {
		limit.release();
	}
}

/** An answer that is not 2xx, as the vendor's error for that status. */
export function answerError(
	node: INode,
	endpoint: Endpoint,
	call: Call,
	answer: Answer,
	itemIndex?: number,
	table?: StatusTable,
): NodeApiError {
	const reason = serverReason(answer.json, answer.text, endpoint.secrets);
	const codes = reason.split(/[^A-Za-z_]+/).filter((word) => /^[A-Z][A-Za-z]+$/.test(word));
	return statusError(
		node,
		endpoint.vendor,
		{
			status: answer.statusCode,
			call: call.label,
			host: hostOf(endpoint.baseUrl),
			reason,
			codes,
			login: call.login,
		},
		itemIndex,
		table,
	);
}

/** A 2xx that is not JSON where the call expects JSON: a proxy's page, a login form, a maintenance notice. */
export function notJsonError(
	node: INode,
	endpoint: Endpoint,
	call: Call,
	answer: Answer,
	itemIndex?: number,
): NodeApiError {
	const host = hostOf(endpoint.baseUrl);
	const { product } = endpoint.vendor;
	const kind = answer.contentType.split(';')[0].trim() || 'no content type';
	const reason = serverReason(undefined, answer.text, endpoint.secrets);
	return failure(
		node,
		host,
		'NOT_JSON',
		{
			message: `${product} at ${host} answered ${call.label} with ${answer.text.trim() === '' ? 'an empty body' : `${kind}, not JSON`}`,
			description: `The answer began: "${reason}". Is the Server URL that of ${product}, and not of a proxy or a login page?`,
		},
		itemIndex,
	);
}
