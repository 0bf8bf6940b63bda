/**
 * Webhook load for the queue-mode test, the demo and the benchmark: N HTTP calls to a running n8n,
 * at most `concurrency` in flight, each on its own connection (no keep-alive: every call is what a
 * separate client would send), each with its own time limit, so a call that never gets an answer
 * is counted, not waited for forever. Only Node built-ins are used.
 */
import * as http from 'node:http';

export interface LoadCall {
	/** 0-based number of the call. */
	index: number;
	status: number;
	body: string;
	/** ms from sending to the end of the answer (or to the time limit). */
	latencyMs: number;
	/** Set when no complete answer came: `timeout` after `timeoutMs`, or the socket error. */
	error?: string;
}

export interface LoadOptions {
	port: number;
	host?: string;
	method?: string;
	path: string;
	total: number;
	concurrency: number;
	/** The JSON body of call `index`. */
	body?: (index: number) => unknown;
	/** Per call. Default 60 s. */
	timeoutMs?: number;
	/** Called after each call (e.g. to restart a simulator in the middle of a wave). */
	onCall?: (call: LoadCall, done: number) => void;
}

export interface LoadResult {
	calls: LoadCall[];
	wallMs: number;
	/** Calls that got no complete answer within the time limit. */
	unanswered: LoadCall[];
}

export function callOnce(
	options: Pick<LoadOptions, 'port' | 'host' | 'method' | 'path' | 'timeoutMs'>,
	index: number,
	body: unknown,
): Promise<LoadCall> {
	const payload = body === undefined ? undefined : JSON.stringify(body);
	const started = process.hrtime.bigint();
	const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e6;
	const timeoutMs = options.timeoutMs ?? 60_000;
	return new Promise((resolve) => {
		let settled = false;
		const finish = (call: Omit<LoadCall, 'index' | 'latencyMs'>): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve({ index, latencyMs: elapsed(), ...call });
		};
		const req = http.request(
			{
				host: options.host ?? '127.0.0.1',
				port: options.port,
				method: options.method ?? 'POST',
				path: options.path,
				agent: false,
				headers:
					payload === undefined
						? {}
						: {
								'Content-Type': 'application/json',
								'Content-Length': String(Buffer.byteLength(payload)),
							},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () =>
					finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
				);
				res.on('error', (error) =>
					finish({ status: res.statusCode ?? 0, body: '', error: error.message }),
				);
			},
		);
		// A hard limit on the whole call (not an idle timeout): an answer that never comes ends here.
		const timer = setTimeout(() => {
			finish({ status: 0, body: '', error: `timeout after ${timeoutMs} ms` });
			req.destroy();
		}, timeoutMs);
		req.on('error', (error) => finish({ status: 0, body: '', error: error.message }));
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

/** Runs `total` calls with at most `concurrency` in flight; resolves when every call has ended. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
	const calls: LoadCall[] = new Array<LoadCall>(options.total);
	let next = 0;
	let done = 0;
	const started = Date.now();
	const lane = async (): Promise<void> => {
		while (next < options.total) {
			const index = next++;
			const call = await callOnce(options, index, options.body?.(index));
			calls[index] = call;
			done += 1;
			options.onCall?.(call, done);
		}
	};
	await Promise.all(
		Array.from({ length: Math.min(options.concurrency, options.total) }, () => lane()),
	);
	return {
		calls,
		wallMs: Date.now() - started,
		unanswered: calls.filter((call) => call.error !== undefined),
	};
}

/** The value below which `p` percent of the numbers lie (nearest rank). */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
	return sorted[rank - 1];
}
