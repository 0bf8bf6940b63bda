/**
 * Drives n8n's queue mode ("scaling mode") on this machine: its own PostgreSQL and Redis, an n8n
 * main process and N workers (default 2), optionally `n8n webhook` processes behind a round-robin
 * proxy (queue/proxy.ts), all of one n8n version (2.41.3 by default), with the same encryption key
 * and our package. Used by the queue e2e test, `npm run start:queue` and
 * `npm run bench -- --queue`. Only Node built-ins are used.
 *
 * Everything lives in one temporary folder (queue/folder.ts): PostgreSQL's data directory, Redis's
 * working directory, one n8n user folder per process, and a snapshot of the package (package.json
 * and dist/). Every server binds 127.0.0.1 on a free port; none of the system's services is used.
 * `dispose()` stops every process and removes the folder; an exit hook kills what is left if the
 * caller dies first, and `create()` sweeps folders (and their processes) left by a caller that was
 * killed outright.
 *
 * The package is installed as a community package in every process's own user folder (a link in
 * `.n8n/nodes/node_modules`, see N8nHost), so every process loads the same nodes and credential
 * Tests keep working in the main's editor. N8N_CUSTOM_EXTENSIONS would work as well.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort } from '../process';
import { processesIn, processTreeMemory } from '../procfs';
import type { HostVersion } from './host/install';
import { onceForNoise } from './logs';
import type { N8nHost } from './n8nHost';
import type { Daemon } from './queue/daemon';
import { createClusterFolder, removeClusterFolder, snapshotPackage } from './queue/folder';
import type { ClusterOptions } from './queue/options';
import { Postgres, postgresBinDir } from './queue/postgres';
import { prepareN8n, queueEnv } from './queue/prepare';
import { RoundRobinProxy } from './queue/proxy';
import { redisReady, redisServerBin, spawnRedis } from './queue/redis';
import type { N8nWebhookProcess } from './queue/webhookProcess';
import type { N8nWorker } from './queue/worker';

export type { ClusterOptions } from './queue/options';
export { N8nWorker, type WorkerExecution } from './queue/worker';
export { N8nWebhookProcess } from './queue/webhookProcess';
export { ANSWERED_BY, PIN_PROCESS, RoundRobinProxy, type ProxiedRequest } from './queue/proxy';

/** True when PostgreSQL and Redis are installed (scripts/install-queue-deps.sh). */
export function queueDepsInstalled(): boolean {
	try {
		postgresBinDir();
		redisServerBin();
		return true;
	} catch {
		return false;
	}
}

interface ClusterParts {
	folder: string;
	version: HostVersion;
	encryptionKey: string;
	packageDir: string;
	main: N8nHost;
	workers: N8nWorker[];
	webhookProcesses: N8nWebhookProcess[];
	proxy: RoundRobinProxy | undefined;
	postgres: Postgres;
	redis: Daemon;
	redisPort: number;
}

export class N8nCluster {
	readonly folder: string;
	readonly version: HostVersion;
	readonly encryptionKey: string;
	readonly main: N8nHost;
	readonly workers: N8nWorker[];
	/** `n8n webhook` processes (none unless `webhookProcesses` was given). */
	readonly webhookProcesses: N8nWebhookProcess[];
	/** The load balancer in front of n8n, when there are webhook processes. */
	readonly proxy: RoundRobinProxy | undefined;
	readonly postgresPort: number;
	readonly redisPort: number;
	/** The package folder every process loads (a snapshot inside `folder`). */
	readonly packageDir: string;

	private readonly postgres: Postgres;
	private readonly redis: Daemon;
	private disposed = false;

	private constructor(parts: ClusterParts) {
		this.folder = parts.folder;
		this.version = parts.version;
		this.encryptionKey = parts.encryptionKey;
		this.main = parts.main;
		this.workers = parts.workers;
		this.webhookProcesses = parts.webhookProcesses;
		this.proxy = parts.proxy;
		this.postgres = parts.postgres;
		this.postgresPort = parts.postgres.port;
		this.redis = parts.redis;
		this.redisPort = parts.redisPort;
		this.packageDir = parts.packageDir;
	}

	/**
	 * Creates the folder, starts PostgreSQL (with an empty database `n8n`) and Redis, and prepares
	 * (does not start) the main and the workers. Import credentials and workflows with
	 * `cluster.main` (its CLI uses the cluster's database), activate, then `start()`.
	 */
	static async create(options: ClusterOptions): Promise<N8nCluster> {
		const pgBin = postgresBinDir();
		const redisBin = redisServerBin();
		const folder = createClusterFolder(options.baseDir ?? os.tmpdir());
		const log = options.log === undefined ? undefined : onceForNoise(options.log);
		const logLevel = options.logLevel ?? 'warn';
		const daemons: Daemon[] = [];
		let proxy: RoundRobinProxy | undefined;
		try {
			const version = options.version ?? '2.41.3';
			const packageDir = snapshotPackage(options.packageDir, path.join(folder, 'package'));
			const encryptionKey = randomBytes(24).toString('hex');
			const port = freePort;
			const postgresPort = await port();
			const redisPort = await port();
			const postgres = await Postgres.spawn({
				pgBin,
				folder,
				port: postgresPort,
				fast: options.fastPostgres ?? true,
				log,
				logLevel,
			});
			daemons.push(postgres.daemon);
			const redis = spawnRedis({ redisBin, folder, port: redisPort, log, logLevel });
			daemons.push(redis);
			await postgres.ready();
			await redisReady(redis, redisPort);
			// First: every process's WEBHOOK_URL names it.
			if ((options.webhookProcesses ?? 0) > 0)
				proxy = await RoundRobinProxy.start(options.proxyPort ?? 0);
			const { main, workers, webhookProcesses } = await prepareN8n(options, {
				folder,
				version,
				packageDir,
				encryptionKey,
				shared: queueEnv(options, postgresPort, redisPort, proxy?.url),
				port,
				logLevel,
				log,
			});
			return new N8nCluster({
				folder,
				version,
				encryptionKey,
				packageDir,
				main,
				workers,
				webhookProcesses,
				proxy,
				postgres,
				redis,
				redisPort,
			});
		} catch (error) {
			await proxy?.stop();
			for (const daemon of daemons.reverse()) await daemon.stop('SIGKILL', 1_000);
			removeClusterFolder(folder);
			throw error;
		}
	}

