/**
 * Durst Analytics simulator (REST API from v1.4): query-string login handing out an opaque token,
 * token-protected printer endpoints, and the documented quirks that clients must survive: the token
 * in the header and/or in two differently named body fields depending on the version, 10-day expiry,
 * every token dying on restart, and errors without any body.
 *
 * Data is computed from the simulator clock on fixed time grids, so the same query at the same
 * simulated time always gives the same answer, while "the last 24 hours" is never empty.
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
} from './common';
import type {
	LoggedRequest,
	RouteResult,
	SimRequest,
	SimResponse,
	SimulatorBaseOptions,
} from './common';

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
/** Job ids are `printerNumber * JOB_ID_FACTOR + slot`, so a job id alone names its printer and time. */
const JOB_ID_FACTOR = 10_000_000;

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

const ISO_8601 =
	/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** ISO 8601 to epoch ms; a missing offset means UTC, so results never depend on the host's time zone. */
export function parseIsoDate(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const match = ISO_8601.exec(value.trim());
	if (match === null) return undefined;
	const [, date, time, zone] = match;
	let normalised = `${date ?? ''}T${time ?? '00:00'}`;
	if (zone === undefined || zone.toUpperCase() === 'Z') normalised += 'Z';
	else normalised += zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
	// Date.parse only takes milliseconds; extra fraction digits are cut, not rounded.
	normalised = normalised.replace(/(\.\d{3})\d+/, '$1');
	const ms = Date.parse(normalised);
	return Number.isFinite(ms) ? ms : undefined;
}

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
}

