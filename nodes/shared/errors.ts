import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

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
]);

/**
 * n8n wraps transport errors differently across versions (axios error, NodeApiError with a
 * `cause`, plain Error with `code`); the Node.js error code is all we need and is found by walking.
 */
export function networkErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const candidate = current as { code?: unknown; cause?: unknown; error?: unknown };
		if (typeof candidate.code === 'string' && /^[A-Z_]+$/.test(candidate.code))
			return candidate.code;
		current = candidate.cause ?? candidate.error;
	}
	return undefined;
}

export interface ProductInfo {
	/** Product name as users know it, e.g. "Flussonic Watcher". */
	product: string;
	/** Label of the credential field that switches certificate checks off. */
	certificateOption: string;
}

/** Builds an error for a request that got no HTTP answer; names the host, never the URL (it may carry secrets). */
export function networkError(
	node: INode,
	info: ProductInfo,
	host: string,
	error: unknown,
	itemIndex?: number,
): NodeApiError {
	const code = networkErrorCode(error) ?? 'UNKNOWN';
	let message: string;
	let description: string;
	if (code === 'ECONNREFUSED') {
		message = `Could not connect to ${info.product} at ${host}: connection refused`;
		description =
			'Check the server URL in the credential and that the server is running and reachable from n8n.';
	} else if (DNS_CODES.has(code)) {
		message = `Could not find the host ${host}`;
		description =
			"The host name in the credential's server URL does not resolve: check it for typos.";
	} else if (TLS_CODE.test(code)) {
		message = `The TLS certificate of ${host} was not accepted (${code})`;
		description = `If this ${info.product} uses a self-signed or internal certificate, turn on "${info.certificateOption}" in the credential.`;
	} else if (TIMEOUT_CODES.has(code)) {
		message = `${info.product} at ${host} did not answer in time`;
		description =
			'The server is slow or unreachable; try again, or check the network between n8n and the server.';
	} else if (RESET_CODES.has(code)) {
		message = `${info.product} at ${host} closed the connection without answering`;
		description = 'The server or a proxy dropped the request; try again.';
	} else {
		message = `The request to ${info.product} at ${host} failed (${code})`;
		description = 'No HTTP answer was received; check the server URL and the network.';
	}
	// Not `code`: NodeApiError would swap our message for its generic one for known codes.
	return new NodeApiError(node, { networkError: code, host } as JsonObject, {
		message,
		description,
		itemIndex,
	});
}

/** Collects the human-readable parts of an error body whose shape the vendor does not document. */
export function reasonsFromBody(body: unknown): string[] {
	const reasons: string[] = [];
	const visit = (value: unknown, depth: number): void => {
		if (depth > 4 || reasons.length > 8) return;
		if (typeof value === 'string') {
			if (value.trim()) reasons.push(value.trim());
			return;
		}
		if (Array.isArray(value)) {
			for (const entry of value) visit(entry, depth + 1);
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
				if (key in record) visit(record[key], depth + 1);
			}
		}
	};
	visit(body, 0);
	return [...new Set(reasons)];
}

/** Shortens a body that is not JSON (an HTML error page, a proxy's text) to something readable. */
export function textSnippet(body: unknown, max = 200): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	const plain = text
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > max ? `${plain.slice(0, max)}…` : plain;
}
