/**
 * Re-renders a finished run from its JSON without running n8n again (a run takes half an hour):
 *
 *   node .run/tools/bench/render.js [bench/results/<date>.json]   (default: the newest)
 *
 * Rebuilds rows, targets and notes from the recorded executions with the current report code,
 * rewrites that JSON and bench/results/latest.md, and prints the markdown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ResultsFile } from './report/types';
import { writeResults } from './report/write';

function main(): void {
	const dir = path.resolve(__dirname, '..', '..', '..', 'bench', 'results');
	const given = process.argv[2];
	let file: string;
	if (given !== undefined) file = path.resolve(given);
	else {
		// ISO dates sort as text.
		const newest = fs
			.readdirSync(dir)
			.filter((name) => /^\d{4}-.*\.json$/.test(name))
			.sort()
			.pop();
		if (newest === undefined) throw new Error(`no results in ${dir}: run the benchmark first`);
		file = path.join(dir, newest);
	}
	const results = JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile;
	const { text } = writeResults(
		path.dirname(file),
		results.meta,
		results.executions,
		file,
		results.linkFlow,
	);
	process.stdout.write(text);
}

main();
