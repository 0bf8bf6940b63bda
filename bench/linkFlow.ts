/**
 * The chat-bot link flow end to end in a running n8n 2.40.7, as a person's browser drives it but
 * over plain HTTP (no browser): our flow (examples 1 and 2: Generate Link with a private link, then
 * the one-node Login Page) against the same flow built from Webhook + HTTP Request + Respond to
 * Webhook nodes (a token-in-query link; bench/linkFlowWorkflows.ts). Both run on one `n8n start`
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

import { WATCHER_ENDPOINTS, WatcherSimulator } from '../tools/simulators/watcher';
import {
	CREDENTIAL_IDS,
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadWorkflows,
} from '../tools/n8n/examples';
import { percentile } from '../tools/n8n/load';
import type { HttpResult } from '../tools/n8n/n8nHost';
import { N8nHost, delay, hostInstalled } from '../tools/n8n/n8nHost';
import {
	HTTP_LINK_PATH,
	HTTP_LINK_WORKFLOW_ID,
	HTTP_PAGE_PATH,
	HTTP_PAGE_WORKFLOW_ID,
	httpLinkWorkflow,
	httpPageWorkflow,
} from './linkFlowWorkflows';

const VERSION = '2.40.7';
const EMAIL = 'demo@example.com';
/** Flows of one variant before the other gets its turn, so that machine noise hits both alike. */
const BLOCK = 20;
const TARGET_RATIO = 1.1;

export interface LinkFlowOptions {
	/** Measured flows per variant. */
	flows: number;
	/** Flows per variant before measuring (n8n's first runs load code and warm its caches). */
	warmup: number;
	/** Watcher simulator latency per request. */
	latencyMs: number;
	/** Flows in flight at once; 1: one flow after another. */
	concurrency: number;
	/**
	 * Pause after a flow's link step and after each flow (not counted): a person's time to click.
	 * Without it the background work n8n does after answering (saving the execution; for the ticket
	 * POST the whole audit execution) falls into the next request's time. Default 0.
	 */
	gapMs?: number;
	verbose: boolean;
	/**
	 * Extra environment for n8n, e.g. N8N_EXPRESSION_ENGINE_POOL_SIZE (n8n 2.x keeps one warm
	 * expression isolate by default; a request that needs a second one waits for a cold start).
	 */
	n8nEnv?: Record<string, string>;
}

export interface LinkFlowVariantResult {
	id: 'ours' | 'http';
	label: string;
	flows: number;
	p50Ms: number;
	p95Ms: number;
	maxMs: number;
	meanMs: number;
	steps: Record<string, { p50Ms: number; p95Ms: number }>;
	/** Token requests Watcher saw during warm-up and measured flows (one per flow). */
	watcherTokenCalls: number;
	/** Failed flows, warm-up included. */
	errors: number;
	firstError?: string;
}

export interface LinkFlowResult {
	n8nVersion: string;
	latencyMs: number;
	concurrency: number;
	variants: LinkFlowVariantResult[];
	markdown: string;
}

// ------------------------------------------------------------------------------------------------
// One flow per variant: each step's answer is checked, so a fast wrong answer cannot pass as fast.

interface FlowOutcome {
	/** ms per step, in order; only complete for a flow without error. */
	steps: Map<string, number>;
	error?: string;
}

interface Tally {
	measured: FlowOutcome[];
	tokenCalls: number;
	errors: number;
	firstError?: string;
}

interface Variant {
	id: 'ours' | 'http';
	label: string;
	stepNames: string[];
	run(): Promise<FlowOutcome>;
	tally: Tally;
}

interface FlowContext {
	host: N8nHost;
	watcher: WatcherSimulator;
	gapMs: number;
}

async function timed(
	steps: Map<string, number>,
	name: string,
	call: () => Promise<HttpResult>,
): Promise<HttpResult> {
	const started = process.hrtime.bigint();
	const answer = await call();
	steps.set(name, Number(process.hrtime.bigint() - started) / 1e6);
	return answer;
}

function check(
	condition: boolean,
	step: string,
	what: string,
	answer: HttpResult,
): asserts condition {
	if (!condition)
		throw new Error(
			`${step}: ${what} (status ${answer.status}: ${answer.body.slice(0, 200).replace(/\s+/g, ' ')})`,
		);
}

