/**
 * `npm run bench`: our nodes against what users build today from HTTP Request nodes, measured in a
 * real n8n 2.40.7 (`n8n execute`, one process per case) against the simulators with fixed latency.
 *
 *   node .run/tools/bench/run.js [--quick] [--n 100,1000] [--latency 0,20] [--repeat 3] [--verbose]
 *
 * Prints a markdown table and target checks; writes bench/results/<date>.json and latest.md.
 * Needs `npm run build` (the host loads dist/) and the hosts from scripts/install-hosts.sh.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes, scryptSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DurstSimulator } from '../tools/simulators/durst';
import { WatcherSimulator } from '../tools/simulators/watcher';
import { SCRYPT_PARAMETERS } from '../nodes/DurstAnalytics/tokenCache/crypto';
import type { HostVersion } from '../tools/n8n/n8nHost';
import { N8nHost, hostInstalled, nodeOutputItems, runError } from '../tools/n8n/n8nHost';
import { ProcessTreeSampler, machineInfo } from './procmem';
import { readProfiles, summarize } from './profile';
import type { LinkFlowResult } from './linkFlow';
import { runLinkFlowBench } from './linkFlow';
import { runQueueBench } from './queue';
import type { Execution, LinkFlowPart, RunMeta } from './report';
import { writeResults } from './report';
import type { CaseId, CaseSpec, Targets, Workflow } from './workflows';
import {
	CASES,
	CASE_ORDER,
	LINK_BASE_URL,
	PRINTER_ID,
	buildWorkflow,
	credentials,
	workflowId,
} from './workflows';

const HOST_VERSION: HostVersion = '2.40.7';
/** The issue's setting for the chat-bot link flow: 20 ms per Watcher request. */
const LINK_FLOW_LATENCY_MS = 20;
/**
 * A person opens the link a moment after the bot got it, and flows of different people do not
 * follow each other within milliseconds: without a pause, the work n8n does after answering
 * (saving the execution) would be timed as part of the next request.
 */
const LINK_FLOW_GAP_MS = 300;
/**
 * n8n 2.x gives every webhook request of a community trigger node a fresh expression isolate and
 * keeps one warm by default: the ticket POST, sent by the page as soon as it is served, waits
 * for a new one. Two warm isolates serve the page and its POST (README "Private links").
 */
const LINK_FLOW_RECOMMENDED_ENV = { N8N_EXPRESSION_ENGINE_POOL_SIZE: '2' };

interface Options {
	ns: number[];
	latencies: number[];
	repeat: number;
	cases: CaseId[];
	verbose: boolean;
	/** Where `n8n execute` writes V8 CPU profiles (--cpu-prof), to see where a case spends its time. */
	cpuProfileDir?: string;
	/** `--package DIR`: measure another checkout's build (e.g. an older commit, for a before/after). */
	packageDir?: string;
	/** After the cases: the chat-bot link flow in a running n8n (bench/linkFlow.ts), `flows` per variant. */
	linkFlow: boolean;
	flows: number;
	/** `--queue`: webhook load on regular-mode n8n and on a queue-mode cluster (bench/queue.ts) instead of the cases. */
	queue: boolean;
	/** `--no-answer-probe` (with --queue): the unanswered-webhook reproduction instead. */
	noAnswerProbe: boolean;
	/** Queue mode: workers, and calls in flight. */
	workers: number;
	concurrency: number;
}

