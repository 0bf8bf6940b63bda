/**
 * The cluster's load balancer: one HTTP port on 127.0.0.1 in front of n8n. Production webhooks
 * (`/webhook/...`) go to the webhook processes in turn, as a round-robin load balancer sends them;
 * everything else (editor, REST, test webhooks, waiting executions) goes to the main process.
 * Each answer names the process that gave it (`x-answered-by`), and every request is kept in a
 * list (method, path, process, status) for tests and for `npm run start:queue` to print.
 *
 * A request with `x-webhook-process: webhook-2` goes to that process (a test that must reach one
 * process in particular); the header is not passed on. Only Node built-ins are used.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';

/** Header of every answer: the process that gave it (`main`, `webhook-1`, ...). */
export const ANSWERED_BY = 'x-answered-by';
/** Request header that sends a production webhook request to one named webhook process. */
export const PIN_PROCESS = 'x-webhook-process';

export interface ProxyTarget {
	name: string;
	port: number;
}

export interface ProxiedRequest {
	method: string;
	/** Path and query as the client sent them (a browser never sends a link's #fragment). */
	path: string;
	/** The process it went to. */
	process: string;
	/** Its answer's status; 502 when the process could not be reached. */
	status: number;
	/** When the answer started (ms since the epoch). */
	at: number;
}

/** Production webhooks only: n8n serves `/webhook-test/` and `/webhook-waiting/` from main. */
function isProductionWebhook(path: string): boolean {
	return path.startsWith('/webhook/');
}

export class RoundRobinProxy {
	/** Every request answered so far, in the order the answers started. */
	readonly requests: ProxiedRequest[] = [];
	/** Called for each entry of `requests` as it is added. */
	onRequest: ((entry: ProxiedRequest) => void) | undefined;
	private webhookTargets: ProxyTarget[] = [];
	private mainTarget: ProxyTarget | undefined;
	private next = 0;

	private readonly server: http.Server;
	private listening = 0;
	/** Upgraded connections (the editor's push): the server no longer tracks them. */
	private readonly tunnels = new Set<Duplex>();

	private constructor() {
		this.server = http.createServer((req, res) => this.forward(req, res));
		// n8n's keep-alive answers to a load balancer must not hold our sockets forever.
		this.server.keepAliveTimeout = 5_000;
		this.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) =>
			this.tunnel(req, socket, head),
		);
	}

	/** Listens on 127.0.0.1:`port` (default: a free port); targets come later (`route()`). */
	static async start(port = 0): Promise<RoundRobinProxy> {
		const proxy = new RoundRobinProxy();
		await new Promise<void>((resolve, reject) => {
			proxy.server.once('error', reject);
			proxy.server.listen(port, '127.0.0.1', () => resolve());
		});
		proxy.listening = (proxy.server.address() as net.AddressInfo).port;
		return proxy;
	}

	get port(): number {
		return this.listening;
	}

	get url(): string {
		return `http://localhost:${this.port}`;
	}

	/** Where requests go from now on. Without webhook processes, webhooks go to main as well. */
	route(main: ProxyTarget, webhookProcesses: ProxyTarget[]): void {
		this.mainTarget = main;
		this.webhookTargets = [...webhookProcesses];
	}

	/** Entries whose path starts with `prefix`. */
	requestsTo(prefix: string): ProxiedRequest[] {
		return this.requests.filter((entry) => entry.path.startsWith(prefix));
	}

	private pick(req: http.IncomingMessage): ProxyTarget | undefined {
		const path = req.url ?? '/';
		if (!isProductionWebhook(path) || this.webhookTargets.length === 0) return this.mainTarget;
		const pinned = req.headers[PIN_PROCESS];
		if (typeof pinned === 'string')
			return this.webhookTargets.find((target) => target.name === pinned);
		const target = this.webhookTargets[this.next % this.webhookTargets.length];
		this.next += 1;
		return target;
	}

	private record(req: http.IncomingMessage, target: string, status: number): void {
		const entry: ProxiedRequest = {
			method: req.method ?? 'GET',
			path: req.url ?? '/',
			process: target,
			status,
			at: Date.now(),
		};
		this.requests.push(entry);
		this.onRequest?.(entry);
	}

	private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
		const target = this.pick(req);
		if (target === undefined) {
			this.record(req, 'none', 502);
			res.writeHead(502, { 'content-type': 'text/plain', [ANSWERED_BY]: 'proxy' });
			res.end('no such process behind the proxy\n');
			return;
		}
		const headers = { ...req.headers };
		delete headers[PIN_PROCESS];
		// A load balancer says who asked and through which host (n8n builds no URL from them here:
		// WEBHOOK_URL names the proxy).
		headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
		const upstream = http.request(
			{
				host: '127.0.0.1',
				port: target.port,
				method: req.method,
				path: req.url,
				headers,
				agent: false,
			},
			(answer) => {
				const status = answer.statusCode ?? 502;
				this.record(req, target.name, status);
				res.writeHead(status, { ...answer.headers, [ANSWERED_BY]: target.name });
				answer.pipe(res);
			},
		);
		upstream.on('error', (error) => {
			if (res.headersSent) {
				res.destroy(error);
				return;
			}
			this.record(req, target.name, 502);
			res.writeHead(502, { 'content-type': 'text/plain', [ANSWERED_BY]: target.name });
			res.end(`${target.name} could not be reached: ${error.message}\n`);
		});
		req.pipe(upstream);
	}

	/** The editor's WebSocket (n8n's push): a byte tunnel to main, request line and headers replayed. */
	private tunnel(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
		const target = this.mainTarget;
		if (target === undefined) {
			socket.destroy();
			return;
		}
		const upstream = net.connect(target.port, '127.0.0.1', () => {
			const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
			for (let i = 0; i < req.rawHeaders.length; i += 2)
				lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
			upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
			if (head.length > 0) upstream.write(head);
			upstream.pipe(socket);
			socket.pipe(upstream);
		});
		this.tunnels.add(socket);
		const close = (): void => {
			this.tunnels.delete(socket);
			upstream.destroy();
			socket.destroy();
		};
		upstream.on('error', close);
		upstream.on('close', close);
		socket.on('error', close);
		socket.on('close', close);
	}

	/** Stops listening and closes open connections. */
	async stop(): Promise<void> {
		for (const socket of this.tunnels) socket.destroy();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
