import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { bounded, plainText } from '../text';
import type { SecretSet } from './secrets';

/** What the shared layer needs to know of a vendor to word its errors. */
export interface Vendor {
	/** Product name as users know it, e.g. "Flussonic Watcher". */
	product: string;
	/** Label of the credential field that switches certificate checks off. */
	certificateOption: string;
	/** Messages for HTTP statuses, looked up by exact status, then class ('4xx', '5xx'), then 'default'. */
	statuses: StatusTable;
}

export interface StatusContext {
	status: number;
	/** e.g. "GET /api/v1/printers" (never with a query string). */
	call: string;
	host: string;
	/** The server's reason, scrubbed and bounded; 'nothing' when it gave none. */
	reason: string;
	/** Words of the vendor's error body that look like codes, e.g. WrongApikey. */
	codes: string[];
	/** A user the call was about, when there is one. */
	login?: string;
}

interface ErrorText {
	message: string;
	description: string;
}

export type StatusTable = Partial<
	Record<number | '4xx' | '5xx' | 'default', (context: StatusContext) => ErrorText>
>;

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/;
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const TIMEOUT_CODES = new Set([
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNABORTED',
	'UND_ERR_CONNECT_TIMEOUT',
]);
const RESET_CODES = new Set([
	'ECONNRESET',
	'EPIPE',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'ECONNCLOSED',
	'ERR_STREAM_PREMATURE_CLOSE',
]);
const HEADER_CODES = new Set([
	'ERR_INVALID_CHAR',
	'ERR_INVALID_HTTP_TOKEN',
	'ERR_HTTP_INVALID_HEADER_VALUE',
]);

/**
 * n8n wraps transport errors differently across versions (axios error, NodeApiError with a
 * `cause`, plain Error with `code`); the Node.js error code is all we need and is found by walking.
 */
function networkErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current) && seen.size < 10) {
		seen.add(current);
		const candidate = current as { code?: unknown; cause?: unknown; error?: unknown };
		if (typeof candidate.code === 'string' && /^[A-Z][A-Z0-9_]{1,59}$/.test(candidate.code)) {
			return candidate.code;
		}
		current = candidate.cause ?? candidate.error;
	}
	return undefined;
}

/** What kind of failure each error of `failure` was, for the retry of transient ones. */
const failureCodes = new WeakMap<Error, string>();

/**
 * The failure's code: a Node.js network code (ECONNREFUSED, ...), RESET for any reset or early
 * close, or one of ours (TIMEOUT, CANCELLED, ...); undefined for an error `failure` did not make.
 */
export function failureCode(error: unknown): string | undefined {
	return error instanceof Error ? failureCodes.get(error) : undefined;
}

/** An error for a request that got no usable HTTP answer; names the host, never the URL (it may carry secrets). */
export function failure(
	node: INode,
	host: string,
	code: string,
	text: ErrorText,
	itemIndex?: number,
): NodeApiError {
	// Not `code`: NodeApiError would swap our message for its generic one for known codes.
	const error = new NodeApiError(node, { networkError: code, host } as JsonObject, {
		...text,
		itemIndex,
	});
	failureCodes.set(error, RESET_CODES.has(code) ? 'RESET' : code);
	return error;
}

export function networkError(
	node: INode,
	vendor: Vendor,
	host: string,
	error: unknown,
	itemIndex?: number,
): NodeApiError {
	const code = networkErrorCode(error) ?? 'UNKNOWN';
	const { product } = vendor;
	let text: ErrorText;
	if (code === 'ECONNREFUSED') {
		text = {
			message: `Could not connect to ${product} at ${host}: connection refused`,
			description:
				'Check the Server URL in the credential and that the server is running and reachable from n8n.',
		};
	} else if (DNS_CODES.has(code)) {
		text = {
			message: `Could not find the host ${host}`,
			description:
				"The host name in the credential's Server URL does not resolve: check it for typos.",
		};
	} else if (TLS_CODE.test(code)) {
		text = {
			message: `The TLS certificate of ${host} was not accepted (${code})`,
			description: `If this ${product} uses a self-signed or internal certificate, turn on "${vendor.certificateOption}" in the credential.`,
		};
	} else if (TIMEOUT_CODES.has(code)) {
		text = {
			message: `${product} at ${host} did not answer in time`,
			description:
				'The server is slow or unreachable; try again, or check the network between n8n and the server.',
		};
	} else if (RESET_CODES.has(code)) {
		text = {
			message: `${product} at ${host} closed the connection without answering`,
			description: 'The server or a proxy dropped the request; try again.',
		};
	} else if (code.startsWith('HPE_')) {
		text = {
			message: `${product} at ${host} sent an answer that is not valid HTTP (${code})`,
			description: `A header or the framing of the answer breaks the rules of HTTP. Is the Server URL that of ${product}, and not of a proxy?`,
		};
	} else if (HEADER_CODES.has(code)) {
		text = {
			message: `The request to ${product} at ${host} has a header Node.js refused (${code})`,
			description: 'A header name or value holds characters HTTP does not allow.',
		};
	} else {
		text = {
			message: `The request to ${product} at ${host} failed (${code})`,
			description: 'No HTTP answer was received; check the Server URL and the network.',
		};
	}
	return failure(node, host, code, text, itemIndex);
}

/** The human-readable parts of a JSON error body whose shape the vendor does not document. */
function reasonsFromBody(body: unknown): string[] {
	const reasons: string[] = [];
	const visit = (value: unknown, depth: number): void => {
		if (depth > 4 || reasons.length >= 8) return;
		if (typeof value === 'string') {
			const text = plainText(value);
			if (text) reasons.push(text);
			return;
		}
		if (Array.isArray(value)) {
			for (const entry of value.slice(0, 8)) visit(entry, depth + 1);
			return;
		}
		if (value && typeof value === 'object') {
			const record = value as IDataObject;
			for (const key of [
				'code',
				'title',
				'message',
				'error',
				'detail',
				'details',
				'reason',
				'errors',
			]) {
				if (Object.prototype.hasOwnProperty.call(record, key)) visit(record[key], depth + 1);
			}
		}
	};
	visit(body, 0);
	return [...new Set(reasons)];
}

/** The server's reason for a refusal, scrubbed whole and only then cut to a readable length. */
export function serverReason(json: unknown, text: string, secrets: SecretSet): string {
	const reasons = json === undefined ? [] : reasonsFromBody(json);
	const said = reasons.length > 0 ? reasons.join(': ') : plainText(text);
	return bounded(secrets.scrubForeign(said)) || 'nothing';
}

function lookup(table: StatusTable, status: number) {
	const byClass = status >= 500 ? '5xx' : status >= 400 ? '4xx' : undefined;
	return table[status] ?? (byClass ? table[byClass] : undefined) ?? table.default;
}

export function statusError(
	node: INode,
	vendor: Vendor,
	context: StatusContext,
	itemIndex?: number,
	table: StatusTable = vendor.statuses,
): NodeApiError {
	const describe = lookup(table, context.status);
	const text = describe
		? describe(context)
		: {
				message: `${vendor.product} answered ${context.call} with status ${context.status}`,
				description: `${vendor.product} said: ${context.reason}`,
			};
	const details = { status: context.status, call: context.call, reason: context.reason };
	return new NodeApiError(node, details as JsonObject, {
		...text,
		httpCode: String(context.status),
		itemIndex,
	});
}
