/**
 * The local SMTP server (`SmtpSink`): a real SMTP dialog over a bare socket on 127.0.0.1 (the test
 * is the client, so what the server keeps is checked against bytes the test chose), the envelope
 * and the parsed text and HTML parts, login, limits, and a clean stop.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

import { SmtpSink } from '../../tools/simulators/smtp';
import type { ReceivedMail } from '../../tools/simulators/smtp';

/** Sockets a test left open (one that failed midway): closed before the server stops. */
const open = new Set<Socket>();

interface Reply {
	code: number;
	lines: string[];
}

/** Just enough of an SMTP client: one command, one (possibly multi-line) reply. */
class SmtpClient {
	private buffer = '';
	private pending: string[] = [];
	private readonly replies: Reply[] = [];
	private readonly waiters: ((reply: Reply) => void)[] = [];

	private constructor(private readonly socket: Socket) {
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => this.read(chunk));
	}

	/** Connects and returns the client with the server's greeting. */
	static async open(port: number): Promise<[SmtpClient, Reply]> {
		const socket = connect(port, '127.0.0.1');
		const client = new SmtpClient(socket);
		open.add(socket);
		socket.on('close', () => open.delete(socket));
		await once(socket, 'connect');
		return [client, await client.reply()];
	}

	send(line: string): Promise<Reply> {
		this.socket.write(`${line}\r\n`);
		return this.reply();
	}

	/** DATA with the message dot-stuffed, as RFC 5321 4.5.2 asks; the reply to the final dot. */
	async data(message: string): Promise<Reply> {
		const ready = await this.send('DATA');
		if (ready.code !== 354) return ready;
		return this.send(`${message.replace(/^\./gm, '..')}\r\n.`);
	}

	async quit(): Promise<Reply> {
		const reply = await this.send('QUIT');
		await once(this.socket, 'close');
		return reply;
	}

	private reply(): Promise<Reply> {
		const ready = this.replies.shift();
		if (ready !== undefined) return Promise.resolve(ready);
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	private read(chunk: string): void {
		this.buffer += chunk;
		for (let end = this.buffer.indexOf('\r\n'); end >= 0; end = this.buffer.indexOf('\r\n')) {
			const line = this.buffer.slice(0, end);
			this.buffer = this.buffer.slice(end + 2);
			this.pending.push(line.slice(4));
			if (line[3] === '-') continue;
			const reply = { code: Number(line.slice(0, 3)), lines: this.pending };
			this.pending = [];
			const waiter = this.waiters.shift();
			if (waiter === undefined) this.replies.push(reply);
			else waiter(reply);
		}
	}
}

const SUBJECT = 'Einladung für Ann';
const TEXT = 'Hello Ann,\r\n.a line that starts with a dot\r\nhttps://watcher.example/l?t=1';
const HTML = '<p>Hello Ann, <a href="https://watcher.example/l?t=1">log in</a></p>';
/** multipart/alternative as mail clients send it: UTF-8 subject, 8bit text, quoted-printable HTML. */
const MESSAGE = [
	'From: "Watcher Bot" <bot@watcher.example>',
	'To: Ann Lee <ann@example.com>',
	`Subject: =?UTF-8?B?${Buffer.from(SUBJECT).toString('base64')}?=`,
	'MIME-Version: 1.0',
	'Content-Type: multipart/alternative; boundary="b1"',
	'',
	'--b1',
	'Content-Type: text/plain; charset=utf-8',
	'Content-Transfer-Encoding: 8bit',
	'',
	TEXT,
	'--b1',
	'Content-Type: text/html; charset=utf-8',
	'Content-Transfer-Encoding: quoted-printable',
	'',
	HTML.replace(/=/g, '=3D'),
	'--b1--',
].join('\r\n');

let sink: SmtpSink;
const onMail: ReceivedMail[] = [];

beforeEach(async () => {
	onMail.length = 0;
	sink = await SmtpSink.start({ onMail: (mail) => onMail.push(mail) });
});

afterEach(async () => {
	for (const socket of open) socket.destroy();
	await sink.stop();
});

