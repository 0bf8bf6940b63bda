/**
 * A server of limited capacity, as busy on-premises boxes and rate-limited gateways are: it serves
 * `limit` requests at a time and either refuses the rest at once (`refuse`: a status, 503 by default,
 * with `Retry-After`) or lets them wait in line (`queue`: the answer time grows with the line, the
 * "knee" of the server is `limit`). Off by default: an unlimited server.
 */
import { jsonResponse } from './http';
import type { SimResponse } from './http';
import { isPlainObject } from './json';

export type CapacityMode = 'refuse' | 'queue';

export interface CapacitySpec {
	/** Requests served at the same time (>= 1). */
	limit: number;
	mode: CapacityMode;
	/** `refuse` only: the status of a refusal (default 503). */
	status?: number;
	/** `refuse` only: the Retry-After header sent as is (default "1"); `null` sends none. */
	retryAfter?: string | null;
}

export interface CapacityStats {
	limit: number | null;
	mode: CapacityMode | null;
	/** Requests refused for want of capacity since the last reset. */
	refused: number;
	/** The most requests served at once since the last reset (never above `limit`). */
	peakServed: number;
	/** The longest line of waiting requests since the last reset (`queue`). */
	peakWaiting: number;
}

/** Why a spec cannot be used, or undefined. */
export function capacityProblem(spec: unknown): string | undefined {
	if (!isPlainObject(spec)) return 'the capacity must be an object';
	const { limit, mode, status, retryAfter } = spec;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)
		return 'limit must be a whole number >= 1';
	if (mode !== 'refuse' && mode !== 'queue') return 'mode must be "refuse" or "queue"';
	if (status !== undefined && (typeof status !== 'number' || status < 200 || status > 599))
		return 'status must be a number from 200 to 599';
	if (retryAfter !== undefined && retryAfter !== null && typeof retryAfter !== 'string')
		return 'retryAfter must be a string or null';
	return undefined;
}

export class Capacity {
	private spec: CapacitySpec | undefined;
	private serving = 0;
	private readonly line: Array<() => void> = [];
	private refusedCount = 0;
	private peakServed = 0;
	private peakWaiting = 0;

	set(spec: CapacitySpec | undefined): void {
		const problem = spec === undefined ? undefined : capacityProblem(spec);
		if (problem !== undefined) throw new RangeError(`capacity: ${problem}`);
		this.spec = spec === undefined ? undefined : { ...spec };
		// A wider or removed limit lets the waiting requests in at once.
		this.admitWaiting();
	}

	/**
	 * Takes a place: `'served'` (call `release()` when the answer is sent), `'free'` (no limit set,
	 * nothing to release) or a refusal to send instead of the API's answer.
	 */
	async enter(): Promise<'served' | 'free' | SimResponse> {
		const spec = this.spec;
		if (spec === undefined) return 'free';
		if (this.serving < spec.limit) {
			this.take();
			return 'served';
		}
		if (spec.mode === 'refuse') {
			this.refusedCount += 1;
			const headers = spec.retryAfter === null ? {} : { 'retry-after': spec.retryAfter ?? '1' };
			return jsonResponse(spec.status ?? 503, { error: 'busy' }, headers);
		}
		await new Promise<void>((resolve) => {
			this.line.push(resolve);
			this.peakWaiting = Math.max(this.peakWaiting, this.line.length);
		});
		return 'served';
	}

	release(): void {
		this.serving = Math.max(0, this.serving - 1);
		this.admitWaiting();
	}

	/** Lets every waiting request in (the server stops). */
	drain(): void {
		for (const resolve of this.line.splice(0)) resolve();
	}

	stats(): CapacityStats {
		return {
			limit: this.spec?.limit ?? null,
			mode: this.spec?.mode ?? null,
			refused: this.refusedCount,
			peakServed: this.peakServed,
			peakWaiting: this.peakWaiting,
		};
	}

	resetStats(): void {
		this.refusedCount = 0;
		this.peakServed = this.serving;
		this.peakWaiting = this.line.length;
	}

	private take(): void {
		this.serving += 1;
		this.peakServed = Math.max(this.peakServed, this.serving);
	}

	private admitWaiting(): void {
		const limit = this.spec?.limit ?? Number.POSITIVE_INFINITY;
		while (this.line.length > 0 && this.serving < limit) {
			this.take();
			this.line.shift()?.();
		}
	}
}