function isHtml(answer: HttpResult): boolean {
	return String(answer.headers['content-type'] ?? '').startsWith('text/html');
}

/** The `link` of the bot's answer, which must start with `prefix`. */
function linkOf(answer: HttpResult, prefix: string): string {
	check(answer.status === 200, 'link', 'status is not 200', answer);
	let link: unknown;
	try {
		link = (JSON.parse(answer.body) as { link?: unknown }).link;
	} catch {
		link = undefined;
	}
	check(
		typeof link === 'string' && link.startsWith(prefix) && link.length > prefix.length,
		'link',
		`no link starting with ${prefix}`,
		answer,
	);
	return link;
}

const HTML_ENTITIES: Record<string, string> = {
	'&amp;': '&',
	'&lt;': '<',
	'&gt;': '>',
	'&quot;': '"',
	'&#39;': "'",
	'&#96;': '`',
};

/**
 * A page that would sign the person in: a form to the simulator's /vsaas/autologin holding a token
 * that Watcher accepts (checked without using it up: the flow ends when n8n has served the page).
 */
function checkAutologinPage(step: string, answer: HttpResult, ctx: FlowContext): void {
	check(answer.status === 200 && isHtml(answer), step, 'not a 200 HTML page', answer);
	check(
		answer.body.includes(`action="${ctx.watcher.url}/vsaas/autologin"`),
		step,
		'no form to the Watcher simulator',
		answer,
	);
	const value = /name="autologin_token" value="([^"]*)"/.exec(answer.body)?.[1];
	check(value !== undefined, step, 'no autologin_token field', answer);
	const token = value.replace(/&(amp|lt|gt|quot|#39|#96);/g, (m) => HTML_ENTITIES[m]);
	const verdict = ctx.watcher.verifyToken(token);
	check(verdict.ok, step, `Watcher would refuse the token (${JSON.stringify(verdict)})`, answer);
}

function requestPath(link: string): string {
	const url = new URL(link);
	return url.pathname + url.search; // a browser never sends the fragment
}

async function oursFlow(ctx: FlowContext): Promise<FlowOutcome> {
	const steps = new Map<string, number>();
	const { host } = ctx;
	try {
		const linkAnswer = await timed(steps, 'link', () =>
			host.request('POST', '/webhook/watcher-link', { body: { email: EMAIL } }),
		);
		const link = linkOf(linkAnswer, `${host.baseUrl}/webhook/watcher-login#`);
		if (ctx.gapMs > 0) await delay(ctx.gapMs);
		const pagePath = requestPath(link);
		const ticket = link.slice(link.indexOf('#') + 1);

		const reader = await timed(steps, 'page', () => host.request('GET', pagePath));
		check(reader.status === 200 && isHtml(reader), 'page', 'not a 200 HTML page', reader);
		check(reader.body.includes('<form id="redeem"'), 'page', 'no redeem form', reader);
		// The page's script fills in the ticket and submits the form's other fields as they are.
		const step = /name="step" value="([^"]*)"/.exec(reader.body)?.[1];
		check(step !== undefined, 'page', 'no step field', reader);

		// The form has no enctype and action="": a urlencoded POST to the page's own URL.
		const form = new URLSearchParams({ ticket, step }).toString();
		const autologin = await timed(steps, 'ticket', () =>
			host.request('POST', pagePath, {
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: form,
			}),
		);
		checkAutologinPage('ticket', autologin, ctx);
		return { steps };
	} catch (error) {
		return { steps, error: error instanceof Error ? error.message : String(error) };
	}
}

async function httpFlow(ctx: FlowContext): Promise<FlowOutcome> {
	const steps = new Map<string, number>();
	const { host } = ctx;
	try {
		const linkAnswer = await timed(steps, 'link', () =>
			host.request('POST', `/webhook/${HTTP_LINK_PATH}`, { body: { email: EMAIL } }),
		);
		const link = linkOf(linkAnswer, `${host.baseUrl}/webhook/${HTTP_PAGE_PATH}?token=`);
		if (ctx.gapMs > 0) await delay(ctx.gapMs);
		const page = await timed(steps, 'page', () => host.request('GET', requestPath(link)));
		checkAutologinPage('page', page, ctx);
		return { steps };
	} catch (error) {
		return { steps, error: error instanceof Error ? error.message : String(error) };
	}
}

// ------------------------------------------------------------------------------------------------

