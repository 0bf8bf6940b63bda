/** The printers a poll looks at, and per-printer calls in which one missing printer stops nothing. */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toDate } from '../../shared/dates';
import { idProblem, idText, segment } from '../../shared/ids';
import { isRecord } from '../../shared/values';
import { DurstForbiddenError, durstApiRequest } from '../transport/request';
import type { PollRun } from './run';

/** Printers one poll visits at most: each costs a request per poll. */
export const MAX_PRINTERS = 500;

export interface Printer {
	id: string;
	json: IDataObject;
}

/**
 * An ID from the server becomes a path segment and part of log lines: "." and ".." would change the
 * path, "/" and "\" are refused by the request layer (a decoding proxy would follow them), and a
 * control character would forge log lines. Such a printer is left out, not a reason to fail the poll.
 */
function printerId(value: unknown): string | undefined {
	const id = idText(value);
	return idProblem(id) === undefined ? id : undefined;
}

/** GET /api/v1/printers, entries without a usable `id` left out. */
export async function listPrinters(run: PollRun): Promise<Printer[]> {
	const response = await durstApiRequest(run.session, {
		method: 'GET',
		path: '/api/v1/printers',
		expectJson: true,
	});
	if (!Array.isArray(response.body)) {
		throw new NodeOperationError(
			run.ctx.getNode(),
			'Durst Analytics answered GET /api/v1/printers with something that is not a list',
			{
				description:
					'The trigger needs the list of printers; the server may not be Durst Analytics.',
			},
		);
	}
	const printers: Printer[] = [];
	const ids = new Set<string>();
	for (const entry of response.body as unknown[]) {
		if (!isRecord(entry)) continue;
		const id = printerId((entry as IDataObject).id);
		// A printer listed twice counts once (the first entry), or its status would flip every poll.
		if (id === undefined || ids.has(id)) continue;
		ids.add(id);
		printers.push({ id, json: entry as IDataObject });
	}
	if (printers.length > MAX_PRINTERS) {
		throw new NodeOperationError(
			run.ctx.getNode(),
			`Durst Analytics lists ${printers.length} printers; the trigger watches at most ${MAX_PRINTERS}`,
			{ description: 'Choose the printers to watch under "Printer Names or IDs".' },
		);
	}
	return printers;
}

/** The chosen printers' IDs, or every printer's when none is chosen. */
export async function watchedPrinterIds(run: PollRun, chosen: string[]): Promise<string[]> {
	if (chosen.length > 0) return chosen;
	return (await listPrinters(run)).map((printer) => printer.id);
}

/**
 * One call per printer, one after another (a print shop's server is not a cloud API). A printer
 * that is gone (the call gives undefined: 404) or that the user may not see (a 403 while the token
 * lives, which costs no login) is skipped with a warning in n8n's log, so one such printer cannot
 * silence the others; any other failure fails the poll, which then changes nothing, and the next
 * poll catches up.
 */
export async function eachPrinter<T>(
	run: PollRun,
	ids: string[],
	call: (id: string) => Promise<T[] | undefined>,
): Promise<T[]> {
	const results: T[] = [];
	for (const id of ids) {
		const outcome = await call(id).then(
			(found) => ({ found }),
			(error: unknown) => ({ error }),
		);
		if ('error' in outcome) {
			// Errors of the call are the node's own (NodeApiError, NodeOperationError): passed on as they are.
			if (!(outcome.error instanceof DurstForbiddenError)) throw outcome.error;
			run.ctx.logger.warn(
				`Durst Analytics Trigger: the user may not see printer "${id.slice(0, 100)}" (status 403); skipped in this poll`,
			);
			continue;
		}
		const { found } = outcome;
		if (found !== undefined) results.push(...found);
		else {
			run.ctx.logger.warn(
				`Durst Analytics Trigger: printer "${id.slice(0, 100)}" was not found (status 404); skipped in this poll`,
			);
		}
	}
	return results;
}

/** POST /api/v1/printers/{id}/<list> over a period: the vendor's entries that are objects; undefined on 404. */
export async function periodEntries(
	run: PollRun,
	id: string,
	list: 'errors' | 'jobs',
	from: number,
	to: number,
): Promise<IDataObject[] | undefined> {
	const response = await durstApiRequest(run.session, {
		method: 'POST',
		path: `/api/v1/printers/${segment(id)}/${list}`,
		body: { startDate: new Date(from).toISOString(), endDate: new Date(to).toISOString() },
		expectJson: true,
		notFoundIsAnswer: true,
		readOnly: true,
	});
	if (response.statusCode === 404) return undefined;
	const serverDate = Date.parse(String(response.headers.date ?? ''));
	if (Number.isFinite(serverDate)) run.serverClockOffsetMs = serverDate - Date.now();
	if (!Array.isArray(response.body)) {
		throw new NodeOperationError(
			run.ctx.getNode(),
			`Durst Analytics answered POST /api/v1/printers/${segment(id).slice(0, 100)}/${list} with something that is not a list`,
			{ description: `The trigger expects a list of ${list}.` },
		);
	}
	return (response.body as unknown[]).filter((entry): entry is IDataObject => isRecord(entry));
}

/** A vendor timestamp in ms (without an offset: in `timeZone`), or undefined when it is not a date. */
export function vendorTime(value: unknown, timeZone: string): number | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	try {
		return toDate(value, timeZone)?.getTime();
	} catch {
		return undefined;
	}
}
