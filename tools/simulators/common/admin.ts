/** The `/__sim/*` administration surface every simulator shares; these paths are never counted as API calls. */
import { parseFailureSpec } from '../faults/parse';
import { capacityProblem } from './capacity';
import type { CapacitySpec } from './capacity';
import type { FailureSpec } from '../faults/spec';
import { jsonResponse } from './http';
import type { SimRequest, SimResponse } from './http';
import { parseJson } from './json';
import { logEntryToJson } from './stats';
import type { LoggedRequest, SimStats } from './stats';

/** Prefix of the administration surface. */
export const ADMIN_PREFIX = '/__sim/';

/** What the admin endpoints drive: the public knobs of `SimulatorBase`. */
export interface AdminTarget {
	stats(): SimStats;
	readonly requestLog: readonly LoggedRequest[];
	resetCounters(): void;
	clearRequestLog(): void;
	latencyMs: number;
	restart(): void;
	now(): number;
	advanceClock(ms: number): void;
	setClock(ms: number): void;
	failNext(spec: FailureSpec): void;
	readonly pendingFailures: number;
	clearFailures(): void;
	destroyStalled(): number;
	setCapacity(spec: CapacitySpec | undefined): void;
}

/** A simulator's own `/__sim/<action>` endpoints; `undefined` means "not mine" (404). */
export type OwnAdmin = (action: string, req: SimRequest) => SimResponse | undefined;

function parseNonNegativeNumber(text: string | null): number | undefined {
	if (text === null || !/^\d+(\.\d+)?$/.test(text)) return undefined;
	const value = Number(text);
	return Number.isFinite(value) ? value : undefined;
}

function setLatency(target: AdminTarget, req: SimRequest): SimResponse {
	const ms = parseNonNegativeNumber(req.query.get('ms'));
	if (ms === undefined)
		return jsonResponse(400, { error: 'query parameter ms must be a non-negative number' });
	target.latencyMs = ms;
	return jsonResponse(200, { latencyMs: target.latencyMs });
}

function moveClock(target: AdminTarget, req: SimRequest): SimResponse {
	const advance = req.query.get('advanceMs');
	const set = req.query.get('setMs');
	const value = Number(advance ?? set ?? Number.NaN);
	if (!Number.isFinite(value))
		return jsonResponse(400, {
			error: 'query parameter advanceMs or setMs must be a number',
		});
	if (advance !== null) target.advanceClock(value);
	else target.setClock(value);
	return jsonResponse(200, { clockMs: target.now() });
}

function queueFailure(target: AdminTarget, req: SimRequest): SimResponse {
	const parsed =
		req.body.length === 0 ? ({ ok: true, value: undefined } as const) : parseJson(req.body);
	if (!parsed.ok) return jsonResponse(400, { error: parsed.reason });
	const spec = parseFailureSpec(parsed.value);
	if (typeof spec === 'string') return jsonResponse(400, { error: spec });
	target.failNext(spec);
	return jsonResponse(200, { ok: true, pendingFailures: target.pendingFailures });
}

/** An empty body makes the server unlimited again. */
function setCapacity(target: AdminTarget, req: SimRequest): SimResponse {
	if (req.body.length === 0) {
		target.setCapacity(undefined);
		return jsonResponse(200, { capacity: null });
	}
	const parsed = parseJson(req.body);
	if (!parsed.ok) return jsonResponse(400, { error: parsed.reason });
	const problem = capacityProblem(parsed.value);
	if (problem !== undefined) return jsonResponse(400, { error: problem });
	target.setCapacity(parsed.value as CapacitySpec);
	return jsonResponse(200, { capacity: parsed.value });
}

/** Answers `req` (its path starts with `ADMIN_PREFIX`): a shared endpoint, else `own`, else 404. */
export function answerAdmin(target: AdminTarget, req: SimRequest, own: OwnAdmin): SimResponse {
	const action = req.path.slice(ADMIN_PREFIX.length);
	const key = `${req.method} ${action}`;
	switch (key) {
		case 'GET stats':
			return jsonResponse(200, target.stats());
		case 'GET requests':
			return jsonResponse(200, target.requestLog.map(logEntryToJson));
		case 'POST reset-counters':
			target.resetCounters();
			return jsonResponse(200, { ok: true });
		case 'POST clear-requests':
			target.clearRequestLog();
			return jsonResponse(200, { ok: true });
		case 'POST latency':
			return setLatency(target, req);
		case 'POST restart':
			target.restart();
			return jsonResponse(200, { ok: true, restarted: true });
		case 'POST clock':
			return moveClock(target, req);
		case 'POST fail':
			return queueFailure(target, req);
		case 'POST clear-failures':
			target.clearFailures();
			return jsonResponse(200, { ok: true });
		case 'POST capacity':
			return setCapacity(target, req);
		case 'POST destroy-stalled':
			return jsonResponse(200, { ok: true, destroyed: target.destroyStalled() });
		default:
			return own(action, req) ?? jsonResponse(404, { error: `unknown admin endpoint ${key}` });
	}
}
