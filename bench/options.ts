/**
 * The command line of `npm run bench` (bench/run.ts): which cases, N, latencies and repetitions,
 * the link flow after them, or the queue-mode load instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { CaseId } from './cases/specs';
import { QUICK_SKIP } from './cases/pacingSpecs';
import { CASES, CASE_ORDER } from './cases/specs';

export interface Options {
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

/** Flags that take a whole number, and where it goes. */
const NUMBER_FLAGS: Record<
	string,
	{ min: number; set: (options: Options, values: number[]) => void }
> = {
	'--n': {
		min: 1,
		set: (options, values) => {
			options.ns = values;
		},
	},
	'--latency': {
		min: 0,
		set: (options, values) => {
			options.latencies = values;
		},
	},
	'--repeat': {
		min: 1,
		set: (options, values) => {
			options.repeat = values[0];
		},
	},
	'--flows': {
		min: 1,
		set: (options, values) => {
			options.flows = values[0];
		},
	},
	'--workers': {
		min: 1,
		set: (options, values) => {
			options.workers = values[0];
		},
	},
	'--concurrency': {
		min: 1,
		set: (options, values) => {
			options.concurrency = values[0];
		},
	},
};

const USAGE = `usage: run.js [--quick] [--n 100,1000] [--latency 0,20] [--repeat R] [--cases a,b,...] [--verbose] [--cpu-prof DIR] [--package DIR]
       run.js --queue [--n 300] [--latency 20] [--concurrency 20] [--workers 2] [--no-answer-probe] [--verbose]
  --quick      N=100 at 20 ms, one run per case, fewer busy and queue cases (a smoke run)
  --n          item counts (default 100,1000)
  --latency    simulator latencies in ms (default 0,20)
  --repeat     executions per case; the table shows the fastest (default 3: this machine is noisy)
  --cases      subset of ${CASE_ORDER.join(',')} (b needs a), \`link\` for the link flow,
               or the groups matrix, busy, queue (without --cases: every case, then the link flow).
               The busy and queue cases (issue 22, a server of limited capacity) always run at
               N=1000 and 20 ms, once per --repeat, whatever --n and --latency say
  --flows      chat-bot link flows per variant after the cases (default 200, --quick 50)
  --no-link-flow  the cases only
  --verbose    pass n8n's own output through
  --cpu-prof   write V8 CPU profiles of every \`n8n execute\` into DIR/<case>-n<N>-<latency>ms-run<R> (times are then not
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

function defaults(): Options {
	return {
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
}

/** Names for groups of cases in `--cases`. */
const CASE_GROUPS: Record<string, CaseId[]> = {
	busy: CASE_ORDER.filter((id) => CASES[id].scenario?.kind === 'busy'),
	queue: CASE_ORDER.filter((id) => CASES[id].scenario?.kind === 'queue'),
	matrix: CASE_ORDER.filter((id) => CASES[id].scenario === undefined),
};

/** `--cases a,b,busy,link`: the cases in their own order, and whether the link flow runs. */
function selectCases(options: Options, text: string | undefined): void {
	const cases = (text ?? '')
		.split(',')
		.map((part) => part.trim())
		.flatMap((part): string[] => CASE_GROUPS[part] ?? [part]);
	const unknown = cases.filter((id) => id !== 'link' && !(CASE_ORDER as string[]).includes(id));
	if (unknown.length > 0 || cases.length === 0)
		throw new Error(`unknown case(s) ${unknown.join(', ')}\n${USAGE}`);
	options.cases = CASE_ORDER.filter((id) => cases.includes(id));
	options.linkFlow = cases.includes('link');
}

/** `--package DIR` and `--cpu-prof DIR`. */
function setDirectory(options: Options, flag: string, dir: string | undefined): void {
	if (flag === '--package') {
		if (!dir || !fs.existsSync(path.join(dir, 'package.json')))
			throw new Error(`--package needs a package checkout\n${USAGE}`);
		options.packageDir = path.resolve(dir);
		return;
	}
	if (!dir) throw new Error(`--cpu-prof needs a directory\n${USAGE}`);
	options.cpuProfileDir = path.resolve(dir);
	fs.mkdirSync(options.cpuProfileDir, { recursive: true });
}

/** Applies one flag; `value` reads its value (after `=`, or the next argument). */
function applyFlag(
	options: Options,
	arg: string,
	flag: string,
	value: () => string | undefined,
): void {
	const numeric = NUMBER_FLAGS[flag];
	if (numeric !== undefined) {
		numeric.set(options, parseList(flag, value(), numeric.min));
		return;
	}
	switch (flag) {
		case '--quick':
			break;
		case '--cases':
			selectCases(options, value());
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
		case '--package':
		case '--cpu-prof':
			setDirectory(options, flag, value());
			break;
		case '--help':
		case '-h':
			process.stdout.write(`${USAGE}\n`);
			process.exit(0);
			break;
		default:
			throw new Error(`unknown argument ${arg}\n${USAGE}`);
	}
}

/** What --queue and --quick fill in when the flag was not given; the checks across flags. */
function complete(options: Options, given: Set<string>): Options {
	if (options.noAnswerProbe && !options.queue)
		throw new Error(`--no-answer-probe goes with --queue\n${USAGE}`);
	if (options.queue) {
		// One load per setup: the first N and latency given, else 300 calls at 20 ms.
		if (!given.has('--n')) options.ns = [300];
		if (!given.has('--latency')) options.latencies = [20];
		return options;
	}
	if (given.has('--quick')) {
		if (!given.has('--n')) options.ns = [100];
		if (!given.has('--latency')) options.latencies = [20];
		if (!given.has('--repeat')) options.repeat = 1;
		if (!given.has('--flows')) options.flows = 50;
		if (!given.has('--cases'))
			options.cases = options.cases.filter((id) => !(QUICK_SKIP as string[]).includes(id));
	}
	if (options.cases.includes('b') && !options.cases.includes('a'))
		throw new Error('case b re-executes the workflow of case a: add a');
	return options;
}

export function parseArgs(argv: readonly string[]): Options {
	const options = defaults();
	// --quick only fills in what was not given explicitly.
	const given = new Set<string>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const flag = eq >= 0 ? arg.slice(0, eq) : arg;
		const value = (): string | undefined => (eq >= 0 ? arg.slice(eq + 1) : argv[++i]);
		applyFlag(options, arg, flag, value);
		given.add(flag);
	}
	return complete(options, given);
}
