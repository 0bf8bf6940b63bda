/** Job Finished: every job of the watched printers that has ended since it was last looked at. */
import type { IDataObject } from 'n8n-workflow';

import { idProblem, idText, segment } from '../../../shared/ids';
import { durstApiRequest } from '../../transport/request';
import { eachPrinter, periodEntries, vendorTime, watchedPrinterIds } from '../printers';
import type { PollRun } from '../run';
import { eventKey } from '../state';
import type { Finder, Found } from '../windowed';
import { inWindow } from '../windowed';

export const option = {
	name: 'Job Finished',
	value: 'jobFinished',
	description: 'A print job ends (finished or aborted)',
};

export const noun = 'finished job';

/**
 * Analytics selects jobs by their start, and a job ends hours after it starts: the query reaches
 * this far before the window, and a job counts when its end is in the window.
 */
export const JOB_LOOKBACK_MS = 24 * 3_600_000;

export function finder(chosen: string[]): Finder {
	return async (run, window) => {
		const ids = await watchedPrinterIds(run, chosen);
		return await eachPrinter(run, ids, async (printerId) => {
			const jobs = await periodEntries(
				run,
				printerId,
				'jobs',
				window.from - JOB_LOOKBACK_MS,
				window.to,
			);
			if (jobs === undefined) return undefined;
			const found: Found[] = [];
			for (const job of jobs) {
				// Job states are not documented; a job with an end time has ended, whatever its state says.
				const at = vendorTime(job.endTime, run.timeZone);
				if (at === undefined) continue;
				const key = eventKey(printerId, job.id, job.startTime);
				found.push({ key, at, printerId, json: { printerId, ...job } });
			}
			return inWindow(found, window);
		});
	};
}

/**
 * Adds each job's ink consumption. A job whose consumption cannot be read still goes out, with the
 * reason: one broken job must not hold back every later event.
 */
export async function withInkConsumption(run: PollRun, events: Found[]): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	for (const event of events) {
		const jobId = event.json.id;
		try {
			const id = idText(jobId);
			// A "/" or "\" is left to the request layer, whose refusal then names the cause.
			if (idProblem(id, { segmentOnly: true }) !== undefined)
				throw new Error('The job has no usable ID, so its ink consumption cannot be asked for');
			const response = await durstApiRequest(run.session, {
				method: 'GET',
				path: `/api/v1/printers/${segment(event.printerId)}/jobs/${segment(id)}/inkConsumption`,
				expectJson: true,
			});
			items.push({ ...event.json, inkConsumption: response.body as IDataObject });
		} catch (error) {
			items.push({
				...event.json,
				inkConsumption: null,
				inkConsumptionError: (error as Error).message,
			});
		}
	}
	return items;
}
