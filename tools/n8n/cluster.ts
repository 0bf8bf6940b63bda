/**
 * Drives n8n's queue mode ("scaling mode") on this machine: its own PostgreSQL and Redis, an n8n
 * main process and N workers (default 2), all of one n8n version (2.40.7 by default), with the same
 * encryption key and our package. Used by the queue e2e test, `npm run start:queue` and
 * `npm run bench -- --queue`. Only Node built-ins are used.
 *
 * Everything lives in one temporary folder (`<tmp>/n8n-queue-XXXX`): PostgreSQL's data directory
 * (initdb, run as the `postgres` user when this process is root: PostgreSQL refuses to run as root),
 * Redis's working directory, one n8n user folder per process, and a snapshot of the package
 * (package.json and dist/, so a rebuild of dist/ during a run cannot pull the nodes away from under
 * running workers). Every server binds 127.0.0.1 on a free port; none of the system's services is
 * used. `dispose()` stops every process and removes the folder; an exit hook kills what is left if
 * the caller dies first, and `create()` sweeps folders (and their processes) left by a caller that
 * was killed outright.
 *
 * The package is installed as a community package in every process's own user folder (a link in
 * `.n8n/nodes/node_modules`, see N8nHost), so main and workers load the same nodes and credential
 * Tests keep working in the main's editor. N8N_CUSTOM_EXTENSIONS would work as well.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import type { HostVersion, N8nLogLevel } from './n8nHost';
import { N8nHost, delay, freePort, groupAlive, killGroup, lineSplitter } from './n8nHost';

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

const CLUSTER_PREFIX = 'n8n-queue-';
const PG_USER = 'n8n';
const PG_DATABASE = 'n8n';

// ------------------------------------------------------------------------------------------------
// Processes

/** Process groups this module started (PostgreSQL, Redis, workers); killed if this process exits first. */
const liveGroups = new Set<number>();
/** Cluster folders of this process, removed by the exit hook. */
const liveFolders = new Set<string>();
let exitHookInstalled = false;
/** Kills every process this module started or that works in one of its folders, and removes the folders. */
function killEverythingNow(): void {
	for (const group of liveGroups) killGroup(group, 'SIGKILL');
	for (const folder of liveFolders) {
		// The main n8n process is N8nHost's; it works in the cluster's folder like everything else.
		for (const pid of processesIn(folder)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
		// Synchronous on purpose (exit hook); files still held by killed processes do not matter on Linux.
		try {
			fs.rmSync(folder, { recursive: true, force: true });
		} catch {
			// best effort
		}
	}
	liveGroups.clear();
	liveFolders.clear();
}

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', killEverythingNow);
	// A signal that nobody else handles ends Node without the 'exit' event: clean up, then die of it.
	// When the program has its own handler (start-queue.ts, jest), that handler stops the cluster.
	for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
		const onSignal = (): void => {
			if (process.listenerCount(signal) > 1) return;
			killEverythingNow();
			process.removeListener(signal, onSignal);
			process.kill(process.pid, signal);
		};
		process.on(signal, onSignal);
	}
}

/** A long-running child in its own process group, with its output lines and its exit awaited. */
class Daemon {
	readonly child: ChildProcess;
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
	private readonly recent: string[] = [];

