/**
 * Durst Analytics simulator (REST API from v1.4): query-string login handing out an opaque token,
 * token-protected printer endpoints, and the documented quirks that clients must survive: the token
 * in the header and/or in two differently named body fields depending on the version, 10-day expiry,
 * every token dying on restart, and errors without any body.
 *
 * Data is computed from the simulator clock on fixed time grids, so the same query at the same
 * simulated time always gives the same answer, while "the last 24 hours" is never empty. On top of
 * that grid (or instead of it, with `generated: false`), tests script errors, status changes, jobs
 * and printers at chosen simulated instants: see `durstTimeline.ts`, the methods `addError`,
 * `setPrinterStatus`, `addJob`, `finishJob`, `addPrinter`, `removePrinter`, and `/__sim/timeline`.
 */
import { randomBytes } from 'node:crypto';
import {
	SimulatorBase,
	decodeSegment,
	emptyResponse,
	firstHeader,
	headersToJson,
	isPlainObject,
	jsonResponse,
	mediaType,
	parseJson,
	queryToObject,
	safeEqual,
} from '../common';
import {
	DURST_JOB_ID_FACTOR,
	DURST_SCRIPTED_JOB_BASE,
	DurstTimeline,
	parseIsoDate,
} from './timeline';
import type {
	DurstAddedPrinterInput,
	DurstJobEndState,
	DurstScriptedErrorInput,
	DurstScriptedJob,
	DurstScriptedJobInput,
	DurstStatusChange,
	DurstTime,
	DurstTimelinePrinter,
	DurstTimelineSnapshot,
} from './timeline';
import type {
	LoggedRequest,
	RouteResult,
	SimRequest,
	SimResponse,
	SimulatorBaseOptions,
} from '../common';

export { DURST_JOB_END_STATES, DURST_STATUSES, DurstTimelineError, parseIsoDate } from './timeline';
export type {
	DurstAddedPrinterInput,
	DurstJobEndState,
	DurstScriptedError,
	DurstScriptedErrorInput,
	DurstScriptedJob,
	DurstScriptedJobInput,
	DurstStatusChange,
	DurstTime,
	DurstTimelineAction,
	DurstTimelinePrinter,
	DurstTimelineSnapshot,
} from './timeline';

export type DurstVersion = '1.4' | '1.6' | 'header-only';
/** `noToken`: login answers 200 without any token (neither header nor body), to test that error path. */
export type DurstLoginMode = 'normal' | 'noToken';
export type DurstRejectStatus = 401 | 403;
export type DurstPrinterStatus = 'Running' | 'Idle' | 'Setup' | 'Breakdown';

export interface DurstUser {
	username: string;
	password: string;
}

export const DURST_AUTH_HEADER = 'x-auth-token';
export const DURST_ECHO_HEADER = 'x-sim-echo';
export const DURST_TOKEN_TTL_MS = 10 * 24 * 60 * 60 * 1000;

/**
 * Passwords with `&`, space, `?`, `+`, `=`, `#`, `/`, `%` and non-ASCII: each breaks a client that
 * builds the query string by hand (`+` in particular is decoded as a space by the server).
 */
export const DURST_DEFAULT_USERS: readonly DurstUser[] = [
	{ username: 'operator', password: 's3cr3t&pa ss?' },
	{ username: 'jürgen+admin', password: 'p+q=r#1/ü%20;' },
];

export const DURST_PATHS = {
	login: '/api/v1/login',
	printers: '/api/v1/printers',
	echo: '/api/v1/echo',
} as const;

