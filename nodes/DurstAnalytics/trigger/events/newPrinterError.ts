/** New Printer Error: every error entry of the watched printers not reported before. */
import type { Finder, Found } from '../windowed';
import { inWindow } from '../windowed';
import { eachPrinter, periodEntries, vendorTime, watchedPrinterIds } from '../printers';
import { eventKey } from '../state';

export const option = {
	name: 'New Printer Error',
	value: 'newPrinterError',
	description: 'A printer reports an error that was not reported before',
};

/** What "no events" is called in Fetch Test Event's message. */
export const noun = 'printer error';

export function finder(chosen: string[]): Finder {
	return async (run, window) => {
		const ids = await watchedPrinterIds(run, chosen);
		return await eachPrinter(run, ids, async (printerId) => {
			const errors = await periodEntries(run, printerId, 'errors', window.from, window.to);
			if (errors === undefined) return undefined;
			const found: Found[] = [];
			for (const error of errors) {
				// An entry without a date cannot be placed in a window, so it could never be forgotten.
				const at = vendorTime(error.dateTime, run.timeZone);
				if (at === undefined) continue;
				const key = eventKey(
					printerId,
					error.dateTime,
					error.errorNr,
					error.errorCode,
					error.errorMessage,
				);
				found.push({ key, at, printerId, json: { printerId, ...error } });
			}
			return inWindow(found, window);
		});
	};
}
