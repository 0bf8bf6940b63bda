/**
 * Injected faults of the simulators: what a broken or hostile server answers instead of the real API.
 * `SimulatorBase.failNext(spec)` (and `POST /__sim/fail` with the spec as JSON) queues one of these.
 */
export {
	DEFAULT_CHUNK_INTERVAL_MS,
	DEFAULT_HUGE_BODY_BYTES,
	DEFAULT_SLOW_CHUNK,
	FAIL_MODES,
	MAX_HUGE_BODY_BYTES,
	NON_JSON_FAILURE_BODY,
	REDIRECT_STATUSES,
	validateFailureSpec,
} from './spec';
export type { FailMode, FailureSpec, FaultHeaders, HugeBodyFill, StalledMode } from './spec';
export { parseFailureSpec } from './parse';
export { serveFault } from './serve';
export type { FaultContext, StalledResponse } from './streams';
