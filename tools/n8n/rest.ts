/** HTTP to a running n8n on 127.0.0.1: plain requests, and the REST calls that give an auth cookie. */
import * as http from 'node:http';

export interface HttpResult {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export interface RequestOptions {
	headers?: Record<string, string>;
	/** A string is sent as is; anything else as JSON. */
	body?: unknown;
	timeoutMs?: number;
}

/** An HTTP request to 127.0.0.1:`port` (`urlPath` like `/webhook/foo`). */
export function httpRequest(
	port: number,
	method: string,
	urlPath: string,
	opts: RequestOptions = {},
): Promise<HttpResult> {
	const headers: Record<string, string> = { ...(opts.headers ?? {}) };
	let payload: string | undefined;
	if (opts.body !== undefined) {
		payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
		if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
			headers['Content-Type'] = typeof opts.body === 'string' ? 'text/plain' : 'application/json';
		}
		headers['Content-Length'] = String(Buffer.byteLength(payload));
	}
	return new Promise<HttpResult>((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				method,
				path: urlPath,
				headers,
				timeout: opts.timeoutMs ?? 30_000,
				agent: false, // no keep-alive sockets left open after the test
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				res.on('error', reject);
			},
		);
		req.on('timeout', () =>
			req.destroy(new Error(`timeout after ${opts.timeoutMs ?? 30_000} ms: ${method} ${urlPath}`)),
		);
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

/** The status of a GET to 127.0.0.1:`port`, 0 when nothing answers within 2 s. */
export function httpGetStatus(port: number, urlPath: string): Promise<number> {
	return new Promise((resolve) => {
		const req = http.get(
			{ host: '127.0.0.1', port, path: urlPath, timeout: 2_000, agent: false },
			(res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			},
		);
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
	});
}

/** A running n8n that the REST calls below talk to. */
export interface RestServer {
	readonly version: string;
	request(method: string, urlPath: string, opts?: RequestOptions): Promise<HttpResult>;
}

/**
 * Creates the instance owner (POST /rest/owner/setup, accepted by 1.123 and 2.40 alike: email,
 * firstName, lastName, password of 8-64 chars with a digit and an upper-case letter). Resolves with
 * the `n8n-auth` cookie (name=value) issued for the owner.
 */
export async function postOwnerSetup(
	server: RestServer,
	owner: { email: string; password: string; firstName: string; lastName: string },
): Promise<string> {
	const r = await server.request('POST', '/rest/owner/setup', { body: owner });
	if (r.status !== 200) {
		throw new Error(
			`n8nHost: owner setup on n8n ${server.version} answered ${r.status}: ${r.body.slice(0, 500)}`,
		);
	}
	return authCookie(r.headers);
}

/** POST /rest/login; resolves with the `n8n-auth` cookie (name=value). */
export async function postLogin(
	server: RestServer,
	email: string,
	password: string,
): Promise<string> {
	// 1.123 and 2.40 both take `emailOrLdapLoginId`.
	const r = await server.request('POST', '/rest/login', {
		body: { emailOrLdapLoginId: email, password },
	});
	if (r.status !== 200) {
		throw new Error(
			`n8nHost: login on n8n ${server.version} answered ${r.status}: ${r.body.slice(0, 500)}`,
		);
	}
	return authCookie(r.headers);
}

function authCookie(headers: http.IncomingHttpHeaders): string {
	const cookie = (headers['set-cookie'] ?? []).find((c) => c.startsWith('n8n-auth='));
	if (cookie === undefined) throw new Error('n8nHost: no n8n-auth cookie in the answer');
	return cookie.split(';')[0];
}
