/**
 * One real n8n per host version for the delivery examples (7: Telegram login bot, 8: email
 * invitation), imported as a user imports them, with the Watcher and Telegram simulators, a local
 * SMTP server and headless Chromium. Everything n8n logs (at debug level) is kept, to look for
 * secrets in it.
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { ExampleCredential } from '../../../tools/n8n/examples';
import {
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadWorkflows,
} from '../../../tools/n8n/examples';
import type { HostVersion } from '../../../tools/n8n/n8nHost';
import { N8nHost } from '../../../tools/n8n/n8nHost';
import { SmtpSink } from '../../../tools/simulators/smtp';
import { TelegramSimulator } from '../../../tools/simulators/telegram';
import { WatcherSimulator } from '../../../tools/simulators/watcher';
import { launchChromium } from '../editor/browser';
import { executionStates } from './database';

export const ROOT = path.dirname(EXAMPLES_DIR);
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

/** The two examples' workflow ids (as in their files) and the credentials they use. */
export const DELIVERY_IDS = {
	telegramBot: EXAMPLE_IDS.telegramLoginBot,
	emailInvitation: EXAMPLE_IDS.emailInvitation,
};
const CREDENTIAL_TYPES = ['flussonicWatcherApi', 'telegramApi', 'smtp'];

export interface DeliveryEnv {
	host: N8nHost;
	watcher: WatcherSimulator;
	telegram: TelegramSimulator;
	smtp: SmtpSink;
	browser: Browser;
	/** Every line n8n printed (server and CLI), unfiltered. */
	logLines: string[];
	/** Opens `link` in a fresh browser profile and waits for the network to settle. */
	open(link: string, options?: { javaScriptEnabled?: boolean; userAgent?: string }): Promise<Page>;
	/** Auto-login posts that reached Watcher, accepted or not. */
	watcherPosts(): number;
	/** Everything n8n wrote to its database files, as text. */
	databaseText(): string;
	/** How many executions of `workflowId` n8n has saved so far. */
	executionCount(workflowId: string): Promise<number>;
	/** Resolves once `workflowId` has `count` executions and none is still running (max 30 s). */
	executionsDone(workflowId: string, count: number): Promise<void>;
	screenshot(page: Page, name: string): Promise<void>;
}

/** The example credentials, pointed at this run's simulators (the files name the demo ports). */
function credentialsFor(env: DeliveryEnv): ExampleCredential[] {
	const targets = {
		n8nUrl: env.host.baseUrl,
		watcherUrl: env.watcher.url,
		durstUrl: 'http://127.0.0.1:1',
	};
	return loadCredentials(targets)
		.filter((credential) => CREDENTIAL_TYPES.includes(credential.type))
		.map((credential) => {
			if (credential.type === 'telegramApi')
				return {
					...credential,
					data: { ...credential.data, baseUrl: env.telegram.url, accessToken: env.telegram.token },
				};
			if (credential.type === 'smtp')
				return {
					...credential,
					data: { ...credential.data, host: env.smtp.host, port: env.smtp.port },
				};
			return credential;
		});
}

export function useDeliveryHost(version: HostVersion): DeliveryEnv {
	const env = { logLines: [] as string[] } as DeliveryEnv;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		[env.watcher, env.telegram, env.smtp] = await Promise.all([
			WatcherSimulator.start(),
			TelegramSimulator.start(),
			SmtpSink.start(),
		]);
		env.host = await N8nHost.create({
			version,
			packageDir: ROOT,
			logLevel: 'debug',
			filterNoise: false,
			log: (line) => env.logLines.push(line),
		});
		const { host } = env;
		await host.importCredentials(credentialsFor(env));
		const targets = {
			n8nUrl: host.baseUrl,
			watcherUrl: env.watcher.url,
			durstUrl: 'http://127.0.0.1:1',
		};
		const ids: string[] = Object.values(DELIVERY_IDS);
		await host.importWorkflow(
			loadWorkflows(targets).filter((workflow) => ids.includes(workflow.id)),
		);
		// The only workflows here: 1.x activates both in one CLI run (2.x publishes one id at a time).
		// Not verified by an export: the tests see both workflows answer.
		if (version.startsWith('1.')) await host.cliOk(['update:workflow', '--all', '--active=true']);
		else for (const id of ids) await host.activate(id);
		[, env.browser] = await Promise.all([host.start(), launchChromium()]);
		// The Telegram Trigger registers its webhook while n8n activates the workflow.
		await env.telegram.waitForWebhook(30_000).catch((error: Error) => {
			throw new Error(`${error.message}\nn8n's last lines:\n${host.recentLog(60)}`);
		});
		mkdirSync(SCREENSHOTS, { recursive: true });
	});

	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => undefined);
		await env.browser?.close();
		await env.host?.dispose();
		await Promise.all([env.watcher?.stop(), env.telegram?.stop(), env.smtp?.stop()]);
	});

	env.open = async (link, options = {}) => {
		const context = await env.browser.newContext({
			javaScriptEnabled: options.javaScriptEnabled ?? true,
			...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
		});
		contexts.push(context);
		const page = await context.newPage();
		await page.goto(link);
		await page.waitForLoadState('networkidle');
		return page;
	};
	env.watcherPosts = () => env.watcher.autologinSuccesses + env.watcher.autologinFailures;
	env.databaseText = () => {
		const dir = path.join(env.host.userFolder, '.n8n');
		return readdirSync(dir)
			.filter((file) => file.startsWith('database.sqlite'))
			.map((file) => {
				try {
					return readFileSync(path.join(dir, file)).toString('latin1');
				} catch {
					// A rollback journal comes and goes with each write (n8n 1.x): gone is empty.
					return '';
				}
			})
			.join('\n');
	};
	env.executionCount = async (workflowId) => {
		for (let attempt = 1; ; attempt++) {
			try {
				return (await executionStates(env.host, workflowId)).length;
			} catch (error) {
				// SQLITE_BUSY while n8n 1.x writes: ask again shortly, a few times.
				if (attempt >= 20) throw error;
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		}
	};
	env.executionsDone = async (workflowId, count) => {
		const until = Date.now() + 30_000;
		let states: string[] = [];
		for (;;) {
			// n8n 1.x writes with a rollback journal: a read during a write may be refused (SQLITE_BUSY).
			states = await executionStates(env.host, workflowId).catch(() => states);
			const running = states.filter((state) => ['new', 'running', 'waiting'].includes(state));
			if (states.length >= count && running.length === 0) return;
			if (Date.now() > until)
				throw new Error(
					`${workflowId}: executions ${JSON.stringify(states)} after 30 s, expected ${count} finished`,
				);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	};
	env.screenshot = async (page, name) => {
		await page.screenshot({ path: path.join(SCREENSHOTS, `${version}-${name}.png`) });
	};
	return env;
}
