/**
 * Durst Analytics simulator (REST API from v1.4): query-string login handing out an opaque token,
 * token-protected printer endpoints, and the documented quirks that clients must survive: the token
 * in the header and/or in two differently named body fields depending on the version, 10-day expiry,
 * every token dying on restart, and errors without any body.
 *
 * Data is computed from the simulator clock on fixed time grids (`grid.ts`). On top of that grid (or
 * instead of it, with `generated: false`), tests script errors, status changes, jobs and printers at
 * chosen simulated instants: see `timeline.ts`, the methods `addError`, `setPrinterStatus`, `addJob`,
 * `finishJob`, `addPrinter`, `removePrinter`, and `/__sim/timeline`.
 */
import { SimulatorBase } from '../common/base';
import type { SimulatorBaseOptions } from '../common/base';
import { emptyResponse, firstHeader, jsonResponse } from '../common/http';
import type { RouteResult, SimRequest, SimResponse } from '../common/http';
import { parseJson } from '../common/json';
import type { LoggedRequest } from '../common/stats';
import { DurstData, printerDetail } from './data';
import { PRINTER_FIXTURES } from './fixtures';
import { findUser, loginAnswer, parseConfigUpdate } from './login';
import type { DurstConfig } from './login';
import { resolveDurstApi } from './routes';
import { DurstTimeline } from './timeline';
import type {
	DurstAddedPrinterInput,
	DurstScriptedErrorInput,
	DurstScriptedJob,
	DurstScriptedJobInput,
	DurstStatusChange,
	DurstTime,
	DurstTimelineSnapshot,
} from './timelineTypes';
import { DurstTokens } from './tokens';
import {
	DURST_AUTH_HEADER,
	DURST_DEFAULT_USERS,
	DURST_ENDPOINTS,
	DURST_PATHS,
	DURST_TOKEN_TTL_MS,
} from './types';
import type {
	DurstError,
	DurstJobEndState,
	DurstLoginMode,
	DurstPrinterDetail,
	DurstPrinterStatus,
	DurstRejectStatus,
	DurstUser,
	DurstVersion,
} from './types';

export interface DurstSimulatorOptions extends SimulatorBaseOptions {
	users?: readonly DurstUser[];
	version?: DurstVersion;
	loginMode?: DurstLoginMode;
	/** Status for calls without a valid token (default 401). */
	rejectStatus?: DurstRejectStatus;
	/** Status for a login with wrong or missing credentials (default 401). */
	loginRejectStatus?: DurstRejectStatus;
	tokenTtlMs?: number;
	/**
	 * Serve the clock-grid errors and jobs (default true). With false, only scripted errors and jobs
	 * exist (see `addError`, `addJob`); the fixed printers are still listed.
	 */
	generated?: boolean;
	/** Printers no user may see (see `forbiddenPrinters`). */
	forbiddenPrinters?: readonly string[];
}

export class DurstSimulator extends SimulatorBase {
	protected readonly simulatorName = 'durst';

	version: DurstVersion;
	loginMode: DurstLoginMode;
	rejectStatus: DurstRejectStatus;
	loginRejectStatus: DurstRejectStatus;
	readonly tokenTtlMs: number;
	private userList: DurstUser[];
	/** Clock-grid errors and jobs on (see `DurstSimulatorOptions.generated`). */
	generated: boolean;
	/**
	 * Printers the users may not see, as Analytics' per-printer rights: a call under
	 * `/api/v1/printers/{id}` with a valid token gets 403; the printer list still names them.
	 */
	readonly forbiddenPrinters: Set<string>;
	private readonly tokens = new DurstTokens(() => this.now());
	/** Scripted entries; survives `restart` and `resetCounters`, as Analytics keeps its database. */
	private readonly script = new DurstTimeline(PRINTER_FIXTURES, () => this.now());
	private readonly data: DurstData;

	/** Calls of the login endpoint (all outcomes, including injected failures). */
	logins = 0;
	loginFailures = 0;
	/** Non-login API calls that arrived with a valid token (counted on arrival). */
	requests = 0;
	/** 401/403 answers produced by the simulator's own auth checks (login and data calls). */
	rejected = 0;
	tokensIssued = 0;
	restarts = 0;

