/**
 * One execution of one case: `n8n execute` of its workflow with the simulators' counters reset,
 * its memory sampled and (with --cpu-prof) its CPU profiled, and its answer checked, so that a fast
 * wrong answer cannot pass as fast.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nHost } from '../../tools/n8n/n8nHost';
import { runError } from '../../tools/n8n/n8nHost';
import { log } from '../log';
import type { MemoryPeak } from '../procmem';
import { ProcessTreeSampler } from '../procmem';
import { readProfiles, summarize } from '../profile';
import type { Execution } from '../report/types';
import { session } from '../session';
import { nodeExecutionTime, outputItems, workflowDuration } from './runData';
import type { Sims } from './scenario';
import { WATCHER_TOKEN_ENDPOINT, applyScenario, isExpectedItem, pacingOutcome } from './scenario';
import type { CaseSpec } from './specs';

export type { Sims } from './scenario';

/** One execution of the plan: a case at one N, latency and repetition, and its workflow's id. */
/** The CPU profile's sampling interval. */
const PROFILE_INTERVAL_US = 100;

export interface Step {
	spec: CaseSpec;
	id: string;
	n: number;
	latencyMs: number;
	rep: number;
}

type HostResult = Awaited<ReturnType<N8nHost['execute']>>;

interface Sampled {
	result?: HostResult;
	/** The first line of why `n8n execute` could not be run or timed out. */
	failure?: string;
	memory: MemoryPeak;
	processMs: number;
}

/** Throws unless the case produced exactly N good items and the server saw N data calls. */
function validate(spec: CaseSpec, n: number, run: unknown, sims: Sims): void {
	const error = runError(run);
	if (error !== undefined) throw new Error(`the run failed: ${String(error.message)}`);
	const items = outputItems(run, spec.outputNode);
	if (items.length !== n)
		throw new Error(`"${spec.outputNode}" produced ${items.length} items, expected ${n}`);
	const wrong = items.findIndex((item) => !isExpectedItem(spec, item));
	if (wrong >= 0)
		throw new Error(
			`item ${wrong} of "${spec.outputNode}" is not the expected answer: ${JSON.stringify(items[wrong]).slice(0, 200)}`,
		);
	for (const name of spec.measured) {
		if (nodeExecutionTime(run, name) === undefined)
			throw new Error(`no executionTime for "${name}" in the run data`);
	}
	if (spec.product === 'durst' && sims.durst.requests !== n) {
		throw new Error(`Durst saw ${sims.durst.requests} authenticated data calls, expected ${n}`);
	}
	if (spec.product === 'watcher') {
		const calls = sims.watcher.callCount(WATCHER_TOKEN_ENDPOINT);
		const expected = spec.warmUp === true ? n + 1 : n;
		if (calls !== expected) {
			throw new Error(`Watcher saw ${calls} token requests, expected ${expected}`);
		}
	}
}

/** `n8n execute` of the step's workflow, its process tree's memory sampled from /proc meanwhile. */
async function executeSampled(
	host: N8nHost,
	step: Step,
	profileDir: string | undefined,
): Promise<Sampled> {
	// Generous: a sequential case needs (N + 1) x latency, n8n's start-up several seconds on a busy machine.
	const timeoutMs = 120_000 + 4 * (step.n + 1) * step.latencyMs;
	const sampler = new ProcessTreeSampler(
		(argv) => argv.includes('execute') && argv.includes(`--id=${step.id}`),
	);
	session.sampler = sampler;
	const started = Date.now();
	sampler.start();
	let result: HostResult | undefined;
	let failure: string | undefined;
	try {
		// One sample per 100 µs, not V8's 1 ms: our code is ~2% of the process, and at 1 ms its self
		// time per function moved 2x from run to run (docs/benchmark.md, run N).
		const env: Record<string, string> =
			profileDir === undefined
				? {}
				: {
						NODE_OPTIONS: `--cpu-prof --cpu-prof-interval=${PROFILE_INTERVAL_US} --cpu-prof-dir="${profileDir}"`,
					};
		result = await host.execute(step.id, { timeoutMs, env });
	} catch (error) {
		failure = error instanceof Error ? error.message.split('\n')[0] : String(error);
	}
	const memory = sampler.stop();
	session.sampler = undefined;
	return { result, failure, memory, processMs: Date.now() - started };
}

