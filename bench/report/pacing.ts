/**
 * The targets of issue 22 on the pacing cases: no item lost against a busy server in at most 3x the
 * time its capacity needs; against a queueing server our peak in flight near the knee and our time
 * within 1.2x of the best fixed setting; our own CPU per item not grown. The knee is measured from
 * the sweep of fixed settings (kneeOf).
 */
import type { PacingCaseId } from '../cases/specs';
import { CASES } from '../cases/specs';
import {
	BUSY,
	BUSY_TIME_FACTOR,
	KNEE_FACTOR,
	KNEE_TOLERANCE,
	QUEUE,
	QUEUE_TIME_LIMIT,
	SWEEP_IDS,
} from '../cases/pacingSpecs';
import { round } from './math';
import { withNoise } from './targets';
import type { Row, TargetCheck } from './types';

/** What 1,000 items need at the busy server's capacity: N / limit x latency. */
export const BUSY_IDEAL_MS = (BUSY.n / BUSY.capacity.limit) * BUSY.latencyMs;
export const BUSY_LIMIT_MS = BUSY_TIME_FACTOR * BUSY_IDEAL_MS;
/**
 * Our own code's CPU per item before issue 22: the build before pacing (af0590d) profiled as this
 * benchmark profiles now (100 µs sampling, samples counted: ../profile), N=1,000 at 0 ms, median of
 * 3 runs, 2026-12-03 (docs/benchmark.md, run O). The 0.071 of 2026-11-23 was sampled every 1 ms and
 * weighed by the time to the next sample: another measure, not comparable.
 */
export const CPU_BASELINE_MS = { durst: 0.101, watcher: 0.119 } as const;
/** "Does not grow": the baseline plus the profiles' run-to-run spread (about 10%). */
const CPU_GROWTH = 1.1;
export const CPU_LIMIT_MS = {
	durst: round(CPU_BASELINE_MS.durst * CPU_GROWTH, 3),
	watcher: round(CPU_BASELINE_MS.watcher * CPU_GROWTH, 3),
};

export const TARGET_BUSY = `Busy server: 0 lost items, <= ${BUSY_TIME_FACTOR}x ${BUSY_IDEAL_MS / 1000} s`;
export const TARGET_KNEE = `Queueing server: peak in flight <= ${KNEE_FACTOR}x the knee`;
export const TARGET_QUEUE_TIME = `Queueing server: <= ${QUEUE_TIME_LIMIT}x the best fixed setting`;
export const TARGET_CPU = `Our CPU per item <= ${CPU_GROWTH}x the build before pacing`;

export function pacingRow(rows: Row[], caseId: PacingCaseId): Row | undefined {
	return rows.find((row) => row.caseId === caseId);
}

/** A row that ran (at least one execution measured). */
function usable(row: Row | undefined): row is Row {
	return row !== undefined && row.failed.length < row.runs;
}

export function settingOf(row: Row): number {
	const concurrency = CASES[row.caseId].concurrency;
	return typeof concurrency === 'number' ? concurrency : Number.NaN;
}

export interface Knee {
	/** The fixed settings that ran and lost nothing, by setting. */
	sweep: Row[];
	best: Row;
	/** The smallest setting whose time is within KNEE_TOLERANCE of the best. */
	knee: Row;
}

export function kneeOf(rows: Row[]): Knee | undefined {
	const sweep = SWEEP_IDS.map((id) => pacingRow(rows, id))
		.filter(usable)
		.filter((row) => (row.pacing?.lost[1] ?? 0) === 0);
	if (sweep.length === 0) return undefined;
	const best = sweep.reduce((x, y) => (y.nodeTimeMs < x.nodeTimeMs ? y : x));
	const knee = sweep.find((row) => row.nodeTimeMs <= best.nodeTimeMs * KNEE_TOLERANCE) ?? best;
	return { sweep, best, knee };
}

function notMeasured(target: string, scope: string, why: string): TargetCheck {
	return { target, scope, measured: '-', limit: '-', status: 'failed', why };
}

function busyCheck(rows: Row[], caseId: PacingCaseId, what: string): TargetCheck | undefined {
	const row = pacingRow(rows, caseId);
	if (row === undefined) return undefined;
	const scope = `${what}, N=${BUSY.n.toLocaleString('en-US')}, ${BUSY.latencyMs} ms, ${BUSY.capacity.limit} at a time`;
	if (!usable(row) || row.pacing === undefined)
		return notMeasured(TARGET_BUSY, scope, `the case failed: ${row.failed[0] ?? 'no result'}`);
	const lost = row.pacing.lost[1];
	const check: TargetCheck = {
		target: TARGET_BUSY,
		scope,
		measured: `${lost} lost (worst of ${row.runs} runs), ${row.nodeTimeMs} ms, ${row.pacing.tries[1]} tries, ${row.pacing.refused[1]} refused, ${row.maxInFlight ?? '?'} in flight`,
		limit: `0 lost, <= ${BUSY_LIMIT_MS} ms`,
		status: lost === 0 && row.nodeTimeMs <= BUSY_LIMIT_MS ? 'pass' : 'miss',
	};
	if (check.status === 'miss')
		check.why =
			lost > 0
				? `${row.pacing.runsLosing} of ${row.runs} runs lost items${row.pacing.runError !== undefined ? `; the run failed: ${row.pacing.runError}` : ''}.`
				: `No item lost, but ${round(row.nodeTimeMs / BUSY_IDEAL_MS, 2)}x the ${BUSY_IDEAL_MS} ms the server's capacity needs.`;
	return withNoise(check, [row]);
}

