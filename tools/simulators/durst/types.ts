/**
 * The Durst Analytics API as the simulator serves it: paths, endpoint keys, answer shapes and the
 * constants both the simulator and its timeline use (so neither has to import the other).
 */

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

export const DURST_STATUSES: readonly DurstPrinterStatus[] = [
	'Running',
	'Idle',
	'Setup',
	'Breakdown',
];

/** How a scripted job ends once the clock reaches its `endAt`. */
export type DurstJobEndState = Exclude<DurstJobState, 'Printing'>;
export const DURST_JOB_END_STATES: readonly DurstJobEndState[] = ['Finished', 'Aborted'];

/** Upper bound of list answers, so a query over decades stays cheap. The newest entries are kept. */
export const DURST_MAX_LIST_ENTRIES = 5_000;
/** Job ids are `printerNumber * DURST_JOB_ID_FACTOR + n`, so a job id alone names its printer and time. */
export const DURST_JOB_ID_FACTOR = 10_000_000;
/** Scripted jobs use n >= this; clock-grid slots stay far below it (about 240 000 in 2024). */
export const DURST_SCRIPTED_JOB_BASE = 9_000_000;
