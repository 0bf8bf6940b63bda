/**
 * A "foreign" HTTP server: the host a hostile redirect points to. It records every request that
 * reaches it (method, URL, headers, a bounded prefix of the body) and answers `200 {}`, so a test
 * can assert that no secret-bearing request ever left the credential's origin.
 *
 * It listens on 127.0.0.1 only, on a port of its own: `url` is therefore a different origin from any
 * simulator. `localhostUrl` is the same server under the host name `localhost` (another origin by
 * name; `/etc/hosts` maps it to 127.0.0.1 here), and `localhostUrlOf(simulator.url)` gives a
 * simulator's own port under that name: the same server, yet a different origin.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { Socket } from 'node:net';

import { SIM_HOST, closeServer, listenOn, trackSockets } from './common/server';

export interface ForeignRequest {
	/** 1, 2, ... in arrival order (never reset by `clear`). */
	seq: number;
	method: string;
	/** The request target as sent: path and query. */
	url: string;
	/** The Host header, as sent. */
	host: string | undefined;
	headers: IncomingHttpHeaders;
	/** Header names and values exactly as received, in order. */
	rawHeaders: string[];
	/** At most `maxBodyBytes` of the body; grows while the body arrives. */
	body: Buffer;
	/** The full size of the body, also when only a prefix was kept. */
	bodyBytes: number;
	bodyTruncated: boolean;
}

export interface ForeignServerOptions {
	/** Body bytes kept per request (default 64 KiB); the rest is read and dropped. */
	maxBodyBytes?: number;
	/** Requests kept (default 1000); `totalRequests` still counts every one. */
	maxRequests?: number;
	/** Answer to every request (default 200, `{}` as JSON). */
	status?: number;
	body?: string;
	contentType?: string;
}

export const FOREIGN_DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const FOREIGN_DEFAULT_MAX_REQUESTS = 1000;

/** `http://127.0.0.1:port/...` as `http://localhost:port/...`: same server, another origin. */
export function localhostUrlOf(url: string): string {
	const prefix = `http://${SIM_HOST}:`;
	if (!url.startsWith(prefix)) throw new Error(`not an ${prefix} URL: ${url}`);
	return `http://localhost:${url.slice(prefix.length)}`;
}

export class ForeignServer {
	private readonly recorded: ForeignRequest[] = [];
	private readonly sockets = new Set<Socket>();
	private server: Server | undefined;
	private boundPort: number | undefined;
	private seq = 0;
	private total = 0;
	private readonly maxBodyBytes: number;
	private readonly maxRequests: number;
	private readonly status: number;
	private readonly body: string;
	private readonly contentType: string;

	constructor(options: ForeignServerOptions = {}) {
		this.maxBodyBytes = options.maxBodyBytes ?? FOREIGN_DEFAULT_MAX_BODY_BYTES;
		this.maxRequests = options.maxRequests ?? FOREIGN_DEFAULT_MAX_REQUESTS;
		this.status = options.status ?? 200;
		this.body = options.body ?? '{}';
		this.contentType = options.contentType ?? 'application/json; charset=utf-8';
	}

	static async start(options: ForeignServerOptions = {}): Promise<ForeignServer> {
		const foreign = new ForeignServer(options);
		await foreign.listen();
		return foreign;
	}

	private async listen(): Promise<void> {
		const server = createServer((req, res) => {
			// Recorded on arrival: headers that reached this server have leaked, whether or not the body follows.
			const request: ForeignRequest = {
				seq: ++this.seq,
				method: req.method ?? 'GET',
				url: req.url ?? '/',
				host: req.headers.host,
				headers: { ...req.headers },
				rawHeaders: [...req.rawHeaders],
				body: Buffer.alloc(0),
				bodyBytes: 0,
				bodyTruncated: false,
			};
			this.record(request);
			req.on('data', (chunk: Buffer) => {
				request.bodyBytes += chunk.length;
				const room = this.maxBodyBytes - request.body.length;
				if (room > 0) request.body = Buffer.concat([request.body, chunk.subarray(0, room)]);
				request.bodyTruncated = request.bodyBytes > request.body.length;
			});
			req.on('end', () => {
				res.statusCode = this.status;
				res.setHeader('content-type', this.contentType);
				res.setHeader('content-length', Buffer.byteLength(this.body));
				res.end(this.body);
			});
		});
		trackSockets(server, this.sockets);
		const port = await listenOn(server, 0);
		this.server = server;
		this.boundPort = port;
	}

	private record(request: ForeignRequest): void {
		this.total += 1;
		this.recorded.push(request);
		if (this.recorded.length > this.maxRequests) this.recorded.shift();
	}

	get port(): number {
		if (this.boundPort === undefined) throw new Error('foreign server has not been started');
		return this.boundPort;
	}

	/** `http://127.0.0.1:<port>`, no trailing slash. */
	get url(): string {
		return `http://${SIM_HOST}:${this.port}`;
	}

	/** The same server as `http://localhost:<port>`. */
	get localhostUrl(): string {
		return `http://localhost:${this.port}`;
	}

	/** Requests received since the last `clear()` (the newest `maxRequests`). */
	get requests(): readonly ForeignRequest[] {
		return this.recorded;
	}

	/** Every request since start, including cleared and dropped ones. */
	get totalRequests(): number {
		return this.total;
	}

	clear(): void {
		this.recorded.length = 0;
	}

	/**
	 * Everything of the recorded requests a secret could hide in (request line, headers as received,
	 * body as UTF-8 and Latin-1), one request after another: for `expectNoSecretIn`.
	 */
	text(): string {
		return this.recorded
			.map((request) => {
				const headers: string[] = [];
				for (let i = 0; i + 1 < request.rawHeaders.length; i += 2)
					headers.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
				return [
					`${request.method} ${request.url}`,
					...headers,
					'',
					request.body.toString('utf8'),
					request.body.toString('latin1'),
				].join('\n');
			})
			.join('\n\n');
	}

	/**
	 * Fails if any request reached this server since the last `clear()`. The message names method,
	 * path and header names only: never a query, header value or body, which may hold the secret.
	 */
	expectNoRequests(context = 'the foreign server'): void {
		if (this.recorded.length === 0) return;
		const lines = this.recorded.map((request) => {
			const names: string[] = [];
			for (let i = 0; i < request.rawHeaders.length; i += 2) names.push(request.rawHeaders[i]);
			const path = request.url.split('?')[0] ?? '';
			const query = request.url.includes('?') ? '?<query>' : '';
			return `  ${request.method} ${path}${query} (headers: ${names.join(', ')}; body: ${request.bodyBytes} bytes)`;
		});
		throw new Error(
			`${this.recorded.length} request(s) reached ${context}, expected none:\n${lines.join('\n')}`,
		);
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (server === undefined) return;
		this.server = undefined;
		await closeServer(server, this.sockets);
	}
}