const USAGE = `usage: run.js [--quick] [--n 100,1000] [--latency 0,20] [--repeat R] [--cases a,b,...] [--verbose] [--cpu-prof DIR] [--package DIR]
       run.js --queue [--n 300] [--latency 20] [--concurrency 20] [--workers 2] [--no-answer-probe] [--verbose]
  --quick      N=100 at 20 ms, one run per case (for development)
  --n          item counts (default 100,1000)
  --latency    simulator latencies in ms (default 0,20)
  --repeat     executions per case; the table shows the median (default 3: this machine is noisy)
  --cases      subset of ${CASE_ORDER.join(',')} (b needs a), and \`link\` for the link flow
               (without --cases: every case, then the link flow)
  --flows      chat-bot link flows per variant after the cases (default 200, --quick 50)
  --no-link-flow  the cases only
  --verbose    pass n8n's own output through
  --cpu-prof   write a V8 CPU profile of every \`n8n execute\` into DIR/<case> (times are then not
               comparable) and add our code's CPU per item to the table
  --package    the package checkout whose dist/ n8n loads (default: this one), e.g. a worktree of an
               older commit built with \`npm run build\`, for before/after figures
  --queue      webhook load (Webhook -> Durst -> Respond, N calls, default 300) on regular-mode n8n
               (SQLite, then PostgreSQL) and on a queue-mode cluster (main + workers, PostgreSQL, Redis):
               executions/s, latency percentiles, logins, CPU and peak memory per process
  --concurrency  calls in flight with --queue (default 20)
  --workers    workers of the queue-mode cluster (default 2)
  --no-answer-probe  with --queue: reproduce webhook calls left without an answer (no nodes of ours),
               n8n's default job retention against finished jobs kept (default N 900)`;

function parseList(flag: string, text: string | undefined, min: number): number[] {
	const values = (text ?? '').split(',').map((part) => Number(part.trim()));
	if (
		text === undefined ||
		values.length === 0 ||
		values.some((v) => !Number.isInteger(v) || v < min)
	) {
		throw new Error(
			`${flag} needs a comma-separated list of whole numbers >= ${min}, got ${String(text)}\n${USAGE}`,
		);
	}
	return values;
}

