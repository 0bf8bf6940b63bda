/**
 * Shared machinery of the vendor simulators (Flussonic Watcher, Durst Analytics): the base class,
 * request and response helpers, counters and the fault vocabulary tests use to break a server.
 */
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LOG_ENTRIES, SimulatorBase } from './base';
export type { SimulatorBaseOptions } from './base';
export { ADMIN_PREFIX } from './admin';
export {
	decodeSegment,
	emptyResponse,
	escapeHtml,
	firstHeader,
	headersToJson,
	htmlResponse,
	jsonResponse,
	mediaType,
	queryToObject,
	safeEqual,
} from './http';
export type { RouteResult, SimRequest, SimResponse } from './http';
export { isPlainObject, parseJson } from './json';
export type { JsonObject, JsonValue, ParsedJson } from './json';
export { SIM_HOST, readBody } from './server';
export type { LoggedRequest, SimStats } from './stats';

export {
	DEFAULT_CHUNK_INTERVAL_MS,
	DEFAULT_HUGE_BODY_BYTES,
	DEFAULT_SLOW_CHUNK,
	FAIL_MODES,
	NON_JSON_FAILURE_BODY,
	REDIRECT_STATUSES,
	parseFailureSpec,
	validateFailureSpec,
} from '../faults';
export type { FailMode, FailureSpec, FaultHeaders, HugeBodyFill, StalledMode } from '../faults';
