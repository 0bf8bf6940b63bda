/**
 * `npm start`: the main job. A real n8n 2.41.3 with this package, both simulators, the Telegram Bot
 * API simulator and a local SMTP server (for the Telegram bot and email invitation examples), the
 * example credentials and workflows, the webhook workflows active, at http://localhost:5678.
 * Ctrl-C stops everything it started.
 */
import path from 'node:path';

import {
	accessLines,
	DELIVERY_EXAMPLE_IDS,
	deliveryLines,
	DEMO_PORT,
	DEMO_VERSION,
	failed,
	importExamples,
	installHostIfMissing,
	OWNER,
	ROOT,
	startDeliveryServers,
	startDemoSimulators,
	step,
	stopOnSignals,
} from '../tools/n8n/demo';
import { N8nHost } from '../tools/n8n/n8nHost';
import type { DeliveryServers } from '../tools/n8n/demo';
import type { RunningSimulators } from '../tools/simulators/cli';

async function main(): Promise<void> {
	installHostIfMissing('n8n');
	const sims = await startDemoSimulators();
	const delivery = await startDeliveryServers().catch(async (error: unknown) => {
		await sims.stop();
		throw error;
	});
	const host = await N8nHost.create({
		version: DEMO_VERSION,
		packageDir: ROOT,
		userFolder: path.join(ROOT, '.run', 'demo-n8n'),
		port: DEMO_PORT,
		log: (line) => console.log(line),
	});
	const stop = stopOnSignals('stopping n8n and the simulators', [
		() => host.stop(),
		() => sims.stop(),
		() => delivery.stop(),
	]);

	try {
		step('importing the example credentials and workflows');
		// The Telegram bot and the email invitation: their credentials point at the servers above.
		await importExamples(host, sims, { activate: Object.values(DELIVERY_EXAMPLE_IDS) });
		step(`starting n8n ${DEMO_VERSION} at ${host.baseUrl} (takes 20-40 s)`);
		await host.start();
		await host
			.setupOwner(OWNER.email, OWNER.password, OWNER.firstName, OWNER.lastName)
			.catch(() => {
				// The user folder is kept between runs: the owner already exists.
			});
	} catch (error) {
		await failed(error, stop);
		return;
	}

	printHowToUse(host, sims, delivery);
}

function printHowToUse(host: N8nHost, sims: RunningSimulators, delivery: DeliveryServers): void {
	console.log(`
n8n is running at ${host.baseUrl}
${accessLines(sims)}

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
  5. Open "Durst: daily ink report per printer" and execute it: one item per printer, with its name
     and yesterday's liters per color.
${deliveryLines(host, delivery)}

Ctrl-C stops n8n, the simulators and the SMTP server.`);
}

void main();
