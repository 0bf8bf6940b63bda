/**
 * Telegram Bot API simulator: `/bot<token>/<method>` as api.telegram.org has it, for n8n's own
 * Telegram and Telegram Trigger nodes (their credential's Base URL points here). It keeps the
 * webhook `setWebhook` registered, records every call and message the bot sent, and posts updates
 * (a person writing to the bot) to that webhook with the secret token header Telegram sets.
 */
import { SimulatorBase } from '../common/base';
import type { SimulatorBaseOptions } from '../common/base';
import { decodeSegment, jsonResponse, safeEqual } from '../common/http';
import type { RouteResult, SimRequest, SimResponse } from '../common/http';
import { isPlainObject, parseJson } from '../common/json';
import { markupProblem, readParams, structured, text } from './params';
import type { JsonObject, JsonValue } from '../common/json';
import {
	TELEGRAM_DEFAULT_TOKEN,
	TELEGRAM_METHODS,
	TELEGRAM_SECRET_HEADER,
	messageUpdate,
	telegramError,
} from './types';
import type {
	SentMessage,
	TelegramBotUser,
	TelegramCall,
	TelegramGroup,
	TelegramMethod,
	TelegramPerson,
	TelegramWebhook,
} from './types';

export interface TelegramSimulatorOptions extends SimulatorBaseOptions {
	token?: string;
	bot?: Omit<TelegramBotUser, 'is_bot'>;
	/** Called with every message the bot sends (`npm start` prints them). */
	onSent?: (message: SentMessage) => void;
}

/** What the webhook answered an update. */
export interface UpdateDelivery {
	updateId: number;
	status: number;
	body: string;
}

const PATH = /^\/bot([^/]+)\/([A-Za-z]+)$/;
const UPDATE_TIMEOUT_MS = 30_000;

export class TelegramSimulator extends SimulatorBase {
	protected readonly simulatorName = 'telegram';

	readonly token: string;
	readonly bot: TelegramBotUser;
	/** The webhook `setWebhook` registered; `undefined` before and after `deleteWebhook`. */
	webhook: TelegramWebhook | undefined = undefined;
	/** Every call with the right token, in order (never cleared by resets). */
	readonly apiCalls: TelegramCall[] = [];
	/** Every message the bot sent (never cleared by resets). */
	readonly sent: SentMessage[] = [];
	/** Calls made with another token. */
	wrongTokenCalls = 0;
	private nextUpdateId = 100_000;
	private nextMessageId = 1;
	private readonly onSent: ((message: SentMessage) => void) | undefined;

	constructor(options: TelegramSimulatorOptions = {}) {
		super(options);
		this.token = options.token ?? TELEGRAM_DEFAULT_TOKEN;
		this.onSent = options.onSent;
		this.bot = {
			id: Number(this.token.split(':')[0]) || 7_000_000_001,
			first_name: 'Watcher Login Bot',
			username: 'watcher_login_demo_bot',
			...options.bot,
			is_bot: true,
		};
	}

	static async start(options: TelegramSimulatorOptions = {}): Promise<TelegramSimulator> {
		return new TelegramSimulator(options).start();
	}

	/** Calls of one method. */
	callsOf(method: string): TelegramCall[] {
		return this.apiCalls.filter((call) => call.method === method);
	}

