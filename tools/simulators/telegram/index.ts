/** The Telegram Bot API simulator and the vocabulary its tests use. */
export { TelegramSimulator } from './simulator';
export type { TelegramSimulatorOptions, UpdateDelivery } from './simulator';
export {
	TELEGRAM_DEFAULT_PORT,
	TELEGRAM_DEFAULT_TOKEN,
	TELEGRAM_METHODS,
	TELEGRAM_SECRET_HEADER,
	messageUpdate,
	telegramError,
} from './types';
export type {
	SentMessage,
	TelegramBotUser,
	TelegramCall,
	TelegramGroup,
	TelegramMethod,
	TelegramPerson,
	TelegramWebhook,
} from './types';
