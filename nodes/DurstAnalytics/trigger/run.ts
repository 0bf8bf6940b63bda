/** One poll of the trigger as every part of it sees it: the session, the poll's clock and time zone. */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DurstSession } from '../transport/session';
import { openPollSession } from '../transport/session';

const TIMEOUT_SECONDS = 60;

export interface PollRun {
	ctx: IPollFunctions;
	session: DurstSession;
	now: number;
	/** Where times without an offset are read. */
	timeZone: string;
	/**
	 * The server's clock minus n8n's, from the Date header of its last answer (1 s resolution),
	 * or undefined when no answer had one.
	 */
	serverClockOffsetMs?: number;
}

/** Vendor times without an offset are read where the user says, else as n8n's own date fields are. */
function timeZone(ctx: IPollFunctions): string {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const zone = options.timeZone ?? '';
	if (zone === '') return ctx.getTimezone();
	try {
		if (typeof zone !== 'string') throw new RangeError();
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return zone;
	} catch {
		throw new NodeOperationError(ctx.getNode(), '"Time Zone" is not a time zone', {
			description: `Use an IANA name such as Europe/Vienna, or leave it empty for the workflow's time zone; it is ${JSON.stringify(zone)?.slice(0, 100)}.`,
		});
	}
}

/** Reads the time zone, then opens the session: a wrong option costs no request. */
export async function startRun(ctx: IPollFunctions): Promise<PollRun> {
	const zone = timeZone(ctx);
	return {
		ctx,
		session: await openPollSession(ctx, TIMEOUT_SECONDS),
		now: Date.now(),
		timeZone: zone,
	};
}