export function parseArgs(argv: readonly string[]): Options {
	const options: Options = {
		ns: [100, 1000],
		latencies: [0, 20],
		repeat: 3,
		cases: [...CASE_ORDER],
		verbose: false,
		queue: false,
		noAnswerProbe: false,
		workers: 2,
		concurrency: 20,
		linkFlow: true,
		flows: 200,
	};
	let quick = false;
	// --quick only fills in what was not given explicitly.
	const given = { ns: false, latencies: false, repeat: false, flows: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const flag = eq >= 0 ? arg.slice(0, eq) : arg;
		const value = (): string | undefined => (eq >= 0 ? arg.slice(eq + 1) : argv[++i]);
		switch (flag) {
			case '--quick':
				quick = true;
				break;
			case '--n':
				options.ns = parseList(flag, value(), 1);
				given.ns = true;
				break;
			case '--latency':
				options.latencies = parseList(flag, value(), 0);
				given.latencies = true;
				break;
			case '--repeat':
				options.repeat = parseList(flag, value(), 1)[0];
				given.repeat = true;
				break;
			case '--cases': {
				const cases = (value() ?? '').split(',').map((part) => part.trim());
				const unknown = cases.filter(
					(id) => id !== 'link' && !(CASE_ORDER as string[]).includes(id),
				);
				if (unknown.length > 0 || cases.length === 0)
					throw new Error(`unknown case(s) ${unknown.join(', ')}\n${USAGE}`);
				options.cases = CASE_ORDER.filter((id) => cases.includes(id));
				options.linkFlow = cases.includes('link');
				break;
			}
			case '--flows':
				options.flows = parseList(flag, value(), 1)[0];
				given.flows = true;
				break;
			case '--no-link-flow':
				options.linkFlow = false;
				break;
			case '--verbose':
				options.verbose = true;
				break;
			case '--queue':
				options.queue = true;
				break;
			case '--no-answer-probe':
				options.noAnswerProbe = true;
				break;
			case '--workers':
				options.workers = parseList(flag, value(), 1)[0];
				break;
			case '--concurrency':
				options.concurrency = parseList(flag, value(), 1)[0];
				break;
			case '--package': {
				const dir = value();
				if (!dir || !fs.existsSync(path.join(dir, 'package.json')))
					throw new Error(`--package needs a package checkout\n${USAGE}`);
				options.packageDir = path.resolve(dir);
				break;
			}
			case '--cpu-prof': {
				const dir = value();
				if (!dir) throw new Error(`--cpu-prof needs a directory\n${USAGE}`);
				options.cpuProfileDir = path.resolve(dir);
				fs.mkdirSync(options.cpuProfileDir, { recursive: true });
				break;
			}
			case '--help':
			case '-h':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown argument ${arg}\n${USAGE}`);
		}
	}
	if (options.noAnswerProbe && !options.queue)
		throw new Error(`--no-answer-probe goes with --queue\n${USAGE}`);
	if (options.queue) {
		// One load per setup: the first N and latency given, else 300 calls at 20 ms.
		if (!given.ns) options.ns = [300];
		if (!given.latencies) options.latencies = [20];
		return options;
	}
	if (quick) {
		if (!given.ns) options.ns = [100];
		if (!given.latencies) options.latencies = [20];
		if (!given.repeat) options.repeat = 1;
		if (!given.flows) options.flows = 50;
	}
	if (options.cases.includes('b') && !options.cases.includes('a'))
		throw new Error('case b re-executes the workflow of case a: add a');
	return options;
}

function findRepoRoot(): string {
	let dir = __dirname;
	for (;;) {
		const file = path.join(dir, 'package.json');
		if (fs.existsSync(file)) {
			const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown };
			if (pkg.name === 'n8n-nodes-watcher-durst') return dir;
		}
		const parent = path.dirname(dir);
		if (parent === dir)
			throw new Error(`no package.json of n8n-nodes-watcher-durst above ${__dirname}`);
		dir = parent;
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readVersion(file: string): string {
	try {
		const pkg: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
		return isRecord(pkg) && typeof pkg.version === 'string' ? pkg.version : 'unknown';
	} catch {
		return 'unknown';
	}
}

function gitCommit(root: string): string {
	try {
		const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
			cwd: root,
			encoding: 'utf8',
		}).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], {
			cwd: root,
			encoding: 'utf8',
		}).trim();
		return dirty === '' ? commit : `${commit} (nodes/ or credentials/ modified)`;
	} catch {
		return 'unknown';
	}
}

function log(line: string): void {
	process.stderr.write(`[bench] ${line}\n`);
}

/** A short hash of the built nodes and credentials, i.e. of the code n8n loads for our node types. */
function distFingerprint(root: string): string {
	const hash = createHash('sha256');
	const walk = (dir: string): void => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(dir, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries.sort((x, y) => x.name.localeCompare(y.name))) {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (entry.name.endsWith('.js'))
				hash.update(`${path.relative(root, file)}\0`).update(fs.readFileSync(file));
		}
	};
	walk(path.join(root, 'dist', 'nodes'));
	walk(path.join(root, 'dist', 'credentials'));
	return hash.digest('hex').slice(0, 12);
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
function nodeExecutionTime(run: unknown, nodeName: string): number | undefined {
	const times = nodeRuns(run, nodeName).map((task) =>
		isRecord(task) ? task.executionTime : undefined,
	);
	if (times.length === 0 || times.some((time) => typeof time !== 'number')) return undefined;
	return (times as number[]).reduce((sum, time) => sum + time, 0);
}

/** The items of a node's first output, over all its runs. */
function outputItems(run: unknown, nodeName: string): unknown[] {
	return nodeRuns(run, nodeName).flatMap((_, runIndex) =>
		nodeOutputItems(run, nodeName, 0, runIndex),
	);
}

function workflowDuration(run: unknown): number | undefined {
	if (!isRecord(run) || typeof run.startedAt !== 'string' || typeof run.stoppedAt !== 'string')
		return undefined;
	const ms = Date.parse(run.stoppedAt) - Date.parse(run.startedAt);
	return Number.isFinite(ms) ? ms : undefined;
}

/** The token cache's key derivation (scrypt N=2^14, r=8, as in nodes/DurstAnalytics/tokenCache.ts), timed here once. */
function scryptMs(): number {
	const runs: number[] = [];
	for (let i = 0; i < 3; i++) {
		const started = process.hrtime.bigint();
		scryptSync('benchmark', randomBytes(16), 32, SCRYPT_PARAMETERS);
		runs.push(Number(process.hrtime.bigint() - started) / 1e6);
	}
	return Math.round(runs.sort((x, y) => x - y)[1]);
}

/** Throws unless the case produced exactly N good items and the server saw N data calls. */
function validate(
	spec: CaseSpec,
	n: number,
	run: unknown,
	sims: { durst: DurstSimulator; watcher: WatcherSimulator },
): void {
	const error = runError(run);
	if (error !== undefined) throw new Error(`the run failed: ${String(error.message)}`);
	const items = outputItems(run, spec.outputNode);
	if (items.length !== n)
		throw new Error(`"${spec.outputNode}" produced ${items.length} items, expected ${n}`);
	items.forEach((item, index) => {
		if (!isRecord(item)) throw new Error(`item ${index} of "${spec.outputNode}" is not an object`);
		if ('error' in item)
			throw new Error(
				`item ${index} of "${spec.outputNode}" is an error item: ${JSON.stringify(item.error)}`,
			);
		const good =
			spec.product === 'durst'
				? item.id === PRINTER_ID
				: spec.concurrency === undefined
					? typeof item.autologin_token === 'string' && item.autologin_token !== ''
					: item.linkType === 'private' &&
						typeof item.link === 'string' &&
						item.link.startsWith(`${LINK_BASE_URL}#`);
		if (!good)
			throw new Error(
				`item ${index} of "${spec.outputNode}" is not the expected answer: ${JSON.stringify(item).slice(0, 200)}`,
			);
	});
	for (const name of spec.measured) {
		if (nodeExecutionTime(run, name) === undefined)
			throw new Error(`no executionTime for "${name}" in the run data`);
	}
	if (spec.product === 'durst' && sims.durst.requests !== n) {
		throw new Error(`Durst saw ${sims.durst.requests} authenticated data calls, expected ${n}`);
	}
	if (spec.product === 'watcher') {
		const calls = sims.watcher.callCount('POST /vsaas/api/v2/auth/generate-autologin-token');
		if (calls !== n) throw new Error(`Watcher saw ${calls} token requests, expected ${n}`);
	}
}

