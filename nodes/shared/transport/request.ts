/**
 * The one request layer of the package. Every call to a vendor goes through `exchange`, which owns
 * what must hold for all of them: the secret-bearing request never leaves the credential's origin
 * (redirects are followed by hand, on the same origin only: ./redirects), every exchange ends within
 * its time limit or when the execution is cancelled (./limit), an answer is read up to a size
 * limit, and the body is parsed once. Vendors add their login, retry and status messages on top
 * (see `Vendor`).
 */
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import { hostOf } from '../url';
import { GRAIN_MS } from './abort';
import { outsideBaseOf } from './baseUrl';
import { BodyTooLargeError, discard, MAX_RESPONSE_BYTES, parseJson, readText } from './body';
import type { Answer, Call, Endpoint, Send } from './call';
import { originHost } from './call';
import type { StatusTable } from './errors';
import { failure, serverReason, statusError } from './errors';
import { Limit, transportError } from './limit';
import type { Hop } from './redirects';
import { isRedirect, redirectHop } from './redirects';
import { transientStatus, withTries } from './retry';

interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export function headerText(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	const first = Array.isArray(value) ? (value[0] as unknown) : value;
	return typeof first === 'string' ? first : undefined;
}

/** A call whose URL is not below the credential's Server URL is refused before it is sent. */
function refuseOutsideBase(node: INode, endpoint: Endpoint, call: Call, itemIndex?: number): void {
	const outside = outsideBaseOf(endpoint.baseUrl, call.url);
	if (outside === undefined) return;
	const host = originHost(endpoint);
	throw failure(
		node,
		host,
		'OUTSIDE_BASE_URL',
		{
			message: `The request ${call.label.slice(0, 200)} to ${endpoint.vendor.product} at ${host} was not sent: ${outside}`,
			description:
				"The credential's secrets are only ever sent below the credential's Server URL. Check the path or the IDs the request was built from.",
		},
		itemIndex,
	);
}

/** How much later than the limit n8n's own timeout of a hop ends. */
const BACKSTOP_MS = 4 * GRAIN_MS;

/** Sends one hop and waits for its status and headers, within the limit. */
async function sendHop(
	node: INode,
	endpoint: Endpoint,
	call: Call,
	send: Send,
	limit: Limit,
	hop: Hop,
	itemIndex?: number,
): Promise<RawResponse> {
	const headers: IDataObject = { accept: 'application/json', ...call.headers };
	let payload: string | undefined;
	if (hop.body !== undefined) {
		payload = JSON.stringify(hop.body);
		headers['content-type'] = 'application/json';
	}
	const options: IHttpRequestOptions = {
		method: hop.method,
		url: hop.url,
		qs: hop.qs,
		headers,
		body: payload,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		skipSslCertificateValidation: endpoint.ignoreSslIssues,
		// A backstop only: the limit ends the exchange (up to a grain late, ./abort) with the message
		// that names the option; n8n's own timeout would say "in time" and name nothing.
		timeout: endpoint.timeoutSeconds * 1000 + BACKSTOP_MS,
		abortSignal: limit.signal,
	};
	const pending = send(options) as Promise<RawResponse>;
	// An answer that arrives after the limit is closed at once instead of holding a socket.
	pending.then(
		(late) => limit.signal.aborted && discard(late?.body),
		() => undefined,
	);
	return await limit.race(pending).catch((error: unknown) => {
		throw transportError(node, endpoint, call, limit, error, itemIndex);
	});
}

/**
 * What is read of a busy or gateway answer (429, 502, 503, 504): enough for the server's reason.
 * Such answers may come five times per item and from a hundred items at once.
 */
const MAX_TRANSIENT_BYTES = 64 * 1024;

/**
 * Reads the body up to MAX_RESPONSE_BYTES, within the limit, and parses it once. A transient
 * answer is read up to MAX_TRANSIENT_BYTES; a longer one counts as having no body.
 */
async function readAnswer(
	node: INode,
	endpoint: Endpoint,
	call: Call,
	limit: Limit,
	raw: RawResponse,
	itemIndex?: number,
): Promise<Answer> {
	const contentType = headerText(raw.headers, 'content-type') ?? '';
	const transient = transientStatus(raw.statusCode) !== undefined;
	const maxBytes = transient ? MAX_TRANSIENT_BYTES : MAX_RESPONSE_BYTES;
	// Made only when needed: an Error captures a stack, a cost paid per answer otherwise.
	const tooLarge = () => new BodyTooLargeError(MAX_RESPONSE_BYTES);
	let text: string;
	try {
		// An announced size over the limit is refused before a byte of it is read.
		if (Number(headerText(raw.headers, 'content-length')) > maxBytes) throw tooLarge();
		text = await limit.race(readText(raw.body, maxBytes, limit.signal));
	} catch (error) {
		if (!(error instanceof BodyTooLargeError)) {
			throw transportError(node, endpoint, call, limit, error, itemIndex);
		}
		discard(raw.body);
		if (!transient) throw transportError(node, endpoint, call, limit, tooLarge(), itemIndex);
		text = '';
	}
	return {
		statusCode: raw.statusCode,
		headers: raw.headers,
		contentType,
		text,
		...parseJson(text, contentType),
	};
}

/**
 * Sends one call and returns the answer, whatever its status. Redirects on the credential's origin
 * are followed (see ./redirects); one to another origin is an error naming where it pointed.
 */
export async function exchange(
	node: INode,
	endpoint: Endpoint,
	call: Call,
	send: Send,
	itemIndex?: number,
	deadline?: number,
): Promise<Answer> {
	refuseOutsideBase(node, endpoint, call, itemIndex);
	const limit = new Limit(
		endpoint.timeoutSeconds,
		endpoint.cancelSignal,
		deadline === undefined ? undefined : deadline - Date.now(),
	);
	let hop: Hop = { method: call.method, url: call.url, qs: call.qs, body: call.body };
	try {
		for (let hops = 0; ; hops++) {
			const raw = await sendHop(node, endpoint, call, send, limit, hop, itemIndex);
			const status = Number(raw.statusCode);
			const headers = raw.headers ?? {};
			const location = headerText(headers, 'location');
			if (isRedirect(status) && location !== undefined) {
				discard(raw.body);
				hop = redirectHop(node, endpoint, hop, { status, location, hops }, itemIndex);
				continue;
			}
			return await readAnswer(
				node,
				endpoint,
				call,
				limit,
				{ statusCode: status, headers, body: raw.body },
				itemIndex,
			);
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
	const error = statusError(
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
	return withTries(error, answer.tries);
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