	constructor(options: DurstSimulatorOptions = {}) {
		super(options);
		this.userList = [...(options.users ?? DURST_DEFAULT_USERS)];
		this.version = options.version ?? '1.6';
		this.loginMode = options.loginMode ?? 'normal';
		this.rejectStatus = options.rejectStatus ?? 401;
		this.loginRejectStatus = options.loginRejectStatus ?? 401;
		this.tokenTtlMs = options.tokenTtlMs ?? DURST_TOKEN_TTL_MS;
		this.generated = options.generated ?? true;
		this.forbiddenPrinters = new Set(options.forbiddenPrinters ?? []);
		this.data = new DurstData(
			this.script,
			() => this.now(),
			() => this.generated,
			this.forbiddenPrinters,
		);
	}

	static async start(options: DurstSimulatorOptions = {}): Promise<DurstSimulator> {
		return new DurstSimulator(options).start();
	}

	// -- public helpers --------------------------------------------------------------------------

	get users(): readonly DurstUser[] {
		return this.userList;
	}

	setUsers(users: readonly DurstUser[]): void {
		this.userList = [...users];
	}

	get config(): DurstConfig {
		return {
			version: this.version,
			loginMode: this.loginMode,
			rejectStatus: this.rejectStatus,
			loginRejectStatus: this.loginRejectStatus,
			...(this.generated ? {} : { generated: false }),
		};
	}

	/** The printers served now: fixed ones not removed, then added ones; statuses as of now. */
	/** The printers served now: fixed ones not removed, then added ones; statuses as of now. */
	get printers(): DurstPrinterDetail[] {
		return this.data.printers();
	}

	// -- timeline (times are epoch ms of the simulated clock, or ISO 8601 strings) ----------------
	// Invalid input throws a DurstTimelineError naming the field; an unknown printer names its id.

	/** Without `at` (or with `at` not after now) immediate; otherwise from the instant `at` on. */
	setPrinterStatus(
		printerId: string,
		status: DurstPrinterStatus,
		at?: DurstTime,
	): DurstStatusChange {
		return this.script.setStatus(printerId, status, at);
	}

	/**
	 * An error that `POST .../errors` returns once the clock has reached `at` and the range holds it:
	 * a future one appears later, a past one added late shows up in past windows.
	 */
	addError(printerId: string, error: DurstScriptedErrorInput): DurstError {
		return this.script.addError(printerId, error);
	}

	/**
	 * A job listed from `startAt` on: `Printing` (prints done in proportion to the time to `endAt`)
	 * until the clock reaches `endAt`, then `endState` (default `Finished`). Returns its id.
	 */
	addJob(printerId: string, job: DurstScriptedJobInput): number {
		return this.script.addJob(printerId, job);
	}

	/** Ends a scripted job at `at` (may be in the future) as `endState`. */
	finishJob(
		printerId: string,
		jobId: number,
		at: DurstTime,
		endState: DurstJobEndState = 'Finished',
		numberOfPrintsDone?: number,
	): DurstScriptedJob {
		return this.script.finishJob(printerId, jobId, at, endState, numberOfPrintsDone);
	}

	/** A new printer (number 2001 and up) with no data but what is scripted for it. */
	addPrinter(printer: DurstAddedPrinterInput): DurstPrinterDetail {
		return printerDetail(this.script.addPrinter(printer));
	}

	/** Unlisted, and 404 on every `/api/v1/printers/{id}...`. A fixed printer comes back with `restorePrinters`. */
	removePrinter(printerId: string): void {
		this.script.removePrinter(printerId);
	}

	restorePrinters(): void {
		this.script.restorePrinters();
	}

	/** Every scripted entry gone, every fixed printer back, no added printer. */
	clearTimeline(): void {
		this.script.clear();
	}

	get timeline(): DurstTimelineSnapshot {
		return this.script.snapshot();
	}

	issueToken(username: string): string {
		const token = this.tokens.issue(username, this.tokenTtlMs);
		this.tokensIssued += 1;
		return token;
	}

	isTokenValid(token: string): boolean {
		return this.tokens.userOf(token) !== undefined;
	}

	invalidateToken(token: string): boolean {
		return this.tokens.invalidate(token);
	}

	/** Tokens neither expired nor invalidated. */
	get activeTokens(): number {
		return this.tokens.active;
	}

	/** Logged requests that carried an `x-auth-token` header: a token must only ever reach this server's API. */
	get tokenBearingRequests(): LoggedRequest[] {
		return this.requestLog.filter((entry) => entry.headers[DURST_AUTH_HEADER] !== undefined);
	}

