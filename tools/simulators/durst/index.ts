/** The Durst Analytics simulator and the API vocabulary its tests use. */
export { DurstSimulator } from './simulator';
export type { DurstSimulatorOptions } from './simulator';
export type { DurstConfig } from './login';
export { DURST_PRINTERS } from './fixtures';
export {
	DURST_AUTH_HEADER,
	DURST_COLOURS,
	DURST_DEFAULT_USERS,
	DURST_ECHO_HEADER,
	DURST_ENDPOINTS,
	DURST_JOB_END_STATES,
	DURST_MAX_LIST_ENTRIES,
	DURST_PATHS,
	DURST_STATUSES,
	DURST_TOKEN_TTL_MS,
} from './types';
export type {
	DurstError,
	DurstInkConsumption,
	DurstJob,
	DurstJobDetail,
	DurstJobEndState,
	DurstJobState,
	DurstLoginMode,
	DurstPrinter,
	DurstPrinterDetail,
	DurstPrinterStatus,
	DurstRejectStatus,
	DurstUser,
	DurstVersion,
} from './types';
export { DurstTimelineError, parseIsoDate } from './timelineInput';
export type {
	DurstAddedPrinterInput,
	DurstScriptedError,
	DurstScriptedErrorInput,
	DurstScriptedJob,
	DurstScriptedJobInput,
	DurstStatusChange,
	DurstTime,
	DurstTimelineAction,
	DurstTimelinePrinter,
	DurstTimelineSnapshot,
} from './timelineTypes';
