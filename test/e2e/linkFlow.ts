/**
 * One real n8n per host version for the link flows: examples 1 and 2 (private links and the
 * one-node login page), a login page that requires a click, and the version-1 flow (token in
 * query, Webhook + Render Login Page) from tools/n8n/fixtures, with the Watcher simulator and a
 * headless Chromium.
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { DurstSimulator } from '../../tools/simulators/durst';
import { WatcherSimulator } from '../../tools/simulators/watcher';
import { launchChromium } from './editor/browser';
import {
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadFixtures,
	loadWorkflows,
} from '../../tools/n8n/examples';
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { N8nHost } from '../../tools/n8n/n8nHost';

export const ROOT = path.dirname(EXAMPLES_DIR);
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

export const FIXTURE_IDS = {
	legacyLink: 'LegacyLinkFlow01',
	legacyLoginPage: 'LegacyLoginPg001',
	clickLoginPage: 'ClickLoginPage01',
	clickLink: 'ClickLinkFlow001',
} as const;

export interface LinkFlow {
	host: N8nHost;
	watcher: WatcherSimulator;
	browser: Browser;
	/** The example credential's API key (what seals tickets). */
	apiKey: string;
	/** The bot's call: a link for `email` from the workflow behind `webhookPath`. */
	requestLink(
		email: string,
		webhookPath?: string,
	): Promise<{ status: number; body: Record<string, unknown> }>;
	/** Opens a link as a person would, in a fresh browser profile, and waits for the network to settle. */
	open(link: string, options?: { javaScriptEnabled?: boolean }): Promise<Page>;
	/** Autologin posts that reached Watcher, accepted or not. */
	watcherPosts(): number;
	/** Everything n8n wrote to its user folder's database files, as text. */
	databaseText(): string;
}

export function useLinkFlowHost(version: HostVersion): LinkFlow {
	const flow = {} as LinkFlow;
	let durst: DurstSimulator;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		flow.watcher = await WatcherSimulator.start();
		durst = await DurstSimulator.start();
		flow.host = await N8nHost.create({ version, packageDir: ROOT });
		const { host, watcher } = flow;
		const targets = { n8nUrl: host.baseUrl, watcherUrl: watcher.url, durstUrl: durst.url };
		const credentials = loadCredentials(targets);
		flow.apiKey = String(
			credentials.find((credential) => credential.type === 'flussonicWatcherApi')?.data.apiKey,
		);
		await host.importCredentials(credentials);
		await host.importWorkflow([
			...loadWorkflows(targets),
			...loadFixtures(targets, [
				'legacy-watcher-link.json',
				'legacy-watcher-login-page.json',
				'click-login-page.json',
				'click-link.json',
			]),
		]);
		for (const id of [
			EXAMPLE_IDS.watcherLink,
			EXAMPLE_IDS.watcherLoginPage,
			...Object.values(FIXTURE_IDS),
		]) {
			await host.activate(id);
		}
		await host.start();
		flow.browser = await launchChromium();
		mkdirSync(SCREENSHOTS, { recursive: true });
	});

	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => undefined);
		await flow.browser?.close();
		await flow.host?.dispose();
		await flow.watcher?.stop();
		await durst?.stop();
	});

	flow.requestLink = async (email, webhookPath = '/webhook/watcher-link') => {
		const response = await flow.host.request('POST', webhookPath, { body: { email } });
		return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
	};
	flow.open = async (link, options = {}) => {
		const context = await flow.browser.newContext({
			javaScriptEnabled: options.javaScriptEnabled ?? true,
		});
		contexts.push(context);
		const page = await context.newPage();
		await page.goto(link);
		await page.waitForLoadState('networkidle');
		return page;
	};
	flow.watcherPosts = () => flow.watcher.autologinSuccesses + flow.watcher.autologinFailures;
	flow.databaseText = () => {
		const dir = path.join(flow.host.userFolder, '.n8n');
		return readdirSync(dir)
			.filter((file) => file.startsWith('database.sqlite'))
			.map((file) => readFileSync(path.join(dir, file)).toString('latin1'))
			.join('\n');
	};
	return flow;
}
