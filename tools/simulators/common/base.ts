/**
 * Base of the vendor simulators (Flussonic Watcher, Durst Analytics): server lifecycle, counters,
 * latency, failure injection, simulated clock, request log and the `/__sim/*` administration surface.
 *
 * The simulators are real HTTP servers so that the code under test (our nodes, and a real n8n in
 * the end-to-end tests) goes through its genuine HTTP stack: URL building, header casing, redirects,
 * connection reuse. They only use Node built-ins so that they work wherever the tests run.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { FaultQueue } from '../faults/queue';
import { validateFailureSpec } from '../faults/spec';
import type { FailureSpec, StalledMode } from '../faults/spec';
import { ADMIN_PREFIX, answerAdmin } from './admin';
import { Capacity } from './capacity';
import type { CapacitySpec } from './capacity';
import { emptyResponse } from './http';
import type { RouteResult, SimRequest, SimResponse } from './http';
import {
	SIM_HOST,
	closeServer,
	listenOn,
	readSimRequest,
	sendResponse,
	trackSockets,
} from './server';
import { CallCounters, RequestLog } from './stats';
import type { LoggedRequest, SimStats } from './stats';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_LOG_ENTRIES = 10_000;

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

export abstract class SimulatorBase {
	/** Short name for stats and messages, e.g. `watcher`. */
	protected abstract readonly simulatorName: string;

	private server: Server | undefined;
	private readonly sockets = new Set<Socket>();
	/** Pending latency waits; released on stop so no handler outlives the server. */
	private readonly waits = new Set<{ timer: NodeJS.Timeout; release: () => void }>();
	private readonly faults = new FaultQueue();
	private readonly requestedPort: number;
	private boundPort: number | undefined;
	private latency = 0;
	private readonly baseNow: () => number;
	private clockOffsetMs = 0;
	private readonly maxBodyBytes: number;
	private readonly counters = new CallCounters();
	private readonly log: RequestLog;
	private readonly capacityModel = new Capacity();

	protected constructor(options: SimulatorBaseOptions = {}) {
		this.requestedPort = options.port ?? 0;
		this.latencyMs = options.latencyMs ?? 0;
		this.baseNow = options.now ?? Date.now;
		this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
		this.log = new RequestLog(options.maxLogEntries ?? DEFAULT_MAX_LOG_ENTRIES);
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
		trackSockets(server, this.sockets);
		const port = await listenOn(server, this.requestedPort);
		this.server = server;
		this.boundPort = port;
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
		this.capacityModel.drain();
		this.destroyStalled();
		await closeServer(server, this.sockets);
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

	/**
	 * Serves only `spec.limit` API requests at a time, refusing or queueing the rest (see
	 * `CapacitySpec`); `undefined` makes the server unlimited again.
	 */
	setCapacity(spec: CapacitySpec | undefined): void {
		this.capacityModel.set(spec);
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
		this.faults.add(spec);
	}

	clearFailures(): void {
		this.faults.clear();
	}

	/** Fault answers still in progress (`hang`, `slowBody`, `hugeBody` whose socket is open). */
	get stalledResponses(): number {
		return this.faults.stalledCount;
	}

	stalledResponsesOf(mode: StalledMode): number {
		return this.faults.stalledCountOf(mode);
	}

	/** Ends every stalled fault answer by destroying its socket; returns how many there were. */
	destroyStalled(): number {
		return this.faults.destroyStalled();
	}

	/**
	 * Resolves once `stalledResponses` is `count` (e.g. 0: the client gave up on a hung request and
	 * closed its socket); rejects after `timeoutMs` saying how many are still open.
	 */
	async waitForStalled(count: number, timeoutMs = 5_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (this.faults.stalledCount !== count) {
			if (Date.now() >= deadline)
				throw new Error(
					`${this.simulatorName} simulator: ${this.faults.stalledCount} stalled responses after ${timeoutMs} ms, expected ${count}`,
				);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	/** Failures still to be served (sum of remaining counts). */
	get pendingFailures(): number {
		return this.faults.pending;
	}

	// -- counters --------------------------------------------------------------------------------

	/** Calls per endpoint key, e.g. `calls['POST /vsaas/api/v2/auth/generate-autologin-token']`. */
	get calls(): Record<string, number> {
		return this.counters.calls;
	}

	/** Calls per concrete `METHOD /path` (path params filled in, no query). */
	get callsByPath(): Record<string, number> {
		return this.counters.callsByPath;
	}

	callCount(endpoint: string): number {
		return this.counters.callCount(endpoint);
	}

	get totalCalls(): number {
		return this.counters.total;
	}

	get injectedFailures(): number {
		return this.counters.injected;
	}

	/** The most API requests this server held at once since the last reset (a client's concurrency). */
	get peakInFlight(): number {
		return this.counters.peak;
	}

	resetCounters(): void {
		this.counters.reset();
		this.capacityModel.resetStats();
		this.onResetCounters();
	}

	get requestLog(): readonly LoggedRequest[] {
		return this.log.entries;
	}

	clearRequestLog(): void {
		this.log.clear();
	}

	stats(): SimStats {
		return {
			...this.extraStats(),
			name: this.simulatorName,
			url: this.boundPort === undefined ? null : this.url,
			totalCalls: this.counters.total,
			calls: this.calls,
			callsByPath: this.callsByPath,
			injectedFailures: this.counters.injected,
			pendingFailures: this.pendingFailures,
			stalledResponses: this.faults.stalledCount,
			latencyMs: this.latency,
			clockMs: this.now(),
			peakInFlight: this.counters.peak,
			capacity: this.capacityModel.stats(),
		};
	}

	// -- request pipeline ------------------------------------------------------------------------

	private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const { request, tooLarge } = await readSimRequest(req, this.maxBodyBytes);
		if (request.path.startsWith(ADMIN_PREFIX)) {
			sendResponse(
				res,
				answerAdmin(this, request, (action, adminReq) => this.handleAdmin(action, adminReq)),
			);
			return;
		}

		const routed = this.route(request);
		const entry = this.record(request, routed.key);
		const failure = this.faults.take(request.path, routed.key, request.method);
		this.counters.enter();
		let place: Awaited<ReturnType<Capacity['enter']>> = 'free';
		try {
			place = await this.capacityModel.enter();
			if (typeof place !== 'object') await this.wait(this.latency);
		} finally {
			this.counters.leave();
			if (place === 'served') this.capacityModel.release();
		}
		if (this.server === undefined || res.destroyed) return;
		if (typeof place === 'object') {
			entry.status = sendResponse(res, place);
			return;
		}

		if (failure !== undefined) {
			this.counters.injected += 1;
			entry.fault = failure.mode ?? 'status';
			entry.status = this.faults.serve(failure, req, res);
			return;
		}
		if (tooLarge) {
			entry.status = sendResponse(res, {
				...emptyResponse(413),
				headers: { connection: 'close' },
			});
			return;
		}
		entry.status = sendResponse(res, await routed.handle());
	}

	/** Counts and logs an API request on arrival, then tells the simulator (`onArrival`). */
	private record(req: SimRequest, endpoint: string): LoggedRequest {
		this.counters.count(endpoint, `${req.method} ${req.path}`);
		const entry: LoggedRequest = {
			seq: this.log.nextSeq(),
			time: this.now(),
			method: req.method,
			host: req.host,
			path: req.path,
			rawUrl: req.rawUrl,
			endpoint,
			headers: { ...req.headers },
		};
		this.log.append(entry);
		this.onArrival(req, endpoint);
		return entry;
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
}
