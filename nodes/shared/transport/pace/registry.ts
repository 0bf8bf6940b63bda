/**
 * One pace per server and credential in this process, shared by every node and execution that uses
 * them at the same time: two workflows calling the same Analytics box share its limit instead of
 * doubling its load. Kept in module memory (n8n loads a node's code once per process), bounded.
 */
import { Pace } from './pace';

/** The most a pace may grow to, whatever the callers' ceilings: the top of Max Concurrent Requests. */
export const MAX_PACE_LIMIT = 200;
/**
 * Servers and credentials remembered at once; beyond it, idle paces are forgotten (a forgotten pace
 * starts again from the initial limit). A pace in use is never dropped: a second pace for the same
 * server would double its load.
 */
const MAX_PACES = 500;

const paces = new Map<string, Pace>();

function forgetIdle(): void {
	for (const [key, pace] of paces) {
		if (paces.size < MAX_PACES) return;
		if (pace.idle) paces.delete(key);
	}
}

/**
 * The pace for `server` (an origin plus path) used with the credential `credential` (its id, or
 * another non-secret name of it): never a secret, since the key lives in memory for the process.
 */
export function paceFor(vendor: string, server: string, credential: string): Pace {
	const key = JSON.stringify([vendor, server, credential]);
	let pace = paces.get(key);
	if (pace === undefined) {
		forgetIdle();
		pace = new Pace(MAX_PACE_LIMIT);
		paces.set(key, pace);
	}
	return pace;
}