	constructor(
		readonly name: string,
		command: string,
		args: string[],
		options: { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number },
		onLine: (line: string) => void,
	) {
		this.child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env,
			uid: options.uid,
			gid: options.gid,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const pid = this.child.pid;
		if (pid !== undefined) liveGroups.add(pid);
		const handle = (line: string): void => {
			this.recent.push(line);
			if (this.recent.length > 200) this.recent.splice(0, this.recent.length - 200);
			onLine(line);
		};
		const out = lineSplitter(handle);
		const err = lineSplitter(handle);
		this.child.stdout?.setEncoding('utf8').on('data', (c: string) => out.push(c));
		this.child.stderr?.setEncoding('utf8').on('data', (c: string) => err.push(c));
		this.exited = new Promise((resolve) => {
			this.child.once('error', (error) => {
				handle(`[spawn error] ${error.message}`);
				this.exitInfo = { code: null, signal: null };
				resolve(this.exitInfo);
			});
			this.child.once('close', (code, signal) => {
				out.flush();
				err.flush();
				this.exitInfo = { code, signal };
				if (pid !== undefined) {
					killGroup(pid, 'SIGKILL'); // children of the process (n8n's task runner)
					liveGroups.delete(pid);
				}
				resolve(this.exitInfo);
			});
		});
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get hasExited(): boolean {
		return this.exitInfo !== undefined;
	}

	describeExit(): string {
		const info = this.exitInfo;
		return info === undefined
			? 'still running'
			: `exited (code ${String(info.code)}, signal ${String(info.signal)})`;
	}

	recentLog(count = 40): string {
		return this.recent.slice(-count).join('\n');
	}

	/** `signal` to the process group; SIGKILL after `graceMs`; resolves once every process of the group is gone. */
	async stop(signal: NodeJS.Signals, graceMs: number): Promise<void> {
		const pid = this.child.pid;
		if (pid === undefined) return;
		if (!this.hasExited) {
			killGroup(pid, signal);
			let timer: NodeJS.Timeout | undefined;
			const timedOut = await Promise.race([
				this.exited.then(() => false),
				new Promise<boolean>((resolve) => {
					timer = setTimeout(() => resolve(true), graceMs);
				}),
			]);
			clearTimeout(timer);
			if (timedOut) killGroup(pid, 'SIGKILL');
			await this.exited;
		}
		const until = Date.now() + 5_000;
		while (groupAlive(pid) && Date.now() < until) {
			killGroup(pid, 'SIGKILL');
			await delay(50);
		}
		liveGroups.delete(pid);
	}
}

function run(
	command: string,
	args: string[],
	options: {
		env?: NodeJS.ProcessEnv;
		uid?: number;
		gid?: number;
		cwd?: string;
		timeoutMs?: number;
	} = {},
): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(
			command,
			args,
			{
				env: options.env ?? process.env,
				uid: options.uid,
				gid: options.gid,
				cwd: options.cwd,
				timeout: options.timeoutMs ?? 120_000,
				killSignal: 'SIGKILL',
				maxBuffer: 1024 * 1024 * 1024,
				encoding: 'utf8',
			},
			(error, stdout, stderr) => {
				if (error) {
					reject(
						new Error(
							`${path.basename(command)} ${args.join(' ')} failed: ${error.message}\n${stderr.slice(-2000)}`,
						),
					);
					return;
				}
				resolve(stdout);
			},
		);
	});
}

