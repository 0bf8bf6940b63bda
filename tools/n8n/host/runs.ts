/** Reading the run object that `n8n execute` prints: the whole run, one node's items, its error. */
import { isRecord } from '../json';
import type { CliResult } from './cli';

export interface ExecuteResult extends CliResult {
	// code: 0 = success; 1 = the workflow failed (data.status 'error') or the command failed.
	/**
	 * n8n 2.40 with the 'vm' expression engine sometimes dies with SIGSEGV while exiting, after the
	 * run was complete, printed and saved (seen with short workflows: isolated-vm's teardown). Then
	 * this is true, `signal` is 'SIGSEGV' and `code` is derived from the run's status (0 or 1).
	 */
	crashedAtExit: boolean;
	/** The run object n8n printed (`{ data: { resultData: { runData, error?, lastNodeExecuted } }, status, mode, ... }`). */
	data: unknown;
}

/**
 * The run that `n8n execute --id=<workflowId>` (started at `started`) printed, undefined when it
 * printed none, and the one line to log about it instead of the long run JSON.
 */
export function readExecuteRun(
	workflowId: string,
	r: CliResult,
	started: number,
): { result: ExecuteResult | undefined; summary: string } {
	const data = parseExecuteOutput(r.stdout);
	const status = isRecord(data) && typeof data.status === 'string' ? data.status : 'no run';
	const error = runError(data);
	const crashedAtExit = r.signal === 'SIGSEGV' && (status === 'success' || status === 'error');
	const code = crashedAtExit ? (status === 'success' ? 0 : 1) : r.code;
	const summary =
		`workflow ${workflowId}: exit ${r.code}${r.signal !== null ? ` (${r.signal})` : ''}, ${status} in ${Date.now() - started} ms` +
		(error !== undefined ? ` (${String(error.message)})` : '') +
		(crashedAtExit
			? ` [n8n crashed while exiting after the run completed; treated as exit ${code}]`
			: '');
	return { result: data === undefined ? undefined : { ...r, code, crashedAtExit, data }, summary };
}

/**
 * Finds the run object that `n8n execute` prints (`JSON.stringify(run, null, 2)`), whatever log
 * lines come before or after it. Also understands N8N_LOG_FORMAT=json (the run is then the
 * `message` of one log line). Returns undefined when there is none.
 */
function parseExecuteOutput(stdout: string): unknown {
	const looksLikeRun = (v: unknown): boolean =>
		isRecord(v) && isRecord(v.data) && isRecord(v.data.resultData);
	const lines = stdout.split(/\r?\n/);
	let found: unknown;
	// Pretty-printed JSON: an outermost `{` line and the first `}` line after it at column 0
	// (nested lines are indented, and JSON strings cannot contain raw newlines).
	for (let i = 0; i < lines.length; i++) {
		if (lines[i].trimEnd() !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j].trimEnd() !== '}') continue;
			try {
				const value: unknown = JSON.parse(lines.slice(i, j + 1).join('\n'));
				if (looksLikeRun(value)) found = value;
				i = j;
			} catch {
				// not the JSON we want; keep looking
			}
			break;
		}
	}
	if (found !== undefined) return found;
	// One-line JSON (or JSON log lines whose message is the run).
	for (const line of lines) {
		const t = line.trim();
		if (!t.startsWith('{')) continue;
		try {
			const value: unknown = JSON.parse(t);
			if (looksLikeRun(value)) found = value;
			else if (isRecord(value) && typeof value.message === 'string') {
				const inner: unknown = JSON.parse(value.message);
				if (looksLikeRun(inner)) found = inner;
			}
		} catch {
			// ignore
		}
	}
	return found;
}

/** The `json` of the items a node produced in its first run (output 0 by default). */
export function nodeOutputItems(
	run: unknown,
	nodeName: string,
	outputIndex = 0,
	runIndex = 0,
): unknown[] {
	if (!isRecord(run) || !isRecord(run.data)) return [];
	const resultData = run.data.resultData;
	if (!isRecord(resultData) || !isRecord(resultData.runData)) return [];
	const runs = resultData.runData[nodeName];
	if (!Array.isArray(runs)) return [];
	const taskData: unknown = runs[runIndex];
	if (!isRecord(taskData) || !isRecord(taskData.data)) return [];
	const main = taskData.data.main;
	if (!Array.isArray(main)) return [];
	const items: unknown = main[outputIndex];
	if (!Array.isArray(items)) return [];
	return items.map((item: unknown) => (isRecord(item) ? item.json : undefined));
}

/** The error n8n recorded for the run (resultData.error), if any. */
export function runError(run: unknown): Record<string, unknown> | undefined {
	if (!isRecord(run) || !isRecord(run.data) || !isRecord(run.data.resultData)) return undefined;
	const error = run.data.resultData.error;
	return isRecord(error) ? error : undefined;
}
