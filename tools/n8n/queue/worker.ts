/** One `n8n worker` process of the cluster, and the executions it reports in its log. */
import { delay } from '../../process';
import { processTreeMemory } from '../../procfs';
import { levelShown, parseJsonLog, WORKER_NOISE, type N8nLogLevel } from '../logs';
import type { N8nHost } from '../n8nHost';
import { httpGetStatus } from '../rest';
import { Daemon } from './daemon';

export interface WorkerExecution {
	/** 1-based worker number. */
	worker: number;
	executionId: string;
	jobId: string;
	workflowId: string | undefined;
	workflowName: string | undefined;
	/** As the worker reported it (false: the execution failed). */
	success: boolean | undefined;
	/** Wall time at the worker from "started" to "finished", in ms (undefined if the start was not seen). */
	durationMs: number | undefined;
}

export class N8nWorker {
	/** Executions this worker finished (from its log), in order. */
	readonly executions: WorkerExecution[] = [];
	private daemon: Daemon | undefined;
	private ready = false;
	private readonly started = new Map<string, number>();

	constructor(
		readonly index: number,
		readonly host: N8nHost,
		readonly healthPort: number,
		private readonly concurrency: number,
		private readonly env: Record<string, string>,
		private readonly logLevel: N8nLogLevel,
		private readonly log: ((line: string) => void) | undefined,
		private readonly onExecution: ((event: WorkerExecution) => void) | undefined,
	) {}

	get name(): string {
		return `worker ${this.index}`;
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
			if (this.log !== undefined && !WORKER_NOISE.some((re) => re.test(line)))
				this.log(`${prefix} ${line}`);
			return;
		}
		const message = typeof entry.message === 'string' ? entry.message : '';
		const level = typeof entry.level === 'string' ? entry.level : 'info';
		if (message.includes('n8n worker is now ready')) this.ready = true;
		this.followExecutions(message, entry);
		if (
			this.log !== undefined &&
			levelShown(level, this.logLevel) &&
			!WORKER_NOISE.some((re) => re.test(message))
		)
			this.log(`${prefix} ${level}: ${message.trim()}`);
	}

	private followExecutions(message: string, entry: Record<string, unknown>): void {
		const startedMatch = /^Worker started execution (\S+) \(job (\S+)\)/.exec(message);
		if (startedMatch !== null) this.started.set(startedMatch[1], Date.now());
		const finishedMatch = /^Worker finished execution (\S+) \(job (\S+)\)/.exec(message);
		if (finishedMatch === null) return;
		const [, executionId, jobId] = finishedMatch;
		// n8n's JSON log lines carry their details under `metadata` (winston's format.metadata()).
		const meta =
			typeof entry.metadata === 'object' && entry.metadata !== null
				? (entry.metadata as Record<string, unknown>)
				: entry;
		const begun = this.started.get(executionId);
		this.started.delete(executionId);
		const event: WorkerExecution = {
			worker: this.index,
			executionId,
			jobId,
			workflowId: typeof meta.workflowId === 'string' ? meta.workflowId : undefined,
			workflowName: typeof meta.workflowName === 'string' ? meta.workflowName : undefined,
			success: typeof meta.success === 'boolean' ? meta.success : undefined,
			durationMs: begun === undefined ? undefined : Date.now() - begun,
		};
		this.executions.push(event);
		this.onExecution?.(event);
	}

	async start(timeoutMs = 120_000): Promise<void> {
		if (this.daemon !== undefined && !this.daemon.hasExited)
			throw new Error(`${this.name}: already started`);
		this.ready = false;
		await this.host.init();
		const env = this.host.env({
			...this.env,
			N8N_LOG_LEVEL: this.logLevel === 'debug' ? 'debug' : 'info',
			N8N_LOG_FORMAT: 'json',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(this.healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
		this.daemon = new Daemon(
			this.name,
			this.host.paths.nodeBin,
			[this.host.paths.n8nBin, 'worker', `--concurrency=${this.concurrency}`],
			{ cwd: this.host.userFolder, env },
			(line) => this.onLine(line),
		);
		const until = Date.now() + timeoutMs;
		while (Date.now() < until) {
			if (this.daemon.hasExited) break;
			if (this.ready && (await httpGetStatus(this.healthPort, '/healthz/readiness')) === 200)
				return;
			await delay(250);
		}
		const why = this.daemon.hasExited
			? this.daemon.describeExit()
			: `not ready after ${timeoutMs} ms (ready line ${this.ready ? 'seen' : 'not seen'})`;
		await this.stop();
		throw new Error(`cluster: ${this.name} ${why}; last lines:\n${this.daemon.recentLog(40)}`);
	}

	/** SIGTERM (n8n waits for running jobs up to N8N_GRACEFUL_SHUTDOWN_TIMEOUT), SIGKILL after 20 s. */
	async stop(): Promise<void> {
		await this.daemon?.stop('SIGTERM', 20_000);
	}

	/** Peak and current resident memory of the worker and its task runner, in KiB (Linux). */
	memoryKb(): { peakKb: number; rssKb: number } {
		return processTreeMemory(this.daemon?.pid);
	}
}
