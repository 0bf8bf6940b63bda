/**
 * Loads examples/ for a real n8n that has our package installed (node types
 * `n8n-nodes-watcher-durst.<name>`, as in the files), with the simulator and n8n addresses of this run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Found by walking up, so this works from tools/n8n (ts-jest) and from compiled tools in .run/tools. */
function findExamplesDir(): string {
	let dir = __dirname;
	while (!existsSync(path.join(dir, 'examples', 'credentials.json'))) {
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`no examples/ folder above ${__dirname}`);
		dir = parent;
	}
	return path.join(dir, 'examples');
}

export const EXAMPLES_DIR = findExamplesDir();

export const EXAMPLE_IDS = {
	watcherLink: 'WatcherLinkFlow1',
	watcherLoginPage: 'WatcherLoginPg01',
	durstDailyReport: 'DurstDailyReport',
	durstSharedToken: 'DurstSharedToken',
	durstBreakdownAlert: 'DurstBreakdownAl',
	durstInkReport: 'DurstInkReport01',
	telegramLoginBot: 'TelegramLoginBot',
	emailInvitation: 'EmailInvitation1',
} as const;

export const CREDENTIAL_IDS = { watcher: 'WatcherDemoCred1', durst: 'DurstDemoCred001' } as const;

export interface ExampleTargets {
	/** Base URL of the n8n that will serve the webhooks, e.g. http://localhost:5678 */
	n8nUrl: string;
	watcherUrl: string;
	durstUrl: string;
	/** n8n 2.x refuses to import a workflow without a versionId; 1.x accepts one. */
	versionIds?: boolean;
}

export interface ExampleCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: Array<
		Record<string, unknown> & { type: string; name: string; parameters: Record<string, unknown> }
	>;
	[key: string]: unknown;
}

/** A stable UUID per workflow, so re-imports update rather than duplicate. */
function uuidFor(id: string): string {
	const hex = createHash('md5').update(id).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function retarget(text: string, targets: ExampleTargets): string {
	return text
		.split('http://localhost:5678')
		.join(targets.n8nUrl)
		.split('http://127.0.0.1:5601')
		.join(targets.watcherUrl)
		.split('http://127.0.0.1:5602')
		.join(targets.durstUrl);
}

export function loadCredentials(targets: ExampleTargets): ExampleCredential[] {
	return JSON.parse(
		retarget(readFileSync(path.join(EXAMPLES_DIR, 'credentials.json'), 'utf8'), targets),
	) as ExampleCredential[];
}

/** Workflows beside the examples that tests, the benchmark and start:queue use (tools/n8n/fixtures), retargeted the same way. */
export function loadFixtures(targets: ExampleTargets, files: string[]): ExampleWorkflow[] {
	const dir = path.join(path.dirname(EXAMPLES_DIR), 'tools', 'n8n', 'fixtures');
	return files.map((file) => {
		const workflow = JSON.parse(
			retarget(readFileSync(path.join(dir, file), 'utf8'), targets),
		) as ExampleWorkflow;
		if (targets.versionIds !== false) workflow.versionId = uuidFor(workflow.id);
		return workflow;
	});
}

export function loadWorkflows(targets: ExampleTargets): ExampleWorkflow[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => /^\d+-.*\.json$/.test(file))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(
				retarget(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'), targets),
			) as ExampleWorkflow;
			if (targets.versionIds !== false) workflow.versionId = uuidFor(workflow.id);
			return workflow;
		});
}