/** Endpoint keys as they appear in `calls` / `/__sim/stats`. */
export const DURST_ENDPOINTS = {
	login: 'GET /api/v1/login',
	printers: 'GET /api/v1/printers',
	printer: 'GET /api/v1/printers/{id}',
	errors: 'POST /api/v1/printers/{id}/errors',
	inkConsumption: 'POST /api/v1/printers/{id}/inkConsumption',
	jobs: 'POST /api/v1/printers/{id}/jobs',
	job: 'GET /api/v1/printers/{printerId}/jobs/{jobId}',
	jobInkConsumption: 'GET /api/v1/printers/{printerId}/jobs/{jobId}/inkConsumption',
	/** Prefixed by the actual method: `POST /api/v1/echo`, `DELETE /api/v1/echo`, ... */
	echoSuffix: '/api/v1/echo',
} as const;

export interface DurstPrinter {
	id: string;
	serialNumber: string;
	name: string;
	status: DurstPrinterStatus;
}

export interface DurstPrinterDetail extends DurstPrinter {
	inkLevelPercent: number;
}

export interface DurstError {
	dateTime: string;
	errorNr: number;
	errorMessage: string;
	operator: string;
}

export type DurstJobState = 'Finished' | 'Printing' | 'Aborted';

export interface DurstJob {
	id: number;
	title: string;
	state: DurstJobState;
	numberOfPrints: number;
	numberOfPrintsDone: number;
	startTime: string;
	/** `null` while the job is still printing. */
	endTime: string | null;
}

export interface DurstJobDetail extends DurstJob {
	printerId: string;
	printDirection: 'Bidirectional' | 'Unidirectional';
	passoverlapValue: number;
	saturation: number;
	printPasses: number;
	printedAreaSqm: number;
}

export type DurstInkConsumption = Record<string, number>;

export const DURST_COLOURS = [
	'cyan',
	'magenta',
	'yellow',
	'black',
	'lightCyan',
	'lightMagenta',
	'white',
] as const;

/** Litres per printing hour at factor 1. */
const INK_RATE_PER_HOUR: Readonly<Record<(typeof DURST_COLOURS)[number], number>> = {
	cyan: 0.12,
	magenta: 0.1,
	yellow: 0.09,
	black: 0.15,
	lightCyan: 0.04,
	lightMagenta: 0.035,
	white: 0.06,
};

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Upper bound of list answers, so a query over decades stays cheap. The newest entries are kept. */
export const DURST_MAX_LIST_ENTRIES = 5_000;
/** Grid job ids are `printerNumber * JOB_ID_FACTOR + slot`, so a job id alone names its printer and time. */
const JOB_ID_FACTOR = DURST_JOB_ID_FACTOR;

interface PrinterFixture extends DurstPrinterDetail {
	number: number;
	errorEveryMs: number;
	errorOffsetMs: number;
	jobEveryMs: number;
	jobOffsetMs: number;
	jobDurationMs: number;
	inkFactor: number;
}

const PRINTER_FIXTURES: readonly PrinterFixture[] = [
	{
		id: 'P-1001',
		number: 1001,
		serialNumber: 'DRH1312-0001',
		name: 'Rho 1312',
		status: 'Running',
		inkLevelPercent: 82,
		errorEveryMs: 3 * HOUR_MS,
		errorOffsetMs: 10 * MINUTE_MS,
		jobEveryMs: 2 * HOUR_MS,
		jobOffsetMs: 5 * MINUTE_MS,
		jobDurationMs: 90 * MINUTE_MS,
		inkFactor: 1,
	},
	{
		id: 'P-1002',
		number: 1002,
		serialNumber: 'DRH2500-0002',
		name: 'Rho 2500',
		status: 'Idle',
		inkLevelPercent: 47,
		errorEveryMs: 5 * HOUR_MS,
		errorOffsetMs: 25 * MINUTE_MS,
		jobEveryMs: 3 * HOUR_MS,
		jobOffsetMs: 15 * MINUTE_MS,
		jobDurationMs: 120 * MINUTE_MS,
		inkFactor: 0.6,
	},
	{
		id: 'P-1003',
		number: 1003,
		serialNumber: 'DP5350-0003',
		name: 'P5 350',
		status: 'Setup',
		inkLevelPercent: 65,
		errorEveryMs: 7 * HOUR_MS,
		errorOffsetMs: 40 * MINUTE_MS,
		jobEveryMs: 4 * HOUR_MS,
		jobOffsetMs: 30 * MINUTE_MS,
		jobDurationMs: 45 * MINUTE_MS,
		inkFactor: 0.8,
	},
	{
		id: 'P-1004',
		number: 1004,
		serialNumber: 'DTAU330-0004',
		name: 'Tau 330 RSC',
		status: 'Breakdown',
		inkLevelPercent: 12,
		errorEveryMs: 1 * HOUR_MS,
		errorOffsetMs: 55 * MINUTE_MS,
		jobEveryMs: 6 * HOUR_MS,
		jobOffsetMs: 45 * MINUTE_MS,
		jobDurationMs: 200 * MINUTE_MS,
		inkFactor: 0.2,
	},
];