function queueChecks(rows: Row[]): TargetCheck[] {
	const ours = pacingRow(rows, 'qD');
	if (ours === undefined) return [];
	const scope = `Durst (qD), N=${QUEUE.n.toLocaleString('en-US')}, ${QUEUE.latencyMs} ms, server K=${QUEUE.capacity.limit}`;
	const knee = kneeOf(rows);
	if (!usable(ours) || ours.pacing === undefined || knee === undefined) {
		const why = !usable(ours)
			? `the case failed: ${pacingRow(rows, 'qD')?.failed[0] ?? 'no result'}`
			: 'no fixed setting of the sweep ran without losing items: the knee is not known';
		return [notMeasured(TARGET_KNEE, scope, why), notMeasured(TARGET_QUEUE_TIME, scope, why)];
	}
	const kneeSetting = settingOf(knee.knee);
	const peak = ours.maxInFlight ?? Number.NaN;
	const lost = ours.pacing.lost[1];
	const peakCheck: TargetCheck = {
		target: TARGET_KNEE,
		scope,
		measured: `peak ${peak} in flight (server's line up to ${ours.pacing.peakWaiting}); knee ${kneeSetting}`,
		limit: `<= ${KNEE_FACTOR * kneeSetting}`,
		status: peak <= KNEE_FACTOR * kneeSetting && lost === 0 ? 'pass' : 'miss',
	};
	if (peakCheck.status === 'miss')
		peakCheck.why =
			lost > 0
				? `${lost} items lost.`
				: `${round(peak / kneeSetting, 1)}x the knee: requests beyond the server's ${QUEUE.capacity.limit} only wait in its line.`;
	const ratio = ours.nodeTimeMs / Math.max(knee.best.nodeTimeMs, 1);
	const timeCheck: TargetCheck = {
		target: TARGET_QUEUE_TIME,
		scope,
		measured: `${ratio.toFixed(2)}x (${ours.nodeTimeMs} vs ${knee.best.nodeTimeMs} ms at fixed ${settingOf(knee.best)})`,
		limit: `<= ${QUEUE_TIME_LIMIT}x`,
		status: ratio <= QUEUE_TIME_LIMIT && lost === 0 ? 'pass' : 'miss',
	};
	if (timeCheck.status === 'miss')
		timeCheck.why =
			lost > 0
				? `${lost} items lost.`
				: `${round(ours.nodeTimeMs - knee.best.nodeTimeMs)} ms slower than the best fixed setting.`;
	return [withNoise(peakCheck, [ours, knee.best]), withNoise(timeCheck, [ours, knee.best])];
}

/** Only runs with `--cpu-prof` measure it: default settings, N=1,000 at 0 ms, as the baseline was. */
function cpuChecks(rows: Row[]): TargetCheck[] {
	return rows
		.filter(
			(row) =>
				(row.caseId === 'e' || row.caseId === 'wC10') &&
				row.n === 1000 &&
				row.latencyMs === 0 &&
				row.ourCpuMsPerItem !== null,
		)
		.map((row) => {
			const value = row.ourCpuMsPerItem ?? Number.NaN;
			const product = row.product === 'durst' ? 'durst' : 'watcher';
			const limit = CPU_LIMIT_MS[product];
			const check: TargetCheck = {
				target: TARGET_CPU,
				scope: `${product === 'durst' ? 'Durst (e)' : 'Watcher (wC10)'}, N=1,000, 0 ms`,
				measured: `${value} ms/item`,
				limit: `<= ${limit} ms/item (before pacing ${CPU_BASELINE_MS[product]})`,
				status: value <= limit ? 'pass' : 'miss',
			};
			if (check.status === 'miss')
				check.why = `Our own code's self time per item grew by ${round(value - CPU_BASELINE_MS[product], 3)} ms over ${CPU_BASELINE_MS[product]}: \`node .run/tools/bench/profile.js DIR --n 1000\` lists the functions.`;
			return check;
		});
}

export function pacingChecks(rows: Row[]): TargetCheck[] {
	const busy = [busyCheck(rows, 'bD', 'Durst (bD)'), busyCheck(rows, 'bW', 'Watcher (bW)')].filter(
		(check): check is TargetCheck => check !== undefined,
	);
	return [...busy, ...queueChecks(rows), ...cpuChecks(rows)];
}