interface Schedule {
	concurrency: number;
	gapMs: number;
	watcher: WatcherSimulator;
	/** After SIGINT/SIGTERM: start no more flows (n8n and the simulator are going away). */
	interrupted: () => boolean;
}

/** `count` flows of one variant, `concurrency` at a time; Watcher's token calls counted for it alone. */
async function runBlock(
	variant: Variant,
	count: number,
	measured: boolean,
	{ concurrency, gapMs, watcher, interrupted }: Schedule,
): Promise<void> {
	const { tally } = variant;
	watcher.resetCounters();
	let started = 0;
	const worker = async (): Promise<void> => {
		while (started < count && !interrupted()) {
			started += 1;
			const outcome = await variant.run();
			if (outcome.error !== undefined) {
				tally.errors += 1;
				tally.firstError ??= outcome.error;
			}
			if (measured) tally.measured.push(outcome);
			if (gapMs > 0) await delay(gapMs);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	// Each flow's token request is answered before n8n answers the link step, so none is pending here.
	tally.tokenCalls += watcher.callCount(WATCHER_ENDPOINTS.generateToken);
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

function summarize(variant: Variant, flows: number): LinkFlowVariantResult {
	const { tally } = variant;
	const ok = tally.measured.filter((outcome) => outcome.error === undefined);
	// A flow's latency is the sum of its steps: the client's own checks between steps are left out.
	const totals = ok.map((outcome) => [...outcome.steps.values()].reduce((a, b) => a + b, 0));
	const steps: LinkFlowVariantResult['steps'] = {};
	for (const name of variant.stepNames) {
		const values = ok.map((outcome) => outcome.steps.get(name) ?? Number.NaN);
		steps[name] = { p50Ms: round(percentile(values, 50)), p95Ms: round(percentile(values, 95)) };
	}
	const result: LinkFlowVariantResult = {
		id: variant.id,
		label: variant.label,
		flows,
		p50Ms: round(percentile(totals, 50)),
		p95Ms: round(percentile(totals, 95)),
		maxMs: round(totals.length === 0 ? Number.NaN : Math.max(...totals)),
		meanMs: round(
			totals.length === 0 ? Number.NaN : totals.reduce((a, b) => a + b, 0) / totals.length,
		),
		steps,
		watcherTokenCalls: tally.tokenCalls,
		errors: tally.errors,
	};
	if (tally.firstError !== undefined) result.firstError = tally.firstError;
	return result;
}

// ------------------------------------------------------------------------------------------------

const REQUESTS_PER_FLOW: Record<LinkFlowVariantResult['id'], number> = { ours: 3, http: 2 };

function ms(value: number): string {
	return Number.isNaN(value) ? '-' : String(value);
}

function targetLine(
	ours: LinkFlowVariantResult,
	http: LinkFlowVariantResult,
	poolSizeSet: boolean,
): string {
	if (ours.errors > 0 || http.errors > 0 || Number.isNaN(ours.p95Ms) || Number.isNaN(http.p95Ms))
		return `Target (p95 ours / HTTP Request version ≤ ${TARGET_RATIO}x): not judged, flows failed (ours ${ours.errors}, HTTP Request version ${http.errors}).`;
	const ratio = ours.p95Ms / http.p95Ms;
	const verdict = ratio <= TARGET_RATIO ? 'PASS' : 'MISS';
	let line = `Target: p95 ours / HTTP Request version = ${ours.p95Ms} / ${http.p95Ms} ms = **${ratio.toFixed(2)}x**, ≤ ${TARGET_RATIO}x: **${verdict}**.`;
	if (verdict === 'MISS') {
		const link = ours.steps.link.p95Ms / http.steps.link.p95Ms;
		line +=
			` Missed by ${Math.round((ratio / TARGET_RATIO - 1) * 100)}%: our flow makes 3 requests to n8n against 2;` +
			` the ticket POST (the extra request that keeps the Watcher token out of the URL) costs p50 ${ours.steps.ticket.p50Ms} ms on its own,` +
			` our page GET p50 ${ours.steps.page.p50Ms} ms against the HTTP Request version's page p50 ${http.steps.page.p50Ms} ms,` +
			` and our link step's p95 is ${link.toFixed(2)}x theirs (${ours.steps.link.p95Ms} vs ${http.steps.link.p95Ms} ms).` +
			(poolSizeSet
				? ''
				: ' n8n 2.x gives every webhook request of a node other than its own Webhook node a fresh expression isolate and' +
					' keeps N8N_EXPRESSION_ENGINE_POOL_SIZE (default 1) of them ready; the ticket POST, sent by the page the moment it is' +
					' served, waits while n8n builds the one the page GET used up.');
	}
	return line;
}

function gapText(gapMs: number): string {
	return gapMs > 0
		? ` with a pause of ${gapMs} ms after each link step and after each flow (not counted)`
		: " without pauses (the work n8n does after answering, such as saving executions and our ticket POST's audit execution, falls into the next request)";
}

function envText(options: LinkFlowOptions): string {
	const entries = Object.entries(options.n8nEnv ?? {});
	return entries.length === 0
		? ', default settings'
		: `, ${entries.map(([name, value]) => `${name}=${value}`).join(' ')}`;
}

function render(
	result: Omit<LinkFlowResult, 'markdown'>,
	options: LinkFlowOptions,
	durationS: number,
	loadBefore: string,
): string {
	const rows = result.variants.map((variant) => {
		const steps = Object.entries(variant.steps)
			.map(([name, figures]) => `${name} ${ms(figures.p50Ms)} / ${ms(figures.p95Ms)}`)
			.join(', ');
		// An error quotes the answer, which may hold a `|` that would end the table cell.
		const first = (variant.firstError ?? '').replace(/\|/g, '\\|');
		const errors = variant.errors === 0 ? '0' : `${variant.errors} (first: ${first})`;
		return `| ${variant.label} | ${REQUESTS_PER_FLOW[variant.id]} | ${ms(variant.p50Ms)} | ${ms(variant.p95Ms)} | ${ms(variant.maxMs)} | ${ms(variant.meanMs)} | ${steps} | ${variant.watcherTokenCalls} | ${errors} |`;
	});
	const [ours, http] = [
		result.variants.find((variant) => variant.id === 'ours'),
		result.variants.find((variant) => variant.id === 'http'),
	];
	const expectedCalls = options.warmup + options.flows;
	const callNote = result.variants.every((variant) => variant.watcherTokenCalls === expectedCalls)
		? ''
		: ` **Watcher token calls differ from ${expectedCalls} (warm-up + flows).**`;
	const load = os
		.loadavg()
		.map((value) => value.toFixed(2))
		.join(' / ');
	return [
		`### Chat-bot link flow end to end (n8n ${result.n8nVersion}, Watcher latency ${result.latencyMs} ms)`,
		'',
		'| Flow | n8n requests per flow | p50 ms | p95 ms | max ms | mean ms | per step p50 / p95 ms | Watcher token calls | Errors |',
		'| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
		...rows,
		'',
		ours !== undefined && http !== undefined
			? targetLine(ours, http, 'N8N_EXPRESSION_ENGINE_POOL_SIZE' in (options.n8nEnv ?? {})) +
				callNote
			: '',
		'',
		`Method: one \`n8n start\` (n8n ${result.n8nVersion}, SQLite, executions saved${envText(options)}) with both flows active; ` +
			`${options.warmup} warm-up flows per flow (not counted), then ${options.flows} measured flows each, ` +
			`${result.concurrency === 1 ? 'one flow after another' : `${result.concurrency} flows at a time`}${gapText(options.gapMs ?? 0)}, ` +
			`in alternating blocks of ${BLOCK} (ours, HTTP, HTTP, ours, ...) so that machine noise hits both alike; ` +
			`Watcher simulator latency ${result.latencyMs} ms per request. Every request is a new connection to 127.0.0.1 (no keep-alive). ` +
			'Ours: POST /webhook/watcher-link (Watcher node, private link) -> GET the link without its fragment (the Login Page) -> ' +
			"the ticket POST the page's script makes (the autologin page): 3 n8n requests per flow, because the extra ticket POST keeps " +
			'the Watcher token out of the URL. HTTP Request version: POST /webhook/watcher-link-http (HTTP Request to Watcher) -> ' +
			'GET the token-in-query link (Respond to Webhook page): 2. Every answer is checked (status, link shape, the reader page, ' +
			'a form to Watcher holding a token Watcher accepts); the form is not posted to Watcher. ' +
			"A flow's latency is the sum of its steps' request times (process.hrtime); percentiles are nearest-rank over the successful measured flows. " +
			`Load average before ${loadBefore}, after ${load}; ${Math.round(durationS)} s in all. ` +
			'On a shared 2-core machine the figures are indicative.',
		'',
	].join('\n');
}

// ------------------------------------------------------------------------------------------------

function readVersion(file: string): string {
	return String((JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version);
}

function log(line: string): void {
	process.stderr.write(`[bench link flow] ${line}\n`);
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
	const loadBefore = os
		.loadavg()
		.map((value) => value.toFixed(2))
		.join(' / ');

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
		host = await N8nHost.create({
			version: VERSION,
			packageDir: root,
			env: options.n8nEnv,
			log: options.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
		});
		const n8nUrl = host.baseUrl;
		// Only the Watcher credential and examples 1 and 2 are imported: no Durst simulator needed.
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

		const gapMs = options.gapMs ?? 0;
		const ctx: FlowContext = { host, watcher, gapMs };
		const variants: Variant[] = [
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
		const concurrency = Math.max(1, options.concurrency);
		const schedule: Schedule = { concurrency, gapMs, watcher, interrupted: () => interrupted };

		for (const variant of variants) {
			await runBlock(variant, options.warmup, false, schedule);
			log(`${variant.id}: ${options.warmup} warm-up flows, ${variant.tally.errors} failed`);
		}
		// ABBA order: neither variant always runs right after the other's blocks.
		const blocks = Math.ceil(options.flows / BLOCK);
		for (let block = 0; block < blocks; block++) {
			const size = Math.min(BLOCK, options.flows - block * BLOCK);
			const order = block % 2 === 0 ? variants : [...variants].reverse();
			for (const variant of order) {
				await runBlock(variant, size, true, schedule);
			}
			if (options.verbose) log(`block ${block + 1}/${blocks} done`);
		}

		if (interrupted) throw new Error('interrupted');
		const results = variants.map((variant) => summarize(variant, options.flows));
		for (const result of results) {
			log(
				`${result.id}: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms, ` +
					`token calls ${result.watcherTokenCalls}, errors ${result.errors}` +
					(result.firstError === undefined ? '' : ` (first: ${result.firstError})`),
			);
		}
		const partial = {
			n8nVersion: readVersion(path.join(host.paths.dir, 'node_modules', 'n8n', 'package.json')),
			latencyMs: options.latencyMs,
			concurrency,
			variants: results,
		};
		await stop();
		return {
			...partial,
			markdown: render(partial, options, (Date.now() - begun) / 1000, loadBefore),
		};
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

// ------------------------------------------------------------------------------------------------

const USAGE =
	'usage: linkFlow.js [--flows 200] [--warmup 20] [--latency 20] [--concurrency 1] [--gap 0] [--n8n-env NAME=VALUE]... [--verbose]';

export function parseLinkFlowArgs(argv: readonly string[]): LinkFlowOptions {
	const options: LinkFlowOptions = {
		flows: 200,
		warmup: 20,
		latencyMs: 20,
		concurrency: 1,
		gapMs: 0,
		verbose: false,
	};
	const number = (flag: string, text: string | undefined, min: number): number => {
		const value = Number(text);
		if (text === undefined || !Number.isInteger(value) || value < min)
			throw new Error(`${flag} needs a whole number >= ${min}, got ${String(text)}\n${USAGE}`);
		return value;
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		switch (flag) {
			case '--flows':
				options.flows = number(flag, argv[++i], 1);
				break;
			case '--warmup':
				options.warmup = number(flag, argv[++i], 0);
				break;
			case '--latency':
				options.latencyMs = number(flag, argv[++i], 0);
				break;
			case '--concurrency':
				options.concurrency = number(flag, argv[++i], 1);
				break;
			case '--gap':
				options.gapMs = number(flag, argv[++i], 0);
				break;
			case '--n8n-env': {
				const assignment = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(argv[++i] ?? '');
				if (assignment === null) throw new Error(`${flag} needs NAME=VALUE\n${USAGE}`);
				options.n8nEnv = { ...(options.n8nEnv ?? {}), [assignment[1]]: assignment[2] };
				break;
			}
			case '--verbose':
				options.verbose = true;
				break;
			default:
				throw new Error(`unknown argument ${flag}\n${USAGE}`);
		}
	}
	return options;
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