	/**
	 * Starts the main process (which registers the active workflows' webhooks), then the workers
	 * and the webhook processes, then routes the proxy to them.
	 */
	async start(): Promise<void> {
		await this.main.start();
		await Promise.all([
			...this.workers.map((worker) => worker.start()),
			...this.webhookProcesses.map((webhook) => webhook.start()),
		]);
		this.proxy?.route(
			{ name: 'main', port: this.main.port },
			this.webhookProcesses.map((webhook) => ({ name: webhook.name, port: webhook.port })),
		);
	}

	/**
	 * Stops the webhook processes, then starts them again (their memory is gone; what n8n keeps
	 * in the database is not). Webhook requests meanwhile get 502 from the proxy.
	 */
	async restartWebhookProcesses(): Promise<void> {
		await Promise.allSettled(this.webhookProcesses.map((webhook) => webhook.stop()));
		await Promise.all(this.webhookProcesses.map((webhook) => webhook.start()));
	}

	/** Stops every n8n process at once, leaving PostgreSQL, Redis and the proxy running. */
	async stopN8n(): Promise<void> {
		await Promise.allSettled([
			this.main.stop(),
			...this.workers.map((worker) => worker.stop()),
			...this.webhookProcesses.map((webhook) => webhook.stop()),
		]);
	}

	/** Stops everything and removes the folder. Safe to call twice and after a failed start. */
	async dispose(): Promise<void> {
		if (this.disposed) return;
		this.disposed = true;
		await this.stopN8n();
		await this.proxy?.stop();
		// Redis: SIGTERM (no persistence to write).
		await Promise.allSettled([this.redis.stop('SIGTERM', 5_000), this.postgres.stop()]);
		removeClusterFolder(this.folder);
	}

	/** Runs SQL in n8n's database with psql; returns the unaligned, tuples-only output (`|` between columns). */
	async sql(query: string): Promise<string> {
		return await this.postgres.sql(query);
	}

	/** Executions per status, straight from n8n's database. */
	async executionCounts(): Promise<Record<string, number>> {
		const rows = await this.sql(
			'select status, count(*) from execution_entity group by status order by status',
		);
		const counts: Record<string, number> = {};
		for (const row of rows.split('\n').filter((line) => line !== '')) {
			const [status, count] = row.split('|');
			counts[status] = Number(count);
		}
		return counts;
	}

	/** `pg_dump` of n8n's whole database, as SQL text (what a backup holds). */
	async pgDump(): Promise<string> {
		return await this.postgres.dump();
	}

	/** Executions each worker finished, by worker number. */
	executionsPerWorker(): Record<number, number> {
		return Object.fromEntries(
			this.workers.map((worker) => [worker.index, worker.executions.length]),
		);
	}

	/** Memory of every process: main (its tree: n8n and task runner), workers, PostgreSQL, Redis. */
	memory(): Record<string, { peakKb: number; rssKb: number }> {
		const result: Record<string, { peakKb: number; rssKb: number }> = {};
		result.main = processTreeMemory(this.mainPid());
		for (const worker of this.workers) result[worker.name] = worker.memoryKb();
		for (const webhook of this.webhookProcesses) result[webhook.name] = webhook.memoryKb();
		result.postgres = processTreeMemory(this.postgres.pid);
		result.redis = processTreeMemory(this.redis.pid);
		return result;
	}

	/** The pid of `n8n start` (found by its working directory, the main's user folder). */
	mainPid(): number | undefined {
		return n8nServerPid(this.main.userFolder);
	}

	/** The postmaster's pid (its backends are its children). */
	get postgresPid(): number | undefined {
		return this.postgres.pid;
	}

	get redisPid(): number | undefined {
		return this.redis.pid;
	}

	/** What to show when something failed: the last lines of every process. */
	recentLogs(count = 30): string {
		return [
			`--- main ---\n${this.main.recentLog(count)}`,
			...this.workers.map((worker) => `--- ${worker.name} ---\n${worker.recentLog(count)}`),
			...this.webhookProcesses.map(
				(webhook) => `--- ${webhook.name} ---\n${webhook.recentLog(count)}`,
			),
			`--- postgres ---\n${this.postgres.daemon.recentLog(10)}`,
			`--- redis ---\n${this.redis.recentLog(10)}`,
		].join('\n');
	}
}

/** The pid of the `n8n start` process whose user folder is `userFolder` (any N8nHost's server). */
export function n8nServerPid(userFolder: string): number | undefined {
	return processesIn(userFolder)
		.filter((pid) => {
			try {
				return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('start');
			} catch {
				return false;
			}
		})
		.sort((a, b) => a - b)[0];
}
