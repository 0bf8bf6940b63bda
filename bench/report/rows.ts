/**
 * The executions of a run as rows: one per case, N and latency, over its repetitions (the fastest
 * run's node time, medians of the rest), in the order the report shows them.
 */
import { CASES, CASE_ORDER } from '../cases/specs';
import { median, round } from './math';
import type { Execution, PacingRow, Row } from './types';

function range(values: number[]): [number, number] {
	return [Math.min(...values), Math.max(...values)];
}

/** A pacing case's counts over its runs (undefined for the matrix cases). */
function pacingOf(list: Execution[]): PacingRow | undefined {
	const outcomes = list.flatMap((execution) =>
		execution.pacing === undefined ? [] : [execution.pacing],
	);
	if (outcomes.length === 0) return undefined;
	const row: PacingRow = {
		lost: range(outcomes.map((outcome) => outcome.lost)),
		tries: range(outcomes.map((outcome) => outcome.tries)),
		refused: range(outcomes.map((outcome) => outcome.refused)),
		peakWaiting: Math.max(...outcomes.map((outcome) => outcome.peakWaiting)),
		runsLosing: outcomes.filter((outcome) => outcome.lost > 0).length,
	};
	const runError = outcomes.find((outcome) => outcome.runError !== undefined)?.runError;
	if (runError !== undefined) row.runError = runError;
	return row;
}

/** The row of one case, N and latency from its repetitions. */
function rowOf(list: Execution[]): Row {
	const first = list[0];
	const spec = CASES[first.caseId];
	const ok = list.filter((execution) => execution.error === undefined);
	// A failed repetition never contributes a number: a broken case must not look fast.
	const source = ok.length > 0 ? ok : list;
	const times = source.map((execution) => execution.nodeTimeMs);
	const logins = source
		.map((execution) => execution.logins)
		.filter((value): value is number => value !== null);
	const calls = source.map((execution) => execution.httpCalls);
	const inFlight = source
		.map((execution) => execution.maxInFlight)
		.filter((value): value is number => value !== null);
	const nodeTimeMs = Math.min(...times);
	const ourCpu = source
		.map((execution) => execution.ourCpuMs)
		.filter((value): value is number => value !== undefined);
	return {
		caseId: first.caseId,
		product: spec.product,
		label: spec.label,
		measuredNodes: spec.measured,
		n: first.n,
		latencyMs: first.latencyMs,
		runs: list.length,
		failed: list
			.filter((execution) => execution.error !== undefined)
			.map((execution) => execution.error as string),
		nodeTimeMs: round(nodeTimeMs),
		nodeTimeMedianMs: round(median(times)),
		runTimesMs: [...times].sort((x, y) => x - y),
		spread: round(Math.max(...times) / Math.max(nodeTimeMs, 1), 2),
		msPerItem: round(nodeTimeMs / first.n, 2),
		logins: logins.length > 0 ? Math.max(...logins) : null,
		loginsRange: logins.length > 0 ? [Math.min(...logins), Math.max(...logins)] : null,
		httpCalls: Math.max(...calls),
		httpCallsRange: [Math.min(...calls), Math.max(...calls)],
		maxInFlight: inFlight.length > 0 ? Math.max(...inFlight) : null,
		ourCpuMsPerItem: ourCpu.length > 0 ? round(median(ourCpu) / first.n, 3) : null,
		peakRssMb: round(median(source.map((execution) => execution.peakRssMb))),
		treePeakRssMb: round(median(source.map((execution) => execution.treePeakRssMb))),
		pacing: pacingOf(source),
	};
}

/** The matrix first (latency, then Durst before Watcher, then N, then the cases' own order), then the pacing cases in theirs. */
function sortKey(row: Row): number[] {
	const order = CASE_ORDER.indexOf(row.caseId);
	if (CASES[row.caseId].scenario !== undefined) return [1, order, row.latencyMs, 0, row.n];
	return [0, row.latencyMs, row.product === 'durst' ? 0 : 1, row.n, order];
}

export function aggregate(executions: Execution[]): Row[] {
	const groups = new Map<string, Execution[]>();
	for (const execution of executions) {
		const key = `${execution.caseId}|${execution.n}|${execution.latencyMs}`;
		const list = groups.get(key) ?? [];
		list.push(execution);
		groups.set(key, list);
	}
	const rows = [...groups.values()].map(rowOf);
	return rows.sort((x, y) => {
		const a = sortKey(x);
		const b = sortKey(y);
		for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
		return 0;
	});
}
