/**
 * What `npm start` and `npm run start:queue` share: the n8n version and port, the editor owner,
 * installing what is missing, the simulators on their usual ports, the examples imported and
 * active, stopping everything on Ctrl-C, and the lines that tell how to get in.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { startSimulators, type RunningSimulators } from '../simulators/cli';
import {
	CREDENTIAL_IDS,
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadFixtures,
	loadWorkflows,
} from './examples';
import { hostInstalled, type HostVersion, type N8nHost } from './n8nHost';

export const ROOT = path.dirname(EXAMPLES_DIR);
export const DEMO_VERSION: HostVersion = '2.40.7';
export const DEMO_PORT = Number(process.env.N8N_PORT ?? 5678);
export const OWNER = {
	email: 'owner@example.com',
	password: 'Demo-Owner-Pass-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

export function step(message: string): void {
	console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Runs `scripts/<script>`, its output on our terminal; `what` names it when it fails. */
export function runInstallScript(script: string, args: string[], what: string): void {
	const result = spawnSync('bash', [path.join(ROOT, 'scripts', script), ...args], {
		stdio: 'inherit',
	});
	if (result.status !== 0) throw new Error(`installing ${what} failed (see above)`);
}

export function installHostIfMissing(what: string): void {
	if (hostInstalled(DEMO_VERSION)) return;
	step(
		`n8n ${DEMO_VERSION} is not installed yet: installing it into .hosts/ (about 4 minutes, once)`,
	);
	runInstallScript('install-hosts.sh', ['2'], what);
}

export async function startDemoSimulators(): Promise<RunningSimulators> {
	step('starting the simulators: Watcher on 127.0.0.1:5601, Durst Analytics on 127.0.0.1:5602');
	return await startSimulators({ watcherPort: 5601, durstPort: 5602 });
}

/**
 * On Ctrl-C or SIGTERM: `message`, then each of `stoppers` in turn (failures ignored), then exit.
 * Returns the same stop for a failed set-up to call with exit code 1.
 */
export function stopOnSignals(
	message: string,
	stoppers: Array<() => Promise<void> | undefined>,
): (code: number) => Promise<void> {
	let stopping = false;
	const stop = async (code: number): Promise<void> => {
		if (stopping) return;
		stopping = true;
		step(message);
		for (const stopper of stoppers) await stopper()?.catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	return stop;
}

/** Prints why the set-up failed, then stops everything (exit code 1). */
export async function failed(error: unknown, stop: (code: number) => Promise<void>): Promise<void> {
	console.error(error instanceof Error ? error.message : error);
	await stop(1);
}

/**
 * The example credentials and workflows (and test `fixtures` beside them) pointed at this n8n and
 * the simulators; the webhook examples and `activate` marked active for the next start.
 */
export async function importExamples(
	host: N8nHost,
	sims: RunningSimulators,
	extra: { fixtures?: string[]; activate?: string[] } = {},
): Promise<void> {
	const targets = {
		n8nUrl: host.baseUrl,
		watcherUrl: sims.watcher.url,
		durstUrl: sims.durst.url,
	};
	await host.importCredentials(loadCredentials(targets));
	await host.importWorkflow([
		...loadWorkflows(targets),
		...loadFixtures(targets, extra.fixtures ?? []),
	]);
	for (const id of [
		EXAMPLE_IDS.watcherLink,
		EXAMPLE_IDS.watcherLoginPage,
		...(extra.activate ?? []),
	])
		await host.activate(id);
}

/** How to log in to the editor and what the examples talk to. */
export function accessLines(sims: RunningSimulators): string {
	return `  Editor login:   ${OWNER.email} / ${OWNER.password}
  Credentials:    "Flussonic Watcher (simulator)" (${CREDENTIAL_IDS.watcher}), "Durst Analytics (simulator)" (${CREDENTIAL_IDS.durst})
  Simulators:     Watcher ${sims.watcher.url} (API key ${sims.watcher.apiKey}), Durst ${sims.durst.url} (operator)`;
}
