/**
 * What a worker and a webhook process of the cluster share: one `n8n <command>` in its own process
 * group, its JSON log read line by line (shown at the chosen level, without the host's noise), and
 * "up" meaning its ready line was logged and its health URL answers 200.
 */
import { delay } from '../../process';
import { processTreeMemory } from '../../procfs';
import { levelShown, parseJsonLog, type N8nLogLevel } from '../logs';
import type { N8nHost } from '../n8nHost';
import { httpGetStatus } from '../rest';
import { Daemon } from './daemon';

/** How one kind of n8n process is started and known to be up. */
export interface N8nProcessKind {
	/** What follows the n8n binary, e.g. `['webhook']`. */
	args: string[];
	/** Environment beyond the cluster's (log level and format are set here). */
	env: Record<string, string>;
	/** A log message that says the process is ready. */
	readyLine: string;
	/** Lines not worth showing. */
	noise: RegExp[];
	health: { port: number; path: string };
}

export abstract class N8nQueueProcess {
	protected daemon: Daemon | undefined;
	private ready = false;

	constructor(
		readonly index: number,
		readonly host: N8nHost,
		private readonly env: Record<string, string>,
		private readonly logLevel: N8nLogLevel,
		private readonly log: ((line: string) => void) | undefined,
	) {}

	abstract get name(): string;

	protected abstract kind(): N8nProcessKind;

	/** Each JSON log entry, for a kind that follows what its process reports. */
	protected onEntry(_message: string, _entry: Record<string, unknown>): void {}

	get pid(): number | undefined {
		return this.daemon?.pid;
	}

	get isRunning(): boolean {
		return this.daemon !== undefined && !this.daemon.hasExited;
	}

	recentLog(count = 40): string {
		return this.daemon?.recentLog(count) ?? '';
	}

	private onLine(line: string, kind: N8nProcessKind): void {
		const prefix = `[n8n ${this.host.version} ${this.name}]`;
		const entry = parseJsonLog(line);
		if (entry === undefined) {
			if (this.log !== undefined && !kind.noise.some((re) => re.test(line)))
				this.log(`${prefix} ${line}`);
			return;
		}
		const message = typeof entry.message === 'string' ? entry.message : '';
		const level = typeof entry.level === 'string' ? entry.level : 'info';
		if (message.includes(kind.readyLine)) this.ready = true;
		this.onEntry(message, entry);
		if (
			this.log !== undefined &&
			levelShown(level, this.logLevel) &&
			!kind.noise.some((re) => re.test(message))
		)
			this.log(`${prefix} ${level}: ${message.trim()}`);
	}

	/** Starts the process; resolves once it logged its ready line and its health URL answers 200. */
	async start(timeoutMs = 120_000): Promise<void> {
		if (this.isRunning) throw new Error(`${this.name}: already started`);
		this.ready = false;
		await this.host.init();
		const kind = this.kind();
		const env = this.host.env({
			...this.env,
			N8N_LOG_LEVEL: this.logLevel === 'debug' ? 'debug' : 'info',
			N8N_LOG_FORMAT: 'json',
			...kind.env,
		});
		const daemon = new Daemon(
			this.name,
			this.host.paths.nodeBin,
			[this.host.paths.n8nBin, ...kind.args],
			{ cwd: this.host.userFolder, env },
			(line) => this.onLine(line, kind),
		);
		this.daemon = daemon;
		const until = Date.now() + timeoutMs;
		while (Date.now() < until) {
			if (daemon.hasExited) break;
			if (this.ready && (await httpGetStatus(kind.health.port, kind.health.path)) === 200) return;
			await delay(250);
		}
		const why = daemon.hasExited
			? daemon.describeExit()
			: `not ready after ${timeoutMs} ms (ready line ${this.ready ? 'seen' : 'not seen'})`;
		await this.stop();
		throw new Error(`cluster: ${this.name} ${why}; last lines:\n${daemon.recentLog(40)}`);
	}

	/** SIGTERM (n8n ends what it is doing: a worker waits for its jobs), SIGKILL after 20 s. */
	async stop(): Promise<void> {
		await this.daemon?.stop('SIGTERM', 20_000);
	}

	/** Peak and current resident memory of the process and its children (a task runner), in KiB (Linux). */
	memoryKb(): { peakKb: number; rssKb: number } {
		return processTreeMemory(this.daemon?.pid);
	}
}