/** The fixed printers (ids `P-1001` ... `P-1004`), one per status. */
export const DURST_PRINTERS: readonly DurstPrinterDetail[] = PRINTER_FIXTURES.map(
	({ id, serialNumber, name, status, inkLevelPercent }) => ({
		id,
		serialNumber,
		name,
		status,
		inkLevelPercent,
	}),
);

const ERROR_CATALOGUE: readonly { errorNr: number; errorMessage: string }[] = [
	{ errorNr: 1012, errorMessage: 'Ink level low' },
	{ errorNr: 2045, errorMessage: 'Printhead temperature out of range' },
	{ errorNr: 3301, errorMessage: 'Media jam detected' },
	{ errorNr: 4100, errorMessage: 'Vacuum table pressure low' },
	{ errorNr: 5007, errorMessage: 'UV lamp intensity degraded' },
	{ errorNr: 6120, errorMessage: 'Emergency stop pressed' },
];

const OPERATORS: readonly string[] = ['operator', 'a.weber', 'm.rossi', 'jürgen+admin'];

const JOB_TITLES: readonly string[] = [
	'Banner 3x1 m',
	'Window graphics "Spring Sale"',
	'Trade show wall & backdrop',
	'Floor sticker <Zone A>',
	'Ceramic tile 60x60 / series 7',
	'Poster A0 – Müller GmbH',
];

/** Cheap deterministic hash of a slot number, to vary fixture data without randomness. */
function mix(slot: number, seed: number): number {
	let h = Math.imul(slot ^ seed, 0x9e3779b1) >>> 0;
	h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
	return (h ^ (h >>> 13)) >>> 0;
}

function pick<T>(items: readonly T[], slot: number, seed: number): T {
	const item = items[mix(slot, seed) % items.length];
	if (item === undefined) throw new Error('empty fixture list');
	return item;
}

function round(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}

/** Slot numbers n with `n * every + offset` in [from, to], newest `max` only. */
function slotsIn(from: number, to: number, every: number, offset: number, max: number): number[] {
	const first = Math.ceil((from - offset) / every);
	const last = Math.floor((to - offset) / every);
	const start = Math.max(first, last - max + 1);
	const slots: number[] = [];
	for (let n = start; n <= last; n += 1) slots.push(n);
	return slots;
}

/** Both lists ordered by time (grid entries first on a tie), newest `DURST_MAX_LIST_ENTRIES` only. */
function mergeByTime<T>(
	generated: readonly { at: number; value: T }[],
	scripted: readonly { at: number; value: T }[],
): T[] {
	return [...generated, ...scripted]
		.sort((a, b) => a.at - b.at)
		.slice(-DURST_MAX_LIST_ENTRIES)
		.map((entry) => entry.value);
}

function printedArea(job: DurstJob): number {
	return round(job.numberOfPrintsDone * 2.5, 2);
}

/** About 10 ml per square metre per colour, scaled by the colour's share of the printer's ink use. */
function jobInk(areaSqm: number, colour: (typeof DURST_COLOURS)[number]): number {
	return areaSqm * INK_RATE_PER_HOUR[colour] * 0.1;
}

