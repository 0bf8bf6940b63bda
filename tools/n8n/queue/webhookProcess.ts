/**
 * One `n8n webhook` process of the cluster: it serves production webhooks (`/webhook/...`) only,
 * runs each webhook node's `webhook()` itself (the Login Page's too) and hands executions to the
 * workers through Redis. Same queue environment, key and package as main and workers; its own user
 * folder and N8N_PORT. Works on n8n 1.123.81 and 2.40.7 (both refuse to start outside queue mode).
 */
import { delay } from '../../process';
import { processTreeMemory } from '../../procfs';
import { HOST_NOISE, levelShown, parseJsonLog, type N8nLogLevel } from '../logs';
import type { N8nHost } from '../n8nHost';
import { httpGetStatus } from '../rest';
import { Daemon } from './daemon';

/** Logged once the process listens (both versions). */
const READY_LINE = 'Webhook listener waiting for requests';

export class N8nWebhookProcess {
	private daemon: Daemon | undefined;
	private ready = false;

	constructor(
		readonly index: number,
		readonly host: N8nHost,
		private readonly env: Record<string, string>,
		private readonly logLevel: N8nLogLevel,
		private readonly log: ((line: string) => void) | undefined,
	) {}

	/** As the proxy names it in `x-answered-by`. */
	get name(): string {
		return `webhook-${this.index}`;
	}

	get port(): number {
		return this.host.port;
	}

	get pid(): number | undefined {
		return this.daemon?.pid;
	}

	get isRunning(): boolean {
		return this.daemon !== undefined && !this.daemon.hasExited;
	}

	recentLog(count = 40): string {
		return this.daemon?.recentLog(count) ?? '';
	}

	private onLine(line: string): void {
		const prefix = `[n8n ${this.host.version} ${this.name}]`;
		const entry = parseJsonLog(line);
		if (entry === undefined) {
			if (this.log !== undefined && !HOST_NOISE.some((re) => re.test(line)))
				this.log(`${prefix} ${line}`);
			return;
		}
		const message = typeof entry.message === 'string' ? entry.message : '';
		const level = typeof entry.level === 'string' ? entry.level : 'info';
		if (message.includes(READY_LINE)) this.ready = true;
		if (
			this.log !== undefined &&
			levelShown(level, this.logLevel) &&
			!HOST_NOISE.some((re) => re.test(message))
		)
			this.log(`${prefix} ${level}: ${message.trim()}`);
	}

	/** Starts `n8n webhook`; resolves once it logged its ready line and /healthz answers 200. */
	async start(timeoutMs = 120_000): Promise<void> {
		if (this.isRunning) throw new Error(`${this.name}: already started`);
		this.ready = false;
		await this.host.init();
		const env = this.host.env({
			...this.env,
			N8N_LOG_LEVEL: this.logLevel === 'debug' ? 'debug' : 'info',
			N8N_LOG_FORMAT: 'json',
		});
		const daemon = new Daemon(
			this.name,
			this.host.paths.nodeBin,
			[this.host.paths.n8nBin, 'webhook'],
			{ cwd: this.host.userFolder, env },
			(line) => this.onLine(line),
		);
		this.daemon = daemon;
		const until = Date.now() + timeoutMs;
		while (Date.now() < until) {
			if (daemon.hasExited) break;
			if (this.ready && (await httpGetStatus(this.port, '/healthz')) === 200) return;
			await delay(250);
		}
		const why = daemon.hasExited
			? daemon.describeExit()
			: `not ready after ${timeoutMs} ms (ready line ${this.ready ? 'seen' : 'not seen'})`;
		await this.stop();
		throw new Error(`cluster: ${this.name} ${why}; last lines:\n${daemon.recentLog(40)}`);
	}

	/** SIGTERM (n8n ends what it is answering), SIGKILL after 20 s. */
	async stop(): Promise<void> {
		await this.daemon?.stop('SIGTERM', 20_000);
	}

	/** Peak and current resident memory of the process and its children, in KiB (Linux). */
	memoryKb(): { peakKb: number; rssKb: number } {
		return processTreeMemory(this.daemon?.pid);
	}
}
