/**
 * The report's pacing section (issue 22): the busy server, our node and the HTTP Request node as
 * users configure it; the queueing server's sweep of fixed settings, its knee and our adaptive
 * pacing; and the headline's lines that say each target met or missed.
 */
import { BUSY, KNEE_TOLERANCE, QUEUE, SWEEP_IDS } from '../cases/pacingSpecs';
import type { PacingCaseId } from '../cases/specs';
import type { Knee } from './pacing';
import {
	BUSY_IDEAL_MS,
	TARGET_BUSY,
	TARGET_CPU,
	TARGET_KNEE,
	TARGET_QUEUE_TIME,
	kneeOf,
	pacingRow,
	settingOf,
} from './pacing';
import { DEFAULT_LIMIT, TARGET_DEFAULT } from './targets';
import type { Row, TargetCheck } from './types';

const BUSY_IDS: PacingCaseId[] = ['bD', 'bDH', 'bDHb', 'bDHr', 'bDHc', 'bW', 'bWH', 'bWHb', 'bWHr'];

function span([low, high]: [number, number]): string {
	return low === high ? String(low) : `${low}-${high}`;
}

function cell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function busyLine(row: Row): string {
	const p = row.pacing;
	if (p === undefined || row.failed.length === row.runs)
		return `| (${row.caseId}) ${cell(row.label)} | FAILED: ${cell(row.failed[0] ?? 'no result')} | | | | | | |`;
	const lost = p.lost[1] === 0 ? '0' : `**${span(p.lost)}** (${p.runsLosing} of ${row.runs} runs)`;
	return `| (${row.caseId}) ${cell(row.label)} | ${row.nodeTimeMs.toLocaleString('en-US')} | ${row.runTimesMs.join(' / ')} | ${lost} | ${span(p.tries)} | ${span(p.refused)} | ${row.maxInFlight ?? '-'} | ${cell(p.runError ?? '')} |`;
}

function sweepLine(row: Row, knee: Knee | undefined, adaptive: boolean): string {
	const p = row.pacing;
	if (p === undefined || row.failed.length === row.runs)
		return `| ${adaptive ? '**adaptive (default)**' : `fixed ${settingOf(row)}`} | FAILED: ${cell(row.failed[0] ?? 'no result')} | | | | | |`;
	// A run that lost items (or was refused its settings) has no time worth comparing.
	const ratio =
		knee === undefined || p.lost[1] > 0
			? '-'
			: `${(row.nodeTimeMs / Math.max(knee.best.nodeTimeMs, 1)).toFixed(2)}x`;
	const mark = !adaptive && knee?.knee.caseId === row.caseId ? ' (knee)' : '';
	return `| ${adaptive ? '**adaptive (default)**' : `fixed ${settingOf(row)}${mark}`} | ${row.nodeTimeMs.toLocaleString('en-US')} | ${row.runTimesMs.join(' / ')} | ${ratio} | ${row.maxInFlight ?? '-'} | ${p.peakWaiting} | ${p.lost[1]}${p.runError !== undefined ? ` (${cell(p.runError)})` : ''} |`;
}

