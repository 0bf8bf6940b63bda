/** The Telegram Bot API as the simulator speaks it: defaults, answers and the updates it posts. */
import type { JsonObject, JsonValue } from '../common/json';

/** Where `npm start` runs the simulator, and the address the example credential names. */
export const TELEGRAM_DEFAULT_PORT = 5603;
/** A bot token in Telegram's shape (`<bot id>:<secret>`); the example credential holds this one. */
export const TELEGRAM_DEFAULT_TOKEN = '7000000001:AAE-watcher-demo-bot-token-0123456789';
/** The header Telegram sets on every webhook call when `setWebhook` got a `secret_token`. */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** The methods this simulator answers (the ones n8n's Telegram nodes call for a text bot). */
export const TELEGRAM_METHODS = [
	'getMe',
	'setWebhook',
	'deleteWebhook',
	'getWebhookInfo',
	'sendMessage',
	'sendChatAction',
	'answerCallbackQuery',
] as const;
export type TelegramMethod = (typeof TELEGRAM_METHODS)[number];

export interface TelegramBotUser {
	id: number;
	is_bot: true;
	first_name: string;
	username: string;
}

/** A registered webhook: what `setWebhook` was given. */
export interface TelegramWebhook {
	url: string;
	secretToken: string | undefined;
	allowedUpdates: string[] | undefined;
}

/** One Bot API call as it arrived: the method, and its parameters (query and body merged). */
export interface TelegramCall {
	method: string;
	params: JsonObject;
	/** The body exactly as received, for tests that look for what must not be there. */
	rawBody: string;
}

/** A `sendMessage` the bot made, as Telegram would have delivered it. */
export interface SentMessage {
	messageId: number;
	chatId: string;
	text: string;
	parseMode: string | undefined;
	/** `reply_markup` as sent (parsed when it came as a JSON string, as form posts send it). */
	replyMarkup: JsonValue | undefined;
}

/** A person writing to the bot in a private chat. */
export interface TelegramPerson {
	id: number;
	firstName: string;
	lastName?: string;
	username?: string;
	languageCode?: string;
}

/** Telegram's error envelope. */
export function telegramError(code: number, description: string): JsonObject {
	return { ok: false, error_code: code, description };
}

/** A group the bot is in (Telegram gives groups negative ids). */
export interface TelegramGroup {
	id: number;
	title: string;
}

/**
 * The update Telegram posts when `person` writes `text` to the bot: in a private chat (chat id =
 * user id there) or in `group`, with the `bot_command` entity a leading `/command` gets.
 */
export function messageUpdate(
	updateId: number,
	messageId: number,
	person: TelegramPerson,
	text: string,
	date: number,
	group?: TelegramGroup,
): JsonObject {
	const from: JsonObject = { id: person.id, is_bot: false, first_name: person.firstName };
	if (person.lastName !== undefined) from.last_name = person.lastName;
	if (person.username !== undefined) from.username = person.username;
	from.language_code = person.languageCode ?? 'en';
	const chat: JsonObject =
		group === undefined
			? { id: person.id, first_name: person.firstName, type: 'private' }
			: { id: group.id, title: group.title, type: 'group' };
	if (group === undefined && person.lastName !== undefined) chat.last_name = person.lastName;
	if (group === undefined && person.username !== undefined) chat.username = person.username;
	const message: JsonObject = { message_id: messageId, from, chat, date, text };
	const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
	if (command !== null)
		message.entities = [{ offset: 0, length: command[0].length, type: 'bot_command' }];
	return { update_id: updateId, message };
}
