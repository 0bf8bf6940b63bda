/**
 * The chat-bot link flow end to end in a running n8n 2.40.7, as a person's browser drives it but
 * over plain HTTP (no browser): our flow (the examples' Generate Link with a private link, then the
 * one-node Login Page) against the same flow built from Webhook + HTTP Request + Respond to
 * Webhook nodes (a token-in-query link; bench/linkFlow/workflows.ts). Both run on one `n8n start`
 * against the Watcher simulator with a fixed latency; p50/p95 of whole flows and of each step.
 *
 *   node .run/tools/bench/linkFlow.js [--flows 200] [--warmup 20] [--latency 20] [--concurrency 1]
 *     [--gap 0] [--n8n-env NAME=VALUE]... [--verbose]
 *
 * Needs dist/ (`npm run build`) and the hosts from scripts/install-hosts.sh. Nothing is asserted:
 * the target (our p95 at most 1.1x the HTTP Request version's) is reported.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { WatcherSimulator } from '../tools/simulators/watcher';
import {
	CREDENTIAL_IDS,
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadWorkflows,
} from '../tools/n8n/examples';
import { N8nHost, hostInstalled } from '../tools/n8n/n8nHost';
import { parseLinkFlowArgs } from './linkFlow/args';
import { httpFlow, oursFlow } from './linkFlow/flows';
import { linkFlowMarkdown } from './linkFlow/markdown';
import { measureVariants, summarize } from './linkFlow/measure';
import type { FlowContext, LinkFlowOptions, LinkFlowResult, Variant } from './linkFlow/types';
import {
	HTTP_LINK_WORKFLOW_ID,
	HTTP_PAGE_WORKFLOW_ID,
	httpLinkWorkflow,
	httpPageWorkflow,
} from './linkFlow/workflows';

const VERSION = '2.40.7';

function readVersion(file: string): string {
	return String((JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version);
}

function log(line: string): void {
	process.stderr.write(`[bench link flow] ${line}\n`);
}

function loadAverage(): string {
	return os
		.loadavg()
		.map((value) => value.toFixed(2))
		.join(' / ');
}

/** n8n with both flows imported and active: the examples' two workflows and the HTTP Request version. */
async function startN8n(
	root: string,
	options: LinkFlowOptions,
	watcher: WatcherSimulator,
	created: (host: N8nHost) => void,
): Promise<N8nHost> {
	const host = await N8nHost.create({
		version: VERSION,
		packageDir: root,
		env: options.n8nEnv,
		log: options.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
	});
	created(host);
	const n8nUrl = host.baseUrl;
	// Only the Watcher credential and the two link-flow examples are imported: no Durst simulator needed.
	const targets = { n8nUrl, watcherUrl: watcher.url, durstUrl: '' };
	await host.importCredentials(
		loadCredentials(targets).filter((credential) => credential.id === CREDENTIAL_IDS.watcher),
	);
	const examples = loadWorkflows(targets).filter(
		(workflow) =>
			workflow.id === EXAMPLE_IDS.watcherLink || workflow.id === EXAMPLE_IDS.watcherLoginPage,
	);
	await host.importWorkflow([
		...examples,
		httpLinkWorkflow(n8nUrl, watcher.url),
		httpPageWorkflow(watcher.url),
	]);
	for (const id of [
		EXAMPLE_IDS.watcherLink,
		EXAMPLE_IDS.watcherLoginPage,
		HTTP_LINK_WORKFLOW_ID,
		HTTP_PAGE_WORKFLOW_ID,
	])
		await host.activate(id);
	log(`starting n8n ${VERSION}`);
	await host.start();
	return host;
}

function variantsOf(ctx: FlowContext): Variant[] {
	return [
		{
			id: 'ours',
			label: 'Ours: Watcher node (private link) + Login Page',
			stepNames: ['link', 'page', 'ticket'],
			run: () => oursFlow(ctx),
			tally: { measured: [], tokenCalls: 0, errors: 0 },
		},
		{
			id: 'http',
			label: 'Webhook + HTTP Request + Respond to Webhook (token in query)',
			stepNames: ['link', 'page'],
			run: () => httpFlow(ctx),
			tally: { measured: [], tokenCalls: 0, errors: 0 },
		},
	];
}

