/**
 * Applies the targets (bench/report/targets.ts) to every N and latency of a run. A target whose
 * cases failed says so instead of judging: a broken case must not pass or miss silently.
 */
import type { CaseId } from '../cases/specs';
import {
	DEFAULT_LIMIT,
	EQUAL_IN_FLIGHT_LIMIT,
	TARGET_DEFAULT,
	TARGET_EQUAL,
	TARGET_SEQUENTIAL,
	TARGET_SPEEDUP,
	TARGET_WARM_CACHE,
	TARGET_WATCHER_BOUND,
	ratioCheck,
	scope,
	sequentialCheck,
	speedupCheck,
	watcherBoundCheck,
	withNoise,
} from './targets';
import { pacingChecks } from './pacing';
import type { Row, TargetCheck } from './types';

/** The [N, latency] pairs a run measured. */
type Combo = number[];

/** The row of a case, whatever its runs did. */
function anyRow(rows: Row[], caseId: CaseId, n: number, latencyMs: number): Row | undefined {
	return rows.find((row) => row.caseId === caseId && row.n === n && row.latencyMs === latencyMs);
}

/** The row of a case if at least one of its runs succeeded. */
function usableRow(rows: Row[], caseId: CaseId, n: number, latencyMs: number): Row | undefined {
	const row = anyRow(rows, caseId, n, latencyMs);
	return row !== undefined && row.failed.length < row.runs ? row : undefined;
}

function failedOf(...rows: Array<Row | undefined>): string | undefined {
	const broken = rows.filter((row): row is Row => row !== undefined && row.failed.length > 0);
	return broken.length > 0
		? broken.map((row) => `(${row.caseId}) ${row.failed[0]}`).join('; ')
		: undefined;
}

function failedCheck(target: string, where: string, reason: string): TargetCheck {
	return {
		target,
		scope: where,
		measured: '-',
		limit: '-',
		status: 'failed',
		why: `a case failed: ${reason}`,
	};
}

function warmCacheChecks(rows: Row[], combos: Combo[]): TargetCheck[] {
	const checks: TargetCheck[] = [];
	for (const [n, latency] of combos) {
		const b = usableRow(rows, 'b', n, latency);
		if (anyRow(rows, 'b', n, latency) === undefined) continue;
		const broken = failedOf(anyRow(rows, 'b', n, latency));
		if (b === undefined || broken !== undefined) {
			checks.push(failedCheck(TARGET_WARM_CACHE, scope(n, latency), broken ?? 'no result'));
			continue;
		}
		const check: TargetCheck = {
			target: TARGET_WARM_CACHE,
			scope: scope(n, latency),
			measured: `${b.logins ?? '-'} login(s)`,
			limit: '0',
			status: b.logins === 0 ? 'pass' : 'miss',
		};
		if (check.status === 'miss')
			check.why =
				'The warm run logged in: the token saved by the cold run was not found or not usable.';
		checks.push(check);
	}
	return checks;
}

/**
 * A target that compares two cases at one N and latency: none if either was not run, failed if
 * either failed, else `check`.
 */
function comparePair(
	rows: Row[],
	target: string,
	[n, latency]: Combo,
	[firstId, secondId, what]: [CaseId, CaseId, string],
	check: (first: Row, second: Row) => TargetCheck,
): TargetCheck | undefined {
	const firstAny = anyRow(rows, firstId, n, latency);
	const secondAny = anyRow(rows, secondId, n, latency);
	if (firstAny === undefined || secondAny === undefined) return undefined;
	const broken = failedOf(firstAny, secondAny);
	const first = usableRow(rows, firstId, n, latency);
	const second = usableRow(rows, secondId, n, latency);
	if (broken !== undefined || first === undefined || second === undefined)
		return failedCheck(target, `${what}, ${scope(n, latency)}`, broken ?? 'no result');
	return withNoise(check(first, second), [first, second]);
}

function present(checks: Array<TargetCheck | undefined>): TargetCheck[] {
	return checks.filter((check): check is TargetCheck => check !== undefined);
}

