/**
 * The HTTP side shared by the simulators and the foreign server: binding to 127.0.0.1, closing
 * without waiting for idle sockets, reading a bounded request and writing an answer.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { SimRequest, SimResponse } from './http';

/** The only interface the simulators bind to: nothing here may be reachable from outside the host. */
export const SIM_HOST = '127.0.0.1';

/** Listens on `port` (0: a free one) of `SIM_HOST`; resolves to the bound port. */
export async function listenOn(server: Server, port: number): Promise<number> {
	await new Promise<void>((resolve, reject) => {
		const onError = (error: Error): void => reject(error);
		server.once('error', onError);
		server.listen(port, SIM_HOST, () => {
			server.off('error', onError);
			resolve();
		});
	});
	return (server.address() as AddressInfo).port;
}

/** Keeps `sockets` holding the server's open connections, for `closeServer`. */
export function trackSockets(server: Server, sockets: Set<Socket>): void {
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
}

/** Stops listening and destroys every socket, including idle keep-alive ones, so jest can exit. */
export async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
	const closed = new Promise<void>((resolve) => server.close(() => resolve()));
	server.closeAllConnections();
	for (const socket of sockets) socket.destroy();
	sockets.clear();
	await closed;
}

interface BodyReadResult {
	body: Buffer;
	tooLarge: boolean;
}

/**
 * Reads the whole body but stores at most `limit` bytes. An oversized body is still drained, so that
 * the client gets a clean 413 instead of a broken pipe while it is still writing.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyReadResult> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				tooLarge = true;
				chunks.length = 0;
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () =>
			resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }),
		);
		req.on('error', reject);
	});
}

/** The request as a handler sees it; `tooLarge` when the body exceeded `limit` (and was dropped). */
export async function readSimRequest(
	req: IncomingMessage,
	limit: number,
): Promise<{ request: SimRequest; tooLarge: boolean }> {
	const rawUrl = req.url ?? '/';
	// Concatenation keeps a request target like `//x/y` a path instead of a host.
	const url = rawUrl.startsWith('/') ? new URL(`http://${SIM_HOST}${rawUrl}`) : new URL(rawUrl);
	const { body, tooLarge } = await readBody(req, limit);
	const request: SimRequest = {
		method: (req.method ?? 'GET').toUpperCase(),
		path: url.pathname,
		query: url.searchParams,
		rawUrl,
		headers: req.headers,
		host: req.headers.host,
		body,
	};
	return { request, tooLarge };
}

/** Writes the answer unless the socket is gone; returns its status, for the request log. */
export function sendResponse(res: ServerResponse, response: SimResponse): number {
	if (res.headersSent || res.destroyed) return response.status;
	const body = response.body ?? '';
	res.statusCode = response.status;
	for (const [name, value] of Object.entries(response.headers ?? {})) {
		if (value !== undefined) res.setHeader(name, value);
	}
	res.setHeader('content-length', Buffer.byteLength(body));
	res.end(body);
	return response.status;
}