/** Both variants measured on a started n8n; the results without their markdown. */
async function measure(
	host: N8nHost,
	watcher: WatcherSimulator,
	options: LinkFlowOptions,
	interrupted: () => boolean,
): Promise<Omit<LinkFlowResult, 'markdown'>> {
	const gapMs = options.gapMs ?? 0;
	const variants = variantsOf({ host, watcher, gapMs });
	const concurrency = Math.max(1, options.concurrency);
	await measureVariants(variants, options, { concurrency, gapMs, watcher, interrupted }, log);
	if (interrupted()) throw new Error('interrupted');
	const results = variants.map((variant) => summarize(variant, options.flows));
	for (const result of results) {
		log(
			`${result.id}: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms, ` +
				`token calls ${result.watcherTokenCalls}, errors ${result.errors}` +
				(result.firstError === undefined ? '' : ` (first: ${result.firstError})`),
		);
	}
	return {
		n8nVersion: readVersion(path.join(host.paths.dir, 'node_modules', 'n8n', 'package.json')),
		latencyMs: options.latencyMs,
		concurrency,
		variants: results,
	};
}

export async function runLinkFlowBench(
	root: string,
	options: LinkFlowOptions,
): Promise<LinkFlowResult> {
	if (!hostInstalled(VERSION))
		throw new Error(`n8n ${VERSION} is not installed: run scripts/install-hosts.sh 2`);
	const loginPageNode = path.join(
		root,
		'dist',
		'nodes',
		'FlussonicWatcher',
		'FlussonicWatcherLoginPage.node.js',
	);
	if (!fs.existsSync(loginPageNode)) throw new Error(`${loginPageNode} is missing: npm run build`);
	const begun = Date.now();
	const loadBefore = loadAverage();

	let watcher: WatcherSimulator | undefined;
	let host: N8nHost | undefined;
	let stopping: Promise<void> | undefined;
	const stop = (): Promise<void> => {
		stopping ??= Promise.allSettled([host?.dispose(), watcher?.stop()]).then(() => undefined);
		return stopping;
	};
	// N8nHost kills n8n when this process exits, but only dispose() removes its user folder: an exit
	// before that (another SIGINT handler's process.exit) would leave the folder behind.
	const removeFolder = (): void => {
		if (host !== undefined) fs.rmSync(host.userFolder, { recursive: true, force: true });
	};
	let interrupted = false;
	const onSignal = (signal: NodeJS.Signals): void => {
		interrupted = true;
		log(`${signal}: stopping n8n and the simulator`);
		void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	process.once('exit', removeFolder);
	try {
		watcher = await WatcherSimulator.start({ latencyMs: options.latencyMs });
		const started = await startN8n(root, options, watcher, (created) => {
			host = created;
		});
		const partial = await measure(started, watcher, options, () => interrupted);
		await stop();
		const markdown = linkFlowMarkdown(partial, options, (Date.now() - begun) / 1000, loadBefore);
		return { ...partial, markdown };
	} catch (error) {
		if (host !== undefined && !interrupted) log(`last n8n output:\n${host.recentLog(30)}`);
		throw error;
	} finally {
		await stop();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		process.off('exit', removeFolder);
	}
}

if (require.main === module) {
	const run = async (): Promise<void> => {
		const result = await runLinkFlowBench(
			path.dirname(EXAMPLES_DIR),
			parseLinkFlowArgs(process.argv.slice(2)),
		);
		process.stdout.write(result.markdown);
		if (result.variants.some((variant) => variant.errors > 0)) process.exitCode = 1;
	};
	run().catch((error: unknown) => {
		log(error instanceof Error ? (error.stack ?? error.message) : String(error));
		process.exit(1);
	});
}
