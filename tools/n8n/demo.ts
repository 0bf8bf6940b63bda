/**
 * What `npm start` and `npm run start:queue` share: the n8n version and port, the editor owner,
 * installing what is missing, the simulators on their usual ports, the examples imported and
 * active, stopping everything on Ctrl-C, and the lines that tell how to get in.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { startSimulators, type RunningSimulators } from '../simulators/cli';
import { SMTP_DEFAULT_PORT, SmtpSink, type ReceivedMail } from '../simulators/smtp';
import { TELEGRAM_DEFAULT_PORT, TelegramSimulator, type SentMessage } from '../simulators/telegram';
import {
	CREDENTIAL_IDS,
	EXAMPLE_IDS,
	EXAMPLES_DIR,
	loadCredentials,
	loadFixtures,
	loadWorkflows,
} from './examples';
import { hostInstalled, type HostVersion, type N8nHost } from './n8nHost';

export const ROOT = path.dirname(EXAMPLES_DIR);
export const DEMO_VERSION: HostVersion = '2.41.3';
export const DEMO_PORT = Number(process.env.N8N_PORT ?? 5678);
export const OWNER = {
	email: 'owner@example.com',
	password: 'Demo-Owner-Pass-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

export function step(message: string): void {
	console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Runs `scripts/<script>`, its output on our terminal; `what` names it when it fails. */
export function runInstallScript(script: string, args: string[], what: string): void {
	const result = spawnSync('bash', [path.join(ROOT, 'scripts', script), ...args], {
		stdio: 'inherit',
	});
	if (result.status !== 0) throw new Error(`installing ${what} failed (see above)`);
}

export function installHostIfMissing(what: string): void {
	if (hostInstalled(DEMO_VERSION)) return;
	step(
		`n8n ${DEMO_VERSION} is not installed yet: installing it into .hosts/ (about 4 minutes, once)`,
	);
	runInstallScript('install-hosts.sh', [DEMO_VERSION], what);
}

export async function startDemoSimulators(): Promise<RunningSimulators> {
	step('starting the simulators: Watcher on 127.0.0.1:5601, Durst Analytics on 127.0.0.1:5602');
	return await startSimulators({ watcherPort: 5601, durstPort: 5602 });
}

/** Examples 7 and 8: the Telegram login bot and the email invitation (ids as in their files). */
export const DELIVERY_EXAMPLE_IDS = {
	telegramBot: EXAMPLE_IDS.telegramLoginBot,
	emailInvitation: EXAMPLE_IDS.emailInvitation,
} as const;
/** A Telegram user id the Telegram example's Watcher Logins node maps (to demo@example.com). */
export const DEMO_TELEGRAM_USER_ID = 111111111;

/** The Telegram Bot API simulator and the local SMTP server examples 7 and 8 talk to. */
export interface DeliveryServers {
	telegram: TelegramSimulator;
	smtp: SmtpSink;
	stop: () => Promise<void>;
}

function printTelegramMessage(message: SentMessage): void {
	const markup = message.replyMarkup as
		{ inline_keyboard?: Array<Array<{ text?: string; url?: string }>> } | undefined;
	const buttons = (markup?.inline_keyboard ?? [])
		.flat()
		.map((button) => `\n    [${button.text ?? ''}] ${button.url ?? ''}`)
		.join('');
	step(`Telegram bot -> chat ${message.chatId}: ${message.text}${buttons}`);
}

function printMail(mail: ReceivedMail): void {
	step(
		`email received by the local SMTP server, to ${mail.envelopeTo.join(', ')}: "${mail.subject ?? ''}"\n` +
			(mail.text ?? '(no text part)')
				.split('\n')
				.map((line) => `    ${line}`)
				.join('\n'),
	);
}

