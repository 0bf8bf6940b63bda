/**
 * Example 8 in a real n8n: an invitation request makes a 24-hour private link and Send Email
 * delivers it (HTML and text) to the local SMTP server. A mail scanner's Chromium (scripts on,
 * following every link it finds, never clicking) redeems nothing; the person's click logs in;
 * the scanner coming back afterwards gets nothing.
 */
import type { Page } from 'playwright-core';

import type { ReceivedMail } from '../../../tools/simulators/smtp';
import type { DeliveryEnv } from './setup';
import { DELIVERY_IDS } from './setup';

const INVITED = 'viewer@example.com';
const SCANNER_USER_AGENT =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 (link scanner)';
const HOUR = 3_600_000;

async function invite(env: DeliveryEnv, email: string): Promise<{ status: number; body: string }> {
	const runsBefore = await env.executionCount(DELIVERY_IDS.emailInvitation);
	const response = await env.host.request('POST', '/webhook/watcher-invite', { body: { email } });
	await env.executionsDone(DELIVERY_IDS.emailInvitation, runsBefore + 1);
	return { status: response.status, body: response.body };
}

/** What a scanner does: opens the link with scripts on, then every link on the page, and clicks nothing. */
async function scan(env: DeliveryEnv, link: string): Promise<Page> {
	const page = await env.open(link, { userAgent: SCANNER_USER_AGENT });
	const seen = await page.content();
	const hrefs = await page.$$eval('a[href]', (anchors) =>
		anchors.map((anchor) => (anchor as HTMLAnchorElement).href),
	);
	for (const href of hrefs.filter((url) => /^https?:/.test(url))) {
		const next = await page.context().newPage();
		await next.goto(href);
		await next.waitForLoadState('networkidle');
	}
	// The page as the scanner saw it before following anything.
	await page.setContent(seen);
	return page;
}

export function emailTests(env: DeliveryEnv): void {
	let mail: ReceivedMail;
	let link = '';

	test('email: an invitation arrives with the link in its HTML and its text part', async () => {
		const before = env.smtp.messages.length;
		const answer = await invite(env, INVITED);
		expect(answer.status).toBe(202);
		// The requester learns nothing: the link goes to the mailbox only.
		expect(answer.body).not.toContain('/webhook/email-login');
		[mail] = (await env.smtp.waitForMessages(before + 1)).slice(before);
		expect(env.smtp.messages).toHaveLength(before + 1);
		expect(mail.envelopeTo).toEqual([INVITED]);
		expect(mail.to).toEqual([INVITED]);
		expect(mail.subject).toBe('Your Flussonic Watcher login link');
		const pattern = new RegExp(`${env.host.baseUrl}/webhook/email-login#[A-Za-z0-9_-]{40,}`, 'g');
		const inText = mail.text?.match(pattern) ?? [];
		const inHtml = mail.html?.match(pattern) ?? [];
		expect(new Set(inText).size).toBe(1);
		link = inText[0] ?? '';
		expect(inHtml).toContain(link);
		expect(mail.html).toContain(`href="${link}"`);
		// Valid for a day, as email needs: the text names when it ends.
		const until = Date.parse(/until (\S+) \(UTC\)/.exec(mail.text ?? '')?.[1] ?? '');
		expect(until - Date.now()).toBeGreaterThan(23.9 * HOUR);
		expect(until - Date.now()).toBeLessThanOrEqual(24 * HOUR);
		const page = await env.browser.newPage({ viewport: { width: 720, height: 400 } });
		await page.setContent(mail.html ?? '');
		await env.screenshot(page, 'email-message');
		await page.close();
	});

	test('email: a scanner with scripts on that follows everything but clicks nothing redeems nothing', async () => {
		const before = env.watcherPosts();
		const page = await scan(env, link);
		// It sees who the link is for and a button; the ticket is not used.
		await page.locator('#confirm').waitFor({ timeout: 15_000 });
		expect(await page.locator('#confirm').textContent()).toContain(INVITED);
		expect(env.watcherPosts()).toBe(before);
		expect(env.watcher.autologinSuccesses).toBe(before);
	});

	test('email: then the person opens the link, clicks and lands logged in', async () => {
		const before = env.watcher.autologinSuccesses;
		const page = await env.open(link);
		await page.locator('#confirm').waitFor({ timeout: 15_000 });
		await env.screenshot(page, 'email-confirm');
		expect(env.watcher.autologinSuccesses).toBe(before);
		await page.getByRole('button', { name: /log in|sign in/i }).click();
		await page.locator('#logged-in-user').waitFor({ timeout: 15_000 });
		expect(await page.locator('#logged-in-user').textContent()).toBe(INVITED);
		expect(env.watcher.autologinSuccesses).toBe(before + 1);
	});

	test('email: the scanner opening it again afterwards gets nothing', async () => {
		const before = env.watcherPosts();
		const page = await scan(env, link);
		await page.locator('#alreadyUsed').waitFor({ timeout: 15_000 });
		expect(await page.locator('#confirm').count()).toBe(0);
		expect(env.watcherPosts()).toBe(before);
	});

	test('email: an address without a Watcher account gets the same answer and no email', async () => {
		const before = env.smtp.messages.length;
		const answer = await invite(env, 'nobody@example.com');
		expect(answer.status).toBe(202);
		expect(env.smtp.messages).toHaveLength(before);
	});
}
