/**
 * Turns a run's executions into its report: rows (one per case, N and latency; the fastest of the
 * repetitions), target checks, notes and markdown, written to bench/results/ beside the JSON that
 * `render.js` can rebuild them from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { BATCH_INTERVAL_MS, BATCH_SIZE } from '../cases/specs';
import { checkTargets } from './checkTargets';
import { markdown } from './markdown';
import { buildNotes } from './notes';
import { aggregate } from './rows';
import type { Execution, LinkFlowPart, ResultsFile, RunMeta } from './types';

/** Writes `<date>.json` (or `file` when given) and latest.md; returns the markdown. */
export function writeResults(
	dir: string,
	meta: RunMeta,
	executions: Execution[],
	file?: string,
	linkFlow?: LinkFlowPart,
): { text: string; jsonFile: string } {
	const rows = aggregate(executions);
	const targets = checkTargets(rows);
	const notes = buildNotes(meta, rows, executions);
	const text = markdown(meta, rows, targets, notes, linkFlow);
	fs.mkdirSync(dir, { recursive: true });
	// Colons are not allowed in file names everywhere (Windows checkouts).
	const jsonFile =
		file ?? path.join(dir, `${meta.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
	const json: ResultsFile = {
		meta,
		notes,
		rows,
		targets,
		executions,
		batching: { batchSize: BATCH_SIZE, batchIntervalMs: BATCH_INTERVAL_MS },
		linkFlow,
	};
	fs.writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
	fs.writeFileSync(path.join(dir, 'latest.md'), text);
	return { text, jsonFile };
}