/** Why a finished execution does not count (n8n's exit code, a wrong answer), or undefined. */
function judge(step: Step, result: HostResult, sims: Sims): string | undefined {
	try {
		if (step.spec.scenario !== undefined) {
			// Against a server of limited capacity a failed run or lost items are the result (counted
			// by pacingOutcome); only a run without the measured nodes' times cannot be reported.
			for (const name of step.spec.measured)
				if (nodeExecutionTime(result.data, name) === undefined)
					throw new Error(`no executionTime for "${name}" in the run data`);
			return undefined;
		}
		if (result.code !== 0) throw new Error(`n8n execute exited with ${result.code}`);
		validate(step.spec, step.n, result.data, sims);
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

export async function runCase(
	host: N8nHost,
	step: Step,
	sims: Sims,
	cpuProfileDir: string | undefined,
): Promise<Execution> {
	const { spec, n, latencyMs, rep } = step;
	sims.durst.resetCounters();
	sims.watcher.resetCounters();
	sims.durst.clearRequestLog();
	sims.watcher.clearRequestLog();
	applyScenario(spec, sims);
	// One folder per execution, so that its profiles can be summed on their own (bench/profile.ts).
	const profileDir =
		cpuProfileDir === undefined
			? undefined
			: path.join(cpuProfileDir, `${spec.id}-n${n}-${latencyMs}ms-run${rep + 1}`);
	const {
		result,
		memory,
		processMs,
		failure: notRun,
	} = await executeSampled(host, step, profileDir);
	// Read before the next case resets the counters; the server is unlimited again between cases.
	const outcome =
		spec.scenario !== undefined && result !== undefined
			? pacingOutcome(spec, n, result.data, sims)
			: undefined;
	applyScenario(undefined, sims);
	let failure = notRun;
	const nodeTimes: Record<string, number> = {};
	if (result !== undefined) {
		for (const name of spec.measured)
			nodeTimes[name] = nodeExecutionTime(result.data, name) ?? Number.NaN;
		failure ??= judge(step, result, sims);
	}
	if (failure !== undefined && result !== undefined && session.host !== undefined) {
		log(
			`(${spec.id}) failed; last n8n output:\n${result.stdout.slice(-1500)}${result.stderr.slice(-1500)}`,
		);
	}
	const execution: Execution = {
		caseId: spec.id,
		n,
		latencyMs,
		rep,
		workflowId: step.id,
		nodeTimeMs: Object.values(nodeTimes).reduce((sum, value) => sum + value, 0),
		nodeTimes,
		workflowMs: result === undefined ? undefined : workflowDuration(result.data),
		processMs,
		logins: spec.product === 'durst' ? sims.durst.logins : null,
		httpCalls: sims.durst.totalCalls + sims.watcher.totalCalls,
		maxInFlight: Math.max(sims.durst.peakInFlight, sims.watcher.peakInFlight),
		peakRssMb: Math.round(memory.mainPeakKb / 1024),
		treePeakRssMb: Math.round(memory.treePeakKb / 1024),
		crashedAtExit: result?.crashedAtExit ?? false,
	};
	if (failure !== undefined) execution.error = failure;
	if (outcome !== undefined) execution.pacing = outcome;
	if (profileDir !== undefined && fs.existsSync(profileDir)) {
		const profile = summarize(readProfiles(profileDir), host.packageDir);
		execution.ourCpuMs = Math.round(profile.oursMs * 10) / 10;
	}
	return execution;
}
