/**
 * Headless Chromium for the editor tests: launch, a log of what went wrong in the pages, and
 * evidence (screenshot, HTML, visible text) when a step fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's Chromium; a browser is never downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	// Without these, Chromium's own connections are refused by the closed network, many at a time.
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Where failed steps leave their evidence, and runs their page problems (outside the repository: not documentation). */
export const EVIDENCE_DIR = path.join(tmpdir(), 'n8n-nodes-watcher-durst-editor');

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A context that is logged in to n8n with the `n8n-auth` cookie from the REST API: the same on
 * both n8n lines, and faster than the login form (whose fields and flow changed between them).
 */
export async function loggedInContext(
	browser: Browser,
	baseUrl: string,
	authCookie: string,
): Promise<BrowserContext> {
	const context = await browser.newContext({
		viewport: { width: 1440, height: 900 },
		colorScheme: 'light',
	});
	const eq = authCookie.indexOf('=');
	await context.addCookies([
		{ name: authCookie.slice(0, eq), value: authCookie.slice(eq + 1), url: baseUrl },
	]);
	return context;
}

export interface PageProblem {
	kind: 'console' | 'pageerror' | 'http' | 'requestfailed';
	text: string;
}

/** Everything that went wrong in the context's pages: console errors, uncaught errors, 4xx/5xx, failed requests. */
export class ProblemLog {
	readonly entries: PageProblem[] = [];

	constructor(context: BrowserContext) {
		context.on('console', (message) => {
			if (message.type() === 'error')
				this.entries.push({
					kind: 'console',
					text: `${message.text()} (${message.location().url})`,
				});
		});
		context.on('weberror', (error) =>
			this.entries.push({ kind: 'pageerror', text: error.error().stack ?? error.error().message }),
		);
		context.on('response', (response) => {
			if (response.status() >= 400)
				this.entries.push({
					kind: 'http',
					text: `${response.status()} ${response.request().method()} ${response.url()}`,
				});
		});
		context.on('requestfailed', (request) =>
			this.entries.push({
				kind: 'requestfailed',
				text: `${request.method()} ${request.url()}: ${request.failure()?.errorText ?? '?'}`,
			}),
		);
	}

	/** A position to pass to `since()`. */
	mark(): number {
		return this.entries.length;
	}

	since(mark: number): PageProblem[] {
		return this.entries.slice(mark);
	}

	/** Writes all entries to EVIDENCE_DIR/<name>.txt and returns the file's path. */
	save(name: string): string {
		mkdirSync(EVIDENCE_DIR, { recursive: true });
		const file = path.join(EVIDENCE_DIR, `${fileSafe(name)}.txt`);
		writeFileSync(
			file,
			this.entries.map((entry) => `${entry.kind}: ${entry.text}`).join('\n') + '\n',
		);
		return file;
	}
}

function fileSafe(name: string): string {
	return name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100);
}

/**
 * Saves a screenshot and the HTML of `page` to EVIDENCE_DIR and returns a description for the error
 * message: the files, the page address and the start of its visible text.
 */
export async function captureEvidence(page: Page, name: string): Promise<string> {
	mkdirSync(EVIDENCE_DIR, { recursive: true });
	const base = path.join(EVIDENCE_DIR, `${fileSafe(name)}-${Date.now()}`);
	const lines: string[] = [`page: ${page.url()}`];
	try {
		await page.screenshot({ path: `${base}.png`, timeout: 10_000 });
		lines.push(`screenshot: ${base}.png`);
	} catch (error) {
		lines.push(`no screenshot: ${String(error)}`);
	}
	try {
		writeFileSync(`${base}.html`, await page.content());
		lines.push(`html: ${base}.html`);
		const text = await page.locator('body').innerText({ timeout: 5_000 });
		lines.push(`visible text (start):\n${text.replace(/\n{2,}/g, '\n').slice(0, 1500)}`);
	} catch (error) {
		lines.push(`no html: ${String(error)}`);
	}
	return lines.join('\n');
}

/** An error that already carries the evidence of the page (outer steps pass it on unchanged). */
export class StepError extends Error {}

/**
 * Runs one UI step; when it throws, the error gains the evidence of the page at that moment and
 * whatever `extra()` adds (e.g. n8n's last log lines). Steps nest: the innermost one reports.
 */
export async function step<T>(
	page: Page,
	name: string,
	fn: () => Promise<T>,
	extra?: () => string,
): Promise<T> {
	try {
		return await fn();
	} catch (error) {
		if (error instanceof StepError) throw error;
		const evidence = await captureEvidence(page, name);
		const message = error instanceof Error ? error.message : String(error);
		const wrapped = new StepError(
			`${name}: ${message}\n--- evidence ---\n${evidence}${extra !== undefined ? `\n--- more ---\n${extra()}` : ''}`,
		);
		if (error instanceof Error && error.stack !== undefined)
			wrapped.stack = `${wrapped.message}\n${error.stack}`;
		throw wrapped;
	}
}

/** Polls `condition` until it holds; throws `what` after `timeoutMs`. */
export async function waitUntil(
	condition: () => boolean | Promise<boolean>,
	what: string,
	timeoutMs = 15_000,
): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		if (await condition()) return;
		if (Date.now() > until)
			throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