/** psql as the cluster's superuser over TCP to 127.0.0.1 (no ~/.psqlrc), with `args` after the connection. */
function psql(
	pgBin: string,
	port: number,
	database: string,
	args: string[],
	options: { env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
	return run(
		path.join(pgBin, 'psql'),
		['-X', '-h', '127.0.0.1', '-p', String(port), '-U', PG_USER, '-d', database, ...args],
		options,
	);
}

// ------------------------------------------------------------------------------------------------
// Binaries

/** PostgreSQL's binaries: $PG_BIN_DIR, or the newest /usr/lib/postgresql/<major>/bin (Debian). */
export function postgresBinDir(): string {
	const fromEnv = process.env.PG_BIN_DIR;
	const candidates: string[] = [];
	if (fromEnv !== undefined && fromEnv !== '') candidates.push(fromEnv);
	try {
		const majors = fs
			.readdirSync('/usr/lib/postgresql')
			.filter((name) => /^\d+$/.test(name))
			.sort((a, b) => Number(b) - Number(a));
		for (const major of majors) candidates.push(path.join('/usr/lib/postgresql', major, 'bin'));
	} catch {
		// not Debian's layout
	}
	for (const dir of candidates) {
		if (
			['initdb', 'postgres', 'psql', 'pg_dump'].every((bin) => fs.existsSync(path.join(dir, bin)))
		)
			return dir;
	}
	throw new Error(
		'cluster: PostgreSQL is not installed (no initdb/postgres/psql/pg_dump in /usr/lib/postgresql/*/bin): run scripts/install-queue-deps.sh',
	);
}

export function redisServerBin(): string {
	for (const dir of (process.env.PATH ?? '')
		.split(path.delimiter)
		.concat(['/usr/bin', '/usr/sbin'])) {
		if (dir === '') continue;
		const file = path.join(dir, 'redis-server');
		if (fs.existsSync(file)) return file;
	}
	throw new Error('cluster: redis-server is not installed: run scripts/install-queue-deps.sh');
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

/** uid/gid to run PostgreSQL as: ourselves, or the `postgres` user when we are root. */
function postgresIdentity(): { uid?: number; gid?: number } {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	const passwd = fs.readFileSync('/etc/passwd', 'utf8');
	const line = passwd.split('\n').find((entry) => entry.startsWith('postgres:'));
	if (line === undefined) {
		throw new Error(
			"cluster: running as root, and PostgreSQL refuses to run as root, but there is no `postgres` user (Debian's postgresql package creates it)",
		);
	}
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

// ------------------------------------------------------------------------------------------------
// Left-overs of killed callers

function processStartTime(pid: number): string | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Field 22 (starttime) counts from after the command name, which may contain spaces.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

/** Pids whose working directory is inside `folder` (PostgreSQL, Redis and n8n all run there). */
function processesIn(folder: string): number[] {
	const found: number[] = [];
	let entries: string[];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return found;
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
			if (cwd === folder || cwd.startsWith(`${folder}/`)) found.push(Number(entry));
		} catch {
			// gone, or not ours to read
		}
	}
	return found;
}

/**
 * Removes cluster folders whose owner process is gone (a test run killed with SIGKILL, a closed
 * terminal), after killing every process still working in them. Returns the folders removed.
 */
export function sweepOrphanClusters(baseDir = os.tmpdir()): string[] {
	const removed: string[] = [];
	let names: string[];
	try {
		names = fs.readdirSync(baseDir).filter((name) => name.startsWith(CLUSTER_PREFIX));
	} catch {
		return removed;
	}
	for (const name of names) {
		const folder = path.join(baseDir, name);
		let owner: { pid?: unknown; start?: unknown } = {};
		try {
			owner = JSON.parse(fs.readFileSync(path.join(folder, 'owner.json'), 'utf8')) as typeof owner;
		} catch {
			// no owner file: a folder still being set up (or not ours); only if it is old
			try {
				if (Date.now() - fs.statSync(folder).mtimeMs < 10 * 60_000) continue;
			} catch {
				continue;
			}
		}
		const pid = typeof owner.pid === 'number' ? owner.pid : undefined;
		if (pid !== undefined && processStartTime(pid) === owner.start) continue; // owner alive
		for (const orphan of processesIn(folder)) {
			try {
				process.kill(orphan, 'SIGKILL');
			} catch {
				// already gone
			}
		}
		fs.rmSync(folder, { recursive: true, force: true });
		removed.push(folder);
	}
	return removed;
}

// ------------------------------------------------------------------------------------------------

function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok: boolean): void => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

function httpGetStatus(port: number, urlPath: string): Promise<number> {
	return new Promise((resolve) => {
		const req = http.get(
			{ host: '127.0.0.1', port, path: urlPath, timeout: 2_000, agent: false },
			(res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			},
		);
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
	});
}

