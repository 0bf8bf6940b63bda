/**
 * Shared machinery of the vendor simulators (Flussonic Watcher, Durst Analytics).
 *
 * The simulators are real HTTP servers so that the code under test (our nodes, and a real n8n in
 * the end-to-end tests) goes through its genuine HTTP stack: URL building, header casing, redirects,
 * connection reuse. They only use Node built-ins so that they work wherever the tests run.
 */
import { createServer } from 'node:http';
import type {
	IncomingHttpHeaders,
	IncomingMessage,
	OutgoingHttpHeaders,
	Server,
	ServerResponse,
} from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';

import { parseFailureSpec, serveFault, validateFailureSpec } from './faults';
import type { FailMode, FailureSpec, StalledMode, StalledResponse } from './faults';

export {
	DEFAULT_CHUNK_INTERVAL_MS,
	DEFAULT_HUGE_BODY_BYTES,
	DEFAULT_SLOW_CHUNK,
	FAIL_MODES,
	NON_JSON_FAILURE_BODY,
	REDIRECT_STATUSES,
	parseFailureSpec,
	validateFailureSpec,
} from './faults';
export type { FailMode, FailureSpec, FaultHeaders, HugeBodyFill, StalledMode } from './faults';

/** Any value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue =
	string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The only interface the simulators bind to: nothing here may be reachable from outside the host. */
export const SIM_HOST = '127.0.0.1';

/** Prefix of the administration surface; these paths are never counted as API calls. */
export const ADMIN_PREFIX = '/__sim/';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_LOG_ENTRIES = 10_000;

/** What a handler sees. The body is already read (bounded by `maxBodyBytes`). */
export interface SimRequest {
	readonly method: string;
	/** Pathname as sent, still percent-encoded: decoding is the route's business. */
	readonly path: string;
	readonly query: URLSearchParams;
	/** The request target exactly as received (path + query). */
	readonly rawUrl: string;
	readonly headers: IncomingHttpHeaders;
	readonly host: string | undefined;
	readonly body: Buffer;
}

export interface SimResponse {
	status: number;
	headers?: OutgoingHttpHeaders;
	body?: string | Buffer;
}

/** A routed request: `key` names the endpoint in the counters, `handle` produces the answer. */
export interface RouteResult {
	key: string;
	handle: () => SimResponse | Promise<SimResponse>;
}

export interface LoggedRequest {
	seq: number;
	/** Simulator clock (ms) at arrival. */
	time: number;
	method: string;
	host: string | undefined;
	path: string;
	rawUrl: string;
	endpoint: string;
	headers: IncomingHttpHeaders;
	/** Filled in when the answer is sent; `undefined` if the socket was reset or the server stopped. */
	status?: number;
	/** The injected failure's mode, when this request got one instead of the API's answer. */
	fault?: FailMode;
}

export interface SimStats {
	name: string;
	url: string | null;
	totalCalls: number;
	calls: Record<string, number>;
	callsByPath: Record<string, number>;
	injectedFailures: number;
	pendingFailures: number;
	/** Fault answers still in progress (`hang`, `slowBody`, `hugeBody`). */
	stalledResponses: number;
	latencyMs: number;
	clockMs: number;
	[extra: string]: unknown;
}

export interface SimulatorBaseOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	latencyMs?: number;
	/** Base clock in ms; `advanceClock` adds on top of it. Default `Date.now`. */
	now?: () => number;
	maxBodyBytes?: number;
	/** The request log is a ring: older entries are dropped beyond this many. */
	maxLogEntries?: number;
}

// ---------------------------------------------------------------------------------------------
// Small helpers, exported because both simulators (and tests) use them.
// ---------------------------------------------------------------------------------------------

/** `value` is anything `JSON.stringify` accepts; `undefined` properties are dropped as usual. */
export function jsonResponse(
	status: number,
	value: unknown,
	headers: OutgoingHttpHeaders = {},
): SimResponse {
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
		body: JSON.stringify(value),
	};
}

export function htmlResponse(
	status: number,
	html: string,
	headers: OutgoingHttpHeaders = {},
): SimResponse {
	return {
		status,
		headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
		body: html,
	};
}

