/** What a simulator counts and records about the API requests it gets. */
import type { IncomingHttpHeaders } from 'node:http';

import type { FailMode } from '../faults/spec';
import { headersToJson } from './http';
import type { CapacityStats } from './capacity';
import type { JsonObject } from './json';

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
	/** The most requests held at once since the last reset. */
	peakInFlight: number;
	/** The capacity model's counters (`setCapacity`): refused, peak waiting, limit. */
	capacity: CapacityStats;
	[extra: string]: unknown;
}

function incrementIn(map: Map<string, number>, key: string): void {
	map.set(key, (map.get(key) ?? 0) + 1);
}

/** Calls per endpoint key and per concrete path, injected failures and concurrency. */
export class CallCounters {
	private readonly byEndpoint = new Map<string, number>();
	private readonly byPath = new Map<string, number>();
	total = 0;
	injected = 0;
	private inFlight = 0;
	/** The most requests held at once since the last reset. */
	peak = 0;

	count(endpoint: string, methodAndPath: string): void {
		this.total += 1;
		incrementIn(this.byEndpoint, endpoint);
		incrementIn(this.byPath, methodAndPath);
	}

	enter(): void {
		this.inFlight += 1;
		this.peak = Math.max(this.peak, this.inFlight);
	}

	leave(): void {
		this.inFlight -= 1;
	}

	get calls(): Record<string, number> {
		return Object.fromEntries(this.byEndpoint);
	}

	get callsByPath(): Record<string, number> {
		return Object.fromEntries(this.byPath);
	}

	callCount(endpoint: string): number {
		return this.byEndpoint.get(endpoint) ?? 0;
	}

	/** The peak restarts from the requests still held, not from 0. */
	reset(): void {
		this.byEndpoint.clear();
		this.byPath.clear();
		this.total = 0;
		this.injected = 0;
		this.peak = this.inFlight;
	}
}

export function logEntryToJson(entry: LoggedRequest): JsonObject {
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

/** A ring of the newest `max` requests (a little more between trims); `seq` never restarts. */
export class RequestLog {
	private list: LoggedRequest[] = [];
	private seq = 0;

	constructor(private readonly max: number) {}

	nextSeq(): number {
		return ++this.seq;
	}

	append(entry: LoggedRequest): void {
		this.list.push(entry);
		// Trimming in batches keeps the cost amortised O(1) under benchmark load.
		if (this.list.length > this.max * 1.25) this.list = this.list.slice(-this.max);
	}

	get entries(): readonly LoggedRequest[] {
		return this.list;
	}

	clear(): void {
		this.list = [];
	}
}