/** Starts both on their usual ports (the example credentials name them); prints what they receive. */
export async function startDeliveryServers(): Promise<DeliveryServers> {
	step(
		`starting the Telegram Bot API simulator on 127.0.0.1:${TELEGRAM_DEFAULT_PORT} and an SMTP server on 127.0.0.1:${SMTP_DEFAULT_PORT}`,
	);
	const telegram = await TelegramSimulator.start({
		port: TELEGRAM_DEFAULT_PORT,
		onSent: printTelegramMessage,
	});
	let smtp: SmtpSink;
	try {
		smtp = await SmtpSink.start({ port: SMTP_DEFAULT_PORT, onMail: printMail });
	} catch (error) {
		await telegram.stop();
		throw error;
	}
	return {
		telegram,
		smtp,
		stop: async () => {
			await Promise.all([telegram.stop(), smtp.stop()]);
		},
	};
}

/** How to drive examples 7 and 8 from a shell. */
export function deliveryLines(host: N8nHost, servers: DeliveryServers): string {
	return `  6. Telegram login bot ("Watcher: Telegram login bot"): Telegram user ${DEMO_TELEGRAM_USER_ID}, mapped to demo@example.com, sends /login:
       curl -s -X POST ${servers.telegram.url}/__sim/message -H 'content-type: application/json' -d '{"userId":${DEMO_TELEGRAM_USER_ID},"text":"/login"}'
     The bot's answer is printed here with its button's link (also: curl -s ${servers.telegram.url}/__sim/sent).
     Open the link: logged in once. Any other userId gets a polite refusal and no link.
  7. Email invitation ("Watcher: email invitation"):
       curl -s -X POST ${host.baseUrl}/webhook/watcher-invite -H 'content-type: application/json' -d '{"email":"viewer@example.com"}'
     The email is printed here as the local SMTP server receives it. Its link shows who it logs in and a
     button (Require a Click: mail scanners that open links use up nothing); click it to log in.`;
}

/**
 * On Ctrl-C or SIGTERM: `message`, then each of `stoppers` in turn (failures ignored), then exit.
 * Returns the same stop for a failed set-up to call with exit code 1.
 */
export function stopOnSignals(
	message: string,
	stoppers: Array<() => Promise<void> | undefined>,
): (code: number) => Promise<void> {
	let stopping = false;
	const stop = async (code: number): Promise<void> => {
		if (stopping) return;
		stopping = true;
		step(message);
		for (const stopper of stoppers) await stopper()?.catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	return stop;
}

/** Prints why the set-up failed, then stops everything (exit code 1). */
export async function failed(error: unknown, stop: (code: number) => Promise<void>): Promise<void> {
	console.error(error instanceof Error ? error.message : error);
	await stop(1);
}

/**
 * The example credentials and workflows (and test `fixtures` beside them) pointed at this n8n and
 * the simulators; the webhook examples and `activate` marked active for the next start.
 */
export async function importExamples(
	host: N8nHost,
	sims: RunningSimulators,
	extra: { fixtures?: string[]; activate?: string[] } = {},
): Promise<void> {
	const targets = {
		n8nUrl: host.baseUrl,
		watcherUrl: sims.watcher.url,
		durstUrl: sims.durst.url,
	};
	await host.importCredentials(loadCredentials(targets));
	await host.importWorkflow([
		...loadWorkflows(targets),
		...loadFixtures(targets, extra.fixtures ?? []),
	]);
	for (const id of [
		EXAMPLE_IDS.watcherLink,
		EXAMPLE_IDS.watcherLoginPage,
		...(extra.activate ?? []),
	])
		await host.activate(id);
}

/** How to log in to the editor and what the examples talk to. */
export function accessLines(sims: RunningSimulators): string {
	return `  Editor login:   ${OWNER.email} / ${OWNER.password}
  Credentials:    "Flussonic Watcher (simulator)" (${CREDENTIAL_IDS.watcher}), "Durst Analytics (simulator)" (${CREDENTIAL_IDS.durst})
  Simulators:     Watcher ${sims.watcher.url} (API key ${sims.watcher.apiKey}), Durst ${sims.durst.url} (operator)`;
}
