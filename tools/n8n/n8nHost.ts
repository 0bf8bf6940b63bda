/**
 * Drives a real n8n (installed by `scripts/install-hosts.sh` into `<repo>/.hosts/`, see
 * host/install.ts for which Node runs which version) as child processes: CLI commands
 * (import/execute/export/activate) and a background `n8n start` server.
 *
 * Used by the e2e tests, the demo (`npm start`) and the benchmark. Only Node built-ins are used.
 *
 * Every instance has its own user folder (SQLite database, settings), its own encryption key and
 * its own ports. Workflow activation from the CLI only takes effect at the next `start()`.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort } from '../process';
import { runCli, tail, type CliOptions, type CliResult } from './host/cli';
import { hostEnv } from './host/env';
import { checkCredentials, checkWorkflows } from './host/importChecks';
import { KNOWN_HOST_VERSIONS, hostPaths, type HostPaths, type HostVersion } from './host/install';
import { readExecuteRun, type ExecuteResult } from './host/runs';
import { ServerProcess } from './host/server';
import {
	installPackage,
	readEncryptionKey,
	readExport,
	stdoutBlockingPreload,
	withImportFile,
} from './host/userFolder';
import { isRecord } from './json';
import { HOST_NOISE, type N8nLogLevel } from './logs';
import {
	httpRequest,
	postLogin,
	postOwnerSetup,
	type HttpResult,
	type RequestOptions,
} from './rest';

// Importers need nothing but this module, wherever its parts live.
export { delay } from '../process';
export type { CliOptions, CliResult } from './host/cli';
export { HOST_VERSIONS, hostInstalled, type HostVersion } from './host/install';
export { nodeOutputItems, runError, type ExecuteResult } from './host/runs';
export type { N8nLogLevel } from './logs';
export type { HttpResult, RequestOptions } from './rest';

export interface N8nHostOptions {
	version: HostVersion;
	/**
	 * Folder holding our package.json and dist/. It is installed as a community package is (linked
	 * into the user folder's `.n8n/nodes/node_modules`), so n8n loads it as a package: node types
	 * `n8n-nodes-watcher-durst.*`, and credential Tests by node methods (`testedBy`) work, which
	 * N8N_CUSTOM_EXTENSIONS does not support (n8n leaves `supportedNodes` empty for it).
	 */
	packageDir: string;
	/** N8N_USER_FOLDER; default: a fresh temp folder (removed again by `dispose()`). */
	userFolder?: string;
	/** N8N_PORT; default: a free port (use `N8nHost.create()` or `init()` to get one). */
	port?: number;
	/** N8N_RUNNERS_BROKER_PORT for `start()`; default: a free port. */
	brokerPort?: number;
	/** 48 hex chars by default, random per instance; reused from an existing user folder's config. */
	encryptionKey?: string;
	/** Extra / overriding environment for every n8n process (applied last). */
	env?: Record<string, string>;
	/**
	 * N8N_EXPRESSION_ENGINE. 1.x: only 'legacy' works here (isolated-vm has no binary for Node 20; n8n
	 * hangs at start otherwise). 2.x default: 'vm' (n8n's own default, isolated-vm's prebuilt binary
	 * for Node 24 loads).
	 */
	expressionEngine?: 'vm' | 'legacy';
	/** N8N_LOG_LEVEL of the server and of CLI commands (execute always runs at info). Default warn. */
	logLevel?: N8nLogLevel;
	/** Receives n8n's output lines (server and CLI), prefixed with the host and command. */
	log?: (line: string) => void;
	/** How long `start()` waits for the server to be ready. Default 120 s. */
	startTimeoutMs?: number;
	/** Grace period between SIGTERM and SIGKILL in `stop()`. Default 15 s. */
	stopGraceMs?: number;
	/**
	 * Do not pass known harmless start-up noise to `log` (deprecation notices, the missing Python
	 * runner, failed look-ups of n8n's own hosts, ...). It still shows in `recentLog()`. Default true.
	 */
	filterNoise?: boolean;
}

