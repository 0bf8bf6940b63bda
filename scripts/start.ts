/**
 * `npm start`: the main job. A real n8n 2.40.7 with this package, both simulators, the example
 * credentials and workflows, the webhook workflows active, at http://localhost:5678.
 * Ctrl-C stops everything it started.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import {
	CREDENTIAL_IDS,
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadWorkflows,
} from '../tools/n8n/examples';
import { hostInstalled, N8nHost } from '../tools/n8n/n8nHost';
import { startSimulators } from '../tools/simulators/cli';

const ROOT = path.dirname(EXAMPLES_DIR);
const VERSION = '2.40.7';
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const OWNER = {
	email: 'owner@example.com',
	password: 'Demo-Owner-Pass-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

function step(message: string): void {
	console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function main(): Promise<void> {
	if (!hostInstalled(VERSION)) {
		step(`n8n ${VERSION} is not installed yet: installing it into .hosts/ (about 4 minutes, once)`);
		const install = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-hosts.sh'), '2'], {
			stdio: 'inherit',
		});
		if (install.status !== 0) throw new Error('installing n8n failed (see above)');
	}

	step('starting the simulators: Watcher on 127.0.0.1:5601, Durst Analytics on 127.0.0.1:5602');
	const sims = await startSimulators({ watcherPort: 5601, durstPort: 5602 });

	const host = await N8nHost.create({
		version: VERSION,
		packageDir: ROOT,
		userFolder: path.join(ROOT, '.run', 'demo-n8n'),
		port: N8N_PORT,
		log: (line) => console.log(line),
	});

	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		step('stopping n8n and the simulators');
		await host.stop().catch(() => undefined);
		await sims.stop().catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		const targets = {
			n8nUrl: host.baseUrl,
			watcherUrl: sims.watcher.url,
			durstUrl: sims.durst.url,
		};
		step('importing the example credentials and workflows');
		await host.importCredentials(loadCredentials(targets));
		await host.importWorkflow(loadWorkflows(targets));
		await host.activate(EXAMPLE_IDS.watcherLink);
		await host.activate(EXAMPLE_IDS.watcherLoginPage);

		step(`starting n8n ${VERSION} at ${host.baseUrl} (takes 20-40 s)`);
		await host.start();
		await host
			.setupOwner(OWNER.email, OWNER.password, OWNER.firstName, OWNER.lastName)
			.catch(() => {
				// The user folder is kept between runs: the owner already exists.
			});
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		await stop(1);
		return;
	}

	console.log(`
n8n is running at ${host.baseUrl}
  Editor login:   ${OWNER.email} / ${OWNER.password}
  Credentials:    "Flussonic Watcher (simulator)" (${CREDENTIAL_IDS.watcher}), "Durst Analytics (simulator)" (${CREDENTIAL_IDS.durst})
  Simulators:     Watcher ${sims.watcher.url} (API key ${sims.watcher.apiKey}), Durst ${sims.durst.url} (operator)

Try:
  1. A chat bot asks for a link:
       curl -s -X POST ${host.baseUrl}/webhook/watcher-link -H 'content-type: application/json' -d '{"email":"demo@example.com"}'
     Open the "link" it returns in a browser: the login page redeems its ticket (once) and posts the
     token to the Watcher simulator, which shows "demo@example.com" logged in. Open it again: the link
     is used up.
  2. In the editor, open "Durst: two nodes, one token" and click "Execute workflow": one login, two nodes.
     Counters: curl -s ${sims.durst.url}/__sim/stats
  3. Open "Durst: daily error report" and execute it: one summary item of the last 24 hours.
  4. Open "Durst: printer breakdown alert" and activate it (its first poll records the statuses); then:
       curl -s -X POST ${sims.durst.url}/__sim/timeline -H 'content-type: application/json' -d '{"type":"status","printerId":"P-1001","status":"Breakdown"}'
     Within a minute (its poll time) the workflow runs once with the alert for P-1001.

Ctrl-C stops n8n and the simulators.`);
}

void main();