export interface DurstConfig {
	version: DurstVersion;
	loginMode: DurstLoginMode;
	rejectStatus: DurstRejectStatus;
	loginRejectStatus: DurstRejectStatus;
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
	private readonly tokens = new Map<string, IssuedToken>();
	private readonly printerStatus = new Map<string, DurstPrinterStatus>();

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
		};
	}

	get printers(): DurstPrinterDetail[] {
		return PRINTER_FIXTURES.map((fixture) => this.printerDetail(fixture));
	}

	setPrinterStatus(printerId: string, status: DurstPrinterStatus): void {
		if (!PRINTER_FIXTURES.some((fixture) => fixture.id === printerId))
			throw new Error(`unknown printer ${printerId}`);
		this.printerStatus.set(printerId, status);
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
		};
	}

	protected override handleAdmin(action: string, req: SimRequest): SimResponse | undefined {
		if (action !== 'config') return undefined;
		if (req.method === 'GET') return jsonResponse(200, this.config);
		if (req.method !== 'POST') return emptyResponse(405);
		const parsed = parseJson(req.body);
		if (!parsed.ok || !isPlainObject(parsed.value))
			return jsonResponse(400, { error: 'config must be a JSON object' });
		const { version, loginMode, rejectStatus, loginRejectStatus } = parsed.value;
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
		if (version !== undefined) this.version = version;
		if (loginMode !== undefined) this.loginMode = loginMode;
		if (rejectStatus !== undefined) this.rejectStatus = rejectStatus;
		if (loginRejectStatus !== undefined) this.loginRejectStatus = loginRejectStatus;
		return jsonResponse(200, this.config);
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
		const fixture = PRINTER_FIXTURES.find((candidate) => candidate.id === printerId);
		const withPrinter = (handler: (printer: PrinterFixture) => SimResponse) => () =>
			fixture === undefined ? emptyResponse(404) : handler(fixture);

		if (segments.length === 1) {
			return this.only(
				method,
				'GET',
				DURST_ENDPOINTS.printer,
				withPrinter((printer) => jsonResponse(200, this.printerDetail(printer))),
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

	private printerDetail(fixture: PrinterFixture): DurstPrinterDetail {
		return {
			id: fixture.id,
			serialNumber: fixture.serialNumber,
			name: fixture.name,
			status: this.printerStatus.get(fixture.id) ?? fixture.status,
			inkLevelPercent: fixture.inkLevelPercent,
		};
	}

	/** Validates `{startDate, endDate}` and clips the end to "now": nothing has happened in the future. */
	private withRange(req: SimRequest, handler: (range: Range) => unknown): SimResponse {
		const parsed = parseJson(req.body);
		if (!parsed.ok || !isPlainObject(parsed.value)) return emptyResponse(400);
		const from = parseIsoDate(parsed.value.startDate);
		const to = parseIsoDate(parsed.value.endDate);
		if (from === undefined || to === undefined || from > to) return emptyResponse(400);
		return jsonResponse(200, handler({ from, to: Math.min(to, this.now()) }));
	}

	private errors(printer: PrinterFixture, range: Range): DurstError[] {
		return slotsIn(
			range.from,
			range.to,
			printer.errorEveryMs,
			printer.errorOffsetMs,
			DURST_MAX_LIST_ENTRIES,
		).map((slot) => {
			const entry = pick(ERROR_CATALOGUE, slot, printer.number);
			return {
				dateTime: new Date(slot * printer.errorEveryMs + printer.errorOffsetMs).toISOString(),
				errorNr: entry.errorNr,
				errorMessage: entry.errorMessage,
				operator: pick(OPERATORS, slot, printer.number + 7),
			};
		});
	}

	private printerInk(printer: PrinterFixture, range: Range): DurstInkConsumption {
		const hours = Math.max(0, range.to - range.from) / HOUR_MS;
		const result: DurstInkConsumption = {};
		for (const colour of DURST_COLOURS)
			result[colour] = round(hours * INK_RATE_PER_HOUR[colour] * printer.inkFactor, 3);
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

	private jobs(printer: PrinterFixture, range: Range): DurstJob[] {
		return slotsIn(
			range.from,
			range.to,
			printer.jobEveryMs,
			printer.jobOffsetMs,
			DURST_MAX_LIST_ENTRIES,
		).map((slot) => this.job(printer, slot));
	}

	/** The slot of a job id on this printer, if that job has started by now. */
	private jobSlot(printer: PrinterFixture, jobId: string): number | undefined {
		if (!/^\d{1,15}$/.test(jobId)) return undefined;
		const id = Number(jobId);
		if (Math.floor(id / JOB_ID_FACTOR) !== printer.number) return undefined;
		const slot = id % JOB_ID_FACTOR;
		return slot * printer.jobEveryMs + printer.jobOffsetMs <= this.now() ? slot : undefined;
	}

	private jobDetail(printer: PrinterFixture, slot: number): DurstJobDetail {
		const job = this.job(printer, slot);
		return {
			...job,
			printerId: printer.id,
			printDirection: slot % 2 === 0 ? 'Bidirectional' : 'Unidirectional',
			passoverlapValue: 1 + (slot % 4),
			saturation: 80 + (mix(slot, printer.number + 4) % 21),
			printPasses: [4, 6, 8, 12][slot % 4] ?? 4,
			printedAreaSqm: round(job.numberOfPrintsDone * 2.5, 2),
		};
	}

	private jobDetailResponse(printer: PrinterFixture, jobId: string): SimResponse {
		const slot = this.jobSlot(printer, jobId);
		return slot === undefined
			? emptyResponse(404)
			: jsonResponse(200, this.jobDetail(printer, slot));
	}

	private jobInkResponse(printer: PrinterFixture, jobId: string): SimResponse {
		const slot = this.jobSlot(printer, jobId);
		if (slot === undefined) return emptyResponse(404);
		const area = this.jobDetail(printer, slot).printedAreaSqm;
		const result: DurstInkConsumption = {};
		// About 10 ml per square metre per colour, scaled by the colour's share of the printer's ink use.
		for (const colour of DURST_COLOURS)
			result[colour] = round(area * INK_RATE_PER_HOUR[colour] * 0.1, 4);
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
