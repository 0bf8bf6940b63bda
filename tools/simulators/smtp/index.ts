/**
 * A local SMTP server for the tests and `npm start`: `smtp-server` speaks SMTP, `mailparser`
 * reads each message into its text and HTML parts. Plain SMTP on 127.0.0.1 without TLS, any or no
 * login accepted, every message kept in memory (what a test asserts on, what `npm start` prints).
 */
import type { AddressObject, ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { SMTPServer } from 'smtp-server';

import { SIM_HOST } from '../common/server';

/** Where `npm start` runs it, and the port the example credential names. */
export const SMTP_DEFAULT_PORT = 5604;

export interface ReceivedMail {
	/** The envelope (MAIL FROM / RCPT TO), which is where a message really goes. */
	envelopeFrom: string | undefined;
	envelopeTo: string[];
	from: string | undefined;
	to: string[];
	subject: string | undefined;
	text: string | undefined;
	html: string | undefined;
	/** The whole message as it arrived. */
	raw: string;
	/** The user name it logged in with, if it did. */
	user: string | undefined;
}

export interface SmtpSinkOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Called with every message once it is parsed. */
	onMail?: (mail: ReceivedMail) => void;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
	const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
	return list.flatMap((entry) => entry.value.map((address) => address.address ?? ''));
}

function envelopeAddress(address: SMTPServerAddress | false): string | undefined {
	return address === false ? undefined : address.address;
}

export class SmtpSink {
	readonly messages: ReceivedMail[] = [];
	private server: SMTPServer | undefined;
	private boundPort: number | undefined;
	private readonly options: SmtpSinkOptions;

	constructor(options: SmtpSinkOptions = {}) {
		this.options = options;
	}

	static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
		return await new SmtpSink(options).start();
	}

	get port(): number {
		if (this.boundPort === undefined) throw new Error('smtp sink has not been started');
		return this.boundPort;
	}

	get host(): string {
		return SIM_HOST;
	}

	async start(): Promise<this> {
		if (this.server !== undefined) return this;
		const server = new SMTPServer({
			// Plain SMTP on loopback: no STARTTLS offered, so clients need no certificate settings.
			disabledCommands: ['STARTTLS'],
			authOptional: true,
			allowInsecureAuth: true,
			logger: false,
			banner: 'n8n-nodes-watcher-durst test SMTP server',
			// smtp-server waits 30 s for open connections on close by default: a test that failed midway
			// would then outlive jest's hook timeout.
			closeTimeout: 1_000,
			size: 10 * 1024 * 1024,
			onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
			onData: (stream, session, callback) => {
				const chunks: Buffer[] = [];
				stream.on('data', (chunk: Buffer) => chunks.push(chunk));
				stream.on('error', (error: Error) => callback(error));
				stream.on('end', () => {
					const raw = Buffer.concat(chunks);
					simpleParser(raw)
						.then((parsed: ParsedMail) => {
							this.keep(parsed, session, raw.toString('utf8'));
							callback();
						})
						.catch((error: Error) => callback(error));
				});
			},
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.options.port ?? 0, SIM_HOST, () => {
				server.off('error', reject);
				resolve();
			});
		});
		// Later errors (a client dropping its connection) must not crash the process.
		server.on('error', () => undefined);
		const address = server.server.address();
		this.boundPort = typeof address === 'object' && address !== null ? address.port : undefined;
		this.server = server;
		return this;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (server === undefined) return;
		this.server = undefined;
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Resolves once `count` messages have arrived in all, or rejects after `timeoutMs`. */
	async waitForMessages(count: number, timeoutMs = 15_000): Promise<ReceivedMail[]> {
		const until = Date.now() + timeoutMs;
		while (this.messages.length < count) {
			if (Date.now() > until)
				throw new Error(
					`smtp sink: ${this.messages.length} messages after ${timeoutMs} ms, expected ${count}`,
				);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		return this.messages.slice(0, count);
	}

	private keep(parsed: ParsedMail, session: SMTPServerSession, raw: string): void {
		const mail: ReceivedMail = {
			envelopeFrom: envelopeAddress(session.envelope.mailFrom),
			envelopeTo: session.envelope.rcptTo.map((address) => address.address),
			from: addresses(parsed.from)[0],
			to: addresses(parsed.to),
			subject: parsed.subject,
			text: parsed.text,
			html: parsed.html === false ? undefined : parsed.html,
			raw,
			user: typeof session.user === 'string' ? session.user : undefined,
		};
		this.messages.push(mail);
		this.options.onMail?.(mail);
	}
}
