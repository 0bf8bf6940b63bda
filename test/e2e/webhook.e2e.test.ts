/**
 * The chat-bot link flow in a real n8n and a real browser: a bot asks n8n for a link, a person opens
 * it in Chromium, the page posts the token to the Watcher simulator and lands logged in.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { DurstSimulator } from '../simulators/durst';
import { WATCHER_SPECIAL_LOGIN, WatcherSimulator } from '../simulators/watcher';
import { launchChromium } from './editor/browser';
import { EXAMPLE_IDS, EXAMPLES_DIR, loadCredentials, loadWorkflows } from './examples';
import type { HostVersion } from './n8nHost';
import { HOST_VERSIONS, N8nHost } from './n8nHost';

jest.setTimeout(300_000);

const ROOT = path.dirname(EXAMPLES_DIR);
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

describe.each(HOST_VERSIONS)('n8n %s: the Watcher link in a browser', (version: HostVersion) => {
	let host: N8nHost;
	let watcher: WatcherSimulator;
	let durst: DurstSimulator;
	let browser: Browser;

	beforeAll(async () => {
		watcher = await WatcherSimulator.start();
		durst = await DurstSimulator.start();
		host = await N8nHost.create({ version, packageDir: ROOT });
		const targets = { n8nUrl: host.baseUrl, watcherUrl: watcher.url, durstUrl: durst.url };
		await host.importCredentials(loadCredentials(targets));
		await host.importWorkflow(loadWorkflows(targets));
		await host.activate(EXAMPLE_IDS.watcherLink);
		await host.activate(EXAMPLE_IDS.watcherLoginPage);
		await host.start();
		browser = await launchChromium();
		mkdirSync(SCREENSHOTS, { recursive: true });
	});

	afterAll(async () => {
		await browser?.close();
		await host?.dispose();
		await watcher?.stop();
		await durst?.stop();
	});

	async function requestLink(
		email: string,
	): Promise<{ status: number; body: Record<string, unknown> }> {
		const response = await host.request('POST', '/webhook/watcher-link', { body: { email } });
		return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
	}

	/** Opens a link as a person would, in a fresh browser profile, and waits for navigation to settle. */
	async function open(link: string): Promise<Page> {
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(link);
		await page.waitForLoadState('networkidle');
		return page;
	}

	test('the bot gets a link; opening it lands in Watcher logged in as that user', async () => {
		const { status, body } = await requestLink('demo@example.com');
		expect(status).toBe(200);
		const link = body.link as string;
		expect(link.startsWith(`${host.baseUrl}/webhook/watcher-login?token=`)).toBe(true);

		const successesBefore = watcher.autologinSuccesses;
		const page = await open(link);
		await page.locator('#logged-in-user').waitFor({ timeout: 15_000 });
		expect(page.url()).toBe(`${watcher.url}/vsaas/`);
		expect(await page.locator('#logged-in-user').textContent()).toBe('demo@example.com');
		expect(watcher.autologinSuccesses).toBe(successesBefore + 1);
		await page.screenshot({ path: path.join(SCREENSHOTS, `${version}-watcher-logged-in.png`) });
		await page.context().close();
	});

	test(`a login like ${WATCHER_SPECIAL_LOGIN} survives link, page and form post`, async () => {
		const { status, body } = await requestLink(WATCHER_SPECIAL_LOGIN);
		expect(status).toBe(200);
		const page = await open(body.link as string);
		await page.locator('#logged-in-user').waitFor({ timeout: 15_000 });
		expect(await page.locator('#logged-in-user').textContent()).toBe(WATCHER_SPECIAL_LOGIN);
		await page.context().close();
	});

	test("a tampered token lands on Watcher's error page, not logged in", async () => {
		const { body } = await requestLink('demo@example.com');
		const link = new URL(body.link as string);
		const token = link.searchParams.get('token') ?? '';
		link.searchParams.set(
			'token',
			token.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0')),
		);
		const failuresBefore = watcher.autologinFailures;
		const page = await open(link.toString());
		await page.locator('#autologin-error').waitFor({ timeout: 15_000 });
		expect(await page.locator('#logged-in-user').count()).toBe(0);
		expect(watcher.autologinFailures).toBe(failuresBefore + 1);
		await page.goto(`${watcher.url}/vsaas/`);
		expect(await page.locator('#not-logged-in').count()).toBe(1);
		await page.screenshot({ path: path.join(SCREENSHOTS, `${version}-watcher-tampered.png`) });
		await page.context().close();
	});

	test('a malformed token gets n8n\'s "link is not valid" page, which posts nothing', async () => {
		const attemptsBefore = watcher.autologinSuccesses + watcher.autologinFailures;
		const page = await open(
			`${host.baseUrl}/webhook/watcher-login?token=${encodeURIComponent('"><script>alert(1)</script>')}`,
		);
		expect(await page.locator('#invalid-link').textContent()).toBe(
			'This sign-in link is not valid',
		);
		expect(page.url().startsWith(host.baseUrl)).toBe(true);
		expect(watcher.autologinSuccesses + watcher.autologinFailures).toBe(attemptsBefore);
		await page.context().close();
	});

	test('an unknown user gets an error answer, not a link', async () => {
		const { status, body } = await requestLink('nobody@example.com');
		expect(status).toBe(400);
		expect(body).toEqual({ error: 'Watcher does not know the login "nobody@example.com"' });
	});
});
