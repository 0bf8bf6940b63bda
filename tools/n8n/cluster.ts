/**
 * Drives n8n's queue mode ("scaling mode") on this machine: its own PostgreSQL and Redis, an n8n
 * main process and N workers (default 2), all of one n8n version (2.40.7 by default), with the same
 * encryption key and our package. Used by the queue e2e test, `npm run start:queue` and
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
 * `.n8n/nodes/node_modules`, see N8nHost), so main and workers load the same nodes and credential
 * Tests keep working in the main's editor. N8N_CUSTOM_EXTENSIONS would work as well.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { distinctFreePorts } from '../process';
import { processesIn, processTreeMemory } from '../procfs';
import type { HostVersion } from './host/install';
import { onceForNoise, type N8nLogLevel } from './logs';
import { N8nHost } from './n8nHost';
import type { Daemon } from './queue/daemon';
import { createClusterFolder, removeClusterFolder, snapshotPackage } from './queue/folder';
import { PG_DATABASE, PG_USER, Postgres, postgresBinDir } from './queue/postgres';
import { redisReady, redisServerBin, spawnRedis } from './queue/redis';
import { N8nWorker, type WorkerExecution } from './queue/worker';

export { N8nWorker, type WorkerExecution } from './queue/worker';

export interface ClusterOptions {
	/** Folder holding our package.json and dist/. */
	packageDir: string;
	/** Default 2.40.7. */
	version?: HostVersion;
	/** Number of `n8n worker` processes. Default 2. */
	workers?: number;
	/** `n8n worker --concurrency`: jobs a worker runs at once. Default 10 (n8n's default). */
	workerConcurrency?: number;
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

/** The environment that puts every n8n process of the cluster in queue mode on its database. */
function queueEnv(
	options: ClusterOptions,
	postgresPort: number,
	redisPort: number,
): Record<string, string> {
	const keep = String(options.keepFinishedJobs ?? 1000);
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgresPort),
		DB_POSTGRESDB_USER: PG_USER,
		DB_POSTGRESDB_PASSWORD: '',
		DB_POSTGRESDB_DATABASE: PG_DATABASE,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: keep,
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: keep,
		...(options.env ?? {}),
	};
}

/** What `create()` has ready (folder, package snapshot, key, database and queue) for the n8n processes. */
interface N8nSetup {
	folder: string;
	version: HostVersion;
	packageDir: string;
	encryptionKey: string;
	shared: Record<string, string>;
	port: () => Promise<number>;
	logLevel: N8nLogLevel;
	log: ((line: string) => void) | undefined;
}

/** The main (a host; its CLI uses the cluster's database) and the workers, none started. */
async function prepareN8n(
	options: ClusterOptions,
	setup: N8nSetup,
): Promise<{ main: N8nHost; workers: N8nWorker[] }> {
	const { version, packageDir, encryptionKey, shared, logLevel, log } = setup;
	const hostsDir = path.join(setup.folder, 'n8n');
	fs.mkdirSync(hostsDir);
	const main = await N8nHost.create({
		version,
		packageDir,
		userFolder: path.join(hostsDir, 'main'),
		port: options.mainPort,
		encryptionKey,
		env: { ...shared, ...(options.mainEnv ?? {}) },
		logLevel,
		log: log === undefined ? undefined : (line) => log(line.replace(' start]', ' main]')),
	});
	const workers: N8nWorker[] = [];
	for (let i = 1; i <= (options.workers ?? 2); i++) {
		const host = await N8nHost.create({
			version,
			packageDir,
			userFolder: path.join(hostsDir, `worker-${i}`),
			encryptionKey,
			env: shared,
			logLevel,
		});
		workers.push(
			new N8nWorker(
				i,
				host,
				await setup.port(),
				options.workerConcurrency ?? 10,
				options.workerEnv ?? {},
				logLevel,
				log,
				options.onExecution,
			),
		);
	}
	return { main, workers };
}

interface ClusterParts {
	folder: string;
	version: HostVersion;
	encryptionKey: string;
	packageDir: string;
	main: N8nHost;
	workers: N8nWorker[];
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
		try {
			const version = options.version ?? '2.40.7';
			const packageDir = snapshotPackage(options.packageDir, path.join(folder, 'package'));
			const encryptionKey = randomBytes(24).toString('hex');
			const port = distinctFreePorts();
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
			const { main, workers } = await prepareN8n(options, {
				folder,
				version,
				packageDir,
				encryptionKey,
				shared: queueEnv(options, postgresPort, redisPort),
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
				postgres,
				redis,
				redisPort,
			});
		} catch (error) {
			for (const daemon of daemons.reverse()) await daemon.stop('SIGKILL', 1_000);
			removeClusterFolder(folder);
			throw error;
		}
	}

	/** Starts the main process (which registers the active workflows' webhooks), then the workers. */
	async start(): Promise<void> {
		await this.main.start();
		await Promise.all(this.workers.map((worker) => worker.start()));
	}

	/** Stops every n8n process (main and workers at once), leaving PostgreSQL and Redis running. */
	async stopN8n(): Promise<void> {
		await Promise.allSettled([this.main.stop(), ...this.workers.map((worker) => worker.stop())]);
	}

	/** Stops everything and removes the folder. Safe to call twice and after a failed start. */
	async dispose(): Promise<void> {
		if (this.disposed) return;
		this.disposed = true;
		await this.stopN8n();
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