const MAX_KEPT_LINES = 300;

export class N8nHost {
	readonly version: HostVersion;
	readonly userFolder: string;
	readonly packageDir: string;
	readonly encryptionKey: string;
	readonly paths: HostPaths;

	private _port: number | undefined;
	private _brokerPort: number | undefined;
	private readonly ownsUserFolder: boolean;
	private readonly opts: N8nHostOptions;
	private server: ServerProcess | undefined;
	private readonly recent: string[] = [];

	/** Like `new N8nHost(opts)` followed by `init()` (picks the free ports). */
	static async create(opts: N8nHostOptions): Promise<N8nHost> {
		const host = new N8nHost(opts);
		await host.init();
		return host;
	}

	constructor(opts: N8nHostOptions) {
		if (!KNOWN_HOST_VERSIONS.includes(opts.version))
			throw new Error(`n8nHost: unknown version ${String(opts.version)}`);
		this.opts = opts;
		this.version = opts.version;
		this.paths = hostPaths(opts.version);
		this.packageDir = path.resolve(opts.packageDir);
		if (opts.userFolder !== undefined) {
			this.userFolder = path.resolve(opts.userFolder);
			fs.mkdirSync(this.userFolder, { recursive: true });
			this.ownsUserFolder = false;
		} else {
			this.userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-${opts.version}-`));
			this.ownsUserFolder = true;
		}
		this.encryptionKey =
			opts.encryptionKey ?? readEncryptionKey(this.userFolder) ?? randomBytes(24).toString('hex');
		installPackage(this.userFolder, this.packageDir);
		this._port = opts.port;
		this._brokerPort = opts.brokerPort;
	}

	/** Picks free ports for N8N_PORT / N8N_RUNNERS_BROKER_PORT where none were given. */
	async init(): Promise<void> {
		if (this._port === undefined) this._port = await freePort();
		if (this._brokerPort === undefined) {
			let p = await freePort();
			while (p === this._port) p = await freePort();
			this._brokerPort = p;
		}
	}

	get port(): number {
		if (this._port === undefined)
			throw new Error('n8nHost: no port yet; call init() or use N8nHost.create()');
		return this._port;
	}

	get brokerPort(): number {
		if (this._brokerPort === undefined)
			throw new Error('n8nHost: no broker port yet; call init() or use N8nHost.create()');
		return this._brokerPort;
	}

	get baseUrl(): string {
		return `http://localhost:${this.port}`;
	}

	get isRunning(): boolean {
		return this.server !== undefined;
	}

	/** The last lines n8n printed (server and CLI), for error messages. */
	recentLog(count = 40): string {
		return this.recent.slice(-count).join('\n');
	}

	/** The environment of every n8n process of this host. */
	env(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
		return hostEnv(
			{
				version: this.version,
				nodeBin: this.paths.nodeBin,
				userFolder: this.userFolder,
				port: this.port,
				brokerPort: this.brokerPort,
				encryptionKey: this.encryptionKey,
				logLevel: this.opts.logLevel,
				expressionEngine: this.opts.expressionEngine,
				env: this.opts.env,
			},
			overrides,
		);
	}

	private emit(prefix: string, line: string, forward = true): void {
		this.recent.push(`${prefix} ${line}`);
		if (this.recent.length > MAX_KEPT_LINES)
			this.recent.splice(0, this.recent.length - MAX_KEPT_LINES);
		if (!forward || this.opts.log === undefined) return;
		if ((this.opts.filterNoise ?? true) && HOST_NOISE.some((re) => re.test(line))) return;
		this.opts.log(`${prefix} ${line}`);
	}

	/**
	 * Runs `n8n <args>` to completion. Never rejects for a non-zero exit code (see `code`); rejects
	 * on timeout (default 180 s) after killing the process group. Each call gets its own broker port
	 * (commands such as `execute` start a task broker, which must not clash with a running server).
	 */
	async cli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
		await this.init();
		let broker = await freePort();
		while (broker === this.port || broker === this.brokerPort) broker = await freePort();
		const prefix = `[n8n ${this.version} ${args[0] ?? ''}]`;
		const echo = opts.echo ?? true;
		return await runCli({
			version: this.version,
			paths: this.paths,
			cwd: this.userFolder,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(broker), ...(opts.env ?? {}) }),
			args,
			timeoutMs: opts.timeoutMs ?? 180_000,
			onLine: (line) => this.emit(prefix, line, echo),
		});
	}

	/** Like `cli()` but rejects (with the output's tail) unless the exit code is 0. */
	async cliOk(args: string[], opts: CliOptions = {}): Promise<CliResult> {
		const r = await this.cli(args, opts);
		if (r.code !== 0) {
			throw new Error(
				`n8nHost: \`n8n ${args.join(' ')}\` (${this.version}) exited with ${r.code}:\n${tail(r.stdout + r.stderr, 30)}`,
			);
		}
		return r;
	}

	/**
	 * `n8n import:credentials`. Each credential: `{ id, name, type, data: { ...plain fields } }`;
	 * plain `data` objects are encrypted on import with this host's key. Reference them from a
	 * node as `credentials: { <type>: { id, name } }`.
	 */
	async importCredentials(creds: object[]): Promise<void> {
		checkCredentials(creds);
		await withImportFile(this.userFolder, creds, (file) =>
			this.cliOk(['import:credentials', `--input=${file}`]),
		);
	}

	/**
	 * `n8n import:workflow`. Give the workflow an explicit string `id` to address it later; it is
	 * always imported inactive (use `activate()` before `start()`).
	 */
	async importWorkflow(wf: object | object[]): Promise<void> {
		checkWorkflows(Array.isArray(wf) ? wf : [wf]);
		await withImportFile(this.userFolder, wf, (file) =>
			this.cliOk(['import:workflow', `--input=${file}`]),
		);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput` (runs at log level info: n8n prints the result through its
	 * logger). Resolves with the parsed run also when the workflow failed (`code` 1, see `runError`);
	 * rejects when no run could be found in the output.
	 */
	async execute(workflowId: string, opts: Omit<CliOptions, 'echo'> = {}): Promise<ExecuteResult> {
		const started = Date.now();
		const preload = stdoutBlockingPreload(this.userFolder);
		const nodeOptions = [`--require "${preload}"`, opts.env?.NODE_OPTIONS]
			.filter(Boolean)
			.join(' ');
		const r = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
			timeoutMs: opts.timeoutMs,
			env: { N8N_LOG_LEVEL: 'info', ...(opts.env ?? {}), NODE_OPTIONS: nodeOptions },
			echo: false, // the run JSON is long; one summary line instead
		});
		const { result, summary } = readExecuteRun(workflowId, r, started);
		this.emit(`[n8n ${this.version} execute]`, summary);
		if (result === undefined) {
			throw new Error(
				`n8nHost: \`n8n execute --id=${workflowId}\` (${this.version}) printed no run (exit code ${r.code}):\n` +
					tail(r.stdout + r.stderr, 30),
			);
		}
		return result;
	}

	/** Raw text of `n8n export:workflow --id=<id>` (a JSON array with the one workflow, staticData included). */
	async exportWorkflow(id: string): Promise<string> {
		return await readExport(this.userFolder, (file) =>
			this.cliOk(['export:workflow', `--id=${id}`, `--output=${file}`]),
		);
	}

	/** Raw text of `n8n export:credentials --id=<id>` (encrypted `data` unless `decrypted`). */
	async exportCredentials(id: string, decrypted = false): Promise<string> {
		return await readExport(this.userFolder, (file) =>
			this.cliOk([
				'export:credentials',
				`--id=${id}`,
				`--output=${file}`,
				...(decrypted ? ['--decrypted'] : []),
			]),
		);
	}

	/**
	 * Marks a workflow active (1.x `update:workflow --active=true`, 2.x `publish:workflow`). Takes
	 * effect at the next `start()`: call it while the server is stopped.
	 */
	async activate(id: string, opts: { verify?: boolean } = {}): Promise<void> {
		if (this.version.startsWith('1.')) {
			await this.cliOk(['update:workflow', `--id=${id}`, '--active=true']);
			// 1.123's update:workflow exits 0 even for an unknown id: check (one more CLI run, ~3 s).
			if (opts.verify ?? true) {
				const exported: unknown = JSON.parse(await this.exportWorkflow(id));
				const first: unknown = Array.isArray(exported) ? exported[0] : undefined;
				if (!isRecord(first) || first.active !== true) {
					throw new Error(
						`n8nHost: workflow ${id} is not active after update:workflow on n8n ${this.version}`,
					);
				}
			}
		} else {
			// 2.40's publish:workflow fails (exit 1) for an unknown id.
			await this.cliOk(['publish:workflow', `--id=${id}`]);
		}
	}

	/** Marks a workflow inactive (1.x `update:workflow --active=false`, 2.x `unpublish:workflow`). */
	async deactivate(id: string): Promise<void> {
		if (this.version.startsWith('1.'))
			await this.cliOk(['update:workflow', `--id=${id}`, '--active=false']);
		else await this.cliOk(['unpublish:workflow', `--id=${id}`]);
	}

	/**
	 * Starts `n8n start` in the background. Resolves once the server is fully up: GET /healthz
	 * answers 200 AND n8n logged "Editor is now accessible via" (printed after the active workflows'
	 * webhooks are registered; /healthz alone answers earlier). The server logs in JSON so that
	 * this line is seen whatever the log level; lines below the configured level are not forwarded.
	 */
	async start(): Promise<void> {
		if (this.server !== undefined) throw new Error('n8nHost: already started');
		await this.init();
		const level = this.opts.logLevel ?? 'warn';
		const prefix = `[n8n ${this.version} start]`;
		this.server = new ServerProcess({
			paths: this.paths,
			userFolder: this.userFolder,
			env: this.env({
				N8N_LOG_LEVEL: level === 'debug' ? 'debug' : 'info',
				N8N_LOG_FORMAT: 'json',
			}),
			logLevel: level,
			emit: (line, forward) => this.emit(prefix, line, forward),
		});
		const timeoutMs = this.opts.startTimeoutMs ?? 120_000;
		const why = await this.server.waitUntilReady(
			timeoutMs,
			async () => (await this.request('GET', '/healthz', { timeoutMs: 2_000 })).status === 200,
		);
		if (why === undefined) return;
		await this.stop();
		throw new Error(
			`n8nHost: n8n ${this.version} start ${why}; last log lines:\n${this.recentLog(40)}`,
		);
	}

	/** SIGTERM to n8n's process group, SIGKILL after the grace period; waits until it is gone. */
	async stop(): Promise<void> {
		if (this.server === undefined) return;
		await this.server.stop(this.opts.stopGraceMs ?? 15_000);
		this.server = undefined;
	}

	/** `stop()`, then removes the user folder if this host created it. */
	async dispose(): Promise<void> {
		await this.stop();
		if (this.ownsUserFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}

	/** Creates the instance owner on the running server; resolves with its `n8n-auth` cookie. */
	async setupOwner(
		email: string,
		password: string,
		firstName: string,
		lastName: string,
	): Promise<string> {
		return await postOwnerSetup(this, { email, password, firstName, lastName });
	}

	/** POST /rest/login; resolves with the `n8n-auth` cookie (name=value). */
	async login(email: string, password: string): Promise<string> {
		return await postLogin(this, email, password);
	}

	/** An HTTP request to the running server (`urlPath` like `/webhook/foo`). */
	request(method: string, urlPath: string, opts: RequestOptions = {}): Promise<HttpResult> {
		return httpRequest(this.port, method, urlPath, opts);
	}
}
