/**
 * The cluster's temporary folder (`<tmp>/n8n-queue-XXXX`): everything of a cluster lives and runs
 * in it, so that an exit hook, or the next cluster after a caller that was killed outright, can
 * find and kill its processes and remove it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { killGroup } from '../../process';
import { killAll, processesIn, processStartTime } from '../../procfs';

const CLUSTER_PREFIX = 'n8n-queue-';

/** Process groups the cluster started (PostgreSQL, Redis, workers); killed if this process exits first. */
const liveGroups = new Set<number>();
/** Cluster folders of this process, removed by the exit hook. */
const liveFolders = new Set<string>();
let exitHookInstalled = false;

export function trackClusterGroup(pid: number): void {
	liveGroups.add(pid);
}

export function untrackClusterGroup(pid: number): void {
	liveGroups.delete(pid);
}

/** Kills every process the cluster started or that works in one of its folders, and removes the folders. */
function killEverythingNow(): void {
	for (const group of liveGroups) killGroup(group, 'SIGKILL');
	for (const folder of liveFolders) {
		// The main n8n process is N8nHost's; it works in the cluster's folder like everything else.
		killAll(processesIn(folder));
		// Synchronous on purpose (exit hook); files still held by killed processes do not matter on Linux.
		try {
			fs.rmSync(folder, { recursive: true, force: true });
		} catch {
			// best effort
		}
	}
	liveGroups.clear();
	liveFolders.clear();
}

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', killEverythingNow);
	// A signal that nobody else handles ends Node without the 'exit' event: clean up, then die of it.
	// When the program has its own handler (start-queue.ts, jest), that handler stops the cluster.
	for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
		const onSignal = (): void => {
			if (process.listenerCount(signal) > 1) return;
			killEverythingNow();
			process.removeListener(signal, onSignal);
			process.kill(process.pid, signal);
		};
		process.on(signal, onSignal);
	}
}

/** A new cluster folder in `baseDir`, owned by this process, after sweeping orphaned ones. */
export function createClusterFolder(baseDir: string): string {
	sweepOrphanClusters(baseDir);
	installExitHook();
	const folder = fs.mkdtempSync(path.join(baseDir, CLUSTER_PREFIX));
	liveFolders.add(folder);
	fs.writeFileSync(
		path.join(folder, 'owner.json'),
		JSON.stringify({ pid: process.pid, start: processStartTime(process.pid) }),
	);
	// PostgreSQL runs as another user when we are root: it must be able to reach its folder.
	fs.chmodSync(folder, 0o711);
	return folder;
}

export function removeClusterFolder(folder: string): void {
	fs.rmSync(folder, { recursive: true, force: true });
	liveFolders.delete(folder);
}

/**
 * Removes cluster folders whose owner process is gone (a test run killed with SIGKILL, a closed
 * terminal), after killing every process still working in them. Returns the folders removed.
 */
function sweepOrphanClusters(baseDir: string): string[] {
	const removed: string[] = [];
	let names: string[];
	try {
		names = fs.readdirSync(baseDir).filter((name) => name.startsWith(CLUSTER_PREFIX));
	} catch {
		return removed;
	}
	for (const name of names) {
		const folder = path.join(baseDir, name);
		if (!isOrphan(folder)) continue;
		killAll(processesIn(folder));
		fs.rmSync(folder, { recursive: true, force: true });
		removed.push(folder);
	}
	return removed;
}

function isOrphan(folder: string): boolean {
	let owner: { pid?: unknown; start?: unknown } = {};
	try {
		owner = JSON.parse(fs.readFileSync(path.join(folder, 'owner.json'), 'utf8')) as typeof owner;
	} catch {
		// no owner file: a folder still being set up (or not ours); only if it is old
		try {
			if (Date.now() - fs.statSync(folder).mtimeMs < 10 * 60_000) return false;
		} catch {
			return false;
		}
	}
	const pid = typeof owner.pid === 'number' ? owner.pid : undefined;
	return pid === undefined || processStartTime(pid) !== owner.start;
}

/**
 * Copies package.json and dist/ into `target`, with a link to the package's node_modules (so that
 * `require('n8n-workflow')` resolves as it does from the package folder). Running workers then
 * keep their nodes when dist/ is rebuilt during a run.
 */
export function snapshotPackage(packageDir: string, target: string): string {
	const source = path.resolve(packageDir);
	if (!fs.existsSync(path.join(source, 'dist')))
		throw new Error(`cluster: ${source} has no dist/: run \`npm run build\` first`);
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(source, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(source, 'dist'), path.join(target, 'dist'), { recursive: true });
	if (fs.existsSync(path.join(source, 'node_modules')))
		fs.symlinkSync(path.join(source, 'node_modules'), path.join(target, 'node_modules'), 'dir');
	return target;
}
