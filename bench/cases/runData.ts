/**
 * Reads the run object `n8n execute --rawOutput` prints: a node's runs, their executionTime and
 * output items, and the workflow's duration. Anything missing reads as no runs or undefined.
 */
import { nodeOutputItems } from '../../tools/n8n/n8nHost';

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nodeRuns(run: unknown, nodeName: string): unknown[] {
	if (
		!isRecord(run) ||
		!isRecord(run.data) ||
		!isRecord(run.data.resultData) ||
		!isRecord(run.data.resultData.runData)
	)
		return [];
	const runs = run.data.resultData.runData[nodeName];
	return Array.isArray(runs) ? runs : [];
}

/**
 * executionTime of a node, from the run object `n8n execute --rawOutput` printed: summed over its
 * runs (one, except for the request node inside a Loop Over Items, which runs once per item).
 */
export function nodeExecutionTime(run: unknown, nodeName: string): number | undefined {
	const times = nodeRuns(run, nodeName).map((task) =>
		isRecord(task) ? task.executionTime : undefined,
	);
	if (times.length === 0 || times.some((time) => typeof time !== 'number')) return undefined;
	return (times as number[]).reduce((sum, time) => sum + time, 0);
}

/** The items of a node's first output, over all its runs. */
export function outputItems(run: unknown, nodeName: string): unknown[] {
	return nodeRuns(run, nodeName).flatMap((_, runIndex) =>
		nodeOutputItems(run, nodeName, 0, runIndex),
	);
}

export function workflowDuration(run: unknown): number | undefined {
	if (!isRecord(run) || typeof run.startedAt !== 'string' || typeof run.stoppedAt !== 'string')
		return undefined;
	const ms = Date.parse(run.stoppedAt) - Date.parse(run.startedAt);
	return Number.isFinite(ms) ? ms : undefined;
}
