/**
 * Every case of a run in one n8n 2.40.7: the simulators and the host started, the plan's
 * workflows and credentials imported, then one `n8n execute` per case, N, latency and repetition.
 */
import { execFileSync } from 'node:child_process';

import { DurstSimulator } from '../../tools/simulators/durst';
import { WatcherSimulator } from '../../tools/simulators/watcher';
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { N8nHost } from '../../tools/n8n/n8nHost';
import { log } from '../log';
import type { Options } from '../options';
import { distFingerprint } from '../provenance';
import type { Execution } from '../report/types';
import { session } from '../session';
import type { Workflow } from '../workflow';
import type { Sims, Step } from './execute';
import { runCase } from './execute';
import type { SimulatorUrls } from './nodes';
import type { CaseId } from './specs';
import { CASES } from './specs';
import { buildWorkflow, credentials, workflowId } from './workflows';

export const HOST_VERSION: HostVersion = '2.40.7';

export interface CasesResult {
	executions: Execution[];
	/** The Node.js version n8n ran on. */
	hostNode: string;
	/** Where the host's n8n is installed (for its package versions). */
	hostDir: string;
}

/**
 * Every execution in order (latency, N, repetition, case; then the pacing cases at their own N and
 * latency, one round per repetition) and the workflows they need.
 */
function plan(options: Options, urls: SimulatorUrls): { steps: Step[]; workflows: Workflow[] } {
	const steps: Step[] = [];
	const workflows: Workflow[] = [];
	const add = (caseId: CaseId, n: number, latencyMs: number, rep: number): void => {
		const spec = CASES[caseId];
		const id = workflowId(spec.reuses ?? caseId, n, latencyMs, rep);
		if (spec.reuses === undefined) workflows.push(buildWorkflow(spec, id, n, latencyMs, urls));
		steps.push({ spec, id, n, latencyMs, rep });
	};
	const matrix = options.cases.filter((caseId) => CASES[caseId].scenario === undefined);
	const pacing = options.cases.filter((caseId) => CASES[caseId].scenario !== undefined);
	for (const latencyMs of options.latencies)
		for (const n of options.ns)
			for (let rep = 0; rep < options.repeat; rep++)
				for (const caseId of matrix) add(caseId, n, latencyMs, rep);
	for (let rep = 0; rep < options.repeat; rep++) {
		for (const caseId of pacing) {
			const scenario = CASES[caseId].scenario;
			if (scenario !== undefined) add(caseId, scenario.n, scenario.latencyMs, rep);
		}
	}
	return { steps, workflows };
}

async function startSession(
	measured: string,
	options: Options,
): Promise<{ host: N8nHost; sims: Sims; urls: SimulatorUrls }> {
	session.durst = await DurstSimulator.start();
	session.watcher = await WatcherSimulator.start();
	const sims = { durst: session.durst, watcher: session.watcher };
	const urls: SimulatorUrls = { durstUrl: sims.durst.url, watcherUrl: sims.watcher.url };
	session.host = await N8nHost.create({
		version: HOST_VERSION,
		packageDir: measured,
		log: options.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
	});
	return { host: session.host, sims, urls };
}

function progressLine(
	done: number,
	total: number,
	step: Step,
	execution: Execution,
	repeat: number,
) {
	return (
		`${done}/${total} (${step.spec.id}) N=${step.n} ${step.latencyMs} ms` +
		(repeat > 1 ? ` run ${step.rep + 1}` : '') +
		`: ${execution.error !== undefined ? `FAILED: ${execution.error}` : `${execution.nodeTimeMs} ms node time`}, ` +
		`logins ${execution.logins ?? '-'}, calls ${execution.httpCalls}, in flight ${execution.maxInFlight ?? '-'}, ` +
		(execution.pacing !== undefined
			? `lost ${execution.pacing.lost}, tries ${execution.pacing.tries}, refused ${execution.pacing.refused}, waiting ${execution.pacing.peakWaiting}${execution.pacing.runError !== undefined ? ` (run failed: ${execution.pacing.runError})` : ''}, `
			: '') +
		`peak ${execution.peakRssMb} MB, process ${execution.processMs} ms`
	);
}

/** The executions of every planned case; undefined when a signal ended the run. */
export async function runCases(
	measured: string,
	options: Options,
): Promise<CasesResult | undefined> {
	const { host, sims, urls } = await startSession(measured, options);
	const { steps, workflows } = plan(options, urls);
	log(
		`n8n ${HOST_VERSION} in ${host.userFolder}; importing ${workflows.length} workflows and 2 credentials`,
	);
	await host.importCredentials(credentials(urls));
	if (workflows.length > 0) await host.importWorkflow(workflows);

	const executions: Execution[] = [];
	for (const step of steps) {
		if (session.interrupted) return undefined;
		sims.durst.latencyMs = step.latencyMs;
		sims.watcher.latencyMs = step.latencyMs;
		// Other people rebuild dist/ in this checkout: each execution records which build it ran.
		const dist = distFingerprint(measured);
		const execution = await runCase(host, step, sims, options.cpuProfileDir);
		execution.dist = dist;
		if (session.interrupted) return undefined;
		executions.push(execution);
		log(progressLine(executions.length, steps.length, step, execution, options.repeat));
	}
	const hostNode = execFileSync(host.paths.nodeBin, ['--version'], { encoding: 'utf8' })
		.trim()
		.replace(/^v/, '');
	return { executions, hostNode, hostDir: host.paths.dir };
}
