/** One `n8n worker` process of the cluster, and the executions it reports in its log. */
import { WORKER_NOISE, type N8nLogLevel } from '../logs';
import type { N8nHost } from '../n8nHost';
import { N8nQueueProcess, type N8nProcessKind } from './n8nProcess';

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

export class N8nWorker extends N8nQueueProcess {
	/** Executions this worker finished (from its log), in order. */
	readonly executions: WorkerExecution[] = [];
	private readonly started = new Map<string, number>();

	constructor(
		index: number,
		host: N8nHost,
		readonly healthPort: number,
		private readonly concurrency: number,
		env: Record<string, string>,
		logLevel: N8nLogLevel,
		log: ((line: string) => void) | undefined,
		private readonly onExecution: ((event: WorkerExecution) => void) | undefined,
	) {
		super(index, host, env, logLevel, log);
	}

	get name(): string {
		return `worker ${this.index}`;
	}

	protected kind(): N8nProcessKind {
		return {
			args: ['worker', `--concurrency=${this.concurrency}`],
			env: {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(this.healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			},
			readyLine: 'n8n worker is now ready',
			noise: WORKER_NOISE,
			health: { port: this.healthPort, path: '/healthz/readiness' },
		};
	}

	protected onEntry(message: string, entry: Record<string, unknown>): void {
		this.followExecutions(message, entry);
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
}
