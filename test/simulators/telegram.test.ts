/**
 * Telegram Bot API simulator: the token check and error envelopes as api.telegram.org answers them,
 * the webhook methods, sendMessage's record, and updates posted to a real local webhook server with
 * the secret token header. Real HTTP on 127.0.0.1 throughout.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import { TELEGRAM_DEFAULT_TOKEN, TelegramSimulator } from '../../tools/simulators/telegram';
import type { SentMessage } from '../../tools/simulators/telegram';
import { T0_SECONDS, fixedClock } from './testSupport';

interface Received {
	url: string;
	headers: IncomingHttpHeaders;
	body: { update_id: number; message: Record<string, unknown> };
}

/** The bot's webhook (n8n's place in production): records each update, answers `hookStatus`. */
const received: Received[] = [];
let hookStatus = 200;
const hook = createServer((req, res) => {
	const chunks: Buffer[] = [];
	req.on('data', (chunk: Buffer) => chunks.push(chunk));
	req.on('end', () => {
		const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'];
		received.push({ url: req.url ?? '', headers: req.headers, body });
		res.writeHead(hookStatus).end(`seen ${received.length}`);
	});
});
let hookUrl = '';

let sim: TelegramSimulator;
const onSent: SentMessage[] = [];

beforeAll(async () => {
	await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
	hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/webhook/tg?x=1`;
});
afterAll(async () => {
	hook.closeAllConnections();
	await new Promise((resolve) => hook.close(resolve));
});
beforeEach(async () => {
	received.length = 0;
	onSent.length = 0;
	hookStatus = 200;
	sim = await TelegramSimulator.start({ now: fixedClock, onSent: (m) => onSent.push(m) });
});
afterEach(async () => {
	await sim.stop();
});

/** One Bot API call: a JSON body (a string as is), or a form for URLSearchParams; `[status, json]`. */
async function call(method: string, body?: unknown, token = sim.token): Promise<[number, unknown]> {
	const form = body instanceof URLSearchParams;
	const response = await fetch(`${sim.url}/bot${token}/${method}`, {
		method: 'POST',
		headers: form ? {} : { 'content-type': 'application/json' },
		body: form ? body : typeof body === 'string' ? body : JSON.stringify(body ?? {}),
	});
	return [response.status, await response.json()];
}
async function get(path: string): Promise<[number, unknown]> {
	const response = await fetch(`${sim.url}${path}`);
	return [response.status, await response.json()];
}
const bad = (code: number, description: string) => [
	code,
	{ ok: false, error_code: code, description },
];
const done = (description: string) => [200, { ok: true, result: true, description }];
const BUTTON = {
	inline_keyboard: [[{ text: 'Log in', url: 'https://watcher.example/login?t=1' }]],
};

it('refuses a wrong token with 401 Unauthorized for every method, changing nothing', async () => {
	const wrong = TELEGRAM_DEFAULT_TOKEN.replace(/9$/, '8');
	for (const method of ['getMe', 'setWebhook', 'sendMessage', 'noSuchMethod'])
		expect(await call(method, { url: hookUrl, chat_id: 1, text: 'x' }, wrong)).toEqual(
			bad(401, 'Unauthorized'),
		);
	expect(sim.wrongTokenCalls).toBe(4);
	expect([sim.apiCalls, sim.webhook, sim.sent]).toEqual([[], undefined, []]);
});

it('answers 404 for an unknown method, and for paths outside /bot<token>/<method>', async () => {
	expect(await call('sendPhoto', { chat_id: 1 })).toEqual(bad(404, 'Not Found: method not found'));
	expect(sim.callsOf('sendPhoto')).toEqual([
		{ method: 'sendPhoto', params: { chat_id: 1 }, rawBody: '{"chat_id":1}' },
	]);
	for (const path of ['/', `/bot${sim.token}`, `/bot${sim.token}/get-me`, '/getMe'])
		expect(await get(path)).toEqual(bad(404, 'Not Found'));
});

it('answers getMe (a GET too) with the bot user its token names', async () => {
	const [status, json] = await get(`/bot${sim.token}/getMe`);
	expect(status).toBe(200);
	expect(json).toEqual({
		ok: true,
		result: {
			...{ id: 7_000_000_001, is_bot: true, first_name: 'Watcher Login Bot' },
			...{ username: 'watcher_login_demo_bot', can_join_groups: true },
			...{ can_read_all_group_messages: false, supports_inline_queries: false },
		},
	});
});

it('round-trips setWebhook (form), getWebhookInfo and deleteWebhook; refuses bad ones', async () => {
	const info = { has_custom_certificate: false, pending_update_count: 0 };
	expect(await call('getWebhookInfo')).toEqual([200, { ok: true, result: { url: '', ...info } }]);
	const allowed = '["message","callback_query"]';
	const form = new URLSearchParams({
		url: hookUrl,
		secret_token: 'n8n_s-1',
		allowed_updates: allowed,
	});
	expect(await call('setWebhook', form)).toEqual(done('Webhook was set'));
	const allowedUpdates = ['message', 'callback_query'];
	expect(sim.webhook).toEqual({ url: hookUrl, secretToken: 'n8n_s-1', allowedUpdates });
	expect(await call('getWebhookInfo')).toEqual([
		200,
		{ ok: true, result: { url: hookUrl, ...info, allowed_updates: allowedUpdates } },
	]);
	expect(await call('setWebhook', { url: 'not a url' })).toEqual(
		bad(400, 'Bad Request: invalid webhook URL specified'),
	);
	expect(await call('setWebhook', { url: hookUrl, secret_token: 'a b' })).toEqual(
		bad(400, 'Bad Request: secret token contains unallowed characters'),
	);
	expect(sim.webhook?.secretToken).toBe('n8n_s-1');
	expect(await call('deleteWebhook')).toEqual(done('Webhook was deleted'));
	expect(sim.webhook).toBeUndefined();
	await call('setWebhook', { url: hookUrl });
	expect(await call('setWebhook', { url: '' })).toEqual(done('Webhook was deleted'));
	expect(await call('getWebhookInfo')).toEqual([200, { ok: true, result: { url: '', ...info } }]);
});

it('records sendMessage with its inline-keyboard URL button (a form post) and answers it', async () => {
	const form = new URLSearchParams({ chat_id: '111', text: 'Your link', parse_mode: 'HTML' });
	form.set('reply_markup', JSON.stringify(BUTTON));
	const message = { message_id: 1, from: { ...sim.bot }, chat: { id: 111, type: 'private' } };
	expect(await call('sendMessage', form)).toEqual([
		200,
		{ ok: true, result: { ...message, date: T0_SECONDS, text: 'Your link', reply_markup: BUTTON } },
	]);
	const expected = { messageId: 1, chatId: '111', text: 'Your link', parseMode: 'HTML' };
	expect(sim.sent).toEqual([{ ...expected, replyMarkup: BUTTON }]);
	expect(onSent).toEqual(sim.sent);
	expect(await sim.waitForSent(1)).toEqual(sim.sent);
	expect(await get('/__sim/sent')).toEqual([200, [{ ...expected, replyMarkup: BUTTON }]]);
	expect(sim.stats()).toMatchObject({ webhook: null, messagesSent: 1, wrongTokenCalls: 0 });
});

it('refuses a message without chat or text, or with a non-http button URL, recording none', async () => {
	expect(await call('sendMessage', { text: 'hi' })).toEqual(
		bad(400, 'Bad Request: chat not found'),
	);
	expect(await call('sendMessage', { chat_id: 5, text: ' ' })).toEqual(
		bad(400, 'Bad Request: message text is empty'),
	);
	const js = { inline_keyboard: [[{ text: 'Go', url: 'javascript:alert(1)' }]] };
	expect(await call('sendMessage', { chat_id: 5, text: 'hi', reply_markup: js })).toEqual(
		bad(
			400,
			"Bad Request: inline keyboard button URL 'javascript:alert(1)' is invalid: Wrong HTTP URL",
		),
	);
	expect(await call('sendMessage', '{"chat_id":')).toEqual(
		bad(400, "Bad Request: can't parse JSON object"),
	);
	expect([sim.sent, onSent]).toEqual([[], []]);
	await expect(sim.waitForSent(1, 100)).rejects.toThrow(
		'telegram simulator: 0 messages sent after 100 ms, expected 1',
	);
});

it('posts a private-chat update to the webhook with the secret token header', async () => {
	await expect(sim.sendText({ id: 111, firstName: 'Ann' }, '/login')).rejects.toThrow(
		'telegram simulator: no webhook registered (is the workflow active?)',
	);
	await call('setWebhook', { url: hookUrl, secret_token: 'n8n_s-1' });
	hookStatus = 201;
	const person = { id: 111, firstName: 'Ann', lastName: 'Lee', username: 'ann' };
	const delivery = await sim.sendText(person, '/login@watcher_login_demo_bot now');
	expect(delivery).toEqual({ updateId: 100_000, status: 201, body: 'seen 1' });
	expect(received).toHaveLength(1);
	const [{ url, headers, body }] = received as [Received];
	expect([url, headers['x-telegram-bot-api-secret-token']]).toEqual(['/webhook/tg?x=1', 'n8n_s-1']);
	const names = { first_name: 'Ann', last_name: 'Lee', username: 'ann' };
	expect(body).toEqual({
		update_id: 100_000,
		message: {
			message_id: 1,
			from: { id: 111, is_bot: false, ...names, language_code: 'en' },
			chat: { id: 111, ...names, type: 'private' },
			date: T0_SECONDS,
			text: '/login@watcher_login_demo_bot now',
			entities: [{ offset: 0, length: 29, type: 'bot_command' }],
		},
	});
});

it('posts a group-chat update, without the header when no secret was set', async () => {
	await call('setWebhook', { url: hookUrl });
	const group = { id: -1_001_234, title: 'Operators' };
	const delivery = await sim.sendText({ id: 222, firstName: 'Bo' }, 'hello all', group);
	expect(delivery).toEqual({ updateId: 100_000, status: 200, body: 'seen 1' });
	const [{ headers, body }] = received as [Received];
	expect(headers['x-telegram-bot-api-secret-token']).toBeUndefined();
	expect(body.message).toEqual({
		message_id: 1,
		from: { id: 222, is_bot: false, first_name: 'Bo', language_code: 'en' },
		chat: { id: -1_001_234, title: 'Operators', type: 'group' },
		date: T0_SECONDS,
		text: 'hello all',
	});
});

it('serves POST /__sim/message: a person writes, the update reaches the webhook later', async () => {
	const admin = async (body: unknown): Promise<[number, unknown]> => {
		const response = await fetch(`${sim.url}/__sim/message`, {
			method: 'POST',
			body: JSON.stringify(body),
		});
		return [response.status, await response.json()];
	};
	expect(await admin({ userId: 111 })).toEqual([
		409,
		{ error: 'no webhook registered: is the Telegram workflow active?' },
	]);
	await call('setWebhook', { url: hookUrl, secret_token: 's' });
	expect(await admin({ userId: -3 })).toEqual([
		400,
		{ error: 'userId must be a positive integer' },
	]);
	expect(await admin({ userId: 111, firstName: 'Ann', text: '/start' })).toEqual([
		202,
		{ ok: true, updateId: 100_000 },
	]);
	expect(await admin({ userId: 112 })).toEqual([202, { ok: true, updateId: 100_001 }]);
	const until = Date.now() + 5_000;
	while (received.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
	const seen = received.map(({ headers, body }) => {
		const { text, from, chat } = body.message as { text: string; from: object; chat: object };
		return [headers['x-telegram-bot-api-secret-token'], body.update_id, text, from, chat];
	});
	const person = (id: number, first_name: string) => ({ id, first_name, type: 'private' });
	const user = (id: number, first_name: string) => ({
		id,
		is_bot: false,
		first_name,
		language_code: 'en',
	});
	expect(seen.sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
		['s', 100_000, '/start', user(111, 'Ann'), person(111, 'Ann')],
		['s', 100_001, '/login', user(112, 'Demo'), person(112, 'Demo')],
	]);
	expect(await get('/__sim/sent')).toEqual([200, []]);
});