interface State {
	host?: N8nHost;
	durst?: DurstSimulator;
	watcher?: WatcherSimulator;
	sampler?: ProcessTreeSampler;
	interrupted: boolean;
}

const state: State = { interrupted: false };

async function cleanup(): Promise<void> {
	const { host, durst, watcher, sampler } = state;
	state.host = undefined;
	state.durst = undefined;
	state.watcher = undefined;
	const pid = sampler?.mainPid;
	if (pid !== undefined) {
		// The running `n8n execute` was started detached (its own process group) by N8nHost.
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	await Promise.allSettled([host?.dispose(), durst?.stop(), watcher?.stop()]);
}

function installSignalHandlers(): void {
	const onSignal = (signal: NodeJS.Signals): void => {
		if (state.interrupted) return;
		state.interrupted = true;
		log(`${signal}: stopping n8n and the simulators`);
		cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
}

async function runCase(
	host: N8nHost,
	spec: CaseSpec,
	id: string,
	n: number,
	latencyMs: number,
	rep: number,
	sims: { durst: DurstSimulator; watcher: WatcherSimulator },
	cpuProfileDir: string | undefined,
): Promise<Execution> {
	sims.durst.resetCounters();
	sims.watcher.resetCounters();
	sims.durst.clearRequestLog();
	sims.watcher.clearRequestLog();
	// Generous: a sequential case needs (N + 1) x latency, n8n's start-up several seconds on a busy machine.
	const timeoutMs = 120_000 + 4 * (n + 1) * latencyMs;
	// One folder per execution, so that its profiles can be summed on their own (bench/profile.ts).
	const profileDir =
		cpuProfileDir === undefined
			? undefined
			: path.join(cpuProfileDir, `${spec.id}-n${n}-${latencyMs}ms-run${rep + 1}`);
	const sampler = new ProcessTreeSampler(
		(argv) => argv.includes('execute') && argv.includes(`--id=${id}`),
	);
	state.sampler = sampler;
	const started = Date.now();
	sampler.start();
	let result: Awaited<ReturnType<N8nHost['execute']>> | undefined;
	let failure: string | undefined;
	try {
		const env: Record<string, string> =
			profileDir === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir="${profileDir}"` };
		result = await host.execute(id, { timeoutMs, env });
	} catch (error) {
		failure = error instanceof Error ? error.message.split('\n')[0] : String(error);
	}
	const memory = sampler.stop();
	state.sampler = undefined;
	const processMs = Date.now() - started;
	const nodeTimes: Record<string, number> = {};
	if (result !== undefined) {
		for (const name of spec.measured)
			nodeTimes[name] = nodeExecutionTime(result.data, name) ?? Number.NaN;
		if (failure === undefined) {
			try {
				if (result.code !== 0) throw new Error(`n8n execute exited with ${result.code}`);
				validate(spec, n, result.data, sims);
			} catch (error) {
				failure = error instanceof Error ? error.message : String(error);
			}
		}
	}
	if (failure !== undefined && result !== undefined && state.host !== undefined) {
		log(
			`(${spec.id}) failed; last n8n output:\n${result.stdout.slice(-1500)}${result.stderr.slice(-1500)}`,
		);
	}
	const execution: Execution = {
		caseId: spec.id,
		n,
		latencyMs,
		rep,
		workflowId: id,
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
	if (profileDir !== undefined && fs.existsSync(profileDir)) {
		const profile = summarize(readProfiles(profileDir), host.packageDir);
		execution.ourCpuMs = Math.round(profile.oursMs * 10) / 10;
	}
	return execution;
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const root = findRepoRoot();
	// What n8n loads and what the results name; the results themselves stay in this checkout.
	const measured = options.packageDir ?? root;
	if (!hostInstalled(HOST_VERSION)) {
		// A fresh clone after `npm ci` has no n8n yet: install the one host the benchmark uses (as `npm start` does).
		log(
			`n8n ${HOST_VERSION} is not installed yet: installing it into .hosts/ (about 5 minutes, once)`,
		);
		const install = spawnSync('bash', [path.join(root, 'scripts', 'install-hosts.sh'), '2'], {
			stdio: ['ignore', 2, 2],
		});
		if (install.status !== 0 || !hostInstalled(HOST_VERSION))
			throw new Error(`installing n8n ${HOST_VERSION} failed (see above)`);
	}
	if (
		!fs.existsSync(path.join(measured, 'dist', 'nodes', 'DurstAnalytics', 'DurstAnalytics.node.js'))
	) {
		throw new Error('dist/ has no built nodes: run `npm run build` first');
	}
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
	const begun = Date.now();
	const machine = machineInfo();
	// Timed before n8n runs, so that the number is not inflated by our own load.
	const scrypt = scryptMs();
	// Read now: the code measured is the dist/ built from this commit, whatever changes during the run.
	const commit = gitCommit(measured);
	const distAtStart = distFingerprint(measured);

	state.durst = await DurstSimulator.start();
	state.watcher = await WatcherSimulator.start();
	const sims = { durst: state.durst, watcher: state.watcher };
	const targets: Targets = { durstUrl: sims.durst.url, watcherUrl: sims.watcher.url };
	state.host = await N8nHost.create({
		version: HOST_VERSION,
		packageDir: measured,
		log: options.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
	});
	const host = state.host;

	const plan: Array<{ spec: CaseSpec; id: string; n: number; latencyMs: number; rep: number }> = [];
	const workflows: Workflow[] = [];
	for (const latencyMs of options.latencies) {
		for (const n of options.ns) {
			for (let rep = 0; rep < options.repeat; rep++) {
				for (const caseId of options.cases) {
					const spec = CASES[caseId];
					const id = workflowId(spec.reuses ?? caseId, n, latencyMs, rep);
					if (spec.reuses === undefined)
						workflows.push(buildWorkflow(spec, id, n, latencyMs, targets));
					plan.push({ spec, id, n, latencyMs, rep });
				}
			}
		}
	}
	log(
		`n8n ${HOST_VERSION} in ${host.userFolder}; importing ${workflows.length} workflows and 2 credentials`,
	);
	await host.importCredentials(credentials(targets));
	if (workflows.length > 0) await host.importWorkflow(workflows);

	const executions: Execution[] = [];
	let done = 0;
	for (const step of plan) {
		if (state.interrupted) return;
		sims.durst.latencyMs = step.latencyMs;
		sims.watcher.latencyMs = step.latencyMs;
		// Other people rebuild dist/ in this checkout: each execution records which build it ran.
		const dist = distFingerprint(measured);
		const execution = await runCase(
			host,
			step.spec,
			step.id,
			step.n,
			step.latencyMs,
			step.rep,
			sims,
			options.cpuProfileDir,
		);
		execution.dist = dist;
		if (state.interrupted) return;
		executions.push(execution);
		done += 1;
		log(
			`${done}/${plan.length} (${step.spec.id}) N=${step.n} ${step.latencyMs} ms` +
				(options.repeat > 1 ? ` run ${step.rep + 1}` : '') +
				`: ${execution.error !== undefined ? `FAILED: ${execution.error}` : `${execution.nodeTimeMs} ms node time`}, ` +
				`logins ${execution.logins ?? '-'}, calls ${execution.httpCalls}, peak ${execution.peakRssMb} MB, process ${execution.processMs} ms`,
		);
	}

	const hostNode = execFileSync(host.paths.nodeBin, ['--version'], { encoding: 'utf8' })
		.trim()
		.replace(/^v/, '');
	// The link flow runs its own n8n server: the cases' simulators go first.
	await cleanup();
	let linkFlow: LinkFlowPart | undefined;
	if (options.linkFlow && !state.interrupted) {
		// n8n's defaults first (the target), then with the setting README recommends for login pages.
		const settings: Array<{ flows: number; n8nEnv?: Record<string, string> }> = [
			{ flows: options.flows },
			{ flows: Math.min(100, options.flows), n8nEnv: LINK_FLOW_RECOMMENDED_ENV },
		];
		const runs: LinkFlowResult[] = [];
		for (const setting of settings) {
			if (state.interrupted) return;
			runs.push(
				await runLinkFlowBench(measured, {
					...setting,
					warmup: Math.min(20, setting.flows),
					latencyMs: LINK_FLOW_LATENCY_MS,
					concurrency: 1,
					gapMs: LINK_FLOW_GAP_MS,
					verbose: options.verbose,
				}),
			);
		}
		const variant = (id: 'ours' | 'http') => {
			const found = runs[0].variants.find((candidate) => candidate.id === id);
			if (found === undefined) throw new Error(`the link flow has no "${id}" result`);
			return { p50Ms: found.p50Ms, p95Ms: found.p95Ms, errors: found.errors };
		};
		linkFlow = {
			figures: {
				latencyMs: runs[0].latencyMs,
				flows: options.flows,
				ours: variant('ours'),
				http: variant('http'),
			},
			markdown: runs.map((run) => run.markdown.trim()).join('\n\n'),
			errors: runs.reduce(
				(sum, run) => sum + run.variants.reduce((count, one) => count + one.errors, 0),
				0,
			),
		};
	}

	const meta: RunMeta = {
		date: new Date().toISOString(),
		machine,
		loadAverageAfter: machineInfo().loadAverage,
		runnerNode: process.versions.node,
		hostNode,
		n8nVersion: readVersion(path.join(host.paths.dir, 'node_modules', 'n8n', 'package.json')),
		nodesBaseVersion: readVersion(
			path.join(host.paths.dir, 'node_modules', 'n8n-nodes-base', 'package.json'),
		),
		packageVersion: readVersion(path.join(measured, 'package.json')),
		gitCommit: commit,
		distAtStart,
		ns: options.ns,
		latencies: options.latencies,
		repeat: options.repeat,
		durationS: (Date.now() - begun) / 1000,
		scryptMs: scrypt,
		executionsCrashedAtExit: executions.filter((execution) => execution.crashedAtExit).length,
	};
	const { text, jsonFile } = writeResults(
		path.join(root, 'bench', 'results'),
		meta,
		executions,
		undefined,
		linkFlow,
	);
	process.stdout.write(text);
	log(`wrote ${path.relative(root, jsonFile)} and bench/results/latest.md`);

	if (executions.some((execution) => execution.error !== undefined) || (linkFlow?.errors ?? 0) > 0)
		process.exitCode = 1;
}

if (require.main === module) {
	main().catch(async (error: unknown) => {
		log(error instanceof Error ? (error.stack ?? error.message) : String(error));
		if (state.host !== undefined) log(`last n8n output:\n${state.host.recentLog(30)}`);
		await cleanup();
		process.exit(1);
	});
}