	// -- base hooks ------------------------------------------------------------------------------

	/** What a real restart does to clients: every issued token stops working. */
	protected override onRestart(): void {
		this.tokens.clear();
		this.restarts += 1;
	}

	protected override onResetCounters(): void {
		this.logins = 0;
		this.loginFailures = 0;
		this.requests = 0;
		this.rejected = 0;
		this.tokensIssued = 0;
	}

	protected override onArrival(req: SimRequest, endpoint: string): void {
		if (endpoint === DURST_ENDPOINTS.login || req.path === DURST_PATHS.login) {
			this.logins += 1;
			return;
		}
		const token = firstHeader(req.headers, DURST_AUTH_HEADER);
		if (
			req.path.startsWith('/api/') &&
			token !== undefined &&
			this.tokens.userOf(token) !== undefined
		)
			this.requests += 1;
	}

	protected override extraStats(): Record<string, unknown> {
		return {
			...this.config,
			logins: this.logins,
			loginFailures: this.loginFailures,
			requests: this.requests,
			rejected: this.rejected,
			tokensIssued: this.tokensIssued,
			activeTokens: this.activeTokens,
			restarts: this.restarts,
			generated: this.generated,
		};
	}

	protected override handleAdmin(action: string, req: SimRequest): SimResponse | undefined {
		if (action === 'timeline') return this.timelineAdmin(req);
		if (action !== 'config') return undefined;
		if (req.method === 'GET') return jsonResponse(200, this.config);
		if (req.method !== 'POST') return emptyResponse(405);
		const update = parseConfigUpdate(req.body);
		if (!update.ok) return jsonResponse(400, { error: update.error });
		const { version, loginMode, rejectStatus, loginRejectStatus, generated } = update.change;
		if (version !== undefined) this.version = version;
		if (loginMode !== undefined) this.loginMode = loginMode;
		if (rejectStatus !== undefined) this.rejectStatus = rejectStatus;
		if (loginRejectStatus !== undefined) this.loginRejectStatus = loginRejectStatus;
		if (generated !== undefined) this.generated = generated;
		return jsonResponse(200, this.config);
	}

	/** `GET /__sim/timeline`: the snapshot; `POST`: one action or an array, all or nothing. */
	private timelineAdmin(req: SimRequest): SimResponse {
		if (req.method === 'GET') return jsonResponse(200, this.timeline);
		if (req.method !== 'POST') return emptyResponse(405, { allow: 'GET, POST' });
		const parsed = parseJson(req.body);
		if (!parsed.ok) return jsonResponse(400, { error: `timeline: ${parsed.reason}` });
		const outcome = this.script.apply(parsed.value);
		if (!outcome.ok) return jsonResponse(400, { error: outcome.error, index: outcome.index });
		return jsonResponse(200, outcome);
	}

	// -- routing ---------------------------------------------------------------------------------

	protected route(req: SimRequest): RouteResult {
		const { method, path } = req;
		if (path === DURST_PATHS.login) {
			if (method !== 'GET')
				return { key: `${method} ${path}`, handle: () => emptyResponse(405, { allow: 'GET' }) };
			return { key: DURST_ENDPOINTS.login, handle: () => this.login(req) };
		}
		if (!path.startsWith('/api/'))
			return { key: `${method} ${path}`, handle: () => emptyResponse(404) };

		const resolved = resolveDurstApi(req, this.data);
		return {
			key: resolved.key,
			handle: () => {
				// Authentication comes first, as in a typical servlet security filter: anonymous callers learn nothing.
				if (!this.authenticated(req)) {
					this.rejected += 1;
					return emptyResponse(this.rejectStatus);
				}
				return resolved.handle();
			},
		};
	}

	// -- auth ------------------------------------------------------------------------------------

	private authenticated(req: SimRequest): boolean {
		const token = firstHeader(req.headers, DURST_AUTH_HEADER);
		return token !== undefined && token !== '' && this.tokens.userOf(token) !== undefined;
	}

	private login(req: SimRequest): SimResponse {
		const user = findUser(this.userList, req.query);
		if (user === undefined) {
			this.loginFailures += 1;
			this.rejected += 1;
			return emptyResponse(this.loginRejectStatus);
		}
		return loginAnswer(this, user.username, () => this.issueToken(user.username));
	}
}
