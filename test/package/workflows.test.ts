/**
 * The GitHub Actions workflows cannot run on this machine (no GitHub). What can go wrong in them
 * without running them is checked here: a step calls an npm script that package.json does not have,
 * CI drifts from .ci/run, or the publish job loses what npm provenance needs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, unknown>;
}

interface Job {
	permissions?: Record<string, unknown>;
	steps: Step[];
}

interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, unknown>;
	jobs: Record<string, Job>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadWorkflow(file: string): Workflow {
	const parsed: unknown = parse(
		readFileSync(path.join(ROOT, '.github', 'workflows', file), 'utf8'),
	);
	// Shape checks first, so that a broken file fails here with its name rather than further down.
	if (!isRecord(parsed) || !isRecord(parsed.on) || !isRecord(parsed.jobs))
		throw new Error(`${file}: no 'on' or 'jobs' mapping`);
	for (const [name, job] of Object.entries(parsed.jobs)) {
		if (!isRecord(job) || !Array.isArray(job.steps) || !job.steps.every(isRecord))
			throw new Error(`${file}: job ${name} has no list of steps`);
	}
	return parsed as unknown as Workflow;
}

const scripts: Record<string, string> = (
	JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		scripts: Record<string, string>;
	}
).scripts;

/** Every npm command line in a shell script: `npm run lint`, `npm publish --provenance`, ... */
function npmCommands(shell: string): string[] {
	return shell
		.split(/\n|&&|\|\||;|\|/)
		.map((command) => command.trim().replace(/\s+/g, ' '))
		.filter((command) => command.startsWith('npm '));
}

function workflowNpmCommands(workflow: Workflow): string[] {
	return Object.values(workflow.jobs).flatMap((job) =>
		job.steps.flatMap((step) => (step.run === undefined ? [] : npmCommands(step.run))),
	);
}

// npm commands that need no script of ours; `test` and `start` run the script of that name.
const BUILTIN = new Set(['ci', 'install', 'publish', 'pack', 'config', 'version']);
const RUNS_SCRIPT = new Set(['test', 'start', 'stop', 'restart']);

/** Why an npm command would fail for want of a script, or undefined when it would not. */
function missingScript(command: string): string | undefined {
	const [, subcommand, ...rest] = command.split(' ');
	if (subcommand === 'run' || subcommand === 'run-script') {
		const script = rest.find((arg) => !arg.startsWith('-'));
		if (script === undefined) return `${command}: names no script`;
		return script in scripts ? undefined : `${command}: package.json has no script "${script}"`;
	}
	if (RUNS_SCRIPT.has(subcommand))
		return subcommand in scripts ? undefined : `${command}: package.json has no "${subcommand}"`;
	return BUILTIN.has(subcommand) ? undefined : `${command}: not an npm command this test knows`;
}

function permissionsOf(workflow: Workflow, job: Job): Record<string, unknown> {
	return { ...(workflow.permissions ?? {}), ...(job.permissions ?? {}) };
}

describe.each(['ci.yml', 'publish.yml'])('.github/workflows/%s', (file) => {
	const workflow = loadWorkflow(file);

	test('runs npm commands, every one of them backed by package.json', () => {
		const commands = workflowNpmCommands(workflow);
		expect(commands.length).toBeGreaterThan(0);
		expect(commands.map(missingScript).filter((problem) => problem !== undefined)).toEqual([]);
	});

	test('installs exactly what the lockfile holds (npm ci) before anything else runs', () => {
		expect(workflowNpmCommands(workflow)[0]).toBe('npm ci');
	});
});

test('the script check itself catches a missing script and an unknown command', () => {
	expect(missingScript('npm run lint')).toBeUndefined();
	expect(missingScript('npm run --silent no-such-script')).toMatch(/no script "no-such-script"/);
	expect(missingScript('npm frobnicate')).toMatch(/not an npm command/);
});

describe('.github/workflows/ci.yml', () => {
	const workflow = loadWorkflow('ci.yml');

	test('runs on every push and every pull request', () => {
		expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
	});

	test('runs the npm commands of .ci/run, in the same order', () => {
		const local = npmCommands(readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8'));
		expect(local).toEqual(['npm ci', 'npm run lint', 'npm run build', 'npm test']);
		expect(workflowNpmCommands(workflow)).toEqual(local);
	});
});

describe('.github/workflows/publish.yml', () => {
	const workflow = loadWorkflow('publish.yml');
	const jobs = Object.values(workflow.jobs);
	const publishing = jobs.filter((job) =>
		job.steps.some((step) => step.run !== undefined && /\bnpm publish\b/.test(step.run)),
	);

	test('runs on version tags only', () => {
		expect(Object.keys(workflow.on)).toEqual(['push']);
		const push = workflow.on.push;
		expect(isRecord(push) && Object.keys(push)).toEqual(['tags']);
		expect(isRecord(push) && push.tags).toEqual(['v*']);
	});

	test('one job publishes, allowed to mint the OIDC token provenance needs, and reads only', () => {
		expect(publishing).toHaveLength(1);
		expect(permissionsOf(workflow, publishing[0])).toEqual({
			'id-token': 'write',
			contents: 'read',
		});
	});

	test('publishes with --provenance, publicly, with the NPM_TOKEN secret, after a build', () => {
		const [job] = publishing;
		const step = job.steps.find((s) => s.run !== undefined && /\bnpm publish\b/.test(s.run));
		const publish = npmCommands(step?.run ?? '').find((c) => c.startsWith('npm publish'));
		expect(publish?.split(' ')).toEqual(
			expect.arrayContaining(['--provenance', '--access', 'public']),
		);
		expect(step?.env?.NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
		// NODE_AUTH_TOKEN only reaches npm through the .npmrc that setup-node writes for a registry.
		const setupNode = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
		expect(setupNode?.with?.['registry-url']).toBe('https://registry.npmjs.org');
		// .npmrc has ignore-scripts=true: no prepublish hook would build, so a step must.
		const commands = workflowNpmCommands(workflow);
		expect(commands.indexOf('npm run build')).toBeGreaterThanOrEqual(0);
		expect(commands.indexOf('npm run build')).toBeLessThan(commands.indexOf(publish ?? ''));
	});
});
