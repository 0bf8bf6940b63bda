/**
 * The report's notes: observations that explain the numbers, computed from this run's rows where
 * they can be, and warnings when the run itself is suspect (a busy machine, a rebuilt dist/).
 */
import type { CaseId } from '../cases/specs';
import { BATCH_INTERVAL_MS, BATCH_SIZE } from '../cases/specs';
import { round } from './math';
import type { Execution, Row, RunMeta } from './types';

function noiseNote(meta: RunMeta): string | undefined {
	const load = Math.max(meta.machine.loadAverage[0], meta.loadAverageAfter[0]);
	// The benchmark keeps about one core busy itself (n8n, the simulators): only more than that is other work.
	if (load <= meta.machine.cores) return undefined;
	return (
		`Noise: the machine was busy (1-minute load average up to ${load} on ${meta.machine.cores} cores) while n8n, the simulators and ` +
		'other work shared it. Times of a few hundred ms can move by tens of percent between runs; compare ratios, not single digits.'
	);
}

/** "M at N=..., ..." of a case's rows that recorded the most requests in flight. */
function inFlight(rows: Row[], caseId: CaseId): string {
	return rows
		.filter((row) => row.caseId === caseId && row.maxInFlight !== null)
		.map((row) => `${row.maxInFlight} at N=${row.n}`)
		.join(', ');
}

function concurrencyNote(meta: RunMeta, rows: Row[]): string | undefined {
	if (!rows.some((row) => row.caseId === 'c' && row.maxInFlight !== null)) return undefined;
	return (
		`The HTTP Request node is concurrent, without limit: HttpRequestV3 (n8n-nodes-base ${meta.nodesBaseVersion}) builds the request of every ` +
		`input item and starts it at once, then awaits all of them together (Promise.allSettled). Seen at the simulator: (c) up to ` +
		`${inFlight(rows, 'c')} requests in flight; our node (a) ${inFlight(rows, 'a')}, (e) ${inFlight(rows, 'e')}.`
	);
}

function batchingNote(rows: Row[]): string {
	return (
		`HTTP Request Batching, checked in the V3 source: it only sleeps \`batchInterval\` ms before every \`batchSize\`-th item while the requests ` +
		`are being started, and not at all when the interval is 0 (then it changes nothing). It never waits for answers, so it spaces ` +
		`requests out in time but does not bound how many are in flight` +
		(rows.some((row) => row.caseId === 'f' && row.maxInFlight !== null)
			? ` (seen: (f) up to ${inFlight(rows, 'f')})`
			: '') +
		`. (f) uses ${BATCH_SIZE} items per ${BATCH_INTERVAL_MS} ms.`
	);
}

function scryptNote(meta: RunMeta): string {
	return (
		`Fixed cost of the Durst node in every new n8n process: one scrypt key derivation for the encrypted token entry in static data ` +
		`(${meta.scryptMs} ms on this machine), paid by the cold run to write the entry and by the warm run to read it. A long-running n8n ` +
		`keeps the derived key in memory, so there only the first execution pays it; here every case is a fresh \`n8n execute\`.`
	);
}

/** Per item, the sequential Watcher node against the warm Durst node at the same N and latency. */
function watcherGapNote(rows: Row[]): string | undefined {
	const watcherGap = rows
		.filter((row) => row.caseId === 'wSeq')
		.map((row) => {
			const durst = rows.find(
				(other) =>
					other.caseId === 'b' &&
					other.n === row.n &&
					other.latencyMs === row.latencyMs &&
					other.failed.length < other.runs,
			);
			return durst === undefined
				? undefined
				: `${round(row.msPerItem - durst.msPerItem, 2)} ms/item at N=${row.n}, ${row.latencyMs} ms`;
		})
		.filter((text): text is string => text !== undefined);
	if (watcherGap.length === 0) return undefined;
	return (
		`Extra time per item of the sequential Watcher node over the warm Durst node (both send one request per item and wait for it): ` +
		`${watcherGap.join('; ')} (negative: the Watcher node is cheaper). The Watcher node sends through ` +
		`helpers.httpRequestWithAuthentication with the credential it read once per execution, and its credential's authenticate is a ` +
		`function (no expression to evaluate per request); the Durst node sends its cached token with plain helpers.httpRequest. ` +
		`What is left of either is mostly n8n's request helper (axios, a new TCP connection per request: n8n's agent does not keep ` +
		`connections alive), which \`--cpu-prof DIR\` shows.`
	);
}

/** Other people's `npm run build` during a run shows as more than one dist/ fingerprint. */
function rebuiltWarning(executions: Execution[]): string | undefined {
	const builds = [
		...new Set(
			executions
				.map((execution) => execution.dist)
				.filter((dist): dist is string => dist !== undefined),
		),
	];
	if (builds.length <= 1) return undefined;
	const byBuild = builds.map((dist) => {
		const ran = executions.filter((execution) => execution.dist === dist);
		return `${dist}: ${ran.length} executions, first (${ran[0].caseId}) N=${ran[0].n} ${ran[0].latencyMs} ms`;
	});
	return (
		`WARNING: dist/ was rebuilt with different code during this run (someone ran \`npm run build\`), so the rows mix code versions: ` +
		`${byBuild.join('; ')}. Re-run before quoting these numbers.`
	);
}

function crashNote(meta: RunMeta): string | undefined {
	if (meta.executionsCrashedAtExit === 0) return undefined;
	return (
		`${meta.executionsCrashedAtExit} execution(s) ended with n8n 2.40's known SIGSEGV at exit, after the run had completed and been printed; ` +
		'their results are complete and counted.'
	);
}

const METHOD_NOTE =
	"Method: every case is one `n8n execute --id` (a fresh process, so the Durst node's in-memory cache is empty and only static data " +
	'carries a token from (a) to (b)); simulator counters are reset before each case. `n8n execute` is started with a preload that makes ' +
	'its stdout blocking: otherwise n8n exits before a large printed run (about 2 MB at N=1,000) is written out.';

export function buildNotes(meta: RunMeta, rows: Row[], executions: Execution[]): string[] {
	const notes = [
		rebuiltWarning(executions),
		noiseNote(meta),
		concurrencyNote(meta, rows),
		batchingNote(rows),
		scryptNote(meta),
		watcherGapNote(rows),
		crashNote(meta),
		METHOD_NOTE,
	];
	return notes.filter((note): note is string => note !== undefined);
}
