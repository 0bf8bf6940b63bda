/**
 * Example 7 in a real n8n: a person sends `/login` to the bot (the Telegram simulator posts the
 * update to n8n's Telegram Trigger), the bot answers with one message whose inline-keyboard button
 * holds a private link; a preview fetch redeems nothing, Chromium lands logged in, a second open
 * is refused, and a person the mapping does not know gets a refusal and no link.
 */
import type { SentMessage, TelegramGroup } from '../../../tools/simulators/telegram';
import type { DeliveryEnv } from './setup';
import { DELIVERY_IDS } from './setup';

/** Listed in the example's Watcher Logins node (demo@example.com); 999999999 is not. */
export const MAPPED_PERSON = { id: 111111111, firstName: 'Demo' };
export const UNMAPPED_PERSON = { id: 999999999, firstName: 'Stranger' };
/** What Telegram's link-preview bot calls itself. */
const PREVIEW_USER_AGENT = 'TelegramBot (like TwitterBot)';

function buttonUrls(message: SentMessage): string[] {
	const markup = message.replyMarkup as
		{ inline_keyboard?: Array<Array<{ url?: string }>> } | undefined;
	return (markup?.inline_keyboard ?? [])
		.flat()
		.flatMap((button) => (button.url === undefined ? [] : [button.url]));
}

/** Sends `text` as `person`, waits for the run to end; returns the messages the bot sent meanwhile. */
async function say(
	env: DeliveryEnv,
	person: typeof MAPPED_PERSON,
	text: string,
	group?: TelegramGroup,
): Promise<SentMessage[]> {
	const sentBefore = env.telegram.sent.length;
	const runsBefore = await env.executionCount(DELIVERY_IDS.telegramBot);
	const delivery = await env.telegram.sendText(person, text, group);
	expect(delivery.status).toBe(200);
	await env.executionsDone(DELIVERY_IDS.telegramBot, runsBefore + 1);
	return env.telegram.sent.slice(sentBefore);
}

export function telegramTests(env: DeliveryEnv): void {
	let link = '';

	test('Telegram: /login from a mapped person: exactly one message, its button a private link', async () => {
		const tokensBefore = env.watcher.tokensIssued;
		const sent = await say(env, MAPPED_PERSON, '/login');
		expect(sent).toHaveLength(1);
		const [message] = sent;
		expect(message.chatId).toBe(String(MAPPED_PERSON.id));
		const urls = buttonUrls(message);
		expect(urls).toHaveLength(1);
		link = urls[0];
		expect(link).toMatch(
			new RegExp(`^${env.host.baseUrl}/webhook/telegram-login#[A-Za-z0-9_-]{40,}$`),
		);
		// The link travels in the button only: the text (which Telegram would preview) has none.
		expect(message.text).not.toContain('http');
		expect(env.telegram.callsOf('sendMessage')).toHaveLength(1);
		// Generate Link made one Watcher token and sealed it into the ticket: it is not readable there.
		expect(env.watcher.tokensIssued).toBe(tokensBefore + 1);
		const token = env.watcher.issuedTokenLog.at(-1) ?? '';
		expect(token).toContain('demo@example.com:');
		expect(JSON.stringify(message)).not.toContain(token.split(':').at(-1));
	});

	test("Telegram: a link preview's plain GET redeems nothing", async () => {
		const before = env.watcherPosts();
		const tokensBefore = env.watcher.tokensIssued;
		// What a preview bot fetches: the URL without its fragment (never sent over HTTP), no scripts.
		const response = await fetch(link.split('#')[0], {
			headers: { 'user-agent': PREVIEW_USER_AGENT },
			redirect: 'follow',
		});
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).not.toContain(link.split('#')[1]);
		expect(env.watcherPosts()).toBe(before);
		expect(env.watcher.tokensIssued).toBe(tokensBefore);
		// A preview bot that does render the page, scripts off: still nothing.
		const page = await env.open(link, { javaScriptEnabled: false, userAgent: PREVIEW_USER_AGENT });
		await page.locator('#no-script').waitFor({ state: 'attached', timeout: 15_000 });
		expect(env.watcherPosts()).toBe(before);
	});

	test('Telegram: Chromium opens the button and lands logged in to Watcher', async () => {
		const before = env.watcher.autologinSuccesses;
		const page = await env.open(link);
		await page.locator('#logged-in-user').waitFor({ timeout: 15_000 });
		expect(await page.locator('#logged-in-user').textContent()).toBe('demo@example.com');
		expect(env.watcher.autologinSuccesses).toBe(before + 1);
	});

	test('Telegram: the same button again shows "already used"', async () => {
		const before = env.watcherPosts();
		const page = await env.open(link);
		await page.locator('#alreadyUsed').waitFor({ timeout: 15_000 });
		expect(env.watcherPosts()).toBe(before);
	});

	test('Telegram: a person not in the mapping gets a polite refusal and no link', async () => {
		const tokensBefore = env.watcher.tokensIssued;
		const sent = await say(env, UNMAPPED_PERSON, '/login');
		expect(sent).toHaveLength(1);
		const [refusal] = sent;
		expect(refusal.chatId).toBe(String(UNMAPPED_PERSON.id));
		expect(refusal.text).toMatch(/^Sorry, /);
		// The refusal tells them what their administrator needs: their Telegram user ID.
		expect(refusal.text).toContain(String(UNMAPPED_PERSON.id));
		expect(refusal.text).not.toContain('/webhook/');
		expect(buttonUrls(refusal)).toEqual([]);
		expect(env.watcher.tokensIssued).toBe(tokensBefore);
	});

	test('Telegram: other messages, and /login in a group, get no answer', async () => {
		const tokensBefore = env.watcher.tokensIssued;
		expect(await say(env, MAPPED_PERSON, 'hello')).toEqual([]);
		// In a group, a link would log in whoever taps it first.
		const group = { id: -100200300, title: 'Operators' };
		expect(await say(env, MAPPED_PERSON, '/login', group)).toEqual([]);
		expect(env.watcher.tokensIssued).toBe(tokensBefore);
	});
}
