/**
 * Helpers shared by the simulator self-tests (the `*.test.ts` files next to this one). Not a test
 * file itself: jest only collects `*.test.ts`.
 */
import { connect } from 'node:net';

import { DurstSimulator } from '../../tools/simulators/durst';
import type {
	DurstError,
	DurstInkConsumption,
	DurstJob,
	DurstPrinter,
	DurstPrinterDetail,
} from '../../tools/simulators/durst';
import type { WatcherSimulator } from '../../tools/simulators/watcher';

/** A fixed instant (a Saturday noon UTC) so that time-grid data is predictable. */
export const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);
export const T0_SECONDS = T0 / 1000;
export const fixedClock = (): number => T0;

export const GENERATE = '/vsaas/api/v2/auth/generate-autologin-token';
export const KEY = { 'X-Vsaas-Api-Key': 'test-api-key' };
export const JSON_HEADERS = { ...KEY, 'Content-Type': 'application/json' };

export async function readJson<T>(response: Response): Promise<T> {
	return (await response.json()) as T;
}

// -- Watcher -------------------------------------------------------------------------------------

export function generate(
	sim: WatcherSimulator,
	body: unknown,
	headers: Record<string, string> = JSON_HEADERS,
): Promise<Response> {
	return fetch(`${sim.url}${GENERATE}`, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

export function autologin(sim: WatcherSimulator, token: string): Promise<Response> {
	return fetch(`${sim.url}/vsaas/autologin`, {
		method: 'POST',
		body: new URLSearchParams({ autologin_token: token }),
		redirect: 'manual',
	});
}

export async function issue(sim: WatcherSimulator, body: Record<string, unknown>): Promise<string> {
	const response = await generate(sim, body);
	expect(response.status).toBe(200);
	const json = await readJson<{ autologin_token: string; success: boolean }>(response);
	expect(json.success).toBe(true);
	return json.autologin_token;
}

// -- Durst ---------------------------------------------------------------------------------------

export const DURST_USER = 'operator';
export const DURST_PASSWORD = 's3cr3t&pa ss?';

/** `{startDate, endDate}` of the 24 hours before T0. */
export const LAST_24H = JSON.stringify({
	startDate: new Date(T0 - 86_400_000).toISOString(),
	endDate: new Date(T0).toISOString(),
});

export function durstLoginUrl(sim: DurstSimulator, username: string, password: string): string {
	return `${sim.url}/api/v1/login?${new URLSearchParams({ username, password }).toString()}`;
}

/** Logs in over HTTP and returns the token from the `x-auth-token` header. */
export async function durstLogin(
	sim: DurstSimulator,
	username = DURST_USER,
	password = DURST_PASSWORD,
): Promise<string> {
	const response = await fetch(durstLoginUrl(sim, username, password));
	expect(response.status).toBe(200);
	const token = response.headers.get('x-auth-token');
	expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
	return token ?? '';
}

/** A JSON API call with the token (when given) in `x-auth-token`. */
export function durstApi(
	sim: DurstSimulator,
	path: string,
	token: string | undefined,
	init: RequestInit = {},
): Promise<Response> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (token !== undefined) headers['x-auth-token'] = token;
	return fetch(`${sim.url}${path}`, {
		...init,
		headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
	});
}

// -- Durst timeline ------------------------------------------------------------------------------

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const iso = (ms: number): string => new Date(ms).toISOString();
export const range = (from: number, to: number): string =>
	JSON.stringify({ startDate: iso(from), endDate: iso(to) });
/** Id of the n-th scripted job (counted over the whole simulator, from 0) of printer number `printer`. */
export const scriptedJobId = (printer: number, n: number): number =>
	printer * 10_000_000 + 9_000_000 + n;

export const ZERO_INK: DurstInkConsumption = {
	cyan: 0,
	magenta: 0,
	yellow: 0,
	black: 0,
	lightCyan: 0,
	lightMagenta: 0,
	white: 0,
};

/** A Durst simulator at T0 with a logged-in token, fresh for each test, and calls against it. */
export interface TimelineFixture {
	readonly sim: DurstSimulator;
	/** Replace it after a restart (a new login). */
	token: string;
	// Function-valued properties, not methods: tests destructure them (`const { get } = t`).
	api: (path: string, init?: RequestInit) => Promise<Response>;
	/** A POST that must answer 200; its JSON body. */
	post: <T>(path: string, body: string) => Promise<T>;
	/** A GET that must answer 200; its JSON body. */
	get: <T>(path: string) => Promise<T>;
	errorsOf: (id: string, body?: string) => Promise<DurstError[]>;
	jobsOf: (id: string, body?: string) => Promise<DurstJob[]>;
	/** Ids of the printer list. */
	listed: () => Promise<string[]>;
	statusOf: (id: string) => Promise<string>;
	/** `/__sim/timeline` with `body` as JSON (a string as is); GET sends no body. */
	admin: (body: unknown, method?: string) => Promise<Response>;
}

/** Registers the start and stop of the simulator around each test of the calling `describe`. */
export function useTimelineSimulator(): TimelineFixture {
	let current: DurstSimulator | undefined;
	beforeEach(async () => {
		current = await DurstSimulator.start({ now: fixedClock });
		fixture.token = await durstLogin(current);
	});
	afterEach(async () => {
		await current?.stop();
	});
	const sim = (): DurstSimulator => {
		if (current === undefined) throw new Error('the timeline simulator runs only inside a test');
		return current;
	};
	const fixture: TimelineFixture = {
		get sim() {
			return sim();
		},
		token: '',
		api: (path, init) => durstApi(sim(), path, fixture.token, init),
		post: async <T>(path: string, body: string): Promise<T> => {
			const response = await fixture.api(path, { method: 'POST', body });
			expect(response.status).toBe(200);
			return readJson<T>(response);
		},
		get: async <T>(path: string): Promise<T> => {
			const response = await fixture.api(path);
			expect(response.status).toBe(200);
			return readJson<T>(response);
		},
		errorsOf: (id, body = LAST_24H) =>
			fixture.post<DurstError[]>(`/api/v1/printers/${id}/errors`, body),
		jobsOf: (id, body = LAST_24H) => fixture.post<DurstJob[]>(`/api/v1/printers/${id}/jobs`, body),
		listed: async () =>
			(await fixture.get<DurstPrinter[]>('/api/v1/printers')).map((printer) => printer.id),
		statusOf: async (id) =>
			(await fixture.get<DurstPrinterDetail>(`/api/v1/printers/${id}`)).status,
		admin: (body, method = 'POST') =>
			fetch(`${sim().url}/__sim/timeline`, {
				method,
				...(method === 'GET'
					? {}
					: { body: typeof body === 'string' ? body : JSON.stringify(body) }),
			}),
	};
	return fixture;
}

// -- raw HTTP --------------------------------------------------------------------------------------

/**
 * Sends one `GET` with `Connection: close` over a bare socket and returns every byte the server sent
 * until it closed the connection: the way to see exactly what a fault wrote, unparsed.
 */
export function rawGet(baseUrl: string, path: string, timeoutMs = 5_000): Promise<Buffer> {
	const { hostname, port } = new URL(baseUrl);
	return new Promise((resolve, reject) => {
		const socket = connect({ host: hostname, port: Number(port) });
		const chunks: Buffer[] = [];
		socket.setTimeout(timeoutMs, () =>
			socket.destroy(new Error(`no end of answer within ${timeoutMs} ms`)),
		);
		socket.on('connect', () =>
			socket.write(
				`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`,
			),
		);
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('end', () => resolve(Buffer.concat(chunks)));
		socket.on('error', reject);
	});
}

/** The head of a raw answer (up to the blank line) as Latin-1 text, and the body bytes after it. */
export function splitRaw(answer: Buffer): { head: string; body: Buffer } {
	const end = answer.indexOf('\r\n\r\n');
	if (end < 0) throw new Error('no end of headers in the answer');
	return { head: answer.subarray(0, end).toString('latin1'), body: answer.subarray(end + 4) };
}

/** Reads a fetch body to its end and returns its size, without keeping it. */
export async function countBytes(response: Response): Promise<number> {
	const reader = response.body?.getReader();
	if (reader === undefined) return 0;
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return total;
		total += value.byteLength;
	}
}