/** Default settings and equal requests in flight: our node's time over HTTP Request's. */
function ratioChecks(rows: Row[], combos: Combo[]): TargetCheck[] {
	const pairs: Array<[string, number, CaseId, CaseId, string]> = [
		[TARGET_DEFAULT, DEFAULT_LIMIT, 'e', 'c', 'Durst (e) vs (c)'],
		[TARGET_DEFAULT, DEFAULT_LIMIT, 'wC10', 'wHttp', 'Watcher (wC10) vs (wHttp)'],
		[TARGET_DEFAULT, DEFAULT_LIMIT, 'wWarm', 'wHttp', 'Watcher, key derived (wWarm) vs (wHttp)'],
		[TARGET_EQUAL, EQUAL_IN_FLIGHT_LIMIT, 'e20', 'f20', 'Durst (e20) vs (f20)'],
		[TARGET_EQUAL, EQUAL_IN_FLIGHT_LIMIT, 'w20', 'wH20', 'Watcher (w20) vs (wH20)'],
	];
	return present(
		combos.flatMap((combo) =>
			pairs.map(([target, limit, oursId, theirsId, what]) =>
				comparePair(rows, target, combo, [oursId, theirsId, what], (ours, theirs) =>
					ratioCheck(target, limit, ours, theirs, what),
				),
			),
		),
	);
}

function sequentialChecks(rows: Row[], combos: Combo[]): TargetCheck[] {
	return present(
		combos.flatMap((combo) => {
			const n = combo[0];
			const pairs: Array<[CaseId, CaseId, string, number]> = [
				['a', 'c', 'Durst (a) vs (c)', n + 1],
				['a', 'g', 'Durst (a) vs (g), both one at a time', n + 1],
				['wSeq', 'wHttp', 'Watcher (wSeq) vs (wHttp)', n],
				['wSeq', 'wLoop', 'Watcher (wSeq) vs (wLoop), both one at a time', n],
			];
			return pairs.map(([oursId, theirsId, what, calls]) =>
				comparePair(rows, TARGET_SEQUENTIAL, combo, [oursId, theirsId, what], (ours, theirs) =>
					sequentialCheck(ours, theirs, calls, what),
				),
			);
		}),
	);
}

function speedupChecks(rows: Row[], combos: Combo[]): TargetCheck[] {
	const pairs: Array<[CaseId, CaseId, string]> = [
		['a', 'e', 'Durst (a) vs (e)'],
		['wSeq', 'wC10', 'Watcher'],
	];
	return present(
		combos
			.filter(([, latency]) => latency !== 0)
			.flatMap((combo) =>
				pairs.map((pair) =>
					comparePair(rows, TARGET_SPEEDUP, combo, pair, (sequential, concurrent) =>
						speedupCheck(sequential, concurrent, pair[2]),
					),
				),
			),
	);
}

function watcherBoundChecks(rows: Row[], combos: Combo[]): TargetCheck[] {
	// Fixed pacing: the bound assumes exactly that many in flight.
	const cases: Array<[CaseId, number]> = [
		['wSeq', 1],
		['w20', 20],
	];
	const checks: TargetCheck[] = [];
	for (const [n, latency] of combos) {
		for (const [caseId, concurrency] of cases) {
			const any = anyRow(rows, caseId, n, latency);
			if (any === undefined) continue;
			const broken = failedOf(any);
			const row = usableRow(rows, caseId, n, latency);
			if (broken !== undefined || row === undefined) {
				checks.push(
					failedCheck(
						TARGET_WATCHER_BOUND,
						`concurrency ${concurrency}, ${scope(n, latency)}`,
						broken ?? 'no result',
					),
				);
			} else
				checks.push(
					row.latencyMs === 0
						? watcherBoundCheck(row, concurrency)
						: withNoise(watcherBoundCheck(row, concurrency), [row]),
				);
		}
	}
	return checks;
}

export function checkTargets(rows: Row[]): TargetCheck[] {
	const matrix = rows.filter((row) => row.pacing === undefined);
	const combos = [...new Set(matrix.map((row) => `${row.n}|${row.latencyMs}`))].map((key) =>
		key.split('|').map(Number),
	);
	return [
		...warmCacheChecks(rows, combos),
		...ratioChecks(rows, combos),
		...sequentialChecks(rows, combos),
		...speedupChecks(rows, combos),
		...watcherBoundChecks(rows, combos),
		...pacingChecks(rows),
	];
}
