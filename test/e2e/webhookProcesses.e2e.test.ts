/**
 * A Login Page behind two `n8n webhook` processes and a round-robin proxy (queue mode: PostgreSQL,
 * Redis, main, 2 workers; tools/n8n/cluster.ts), one cluster per n8n version, two Login Pages in
 * it: Several Webhook Processes off (the figures are logged: n8n saves the whole static data after
 * each answer, last writer wins, so a used mark can be lost) and on (asserted: nothing lost).
 *
 * (a) A used link opened again at the other process 1 s and 50 ms after its use.
 * (b) 200 links redeemed 20 at a time: opened again, how many are accepted a second time ("opened
 *     twice"), how many used marks the page's record in PostgreSQL lacks ("marks lost"); then both
 *     webhook processes restart (their memory is gone) and every link is opened again.
 */
import path from 'node:path';

import { N8nCluster } from '../../tools/n8n/cluster';
import { EXAMPLES_DIR, loadCredentials } from '../../tools/n8n/examples';
import { HOST_VERSIONS, type HostVersion } from '../../tools/n8n/n8nHost';
import { delay } from '../../tools/process';
import { WatcherSimulator } from '../../tools/simulators/watcher';
import { openLink, type Opening } from './webhookProcesses/client';
import {
	breakdown,
	countOf,
	makeLinks,
	oddOnes,
	openAll,
	pageMarked,
	perProcess,
	proxyPort,
	retriesOf,
	settledMarks,
} from './webhookProcesses/measure';
import {
	LINK_MAKER_ID,
	LOGIN_PAGES,
	linkMakerWorkflow,
	loginPageWorkflow,
	type LoginPageConfig,
} from './webhookProcesses/workflows';
// The cluster alone takes 1-3 minutes to come up on the busy 2-core machine.
jest.setTimeout(420_000);

const ROOT = path.dirname(EXAMPLES_DIR);
const LINKS = 200;
const CONCURRENCY = 20;
const EMAILS = ['demo@example.com', 'viewer@example.com', 'admin@example.com'];
const fileStarted = Date.now();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** One line per version and page, printed at the end. */
const summary: string[] = [];

afterAll(() => {
	for (const line of summary) console.log(line);
	console.log(`webhook processes e2e: the whole file took ${seconds(Date.now() - fileStarted)}`);
});

/** What one page's wave left behind, for the restart test. */
interface PageRun {
	links: string[];
	/** Every link accepted at least once so far ((a)'s included). */
	accepted: Set<string>;
	/** Every link the page itself answered (accepted, refused as used, held): each must keep its mark. */
	marked: Set<string>;
	figures: string[];
}

/** Adds what a wave of openings of `run.links` logged in and marked. */
function note(run: PageRun, openings: Opening[]): void {
	run.links.forEach((link, index) => {
		if (openings[index].outcome === 'accepted') run.accepted.add(link);
		if (pageMarked(openings[index])) run.marked.add(link);
	});
}