it('keeps the envelope, the headers and the text and HTML parts of a message', async () => {
	expect(sink.host).toBe('127.0.0.1');
	const [client, greeting] = await SmtpClient.open(sink.port);
	expect(greeting.code).toBe(220);
	expect(greeting.lines[0]).toContain('n8n-nodes-watcher-durst test SMTP server');
	expect((await client.send('MAIL FROM:<bounce@watcher.example>')).code).toBe(503);
	const ehlo = await client.send('EHLO test.client');
	expect(ehlo.code).toBe(250);
	expect(ehlo.lines).toContain('SIZE 10485760');
	expect(ehlo.lines.filter((line) => /STARTTLS/i.test(line))).toEqual([]);
	expect((await client.send('MAIL FROM:<bounce@watcher.example>')).code).toBe(250);
	expect((await client.send('RCPT TO:<ann@example.com>')).code).toBe(250);
	expect((await client.send('RCPT TO:<audit@example.com>')).code).toBe(250);
	expect((await client.data(MESSAGE)).code).toBe(250);
	expect((await client.quit()).code).toBe(221);

	const expected: ReceivedMail = {
		envelopeFrom: 'bounce@watcher.example',
		envelopeTo: ['ann@example.com', 'audit@example.com'],
		from: 'bot@watcher.example',
		to: ['ann@example.com'],
		subject: SUBJECT,
		text: TEXT.replace(/\r\n/g, '\n'),
		html: HTML,
		raw: `${MESSAGE}\r\n`,
		user: undefined,
	};
	expect(sink.messages).toEqual([expected]);
	expect(onMail).toEqual([expected]);
	expect(await sink.waitForMessages(1)).toEqual([expected]);
});

it('accepts any login, without TLS, and keeps its user name with each message', async () => {
	const [client] = await SmtpClient.open(sink.port);
	const ehlo = await client.send('EHLO test.client');
	expect(ehlo.lines).toContain('AUTH LOGIN PLAIN');
	const plain = Buffer.from('\0mailer@watcher.example\0any password').toString('base64');
	expect(await client.send(`AUTH PLAIN ${plain}`)).toEqual({
		code: 235,
		lines: ['Authentication successful'],
	});
	for (const rcpt of ['a@example.com', 'b@example.com']) {
		await client.send('MAIL FROM:<>');
		await client.send(`RCPT TO:<${rcpt}>`);
		expect((await client.data(`Subject: to ${rcpt}\r\n\r\nplain body`)).code).toBe(250);
	}
	await client.quit();
	const mails = await sink.waitForMessages(2);
	expect(mails.map((m) => [m.user, m.envelopeFrom, m.envelopeTo, m.subject, m.text])).toEqual([
		['mailer@watcher.example', '', ['a@example.com'], 'to a@example.com', 'plain body\n'],
		['mailer@watcher.example', '', ['b@example.com'], 'to b@example.com', 'plain body\n'],
	]);
	expect(mails.map((m) => [m.from, m.to, m.html])).toEqual([
		[undefined, [], undefined],
		[undefined, [], undefined],
	]);
});

it('refuses STARTTLS and a message declared over 10 MiB, keeping nothing', async () => {
	const [client] = await SmtpClient.open(sink.port);
	await client.send('EHLO test.client');
	expect(await client.send('STARTTLS')).toEqual({
		code: 500,
		lines: ['Error: command not recognized'],
	});
	const big = await client.send('MAIL FROM:<bounce@watcher.example> SIZE=10485761');
	expect(big.code).toBe(552);
	await client.quit();
	expect(sink.messages).toEqual([]);
	await expect(sink.waitForMessages(1, 100)).rejects.toThrow(
		'smtp sink: 0 messages after 100 ms, expected 1',
	);
});

it('stops cleanly: the port is closed afterwards, and stopping twice is harmless', async () => {
	const port = sink.port;
	const [client] = await SmtpClient.open(port);
	await client.quit();
	const started = Date.now();
	await sink.stop();
	expect(Date.now() - started).toBeLessThan(1_000);
	await sink.stop();
	const refused = connect(port, '127.0.0.1');
	const [error] = (await once(refused, 'error').catch((e: unknown) => [e])) as [
		NodeJS.ErrnoException,
	];
	expect(error.code).toBe('ECONNREFUSED');
	expect(() => new SmtpSink().port).toThrow('smtp sink has not been started');
	const fixed = await SmtpSink.start({ port });
	try {
		expect(fixed.port).toBe(port);
		expect(await fixed.start()).toBe(fixed);
		const [again, greeting] = await SmtpClient.open(port);
		expect(greeting.code).toBe(220);
		expect((await again.quit()).code).toBe(221);
	} finally {
		await fixed.stop();
	}
});
