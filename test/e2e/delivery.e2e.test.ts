/**
 * Links delivered the way people deliver them, end to end in real n8n 1.123.81 and 2.40.7 with
 * n8n's own Telegram Trigger, Telegram and Send Email nodes: example 7 (a Telegram login bot,
 * against the Telegram Bot API simulator) and example 8 (an email invitation, through a local SMTP
 * server), opened in headless Chromium. One n8n per version serves both.
 */
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { HOST_VERSIONS } from '../../tools/n8n/n8nHost';
import { emailTests } from './delivery/email';
import { useDeliveryHost } from './delivery/setup';
import { telegramTests } from './delivery/telegram';

jest.setTimeout(300_000);

describe.each(HOST_VERSIONS)('n8n %s: links by Telegram and by email', (version: HostVersion) => {
	const env = useDeliveryHost(version);

	telegramTests(env);
	emailTests(env);

	test('no Watcher token in what Telegram received, in the email, in saved executions or in the log', async () => {
		const tokens = env.watcher.issuedTokenLog;
		// One per link: the Telegram one and the email one.
		expect(tokens).toHaveLength(2);
		const telegram = [
			...env.telegram.apiCalls.map((call) => `${call.rawBody}\n${JSON.stringify(call.params)}`),
			...env.telegram.requestLog.map((entry) => entry.rawUrl),
		].join('\n');
		const mail = env.smtp.messages
			.map((message) => `${message.raw}\n${message.text ?? ''}\n${message.html ?? ''}`)
			.join('\n');
		const database = env.databaseText();
		const log = env.logLines.join('\n');
		// Each place holds what it should, so a search there means something.
		expect(telegram).toContain('/webhook/telegram-login#');
		expect(mail).toContain('/webhook/email-login#');
		expect(database).toContain('demo@example.com');
		expect(database).toContain('"loggedIn"');
		expect(log.length).toBeGreaterThan(0);
		for (const token of tokens) {
			const signature = token.split(':').at(-1) ?? token;
			expect(signature).toMatch(/^[0-9a-f]{40}$/);
			for (const [where, text] of Object.entries({ telegram, mail, database, log })) {
				expect({ where, found: text.includes(signature) }).toEqual({ where, found: false });
			}
		}
	});
});
