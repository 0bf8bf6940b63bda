/**
 * What Fetch Test Event gives when no event is recent: the user still needs an item to map fields
 * from. It is the newest older event, or one of the event's shape with made-up values, and either
 * is marked (`sample: true` and a `notice`), so nobody takes it for a real event. Polls of a
 * published workflow never produce these.
 */
import type { IDataObject } from 'n8n-workflow';

/** Added to a sample item; real events never have them. */
export function asSample(json: IDataObject, notice: string): IDataObject {
	return { ...json, sample: true, notice };
}

const MADE_UP_PRINTER_ID = 'P-0000';

/** Ink of a made-up job, in liters per color as Analytics reports it. */
const MADE_UP_INK = { cyan: 0.12, magenta: 0.1, yellow: 0.09, black: 0.15 };

/** A printer as GET /api/v1/printers lists it, with made-up values. */
export function madeUpPrinter(printerId: string | undefined, status: string): IDataObject {
	return {
		id: printerId ?? MADE_UP_PRINTER_ID,
		serialNumber: 'SAMPLE-0000',
		name: 'Sample Printer',
		status,
	};
}

/** One error of a printer, in the shape of New Printer Error's items. */
export function madeUpError(printerId: string | undefined, now: number): IDataObject {
	return {
		printerId: printerId ?? MADE_UP_PRINTER_ID,
		dateTime: new Date(now).toISOString(),
		errorNr: 0,
		errorMessage: 'Sample error',
		operator: '',
	};
}

/** One ended job, in the shape of Job Finished's items (with its ink when that option is on). */
export function madeUpJob(
	printerId: string | undefined,
	now: number,
	withInk: boolean,
): IDataObject {
	const job: IDataObject = {
		printerId: printerId ?? MADE_UP_PRINTER_ID,
		id: 0,
		title: 'Sample job',
		state: 'Finished',
		numberOfPrints: 1,
		numberOfPrintsDone: 1,
		startTime: new Date(now - 3_600_000).toISOString(),
		endTime: new Date(now).toISOString(),
	};
	return withInk ? { ...job, inkConsumption: { ...MADE_UP_INK } } : job;
}
