/**
 * Whether a refused token still lives, asked of the printer list: the call every Durst user may
 * make, so its answer tells a live token from a dead one.
 */
import type { Call } from '../../shared/transport/call';
import { answerError, exchange } from '../../shared/transport/request';
import { LruMap } from '../../shared/lru';
import { resolveApiUrl } from './apiUrl';
import type { DurstSession } from './session';
import { TOKEN_HEADER } from './vendor';

const PRINTER_LIST_PATH = '/api/v1/printers';

/**
 * Whether a token was alive, by the printer list. Probes are numbered in the order they start;
 * `seen` is the number of probes started when the refusal arrived. A token that died never comes
 * back, so a probe started after the refusal that finds the token alive proves it was alive when
 * refused; callers refused at once share one probe. A dead verdict of any probe means re-login.
 */
interface Probe {
	seq: number;
	alive: Promise<boolean>;
}
const probes = new LruMap<string, Probe>(100);
let probesStarted = 0;

/** How many probes have started: taken when a refusal arrives, it is the `seen` of `aliveSince`. */
export function probesSoFar(): number {
	return probesStarted;
}

async function probeToken(session: DurstSession, list: Call, token: string): Promise<boolean> {
	const call = { ...list, headers: { [TOKEN_HEADER]: token } };
	const answer = await exchange(session.node, session.endpoint, call, session.send);
	if (answer.statusCode === 401 || answer.statusCode === 403) return false;
	if (answer.statusCode >= 200 && answer.statusCode < 300) return true;
	throw answerError(session.node, session.endpoint, call, answer);
}

export async function aliveSince(
	session: DurstSession,
	list: Call,
	token: string,
	seen: number,
): Promise<boolean> {
	let probe = probes.get(token);
	if (probe && probe.seq <= seen) {
		// Started before the refusal arrived: only a dead verdict of it tells anything.
		if (!(await probe.alive.catch(() => true))) return false;
		probe = probes.get(token);
	}
	if (!probe || probe.seq <= seen) {
		probesStarted += 1;
		probe = { seq: probesStarted, alive: probeToken(session, list, token) };
		probes.set(token, probe);
	}
	return await probe.alive;
}

/** GET of the printer list as a Call, the way durstApiRequest builds calls. */
export function printerList(session: DurstSession): Call {
	const target = resolveApiUrl(session.endpoint.baseUrl, PRINTER_LIST_PATH);
	if ('problem' in target) throw new Error(`the printer list is out of reach: ${target.problem}`);
	return { method: 'GET', url: target.url, label: `GET ${target.pathname}` };
}
