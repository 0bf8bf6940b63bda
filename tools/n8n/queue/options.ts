/** What `N8nCluster.create()` takes (tools/n8n/cluster.ts). */
import type { HostVersion } from '../host/install';
import type { N8nLogLevel } from '../logs';
import type { WorkerExecution } from './worker';

export interface ClusterOptions {
	/** Folder holding our package.json and dist/. */
	packageDir: string;
	/** Default 2.41.3. */
	version?: HostVersion;
	/** Number of `n8n worker` processes. Default 2. */
	workers?: number;
	/** `n8n worker --concurrency`: jobs a worker runs at once. Default 10 (n8n's default). */
	workerConcurrency?: number;
	/**
	 * Number of `n8n webhook` processes. Default 0: main serves production webhooks. With 1 or
	 * more, a round-robin proxy (`cluster.proxy`) sends `/webhook/...` to them in turn and the
	 * rest to main, every process's WEBHOOK_URL is the proxy's URL, and main serves no production
	 * webhook (N8N_DISABLE_PRODUCTION_MAIN_PROCESS, as n8n's scaling guide says).
	 */
	webhookProcesses?: number;
	/** The proxy's port when there are webhook processes. Default: a free port. */
	proxyPort?: number;
	/**
	 * N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED and ..._FAILED: how many finished jobs Redis keeps.
	 * n8n's default (0: removed at once) lets the main process miss the end of a fast job and never
	 * answer a webhook whose answer waits for the end (see the README's "Scaling out"). Default 1000;
	 * `0` gives n8n's default behaviour.
	 */
	keepFinishedJobs?: number;
	/** Extra environment for every n8n process (main, workers, CLI). */
	env?: Record<string, string>;
	/** Extra environment for the main process and the CLI only. */
	mainEnv?: Record<string, string>;
	/** Extra environment for the workers only. */
	workerEnv?: Record<string, string>;
	/** Extra environment for the webhook processes only. */
	webhookEnv?: Record<string, string>;
	/**
	 * PostgreSQL without fsync and synchronous commit (tests: nothing here has to survive a power
	 * cut, and the 2-core machine's disk is then not what is measured). Default true.
	 */
	fastPostgres?: boolean;
	/** N8N_PORT of the main process. Default: a free port. */
	mainPort?: number;
	logLevel?: N8nLogLevel;
	/** Receives the processes' lines at `logLevel` and above, prefixed with the process. */
	log?: (line: string) => void;
	/** Called for every execution a worker finished (from the worker's log). */
	onExecution?: (event: WorkerExecution) => void;
	/** Parent of the cluster folder. Default os.tmpdir(). */
	baseDir?: string;
}