describe.each(HOST_VERSIONS)(
	'n8n %s: Login Page behind 2 webhook processes and a round-robin proxy',
	(version: HostVersion) => {
		let cluster: N8nCluster;
		let watcher: WatcherSimulator;
		let began: number;
		const runs = new Map<string, PageRun>();
		const runOf = (page: LoginPageConfig): PageRun => {
			let run = runs.get(page.path);
			if (run === undefined) {
				run = { links: [], accepted: new Set(), marked: new Set(), figures: [] };
				runs.set(page.path, run);
			}
			return run;
		};
		const tag = (page: LoginPageConfig): string => `webhook processes ${version}, ${page.label}:`;

		beforeAll(async () => {
			began = Date.now();
			watcher = await WatcherSimulator.start({ maxLogEntries: 10_000 });
			cluster = await N8nCluster.create({
				version,
				packageDir: ROOT,
				workers: 2,
				webhookProcesses: 2,
				// 2.x gives each Login Page request a fresh expression isolate and keeps one ready by
				// default: 20 visitors at once would queue for isolates (1.x has none).
				webhookEnv: { N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' },
				log: (line) => console.log(line),
			});
			const main = cluster.main;
			// Durst is not used here; its credential points nowhere.
			await main.importCredentials(
				loadCredentials({
					n8nUrl: cluster.proxy?.url ?? '',
					watcherUrl: watcher.url,
					durstUrl: 'http://127.0.0.1:9',
				}),
			);
			await main.importWorkflow([
				linkMakerWorkflow(),
				...LOGIN_PAGES.map((page, index) => loginPageWorkflow(page, index + 1)),
			]);
			for (const id of [LINK_MAKER_ID, ...LOGIN_PAGES.map((page) => page.workflowId)])
				await main.activate(id, { verify: false });
			await cluster.start();
			console.log(`webhook processes e2e ${version}: cluster up in ${seconds(Date.now() - began)}`);
		});

		afterAll(async () => {
			for (const page of LOGIN_PAGES) summary.push(...runOf(page).figures);
			await cluster?.dispose();
			await watcher?.stop();
			console.log(
				`webhook processes e2e ${version}: ${seconds(Date.now() - began)} with start and stop`,
			);
		});

		test.each(LOGIN_PAGES)(
			'$label: a used link opened again at the other webhook process 1 s and 50 ms later',
			async (page) => {
				const run = runOf(page);
				const links = await makeLinks(cluster, page, 2, EMAILS);
				const seen: string[] = [];
				const refused: boolean[] = [];
				for (const [index, gapMs] of [1_000, 50].entries()) {
					const link = links[index];
					const first = await openLink(proxyPort(cluster), link);
					expect(first).toMatchObject({ outcome: 'accepted' });
					run.accepted.add(link);
					run.marked.add(link);
					const other = first.answeredBy === 'webhook-1' ? 'webhook-2' : 'webhook-1';
					await delay(gapMs);
					const again = await openLink(proxyPort(cluster), link, other);
					expect(again.answeredBy).toBe(other);
					if (again.outcome === 'accepted') run.accepted.add(link);
					refused.push(again.status === 410 && again.refusal === 'alreadyUsed');
					seen.push(
						`${gapMs} ms later at ${other} (used at ${first.answeredBy}): ${again.status} ${again.refusal ?? again.outcome}`,
					);
				}
				const line = `${tag(page)} (a) opened again ${seen.join('; ')}`;
				console.log(line);
				run.figures.push(line);
				if (page.severalWebhookProcesses) expect(refused).toEqual([true, true]);
			},
		);

		test.each(LOGIN_PAGES)(
			`$label: ${LINKS} links redeemed ${CONCURRENCY} at a time across both processes, then opened again`,
			async (page) => {
				const run = runOf(page);
				const started = Date.now();
				run.links = await makeLinks(cluster, page, LINKS, EMAILS);
				const made = Date.now();
				const first = await openAll(cluster, run.links, CONCURRENCY);
				const firstAccepted = countOf(first, 'accepted');
				note(run, first);
				const marksAfterWave = await settledMarks(cluster, page, run.marked.size);
				const acceptedBefore = new Set(run.accepted);
				const second = await openAll(cluster, run.links, CONCURRENCY);
				// A link whose first opening failed may log in now: only a second login is "opened twice".
				const openedTwice = second.filter(
					(o, index) => o.outcome === 'accepted' && acceptedBefore.has(run.links[index]),
				).length;
				note(run, second);
				const marks = await settledMarks(cluster, page, run.marked.size);
				const line =
					`${tag(page)} (b) ${LINKS} links (made in ${seconds(made - started)}), first openings ${firstAccepted} accepted ` +
					`(last answer by ${perProcess(first)}; ${breakdown(first)}; ${retriesOf([...first, ...second])} retries after n8n's 503) | both waves in ${seconds(Date.now() - made)} | ` +
					`marks lost after the wave ${run.marked.size - marksAfterWave} | opened twice ${openedTwice} | ` +
					`marks lost before the restart ${run.marked.size - marks} (${marks} of ${run.marked.size} stored)`;
				console.log(line);
				run.figures.push(line);
				// Every first opening must log in, whatever the option: only repeats may be refused.
				if (firstAccepted !== LINKS)
					throw new Error(
						`${firstAccepted} of ${LINKS} first openings accepted (${breakdown(first)}):\n${oddOnes(first)}\n${cluster.recentLogs(15)}`,
					);
				// Round robin: both processes answered part of the wave (the last answer of each flow).
				expect(perProcess(first)).toMatch(/^webhook-1: \d+, webhook-2: \d+$/);
				expect(oddOnes(second)).toBe('');
				if (page.severalWebhookProcesses) {
					expect(run.marked.size - marksAfterWave).toBe(0);
					expect(openedTwice).toBe(0);
					expect(run.marked.size - marks).toBe(0);
				}
			},
		);

		test('both webhook processes restarted (their memory gone): every link opened again', async () => {
			const restartStarted = Date.now();
			await cluster.restartWebhookProcesses();
			const restartMs = Date.now() - restartStarted;
			for (const page of LOGIN_PAGES) {
				const run = runOf(page);
				expect(run.links.length).toBe(LINKS);
				const third = await openAll(cluster, run.links, CONCURRENCY);
				// A link refused at its first opening (a failure above) is accepted here: not a repeat.
				const openedAgain = third.filter(
					(o, index) => o.outcome === 'accepted' && run.accepted.has(run.links[index]),
				).length;
				note(run, third);
				const marks = await settledMarks(cluster, page, run.marked.size);
				const line =
					`${tag(page)} (b) after the restart (${seconds(restartMs)}) | opened again ${openedAgain} | ` +
					`marks lost ${run.marked.size - marks} (${marks} of ${run.marked.size} stored)`;
				console.log(line);
				run.figures.push(line);
				expect(oddOnes(third)).toBe('');
				if (page.severalWebhookProcesses) {
					expect(openedAgain).toBe(0);
					expect(run.marked.size - marks).toBe(0);
				}
			}
			// The proxy sent every production webhook request to a webhook process, none to main.
			const webhookRequests = cluster.proxy?.requestsTo('/webhook/') ?? [];
			expect(webhookRequests.filter((entry) => !entry.process.startsWith('webhook-'))).toEqual([]);
		});
	},
);
