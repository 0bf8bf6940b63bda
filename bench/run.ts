/**
 * `npm run bench`: our nodes against what users build today from HTTP Request nodes, measured in a
 * real n8n 2.40.7 (`n8n execute`, one process per case) against the simulators with fixed latency,
 * then the chat-bot link flow in a running n8n (bench/linkFlow.ts); `--queue` runs the queue-mode
 * load instead (bench/queue.ts).
 *
 *   node .run/tools/bench/run.js [--quick] [--n 100,1000] [--latency 0,20] [--repeat 3] [--verbose]
 *
 * Prints a markdown report (headline, cases, targets, link flow, notes); writes
 * bench/results/<date>.json and latest.md. Needs `npm run build` (the host loads dist/); installs
 * n8n 2.40.7 into .hosts/ when it is missing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { hostInstalled } from '../tools/n8n/n8nHost';
import type { CasesResult } from './cases/runCases';
import { HOST_VERSION, runCases } from './cases/runCases';
import { runLinkFlowPart } from './linkFlow/inBench';
import { log } from './log';
import type { Options } from './options';
import { parseArgs } from './options';
import { machineInfo } from './procmem';
import { distFingerprint, findRepoRoot, gitCommit, readVersion, scryptMs } from './provenance';
import { runQueueBench } from './queue';
import type { LinkFlowPart, RunMeta } from './report/types';
import { writeResults } from './report/write';
import { cleanup, installSignalHandlers, session } from './session';

/** A fresh clone after `npm ci` has no n8n yet: install the one host the benchmark uses (as `npm start` does). */
function ensureHost(root: string): void {
	if (hostInstalled(HOST_VERSION)) return;
	log(
		`n8n ${HOST_VERSION} is not installed yet: installing it into .hosts/ (about 5 minutes, once)`,
	);
	const install = spawnSync('bash', [path.join(root, 'scripts', 'install-hosts.sh'), '2'], {
		stdio: ['ignore', 2, 2],
	});
	if (install.status !== 0 || !hostInstalled(HOST_VERSION))
		throw new Error(`installing n8n ${HOST_VERSION} failed (see above)`);
}

function ensureBuilt(measured: string): void {
	if (
		!fs.existsSync(path.join(measured, 'dist', 'nodes', 'DurstAnalytics', 'DurstAnalytics.node.js'))
	)
		throw new Error('dist/ has no built nodes: run `npm run build` first');
}

/** What is read before n8n runs: the machine idle of our load, the code as built from this commit. */
function recordStart(measured: string) {
	return {
		begun: Date.now(),
		machine: machineInfo(),
		// Timed before n8n runs, so that the number is not inflated by our own load.
		scrypt: scryptMs(),
		// Read now: the code measured is the dist/ built from this commit, whatever changes during the run.
		commit: gitCommit(measured),
		distAtStart: distFingerprint(measured),
	};
}

function runMeta(
	start: ReturnType<typeof recordStart>,
	options: Options,
	measured: string,
	cases: CasesResult,
): RunMeta {
	const hostPackage = (name: string) =>
		readVersion(path.join(cases.hostDir, 'node_modules', name, 'package.json'));
	return {
		date: new Date().toISOString(),
		machine: start.machine,
		loadAverageAfter: machineInfo().loadAverage,
		runnerNode: process.versions.node,
		hostNode: cases.hostNode,
		n8nVersion: hostPackage('n8n'),
		nodesBaseVersion: hostPackage('n8n-nodes-base'),
		packageVersion: readVersion(path.join(measured, 'package.json')),
		gitCommit: start.commit,
		distAtStart: start.distAtStart,
		ns: options.ns,
		latencies: options.latencies,
		repeat: options.repeat,
		durationS: (Date.now() - start.begun) / 1000,
		scryptMs: start.scrypt,
		executionsCrashedAtExit: cases.executions.filter((execution) => execution.crashedAtExit).length,
	};
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const root = findRepoRoot();
	// What n8n loads and what the results name; the results themselves stay in this checkout.
	const measured = options.packageDir ?? root;
	ensureHost(root);
	ensureBuilt(measured);
	if (options.queue) {
		await runQueueBench(root, {
			total: options.ns[0],
			latencyMs: options.latencies[0],
			concurrency: options.concurrency,
			workers: options.workers,
			verbose: options.verbose,
			noAnswerProbe: options.noAnswerProbe,
		});
		return;
	}
	installSignalHandlers();
	const start = recordStart(measured);
	const cases = await runCases(measured, options);
	if (cases === undefined) return;
	// The link flow runs its own n8n server: the cases' simulators go first.
	await cleanup();
	let linkFlow: LinkFlowPart | undefined;
	if (options.linkFlow && !session.interrupted) {
		linkFlow = await runLinkFlowPart(measured, options, () => session.interrupted);
		if (linkFlow === undefined) return;
	}
	const meta = runMeta(start, options, measured, cases);
	const { executions } = cases;
	const results = path.join(root, 'bench', 'results');
	const { text, jsonFile } = writeResults(results, meta, executions, undefined, linkFlow);
	process.stdout.write(text);
	log(`wrote ${path.relative(root, jsonFile)} and bench/results/latest.md`);
	if (executions.some((execution) => execution.error !== undefined) || (linkFlow?.errors ?? 0) > 0)
		process.exitCode = 1;
}

if (require.main === module) {
	main().catch(async (error: unknown) => {
		log(error instanceof Error ? (error.stack ?? error.message) : String(error));
		if (session.host !== undefined) log(`last n8n output:\n${session.host.recentLog(30)}`);
		await cleanup();
		process.exit(1);
	});
}