function printerDetail(printer: DurstTimelinePrinter): DurstPrinterDetail {
	const { id, serialNumber, name, status, inkLevelPercent } = printer;
	return { id, serialNumber, name, status, inkLevelPercent };
}

interface IssuedToken {
	username: string;
	issuedAt: number;
	expiresAt: number;
}

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

export interface DurstConfig {
	version: DurstVersion;
	loginMode: DurstLoginMode;
	rejectStatus: DurstRejectStatus;
	loginRejectStatus: DurstRejectStatus;
	/** Only present when false (the default, true, is left out so the answer keeps its long-known shape). */
	generated?: boolean;
}

type Range = { from: number; to: number };

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
	private readonly tokens = new Map<string, IssuedToken>();
	/** Scripted entries; survives `restart` and `resetCounters`, as Analytics keeps its database. */
	private readonly script = new DurstTimeline(PRINTER_FIXTURES, () => this.now());

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
	get printers(): DurstPrinterDetail[] {
		return this.script.printers().map(printerDetail);
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

	/** Issues a token without HTTP (counts in `tokensIssued`), e.g. to seed a client cache in tests. */
	issueToken(username: string): string {
		const token = randomBytes(32).toString('base64url');
		const issuedAt = this.now();
		this.tokens.set(token, { username, issuedAt, expiresAt: issuedAt + this.tokenTtlMs });
		this.tokensIssued += 1;
		return token;
	}

	isTokenValid(token: string): boolean {
		return this.tokenUser(token) !== undefined;
	}

	invalidateToken(token: string): boolean {
		return this.tokens.delete(token);
	}

	/** Tokens neither expired nor invalidated. */
	get activeTokens(): number {
		const now = this.now();
		let count = 0;
		for (const issued of this.tokens.values()) if (issued.expiresAt > now) count += 1;
		return count;
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
		if (req.path.startsWith('/api/') && token !== undefined && this.tokenUser(token) !== undefined)
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
		const parsed = parseJson(req.body);
		if (!parsed.ok || !isPlainObject(parsed.value))
			return jsonResponse(400, { error: 'config must be a JSON object' });
		const { version, loginMode, rejectStatus, loginRejectStatus, generated } = parsed.value;
		if (
			version !== undefined &&
			version !== '1.4' &&
			version !== '1.6' &&
			version !== 'header-only'
		) {
			return jsonResponse(400, { error: 'version must be 1.4, 1.6 or header-only' });
		}
		if (loginMode !== undefined && loginMode !== 'normal' && loginMode !== 'noToken') {
			return jsonResponse(400, { error: 'loginMode must be normal or noToken' });
		}
		if (rejectStatus !== undefined && rejectStatus !== 401 && rejectStatus !== 403) {
			return jsonResponse(400, { error: 'rejectStatus must be 401 or 403' });
		}
		if (loginRejectStatus !== undefined && loginRejectStatus !== 401 && loginRejectStatus !== 403) {
			return jsonResponse(400, { error: 'loginRejectStatus must be 401 or 403' });
		}
		if (generated !== undefined && typeof generated !== 'boolean') {
			return jsonResponse(400, { error: 'generated must be true or false' });
		}
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

		const resolved = this.resolveApi(req);
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

	private resolveApi(req: SimRequest): RouteResult {
		const { method, path } = req;
		const notFound: RouteResult = { key: `${method} ${path}`, handle: () => emptyResponse(404) };
		if (path === DURST_PATHS.echo || path.startsWith(`${DURST_PATHS.echo}/`)) {
			return { key: `${method} ${DURST_PATHS.echo}`, handle: () => this.echo(req) };
		}
		if (!path.startsWith(`${DURST_PATHS.printers}`)) return notFound;
		const rest = path.slice(DURST_PATHS.printers.length);
		if (rest === '' || rest === '/') {
			return this.only(method, 'GET', DURST_ENDPOINTS.printers, () =>
				jsonResponse(
					200,
					this.printers.map(({ inkLevelPercent: _ink, ...printer }) => printer),
				),
			);
		}
		const segments = rest.slice(1).split('/');
		const printerId = decodeSegment(segments[0] ?? '');
		// Looked up when answering (after any latency): the timeline may add or remove printers meanwhile.
		const withPrinter = (handler: (printer: DurstTimelinePrinter) => SimResponse) => () => {
			// Rights are checked before the printer is looked up: a forbidden ID learns nothing.
			if (printerId !== undefined && this.forbiddenPrinters.has(printerId)) {
				return emptyResponse(403);
			}
			const printer = printerId === undefined ? undefined : this.script.printer(printerId);
			return printer === undefined ? emptyResponse(404) : handler(printer);
		};

		if (segments.length === 1) {
			return this.only(
				method,
				'GET',
				DURST_ENDPOINTS.printer,
				withPrinter((printer) => jsonResponse(200, printerDetail(printer))),
			);
		}
		if (segments.length === 2) {
			switch (segments[1]) {
				case 'errors':
					return this.only(
						method,
						'POST',
						DURST_ENDPOINTS.errors,
						withPrinter((printer) => this.withRange(req, (range) => this.errors(printer, range))),
					);
				case 'inkConsumption':
					return this.only(
						method,
						'POST',
						DURST_ENDPOINTS.inkConsumption,
						withPrinter((printer) =>
							this.withRange(req, (range) => this.printerInk(printer, range)),
						),
					);
				case 'jobs':
					return this.only(
						method,
						'POST',
						DURST_ENDPOINTS.jobs,
						withPrinter((printer) => this.withRange(req, (range) => this.jobs(printer, range))),
					);
				default:
					return notFound;
			}
		}
		if (segments[1] !== 'jobs') return notFound;
		const jobId = decodeSegment(segments[2] ?? '') ?? '';
		if (segments.length === 3) {
			return this.only(
				method,
				'GET',
				DURST_ENDPOINTS.job,
				withPrinter((printer) => this.jobDetailResponse(printer, jobId)),
			);
		}
		if (segments.length === 4 && segments[3] === 'inkConsumption') {
			return this.only(
				method,
				'GET',
				DURST_ENDPOINTS.jobInkConsumption,
				withPrinter((printer) => this.jobInkResponse(printer, jobId)),
			);
		}
		return notFound;
	}

	private only(
		method: string,
		allowed: string,
		endpoint: string,
		handle: () => SimResponse,
	): RouteResult {
		const template = endpoint.slice(endpoint.indexOf(' ') + 1);
		if (method !== allowed)
			return { key: `${method} ${template}`, handle: () => emptyResponse(405, { allow: allowed }) };
		return { key: endpoint, handle };
	}

	// -- auth ------------------------------------------------------------------------------------

	private tokenUser(token: string): string | undefined {
		const issued = this.tokens.get(token);
		if (issued === undefined) return undefined;
		if (issued.expiresAt <= this.now()) {
			this.tokens.delete(token);
			return undefined;
		}
		return issued.username;
	}

	private authenticated(req: SimRequest): boolean {
		const token = firstHeader(req.headers, DURST_AUTH_HEADER);
		return token !== undefined && token !== '' && this.tokenUser(token) !== undefined;
	}

	private login(req: SimRequest): SimResponse {
		const username = req.query.get('username');
		const password = req.query.get('password');
		const user = this.userList.find(
			(candidate) =>
				username !== null &&
				password !== null &&
				candidate.username === username &&
				safeEqual(candidate.password, password),
		);
		if (user === undefined) {
			this.loginFailures += 1;
			this.rejected += 1;
			return emptyResponse(this.loginRejectStatus);
		}
		const nameKey = this.version === 'header-only' ? 'username' : 'userName';
		if (this.loginMode === 'noToken') return jsonResponse(200, { [nameKey]: user.username });

		const token = this.issueToken(user.username);
		const headers = { [DURST_AUTH_HEADER]: token };
		switch (this.version) {
			case '1.4':
				return jsonResponse(200, { userName: user.username, xAuthToken: token }, headers);
			case '1.6':
				return jsonResponse(
					200,
					{ userName: user.username, xAuthToken: token, x_auth_token: token },
					headers,
				);
			case 'header-only':
				return jsonResponse(200, { username: user.username }, headers);
		}
	}

	// -- data ------------------------------------------------------------------------------------

	/** The printer's clock grid, when grid data is on and the printer is a fixed one. */
	private gridOf(printer: DurstTimelinePrinter): PrinterFixture | undefined {
		if (!this.generated || printer.added) return undefined;
		return PRINTER_FIXTURES.find((fixture) => fixture.id === printer.id);
	}

	/** Validates `{startDate, endDate}` and clips the end to "now": nothing has happened in the future. */
	private withRange(req: SimRequest, handler: (range: Range) => unknown): SimResponse {
		const parsed = parseJson(req.body);
		if (!parsed.ok || !isPlainObject(parsed.value)) return emptyResponse(400);
		const from = parseIsoDate(parsed.value.startDate);
		const to = parseIsoDate(parsed.value.endDate);
		if (from === undefined || to === undefined || from > to) return emptyResponse(400);
		// The Date header follows the simulated clock, as a real server's follows its own.
		return jsonResponse(200, handler({ from, to: Math.min(to, this.now()) }), {
			date: new Date(this.now()).toUTCString(),
		});
	}

	private errors(printer: DurstTimelinePrinter, range: Range): DurstError[] {
		const grid = this.gridOf(printer);
		const generated =
			grid === undefined
				? []
				: slotsIn(
						range.from,
						range.to,
						grid.errorEveryMs,
						grid.errorOffsetMs,
						DURST_MAX_LIST_ENTRIES,
					).map((slot) => {
						const entry = pick(ERROR_CATALOGUE, slot, grid.number);
						const at = slot * grid.errorEveryMs + grid.errorOffsetMs;
						const error: DurstError = {
							dateTime: new Date(at).toISOString(),
							errorNr: entry.errorNr,
							errorMessage: entry.errorMessage,
							operator: pick(OPERATORS, slot, grid.number + 7),
						};
						return { at, value: error };
					});
		const scripted = this.script
			.errorsIn(printer.id, range.from, range.to)
			.map(({ at, error }) => ({ at, value: error }));
		return mergeByTime(generated, scripted);
	}

	/** Hours of the range at the grid's rate (fixed printers, grid on), plus the scripted jobs' ink. */
	private printerInk(printer: DurstTimelinePrinter, range: Range): DurstInkConsumption {
		const grid = this.gridOf(printer);
		const hours = grid === undefined ? 0 : Math.max(0, range.to - range.from) / HOUR_MS;
		const area = this.script
			.jobsIn(printer.id, range.from, range.to)
			.reduce((sum, { job }) => sum + printedArea(job), 0);
		const result: DurstInkConsumption = {};
		for (const colour of DURST_COLOURS)
			result[colour] = round(
				hours * INK_RATE_PER_HOUR[colour] * (grid?.inkFactor ?? 0) + jobInk(area, colour),
				3,
			);
		return result;
	}

	private job(printer: PrinterFixture, slot: number): DurstJob {
		const now = this.now();
		const start = slot * printer.jobEveryMs + printer.jobOffsetMs;
		const numberOfPrints = 5 + (mix(slot, printer.number + 1) % 46);
		let state: DurstJobState;
		let end: number | null;
		let done: number;
		if (mix(slot, printer.number + 2) % 9 === 0) {
			state = 'Aborted';
			end = start + Math.round(printer.jobDurationMs * 0.4);
			done = Math.floor(numberOfPrints * 0.4);
		} else if (start + printer.jobDurationMs > now) {
			state = 'Printing';
			end = null;
			done = Math.floor((numberOfPrints * (now - start)) / printer.jobDurationMs);
		} else {
			state = 'Finished';
			end = start + printer.jobDurationMs;
			done = numberOfPrints;
		}
		return {
			id: printer.number * JOB_ID_FACTOR + slot,
			title: pick(JOB_TITLES, slot, printer.number + 3),
			state,
			numberOfPrints,
			numberOfPrintsDone: done,
			startTime: new Date(start).toISOString(),
			endTime: end === null ? null : new Date(end).toISOString(),
		};
	}

	private jobs(printer: DurstTimelinePrinter, range: Range): DurstJob[] {
		const grid = this.gridOf(printer);
		const generated =
			grid === undefined
				? []
				: slotsIn(
						range.from,
						range.to,
						grid.jobEveryMs,
						grid.jobOffsetMs,
						DURST_MAX_LIST_ENTRIES,
					).map((slot) => ({
						at: slot * grid.jobEveryMs + grid.jobOffsetMs,
						value: this.job(grid, slot),
					}));
		const scripted = this.script
			.jobsIn(printer.id, range.from, range.to)
			.map(({ at, job }) => ({ at, value: job }));
		return mergeByTime(generated, scripted);
	}

	/** A job of this printer that has started by now (grid or scripted), with its slot number. */
	private findJob(
		printer: DurstTimelinePrinter,
		jobId: string,
	): { job: DurstJob; slot: number } | undefined {
		if (!/^\d{1,15}$/.test(jobId)) return undefined;
		const id = Number(jobId);
		if (Math.floor(id / JOB_ID_FACTOR) !== printer.number) return undefined;
		const slot = id % JOB_ID_FACTOR;
		if (slot >= DURST_SCRIPTED_JOB_BASE) {
			const job = this.script.job(printer.id, id);
			return job === undefined ? undefined : { job, slot };
		}
		const grid = this.gridOf(printer);
		if (grid === undefined || slot * grid.jobEveryMs + grid.jobOffsetMs > this.now())
			return undefined;
		return { job: this.job(grid, slot), slot };
	}

	private jobDetail(printer: DurstTimelinePrinter, job: DurstJob, slot: number): DurstJobDetail {
		return {
			...job,
			printerId: printer.id,
			printDirection: slot % 2 === 0 ? 'Bidirectional' : 'Unidirectional',
			passoverlapValue: 1 + (slot % 4),
			saturation: 80 + (mix(slot, printer.number + 4) % 21),
			printPasses: [4, 6, 8, 12][slot % 4] ?? 4,
			printedAreaSqm: printedArea(job),
		};
	}

	private jobDetailResponse(printer: DurstTimelinePrinter, jobId: string): SimResponse {
		const found = this.findJob(printer, jobId);
		return found === undefined
			? emptyResponse(404)
			: jsonResponse(200, this.jobDetail(printer, found.job, found.slot));
	}

	private jobInkResponse(printer: DurstTimelinePrinter, jobId: string): SimResponse {
		const found = this.findJob(printer, jobId);
		if (found === undefined) return emptyResponse(404);
		const area = printedArea(found.job);
		const result: DurstInkConsumption = {};
		for (const colour of DURST_COLOURS) result[colour] = round(jobInk(area, colour), 4);
		return jsonResponse(200, result);
	}

	private echo(req: SimRequest): SimResponse {
		let body: unknown = null;
		if (req.body.length > 0) {
			const parsed = mediaType(req.headers).endsWith('json') ? parseJson(req.body) : undefined;
			body = parsed?.ok === true ? parsed.value : req.body.toString('utf8');
		}
		return jsonResponse(
			200,
			{
				method: req.method,
				path: req.path,
				query: queryToObject(req.query),
				headers: headersToJson(req.headers, [DURST_AUTH_HEADER]),
				body,
			},
			{ [DURST_ECHO_HEADER]: '1' },
		);
	}
}