function parseJsonLog(line: string): Record<string, unknown> | undefined {
	const t = line.trim();
	if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
	try {
		const value: unknown = JSON.parse(t);
		return typeof value === 'object' && value !== null
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

const LEVELS: Record<string, number> = { silent: -1, error: 0, warn: 1, info: 2, debug: 3 };

/** Known harmless lines of a worker on this offline machine. */
const WORKER_NOISE: RegExp[] = [
	/There are deprecations related to your/,
	/Failed to start Python task runner/,
	/ENOTFOUND [a-z.]*n8n\.(io|cloud)/,
	/Concurrency is set to less than 5/,
];

/** One `n8n worker` process. */
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
		const startedMatch = /^Worker started execution (\S+) \(job (\S+)\)/.exec(message);
		if (startedMatch !== null) this.started.set(startedMatch[1], Date.now());
		const finishedMatch = /^Worker finished execution (\S+) \(job (\S+)\)/.exec(message);
		if (finishedMatch !== null) {
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
		if (
			this.log !== undefined &&
			(LEVELS[level] ?? 2) <= (LEVELS[this.logLevel] ?? 1) &&
			!WORKER_NOISE.some((re) => re.test(message))
		)
			this.log(`${prefix} ${level}: ${message.trim()}`);
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

/** VmHWM of `pid` and summed VmRSS of it and its descendants, in KiB. */
export function processTreeMemory(pid: number | undefined): { peakKb: number; rssKb: number } {
	if (pid === undefined) return { peakKb: 0, rssKb: 0 };
	const field = (text: string, name: string): number => {
		const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
		return match === null ? 0 : Number(match[1]);
	};
	let peakKb = 0;
	let rssKb = 0;
	const queue = [pid];
	let first = true;
	while (queue.length > 0) {
		const current = queue.shift() as number;
		let status: string;
		try {
			status = fs.readFileSync(`/proc/${current}/status`, 'utf8');
		} catch {
			continue;
		}
		if (first) peakKb = field(status, 'VmHWM');
		first = false;
		rssKb += field(status, 'VmRSS');
		try {
			for (const tid of fs.readdirSync(`/proc/${current}/task`)) {
				const children = fs.readFileSync(`/proc/${current}/task/${tid}/children`, 'utf8');
				for (const child of children.split(/\s+/))
					if (/^\d+$/.test(child)) queue.push(Number(child));
			}
		} catch {
			// gone
		}
	}
	return { peakKb, rssKb };
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

	private postgres: Daemon | undefined;
	private redis: Daemon | undefined;
	private readonly pgBin: string;
	private disposed = false;

	private constructor(init: {
		folder: string;
		version: HostVersion;
		encryptionKey: string;
		main: N8nHost;
		workers: N8nWorker[];
		postgresPort: number;
		redisPort: number;
		packageDir: string;
		pgBin: string;
	}) {
		this.folder = init.folder;
		this.version = init.version;
		this.encryptionKey = init.encryptionKey;
		this.main = init.main;
		this.workers = init.workers;
		this.postgresPort = init.postgresPort;
		this.redisPort = init.redisPort;
		this.packageDir = init.packageDir;
		this.pgBin = init.pgBin;
	}

	/**
	 * Creates the folder, starts PostgreSQL (with an empty database `n8n`) and Redis, and prepares
	 * (does not start) the main and the workers. Import credentials and workflows with
	 * `cluster.main` (its CLI uses the cluster's database), activate, then `start()`.
	 */
	static async create(options: ClusterOptions): Promise<N8nCluster> {
		const pgBin = postgresBinDir();
		const redisBin = redisServerBin();
		const baseDir = options.baseDir ?? os.tmpdir();
		sweepOrphanClusters(baseDir);
		installExitHook();
		const folder = fs.mkdtempSync(path.join(baseDir, CLUSTER_PREFIX));
		liveFolders.add(folder);
		fs.writeFileSync(
			path.join(folder, 'owner.json'),
			JSON.stringify({ pid: process.pid, start: processStartTime(process.pid) }),
		);
		// PostgreSQL runs as another user when we are root: it must be able to reach its folder.
		fs.chmodSync(folder, 0o711);
		const log = options.log === undefined ? undefined : onceForNoise(options.log);
		const logLevel = options.logLevel ?? 'warn';
		let cluster: N8nCluster | undefined;
		const daemons: Daemon[] = [];
		try {
			const version = options.version ?? '2.40.7';
			const packageDir = snapshotPackage(options.packageDir, path.join(folder, 'package'));
			const encryptionKey = randomBytes(24).toString('hex');
			const ports = new Set<number>();
			const port = async (): Promise<number> => {
				let p = await freePort();
				while (ports.has(p)) p = await freePort();
				ports.add(p);
				return p;
			};
			const postgresPort = await port();
			const redisPort = await port();

			// PostgreSQL
			const pgIdentity = postgresIdentity();
			const pgData = path.join(folder, 'postgres');
			fs.mkdirSync(pgData, { mode: 0o700 });
			if (pgIdentity.uid !== undefined) fs.chownSync(pgData, pgIdentity.uid, pgIdentity.gid ?? -1);
			const pgEnv: NodeJS.ProcessEnv = {
				PATH: process.env.PATH,
				LANG: 'C',
				LC_ALL: 'C',
				TZ: 'UTC',
				HOME: pgData,
			};
			await run(
				path.join(pgBin, 'initdb'),
				['-D', pgData, '-U', PG_USER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
				{ env: pgEnv, ...pgIdentity, cwd: pgData },
			);
			const fast = options.fastPostgres ?? true;
			const postgres = new Daemon(
				'postgres',
				path.join(pgBin, 'postgres'),
				[
					'-D',
					pgData,
					'-p',
					String(postgresPort),
					'-c',
					'listen_addresses=127.0.0.1',
					'-c',
					'unix_socket_directories=',
					'-c',
					'max_connections=100',
					...(fast
						? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
						: []),
				],
				{ cwd: pgData, env: pgEnv, ...pgIdentity },
				(line) => {
					if (log !== undefined && /FATAL|PANIC/.test(line) && logLevel !== 'silent')
						log(`[postgres] ${line}`);
				},
			);
			daemons.push(postgres);

			// Redis: no persistence, loopback only.
			const redisDir = path.join(folder, 'redis');
			fs.mkdirSync(redisDir);
			const redis = new Daemon(
				'redis',
				redisBin,
				[
					'--port',
					String(redisPort),
					'--bind',
					'127.0.0.1',
					'--protected-mode',
					'yes',
					'--save',
					'',
					'--appendonly',
					'no',
					'--dir',
					redisDir,
					'--loglevel',
					'warning',
				],
				{ cwd: redisDir, env: { PATH: process.env.PATH } },
				(line) => {
					if (log !== undefined && /#/.test(line) && logLevel === 'debug') log(`[redis] ${line}`);
				},
			);
			daemons.push(redis);

			await waitFor(
				'PostgreSQL',
				async () =>
					!postgres.hasExited &&
					(await psql(pgBin, postgresPort, 'postgres', ['-Atc', 'select 1'], {
						env: pgEnv,
						timeoutMs: 5_000,
					}).then(
						(out) => out.trim() === '1',
						() => false,
					)),
				30_000,
				() => `${postgres.describeExit()}\n${postgres.recentLog(20)}`,
			);
			await psql(pgBin, postgresPort, 'postgres', ['-c', `create database ${PG_DATABASE}`], {
				env: pgEnv,
			});
			await waitFor(
				'Redis',
				async () => !redis.hasExited && (await redisPing(redisPort)),
				15_000,
				() => `${redis.describeExit()}\n${redis.recentLog(20)}`,
			);

			// n8n: one environment for every process of the cluster.
			const keep = String(options.keepFinishedJobs ?? 1000);
			const shared: Record<string, string> = {
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
			const hostsDir = path.join(folder, 'n8n');
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
						await port(),
						options.workerConcurrency ?? 10,
						options.workerEnv ?? {},
						logLevel,
						log,
						options.onExecution,
					),
				);
			}
			cluster = new N8nCluster({
				folder,
				version,
				encryptionKey,
				main,
				workers,
				postgresPort,
				redisPort,
				packageDir,
				pgBin,
			});
			cluster.postgres = postgres;
			cluster.redis = redis;
			return cluster;
		} catch (error) {
			for (const daemon of daemons.reverse()) await daemon.stop('SIGKILL', 1_000);
			fs.rmSync(folder, { recursive: true, force: true });
			liveFolders.delete(folder);
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
		// Redis: SIGTERM (no persistence to write). PostgreSQL: SIGINT is its "fast" shutdown.
		await Promise.allSettled([
			this.redis?.stop('SIGTERM', 5_000),
			this.postgres?.stop('SIGINT', 10_000),
		]);
		fs.rmSync(this.folder, { recursive: true, force: true });
		liveFolders.delete(this.folder);
	}

	private pgEnv(): NodeJS.ProcessEnv {
		return {
			PATH: process.env.PATH,
			LANG: 'C',
			LC_ALL: 'C',
			HOME: this.folder,
			PGCONNECT_TIMEOUT: '10',
		};
	}

	/** Runs SQL in n8n's database with psql; returns the unaligned, tuples-only output (`|` between columns). */
	async sql(query: string): Promise<string> {
		return (
			await psql(
				this.pgBin,
				this.postgresPort,
				PG_DATABASE,
				['-v', 'ON_ERROR_STOP=1', '-At', '-c', query],
				{ env: this.pgEnv() },
			)
		).trimEnd();
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
		return await run(
			path.join(this.pgBin, 'pg_dump'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(this.postgresPort),
				'-U',
				PG_USER,
				'--no-owner',
				PG_DATABASE,
			],
			{ env: this.pgEnv(), timeoutMs: 300_000 },
		);
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
		result.postgres = processTreeMemory(this.postgres?.pid);
		result.redis = processTreeMemory(this.redis?.pid);
		return result;
	}

	/** The pid of `n8n start` (found by its working directory, the main's user folder). */
	mainPid(): number | undefined {
		return n8nServerPid(this.main.userFolder);
	}

	/** The postmaster's pid (its backends are its children). */
	get postgresPid(): number | undefined {
		return this.postgres?.pid;
	}

	get redisPid(): number | undefined {
		return this.redis?.pid;
	}

	/** What to show when something failed: the last lines of every process. */
	recentLogs(count = 30): string {
		return [
			`--- main ---\n${this.main.recentLog(count)}`,
			...this.workers.map((worker) => `--- ${worker.name} ---\n${worker.recentLog(count)}`),
			`--- postgres ---\n${this.postgres?.recentLog(10) ?? ''}`,
			`--- redis ---\n${this.redis?.recentLog(10) ?? ''}`,
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

/**
 * Lines every n8n process prints on this machine, or prints once per execution under load, that
 * say nothing about the run: passed on the first time only.
 */
const REPEATED_NOISE: RegExp[] = [
	/Postgres \d+ is not supported/,
	/DeprecationWarning: Calling client\.query\(\) when the client is already executing/,
	/Use `node --trace-(deprecation|warnings) \.\.\.`/,
	/MaxListenersExceededWarning/,
];

function onceForNoise(log: (line: string) => void): (line: string) => void {
	const seen = new Set<string>();
	return (line) => {
		const noise = REPEATED_NOISE.find((re) => re.test(line));
		if (noise !== undefined) {
			if (seen.has(noise.source)) return;
			seen.add(noise.source);
		}
		log(line);
	};
}

async function waitFor(
	what: string,
	check: () => Promise<boolean>,
	timeoutMs: number,
	details: () => string,
): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (await check()) return;
		await delay(200);
	}
	throw new Error(`cluster: ${what} did not come up within ${timeoutMs} ms:\n${details()}`);
}

/**
 * Copies package.json and dist/ into `target`, with a link to the package's node_modules (so that
 * `require('n8n-workflow')` resolves as it does from the package folder).
 */
function snapshotPackage(packageDir: string, target: string): string {
	const source = path.resolve(packageDir);
	if (!fs.existsSync(path.join(source, 'dist')))
		throw new Error(`cluster: ${source} has no dist/: run \`npm run build\` first`);
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(source, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(source, 'dist'), path.join(target, 'dist'), { recursive: true });
	if (fs.existsSync(path.join(source, 'node_modules')))
		fs.symlinkSync(path.join(source, 'node_modules'), path.join(target, 'node_modules'), 'dir');
	return target;
}