	/** Resolves once the bot has sent `count` messages in all, or rejects after `timeoutMs`. */
	async waitForSent(count: number, timeoutMs = 15_000): Promise<SentMessage[]> {
		const until = Date.now() + timeoutMs;
		while (this.sent.length < count) {
			if (Date.now() > until)
				throw new Error(
					`telegram simulator: ${this.sent.length} messages sent after ${timeoutMs} ms, expected ${count}`,
				);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		return this.sent.slice(0, count);
	}

	/** Resolves once a webhook is registered (n8n registers it when the workflow activates). */
	async waitForWebhook(timeoutMs = 15_000): Promise<TelegramWebhook> {
		const until = Date.now() + timeoutMs;
		while (this.webhook === undefined) {
			if (Date.now() > until)
				throw new Error(`telegram simulator: no webhook registered after ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		return this.webhook;
	}

	/**
	 * `person` writes `text` to the bot (in a private chat, or in `group`): the update is posted to
	 * the registered webhook with the secret token header, as Telegram does. Resolves with the
	 * webhook's answer.
	 */
	async sendText(
		person: TelegramPerson,
		text: string,
		group?: TelegramGroup,
	): Promise<UpdateDelivery> {
		const webhook = this.webhook;
		if (webhook === undefined)
			throw new Error('telegram simulator: no webhook registered (is the workflow active?)');
		const updateId = this.nextUpdateId++;
		const update = messageUpdate(
			updateId,
			this.nextMessageId++,
			person,
			text,
			Math.floor(this.now() / 1000),
			group,
		);
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (webhook.secretToken !== undefined) headers[TELEGRAM_SECRET_HEADER] = webhook.secretToken;
		const response = await fetch(webhook.url, {
			method: 'POST',
			headers,
			body: JSON.stringify(update),
			signal: AbortSignal.timeout(UPDATE_TIMEOUT_MS),
		});
		return { updateId, status: response.status, body: await response.text() };
	}

	// -- API -------------------------------------------------------------------------------------

	protected route(req: SimRequest): RouteResult {
		const match = PATH.exec(req.path);
		if (match === null)
			return { key: 'unknown', handle: () => jsonResponse(404, telegramError(404, 'Not Found')) };
		const [, token = '', method = ''] = match;
		const known = (TELEGRAM_METHODS as readonly string[]).includes(method);
		return {
			key: known ? method : 'unknown',
			// A token with a broken escape is just a wrong token, as Telegram answers it.
			handle: () => this.answer(req, decodeSegment(token) ?? '\u0000', method),
		};
	}

	private answer(req: SimRequest, token: string, method: string): SimResponse {
		if (!safeEqual(token, this.token)) {
			this.wrongTokenCalls += 1;
			return jsonResponse(401, telegramError(401, 'Unauthorized'));
		}
		const { params, problem } = readParams(req);
		this.apiCalls.push({ method, params, rawBody: req.body.toString('utf8') });
		if (problem !== undefined) return jsonResponse(400, telegramError(400, problem));
		if (!(TELEGRAM_METHODS as readonly string[]).includes(method))
			return jsonResponse(404, telegramError(404, 'Not Found: method not found'));
		return this.method(method as TelegramMethod, params);
	}

	private method(method: TelegramMethod, params: JsonObject): SimResponse {
		const ok = (result: JsonValue, description?: string) =>
			jsonResponse(
				200,
				description === undefined ? { ok: true, result } : { ok: true, result, description },
			);
		switch (method) {
			case 'getMe':
				return ok({
					...this.bot,
					can_join_groups: true,
					can_read_all_group_messages: false,
					supports_inline_queries: false,
				});
			case 'setWebhook':
				return this.setWebhook(params);
			case 'deleteWebhook':
				this.webhook = undefined;
				return ok(true, 'Webhook was deleted');
			case 'getWebhookInfo': {
				const info: JsonObject = {
					url: this.webhook?.url ?? '',
					has_custom_certificate: false,
					pending_update_count: 0,
				};
				if (this.webhook?.allowedUpdates !== undefined)
					info.allowed_updates = this.webhook.allowedUpdates;
				return ok(info);
			}
			case 'sendMessage':
				return this.sendMessage(params);
			case 'sendChatAction':
			case 'answerCallbackQuery':
				return ok(true);
		}
	}

	private setWebhook(params: JsonObject): SimResponse {
		const url = text(params.url) ?? '';
		if (url === '') {
			this.webhook = undefined;
			return jsonResponse(200, { ok: true, result: true, description: 'Webhook was deleted' });
		}
		try {
			new URL(url);
		} catch {
			return jsonResponse(400, telegramError(400, 'Bad Request: invalid webhook URL specified'));
		}
		const secret = text(params.secret_token);
		if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret))
			return jsonResponse(
				400,
				telegramError(400, 'Bad Request: secret token contains unallowed characters'),
			);
		const allowed = structured(params.allowed_updates);
		this.webhook = {
			url,
			secretToken: secret,
			allowedUpdates: Array.isArray(allowed) ? allowed.map(String) : undefined,
		};
		return jsonResponse(200, { ok: true, result: true, description: 'Webhook was set' });
	}

	private sendMessage(params: JsonObject): SimResponse {
		const chatId = text(params.chat_id);
		const messageText = text(params.text);
		if (chatId === undefined || chatId === '')
			return jsonResponse(400, telegramError(400, 'Bad Request: chat not found'));
		if (messageText === undefined || messageText.trim() === '')
			return jsonResponse(400, telegramError(400, 'Bad Request: message text is empty'));
		const replyMarkup = structured(params.reply_markup);
		const problem = markupProblem(replyMarkup);
		if (problem !== undefined) return jsonResponse(400, telegramError(400, problem));
		const message: SentMessage = {
			messageId: this.nextMessageId++,
			chatId,
			text: messageText,
			parseMode: text(params.parse_mode),
			replyMarkup,
		};
		this.sent.push(message);
		this.onSent?.(message);
		const result: JsonObject = {
			message_id: message.messageId,
			from: { ...this.bot },
			chat: { id: Number(chatId) || chatId, type: 'private' },
			date: Math.floor(this.now() / 1000),
			text: messageText,
		};
		if (replyMarkup !== undefined) result.reply_markup = replyMarkup;
		return jsonResponse(200, { ok: true, result });
	}

	// -- administration --------------------------------------------------------------------------

	protected extraStats(): Record<string, unknown> {
		return {
			webhook: this.webhook?.url ?? null,
			messagesSent: this.sent.length,
			wrongTokenCalls: this.wrongTokenCalls,
		};
	}

	/**
	 * `GET /__sim/sent`: the messages the bot sent. `POST /__sim/message` with
	 * `{"userId": 111, "firstName": "Ann", "text": "/login"}`: a person writes to the bot (the
	 * update is posted to n8n in the background; the answer says which update it was).
	 */
	protected handleAdmin(action: string, req: SimRequest): SimResponse | undefined {
		if (req.method === 'GET' && action === 'sent') return jsonResponse(200, this.sent);
		if (req.method !== 'POST' || action !== 'message') return undefined;
		const parsed = parseJson(req.body);
		const body = parsed.ok && isPlainObject(parsed.value) ? parsed.value : {};
		const id = Number(body.userId);
		if (!Number.isSafeInteger(id) || id <= 0)
			return jsonResponse(400, { error: 'userId must be a positive integer' });
		if (this.webhook === undefined)
			return jsonResponse(409, {
				error: 'no webhook registered: is the Telegram workflow active?',
			});
		const person: TelegramPerson = {
			id,
			firstName: typeof body.firstName === 'string' ? body.firstName : 'Demo',
		};
		const updateId = this.nextUpdateId;
		this.sendText(person, typeof body.text === 'string' ? body.text : '/login').catch(
			() => undefined,
		);
		return jsonResponse(202, { ok: true, updateId });
	}
}
