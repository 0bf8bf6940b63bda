/** Scripted entries as the API answers them, in the same shape as the clock grid's. */
import { iso } from './timelineInput';
import { DURST_ABORTED_SHARE, DURST_OPEN_JOB_NOMINAL_MS } from './timelineTypes';
import type { DurstScriptedError, DurstScriptedJob } from './timelineTypes';
import type { DurstError, DurstJob } from './types';

export function renderError(entry: DurstScriptedError): DurstError {
	const error: DurstError & { errorCode?: string } = {
		dateTime: iso(entry.at),
		errorNr: entry.errorNr,
		errorMessage: entry.errorMessage,
		operator: entry.operator,
	};
	if (entry.errorCode !== undefined) error.errorCode = entry.errorCode;
	return error;
}

/** A scripted job as of `now`: printing (prints done in proportion to the time) until `endAt`. */
export function renderJob(job: DurstScriptedJob, now: number): DurstJob {
	const total = job.numberOfPrints;
	const ended = job.endAt !== null && job.endAt <= now;
	let done: number;
	if (ended) {
		done =
			job.numberOfPrintsDone ??
			(job.endState === 'Finished' ? total : Math.floor(total * DURST_ABORTED_SHARE));
	} else {
		const elapsed = Math.max(0, now - job.startAt);
		done =
			job.endAt === null
				? Math.min(total - 1, Math.floor((total * elapsed) / DURST_OPEN_JOB_NOMINAL_MS))
				: Math.min(total, Math.floor((total * elapsed) / Math.max(1, job.endAt - job.startAt)));
	}
	// Same keys in the same order as the grid's jobs.
	return {
		id: job.id,
		title: job.title,
		state: ended ? job.endState : 'Printing',
		numberOfPrints: total,
		numberOfPrintsDone: done,
		startTime: iso(job.startAt),
		endTime: ended && job.endAt !== null ? iso(job.endAt) : null,
	};
}