export function emptyResponse(status: number, headers: OutgoingHttpHeaders = {}): SimResponse {
	return { status, headers };
}

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseJson(body: Buffer): ParsedJson {
	const text = body.toString('utf8');
	if (text.trim() === '') return { ok: false, reason: 'empty body' };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false, reason: 'body is not valid JSON' };
	}
}

/** The media type without parameters, lower-cased (`Application/JSON; charset=x` -> `application/json`). */
export function mediaType(headers: IncomingHttpHeaders): string {
	const raw = headers['content-type'] ?? '';
	return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

export function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	if (Array.isArray(value)) return value[0];
	return value;
}

/** Constant-time comparison, so that the simulators never model a timing oracle by accident. */
export function safeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}

/** `decodeURIComponent` that reports malformed escapes instead of throwing. */
export function decodeSegment(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

/** Query as a plain object; repeated keys become arrays. */
export function queryToObject(query: URLSearchParams): Record<string, string | string[]> {
	const result: Record<string, string | string[]> = {};
	for (const [key, value] of query) {
		const existing = result[key];
		if (existing === undefined) result[key] = value;
		else if (Array.isArray(existing)) existing.push(value);
		else result[key] = [existing, value];
	}
	return result;
}

export function headersToJson(
	headers: IncomingHttpHeaders,
	omit: readonly string[] = [],
): JsonObject {
	const result: JsonObject = {};
	for (const [key, value] of Object.entries(headers)) {
		if (value === undefined || omit.includes(key)) continue;
		result[key] = Array.isArray(value) ? [...value] : value;
	}
	return result;
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

function parseNonNegativeNumber(text: string | null): number | undefined {
	if (text === null || !/^\d+(\.\d+)?$/.test(text)) return undefined;
	const value = Number(text);
	return Number.isFinite(value) ? value : undefined;
}

interface ActiveFailure {
	spec: FailureSpec;
	remaining: number;
}

function failureMatches(
	failure: ActiveFailure,
	path: string,
	endpoint: string,
	method: string,
): boolean {
	const target = failure.spec.path;
	if (target === undefined) return true;
	if (target.endsWith('*')) return path.startsWith(target.slice(0, -1));
	return target === path || target === endpoint || target === `${method} ${path}`;
}

function logEntryToJson(entry: LoggedRequest): JsonObject {
	const json: JsonObject = {
		seq: entry.seq,
		time: entry.time,
		method: entry.method,
		host: entry.host ?? null,
		path: entry.path,
		rawUrl: entry.rawUrl,
		endpoint: entry.endpoint,
		headers: headersToJson(entry.headers),
		status: entry.status ?? null,
		fault: entry.fault ?? null,
	};
	return json;
}

function incrementIn(map: Map<string, number>, key: string): void {
	map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Base of both simulators: server lifecycle, counters, latency, failure injection, simulated clock,
 * request log and the `/__sim/*` administration surface.
 */
export abstract class SimulatorBase {
	/** Short name for stats and messages, e.g. `watcher`. */
	protected abstract readonly simulatorName: string;

	private server: Server | undefined;
	private readonly sockets = new Set<Socket>();
	/** Pending latency waits; released on stop so no handler outlives the server. */
	private readonly waits = new Set<{ timer: NodeJS.Timeout; release: () => void }>();
	/** Fault answers still in progress; ended (sockets destroyed) on stop and by `destroyStalled`. */
	private readonly stalled = new Set<StalledResponse>();
	private readonly faultContext = {
		track: (stalled: StalledResponse): void => void this.stalled.add(stalled),
		untrack: (stalled: StalledResponse): void => void this.stalled.delete(stalled),
	};
	private readonly requestedPort: number;
	private boundPort: number | undefined;
	private latency = 0;
	private inFlight = 0;
	private peak = 0;
	private readonly baseNow: () => number;
	private clockOffsetMs = 0;
	private readonly maxBodyBytes: number;
	private readonly maxLogEntries: number;

	private readonly callCounts = new Map<string, number>();
	private readonly pathCounts = new Map<string, number>();
	private total = 0;
	private injected = 0;
	private readonly failures: ActiveFailure[] = [];
	private log: LoggedRequest[] = [];
	private seq = 0;

	protected constructor(options: SimulatorBaseOptions = {}) {
		this.requestedPort = options.port ?? 0;
		this.latencyMs = options.latencyMs ?? 0;
		this.baseNow = options.now ?? Date.now;
		this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
		this.maxLogEntries = options.maxLogEntries ?? DEFAULT_MAX_LOG_ENTRIES;
	}

	// -- routing hooks ---------------------------------------------------------------------------

	/** Maps a request to its endpoint key and handler. Must not throw for unknown paths: answer 404. */
	protected abstract route(req: SimRequest): RouteResult;

	/** Called for every counted API request before failure injection (so injected failures count too). */
	protected onArrival(_req: SimRequest, _endpoint: string): void {}

	protected onResetCounters(): void {}

	protected onRestart(): void {}

	protected extraStats(): Record<string, unknown> {
		return {};
	}

	/** Simulator-specific `/__sim/<action>` endpoints; `undefined` means "not mine" (404). */
	protected handleAdmin(_action: string, _req: SimRequest): SimResponse | undefined {
		return undefined;
	}

	// -- lifecycle -------------------------------------------------------------------------------

	async start(): Promise<this> {
		if (this.server !== undefined) return this;
		const server = createServer((req, res) => {
			this.dispatch(req, res).catch(() => {
				// A handler bug must not crash the test process: answer 500 if the socket still allows it.
				if (!res.headersSent && !res.destroyed) {
					res.statusCode = 500;
					res.end();
				}
			});
		});
		// Keep-alive is what real clients use; a short timeout keeps idle sockets from piling up.
		server.keepAliveTimeout = 5_000;
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			const onError = (error: Error): void => reject(error);
			server.once('error', onError);
			server.listen(this.requestedPort, SIM_HOST, () => {
				server.off('error', onError);
				resolve();
			});
		});
		this.server = server;
		this.boundPort = (server.address() as AddressInfo).port;
		return this;
	}

	/** Stops listening and destroys every socket, including idle keep-alive ones, so jest can exit. */
	async stop(): Promise<void> {
		const server = this.server;
		if (server === undefined) return;
		this.server = undefined;
		for (const wait of this.waits) {
			clearTimeout(wait.timer);
			wait.release();
		}
		this.waits.clear();
		this.destroyStalled();
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		server.closeAllConnections();
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		await closed;
	}

	get isRunning(): boolean {
		return this.server !== undefined;
	}

	get port(): number {
		if (this.boundPort === undefined)
			throw new Error(`${this.simulatorName} simulator has not been started`);
		return this.boundPort;
	}

	/** Base URL without a trailing slash, e.g. `http://127.0.0.1:5601`. */
	get url(): string {
		return `http://${SIM_HOST}:${this.port}`;
	}

	// -- knobs -----------------------------------------------------------------------------------

	get latencyMs(): number {
		return this.latency;
	}

	set latencyMs(value: number) {
		if (!Number.isFinite(value) || value < 0)
			throw new RangeError(`latencyMs must be >= 0, got ${value}`);
		this.latency = value;
	}

	/** Simulated time in ms (base clock plus everything passed to `advanceClock`). */
	now(): number {
		return this.baseNow() + this.clockOffsetMs;
	}

	get clockMs(): number {
		return this.now();
	}

	advanceClock(ms: number): void {
		if (!Number.isFinite(ms)) throw new RangeError(`advanceClock needs a finite number, got ${ms}`);
		this.clockOffsetMs += ms;
	}

	setClock(ms: number): void {
		if (!Number.isFinite(ms)) throw new RangeError(`setClock needs a finite number, got ${ms}`);
		this.clockOffsetMs = ms - this.baseNow();
	}

	/** Simulates a server restart without closing the port (what the client cannot tell apart). */
	restart(): void {
		this.onRestart();
	}

	/**
	 * Queues a failure: the next `count` matching API requests get it instead of the API's answer
	 * (see `FailureSpec` and `FailMode`). Throws a RangeError for a spec that cannot be served.
	 */
	failNext(spec: FailureSpec = {}): void {
		const problem = validateFailureSpec(spec);
		if (problem !== undefined) throw new RangeError(`failNext: ${problem}`);
		this.failures.push({ spec: { ...spec }, remaining: spec.count ?? 1 });
	}

	clearFailures(): void {
		this.failures.length = 0;
	}

	/** Fault answers still in progress (`hang`, `slowBody`, `hugeBody` whose socket is open). */
	get stalledResponses(): number {
		return this.stalled.size;
	}

	stalledResponsesOf(mode: StalledMode): number {
		let count = 0;
		for (const stalled of this.stalled) if (stalled.mode === mode) count += 1;
		return count;
	}

	/** Ends every stalled fault answer by destroying its socket; returns how many there were. */
	destroyStalled(): number {
		const all = [...this.stalled];
		for (const stalled of all) stalled.end();
		this.stalled.clear();
		return all.length;
	}

	/**
	 * Resolves once `stalledResponses` is `count` (e.g. 0: the client gave up on a hung request and
	 * closed its socket); rejects after `timeoutMs` saying how many are still open.
	 */
	async waitForStalled(count: number, timeoutMs = 5_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (this.stalled.size !== count) {
			if (Date.now() >= deadline)
				throw new Error(
					`${this.simulatorName} simulator: ${this.stalled.size} stalled responses after ${timeoutMs} ms, expected ${count}`,
				);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	/** Failures still to be served (sum of remaining counts). */
	get pendingFailures(): number {
		return this.failures.reduce((sum, failure) => sum + failure.remaining, 0);
	}

	// -- counters --------------------------------------------------------------------------------

	/** Calls per endpoint key, e.g. `calls['POST /vsaas/api/v2/auth/generate-autologin-token']`. */
	get calls(): Record<string, number> {
		return Object.fromEntries(this.callCounts);
	}

	/** Calls per concrete `METHOD /path` (path params filled in, no query). */
	get callsByPath(): Record<string, number> {
		return Object.fromEntries(this.pathCounts);
	}

	callCount(endpoint: string): number {
		return this.callCounts.get(endpoint) ?? 0;
	}

	get totalCalls(): number {
		return this.total;
	}

	get injectedFailures(): number {
		return this.injected;
	}

	/** The most API requests this server held at once since the last reset (a client's concurrency). */
	get peakInFlight(): number {
		return this.peak;
	}

	resetCounters(): void {
		this.callCounts.clear();
		this.pathCounts.clear();
		this.total = 0;
		this.injected = 0;
		this.peak = this.inFlight;
		this.onResetCounters();
	}

	get requestLog(): readonly LoggedRequest[] {
		return this.log;
	}

	clearRequestLog(): void {
		this.log = [];
	}

	stats(): SimStats {
		return {
			...this.extraStats(),
			name: this.simulatorName,
			url: this.boundPort === undefined ? null : this.url,
			totalCalls: this.total,
			calls: this.calls,
			callsByPath: this.callsByPath,
			injectedFailures: this.injected,
			pendingFailures: this.pendingFailures,
			stalledResponses: this.stalled.size,
			latencyMs: this.latency,
			clockMs: this.now(),
		};
	}

	// -- request pipeline ------------------------------------------------------------------------

	private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const rawUrl = req.url ?? '/';
		// Concatenation keeps a request target like `//x/y` a path instead of a host.
		const url = rawUrl.startsWith('/') ? new URL(`http://${SIM_HOST}${rawUrl}`) : new URL(rawUrl);
		const { body, tooLarge } = await readBody(req, this.maxBodyBytes);
		const simReq: SimRequest = {
			method: (req.method ?? 'GET').toUpperCase(),
			path: url.pathname,
			query: url.searchParams,
			rawUrl,
			headers: req.headers,
			host: req.headers.host,
			body,
		};

		if (simReq.path.startsWith(ADMIN_PREFIX)) {
			this.send(res, this.admin(simReq));
			return;
		}

		const routed = this.route(simReq);
		this.total += 1;
		incrementIn(this.callCounts, routed.key);
		incrementIn(this.pathCounts, `${simReq.method} ${simReq.path}`);
		const entry: LoggedRequest = {
			seq: ++this.seq,
			time: this.now(),
			method: simReq.method,
			host: simReq.host,
			path: simReq.path,
			rawUrl,
			endpoint: routed.key,
			headers: { ...req.headers },
		};
		this.appendLog(entry);
		this.onArrival(simReq, routed.key);

		const failure = this.takeFailure(simReq, routed.key);
		this.inFlight += 1;
		this.peak = Math.max(this.peak, this.inFlight);
		try {
			await this.wait(this.latency);
		} finally {
			this.inFlight -= 1;
		}
		if (this.server === undefined || res.destroyed) return;

		if (failure !== undefined) {
			this.injected += 1;
			entry.fault = failure.spec.mode ?? 'status';
			entry.status = serveFault(failure.spec, req, res, this.faultContext);
			return;
		}
		if (tooLarge) {
			entry.status = this.send(res, { ...emptyResponse(413), headers: { connection: 'close' } });
			return;
		}
		entry.status = this.send(res, await routed.handle());
	}

	private takeFailure(req: SimRequest, endpoint: string): ActiveFailure | undefined {
		const index = this.failures.findIndex((failure) =>
			failureMatches(failure, req.path, endpoint, req.method),
		);
		if (index < 0) return undefined;
		const failure = this.failures[index];
		if (failure === undefined) return undefined;
		failure.remaining -= 1;
		if (failure.remaining <= 0) this.failures.splice(index, 1);
		return failure;
	}

	private wait(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const wait = {
				timer: setTimeout(() => {
					this.waits.delete(wait);
					resolve();
				}, ms),
				release: resolve,
			};
			this.waits.add(wait);
		});
	}

	private appendLog(entry: LoggedRequest): void {
		this.log.push(entry);
		// Trimming in batches keeps the cost amortised O(1) under benchmark load.
		if (this.log.length > this.maxLogEntries * 1.25) this.log = this.log.slice(-this.maxLogEntries);
	}

	private send(res: ServerResponse, response: SimResponse): number {
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

	private admin(req: SimRequest): SimResponse {
		const action = req.path.slice(ADMIN_PREFIX.length);
		const key = `${req.method} ${action}`;
		switch (key) {
			case 'GET stats':
				return jsonResponse(200, this.stats());
			case 'GET requests':
				return jsonResponse(200, this.log.map(logEntryToJson));
			case 'POST reset-counters':
				this.resetCounters();
				return jsonResponse(200, { ok: true });
			case 'POST clear-requests':
				this.clearRequestLog();
				return jsonResponse(200, { ok: true });
			case 'POST latency': {
				const ms = parseNonNegativeNumber(req.query.get('ms'));
				if (ms === undefined)
					return jsonResponse(400, { error: 'query parameter ms must be a non-negative number' });
				this.latencyMs = ms;
				return jsonResponse(200, { latencyMs: this.latency });
			}
			case 'POST restart':
				this.restart();
				return jsonResponse(200, { ok: true, restarted: true });
			case 'POST clock': {
				const advance = req.query.get('advanceMs');
				const set = req.query.get('setMs');
				const value = Number(advance ?? set ?? Number.NaN);
				if (!Number.isFinite(value))
					return jsonResponse(400, {
						error: 'query parameter advanceMs or setMs must be a number',
					});
				if (advance !== null) this.advanceClock(value);
				else this.setClock(value);
				return jsonResponse(200, { clockMs: this.now() });
			}
			case 'POST fail': {
				const parsed =
					req.body.length === 0 ? ({ ok: true, value: undefined } as const) : parseJson(req.body);
				if (!parsed.ok) return jsonResponse(400, { error: parsed.reason });
				const spec = parseFailureSpec(parsed.value);
				if (typeof spec === 'string') return jsonResponse(400, { error: spec });
				this.failNext(spec);
				return jsonResponse(200, { ok: true, pendingFailures: this.pendingFailures });
			}
			case 'POST clear-failures':
				this.clearFailures();
				return jsonResponse(200, { ok: true });
			case 'POST destroy-stalled':
				return jsonResponse(200, { ok: true, destroyed: this.destroyStalled() });
			default:
				return (
					this.handleAdmin(action, req) ??
					jsonResponse(404, { error: `unknown admin endpoint ${key}` })
				);
		}
	}
}