export function pacingSection(rows: Row[]): string[] {
	const busy = BUSY_IDS.map((id) => pacingRow(rows, id)).filter(
		(row): row is Row => row !== undefined,
	);
	const sweep = SWEEP_IDS.map((id) => pacingRow(rows, id)).filter(
		(row): row is Row => row !== undefined,
	);
	const adaptive = pacingRow(rows, 'qD');
	if (busy.length === 0 && sweep.length === 0 && adaptive === undefined) return [];
	const knee = kneeOf(rows);
	const lines = ['## Pacing: busy and queueing servers (issue 22)', ''];
	if (busy.length > 0)
		lines.push(
			`Busy server: ${BUSY.n.toLocaleString('en-US')} items at ${BUSY.latencyMs} ms; it serves ${BUSY.capacity.limit} at a time and answers the rest at once with 503 and \`Retry-After: ${BUSY.capacity.retryAfter ?? 1}\` (${BUSY.capacity.limit} at a time need ${BUSY_IDEAL_MS} ms). ` +
				'Lost: items without their answer in the output (an error item, a missing item, or all of them when the execution failed), worst run. Tries: data requests the server received (every try of every item). 503s: requests it refused. Peak in flight: the most requests the server held at once; a refusal is answered at once, so here it stays at the limit + 1 whatever the client sends (the client concurrency shows in the tries and 503s).',
			'',
			'| Case | Node time ms (best) | All runs ms | Lost of 1,000 | Tries | 503s | Peak in flight | Execution error |',
			'|---|---:|---:|---|---:|---:|---:|---|',
			...busy.map(busyLine),
			'',
		);
	if (sweep.length > 0 || adaptive !== undefined) {
		lines.push(
			`Queueing server: ${QUEUE.n.toLocaleString('en-US')} Durst items at ${QUEUE.latencyMs} ms; it serves K = ${QUEUE.capacity.limit} at a time and lets the rest wait in line, so a request beyond K only waits longer. ` +
				`The knee is measured, not assumed: the smallest fixed setting whose time is within ${Math.round((KNEE_TOLERANCE - 1) * 100)}% of the best fixed setting's` +
				(knee === undefined
					? ' (not known: no fixed setting ran without losing items).'
					: `: **${settingOf(knee.knee)}** (best: fixed ${settingOf(knee.best)}, ${knee.best.nodeTimeMs} ms; the server's own limit K is ${QUEUE.capacity.limit}).`),
			'',
			'| Pacing | Node time ms (best) | All runs ms | vs best fixed | Peak in flight | Server line (peak) | Lost |',
			'|---|---:|---:|---:|---:|---:|---:|',
			...(adaptive === undefined ? [] : [sweepLine(adaptive, knee, true)]),
			...sweep.map((row) => sweepLine(row, knee, false)),
			'',
		);
	}
	return lines;
}

function verdict(checks: TargetCheck[], target: string, scope?: string): TargetCheck[] {
	return checks.filter(
		(check) => check.target === target && (scope === undefined || check.scope.includes(scope)),
	);
}

function bullet(check: TargetCheck): string {
	const status =
		check.status === 'pass'
			? 'met'
			: check.status === 'miss'
				? 'MISSED'
				: check.status.toUpperCase();
	return `- **${check.target}** (${check.scope}): **${status}**, ${check.measured} (limit ${check.limit})${check.why !== undefined ? `. ${check.why}` : ''}`;
}

/** What the HTTP Request node did on the busy server, one phrase per configuration. */
function httpLosses(rows: Row[]): string | undefined {
	const phrases = (['bDH', 'bDHb', 'bDHr', 'bDHc', 'bWH', 'bWHb', 'bWHr'] as PacingCaseId[])
		.map((id) => pacingRow(rows, id))
		.filter((row): row is Row => row?.pacing !== undefined)
		.map((row) => {
			const p = row.pacing;
			if (p === undefined) return '';
			return `(${row.caseId}) lost ${span(p.lost)} in ${row.nodeTimeMs} ms after ${span(p.tries)} tries${p.runError !== undefined ? ' (the execution failed)' : ''}`;
		});
	if (phrases.length === 0) return undefined;
	return `- HTTP Request node on the busy server: ${phrases.join('; ')}.`;
}

/** The headline's issue-22 lines: every target, met or missed, with its numbers. */
export function pacingHeadline(rows: Row[], checks: TargetCheck[]): string[] {
	const healthy = verdict(checks, TARGET_DEFAULT, 'N=1,000, 20 ms');
	const lines = ['Issue 22 targets (adaptive pacing):', ''];
	if (healthy.length === 0)
		lines.push(
			`- **${TARGET_DEFAULT}** (N=1,000, 20 ms): not measured in this run (\`--n 1000 --latency 20\`).`,
		);
	lines.push(...healthy.map(bullet));
	for (const target of [TARGET_BUSY, TARGET_KNEE, TARGET_QUEUE_TIME]) {
		const found = verdict(checks, target);
		lines.push(...(found.length > 0 ? found.map(bullet) : [`- **${target}**: not run.`]));
	}
	const losses = httpLosses(rows);
	if (losses !== undefined) lines.push(losses);
	const cpu = verdict(checks, TARGET_CPU);
	lines.push(
		...(cpu.length > 0
			? cpu.map(bullet)
			: [
					`- **${TARGET_CPU}**: measured only with \`--cpu-prof DIR --n 1000 --latency 0 --cases e,wC10\`.`,
				]),
	);
	lines.push(
		'',
		`(Healthy-server limit ${DEFAULT_LIMIT}x; every scope in the Targets table below.)`,
		'',
	);
	return lines;
}
