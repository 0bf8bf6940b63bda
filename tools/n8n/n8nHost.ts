/**
 * Drives a real n8n (installed by `scripts/install-hosts.sh` into `<repo>/.hosts/`) as child
 * processes: CLI commands (import/execute/export/activate) and a background `n8n start` server.
 *
 * Used by the e2e tests, the demo (`npm start`) and the benchmark. Only Node built-ins are used.
 *
 * Versions:
 *  - 1.123.81 runs on the Node that runs this code (the machine's Node 20) with
 *    N8N_EXPRESSION_ENGINE=legacy (isolated-vm has no prebuilt binary for Node 20).
 *  - 2.40.7 runs on `.hosts/node24/node_modules/node/bin/node`, which is also put first on PATH
 *    (n8n 2.x spawns its JS task runner as plain `node`).
 *
 * Every instance has its own user folder (SQLite database, settings), its own encryption key and
 * its own ports. Workflow activation from the CLI only takes effect at the next `start()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export type HostVersion = '1.123.81' | '2.40.7';
export const HOST_VERSIONS: HostVersion[] = ['1.123.81', '2.40.7'];

export type N8nLogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

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

export interface CliOptions {
	/** Default 180 s; the process group is killed and the promise rejects after it. */
	timeoutMs?: number;
	/** Extra environment for this command only. */
	env?: Record<string, string>;
	/** Pass the command's output lines to `log`. Default true. */
	echo?: boolean;
}

export interface CliResult {
	/** Exit code; 128 + signal number when the process was killed by a signal. */
	code: number;
	/** The signal that ended the process, if any. */
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface ExecuteResult extends CliResult {
	// code: 0 = success; 1 = the workflow failed (data.status 'error') or the command failed.
	/**
	 * n8n 2.40 with the 'vm' expression engine sometimes dies with SIGSEGV while exiting, after the
	 * run was complete, printed and saved (seen with short workflows: isolated-vm's teardown). Then
	 * this is true, `signal` is 'SIGSEGV' and `code` is derived from the run's status (0 or 1).
	 */
	crashedAtExit: boolean;
	/** The run object n8n printed (`{ data: { resultData: { runData, error?, lastNodeExecuted } }, status, mode, ... }`). */
	data: unknown;
}

export interface HttpResult {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export interface RequestOptions {
	headers?: Record<string, string>;
	/** A string is sent as is; anything else as JSON. */
	body?: unknown;
	timeoutMs?: number;
}

// ------------------------------------------------------------------------------------------------
// Locations

function findRepoRoot(): string {
	const starts: string[] = [];
	if (typeof __dirname === 'string') starts.push(__dirname);
	starts.push(process.cwd());
	for (const start of starts) {
		let dir = path.resolve(start);
		for (;;) {
			if (fs.existsSync(path.join(dir, 'scripts', 'install-hosts.sh'))) return dir;
			const parent = path.dirname(dir);
			if (parent === dir) break;
			dir = parent;
		}
	}
	throw new Error(
		'n8nHost: cannot find the repository root (a folder with scripts/install-hosts.sh) above ' +
			starts.join(' or ') +
			'; set N8N_HOSTS_DIR to the .hosts folder',
	);
}

/** The folder with the installed hosts: $N8N_HOSTS_DIR or <repo>/.hosts. */
export function hostsDir(): string {
	const fromEnv = process.env.N8N_HOSTS_DIR;
	if (fromEnv !== undefined && fromEnv !== '') return path.resolve(fromEnv);
	return path.join(findRepoRoot(), '.hosts');
}

export interface HostPaths {
	/** .hosts/n8n-<version> */
	dir: string;
	/** .hosts/n8n-<version>/node_modules/n8n/bin/n8n */
	n8nBin: string;
	/** The node binary that runs this version. */
	nodeBin: string;
	/** The marker file written by install-hosts.sh after a complete install. */
	marker: string;
}

export function hostPaths(version: HostVersion): HostPaths {
	const root = hostsDir();
	const dir = path.join(root, `n8n-${version}`);
	const nodeBin = version.startsWith('1.')
		? (process.env.N8N_HOST_NODE_1 ?? defaultNode20())
		: (process.env.N8N_HOST_NODE_2 ??
			path.join(root, 'node24', 'node_modules', 'node', 'bin', 'node'));
	return {
		dir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin,
		marker: path.join(dir, '.installed'),
	};
}

function defaultNode20(): string {
	// n8n 1.123 supports Node 20 to 24; the host was built and verified with the machine's Node 20.
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= 20 && major <= 24) return process.execPath;
	return '/usr/bin/node';
}

/** True when install-hosts.sh completed for this version (and, for 2.x, for Node 24). */
export function hostInstalled(version: HostVersion): boolean {
	try {
		const p = hostPaths(version);
		const nodeOk = version.startsWith('1.')
			? fs.existsSync(p.nodeBin)
			: fs.existsSync(path.join(hostsDir(), 'node24', '.installed')) && fs.existsSync(p.nodeBin);
		return nodeOk && fs.existsSync(p.marker) && fs.existsSync(p.n8nBin);
	} catch {
		return false;
	}
}

// ------------------------------------------------------------------------------------------------
// Ports and processes

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
			const address = server.address();
			if (address === null || typeof address === 'string') {
				server.close();
				reject(new Error('freePort: unexpected server address'));
				return;
			}
			const { port } = address;
			server.close(() => resolve(port));
		});
	});
}

/** Process groups we started and have not seen exit; killed if this process exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pid: number): void {
	liveGroups.add(pid);
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', () => {
			for (const group of liveGroups) killGroup(group, 'SIGKILL');
		});
	}
}

export function killGroup(pid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		try {
			process.kill(pid, signal);
			return true;
		} catch {
			return false;
		}
	}
}

export function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Splits a stream into lines, calling `onLine` for each complete line. */
export function lineSplitter(onLine: (line: string) => void): {
	push(chunk: string): void;
	flush(): void;
} {
	let rest = '';
	return {
		push(chunk: string) {
			rest += chunk;
			let i: number;
			while ((i = rest.indexOf('\n')) >= 0) {
				onLine(rest.slice(0, i).replace(/\r$/, ''));
				rest = rest.slice(i + 1);
			}
		},
		flush() {
			if (rest !== '') onLine(rest);
			rest = '';
		},
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Finds the run object that `n8n execute` prints (`JSON.stringify(run, null, 2)`), whatever log
 * lines come before or after it. Also understands N8N_LOG_FORMAT=json (the run is then the
 * `message` of one log line). Returns undefined when there is none.
 */
export function parseExecuteOutput(stdout: string): unknown {
	const looksLikeRun = (v: unknown): boolean =>
		isRecord(v) && isRecord(v.data) && isRecord((v.data as Record<string, unknown>).resultData);
	const lines = stdout.split(/\r?\n/);
	let found: unknown;
	// Pretty-printed JSON: an outermost `{` line and the first `}` line after it at column 0
	// (nested lines are indented, and JSON strings cannot contain raw newlines).
	for (let i = 0; i < lines.length; i++) {
		if (lines[i].trimEnd() !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j].trimEnd() !== '}') continue;
			try {
				const value: unknown = JSON.parse(lines.slice(i, j + 1).join('\n'));
				if (looksLikeRun(value)) found = value;
				i = j;
			} catch {
				// not the JSON we want; keep looking
			}
			break;
		}
	}
	if (found !== undefined) return found;
	// One-line JSON (or JSON log lines whose message is the run).
	for (const line of lines) {
		const t = line.trim();
		if (!t.startsWith('{')) continue;
		try {
			const value: unknown = JSON.parse(t);
			if (looksLikeRun(value)) found = value;
			else if (isRecord(value) && typeof value.message === 'string') {
				const inner: unknown = JSON.parse(value.message);
				if (looksLikeRun(inner)) found = inner;
			}
		} catch {
			// ignore
		}
	}
	return found;
}

/** The `json` of the items a node produced in its first run (output 0 by default). */
export function nodeOutputItems(
	run: unknown,
	nodeName: string,
	outputIndex = 0,
	runIndex = 0,
): unknown[] {
	if (!isRecord(run) || !isRecord(run.data)) return [];
	const resultData = run.data.resultData;
	if (!isRecord(resultData) || !isRecord(resultData.runData)) return [];
	const runs = resultData.runData[nodeName];
	if (!Array.isArray(runs)) return [];
	const taskData: unknown = runs[runIndex];
	if (!isRecord(taskData) || !isRecord(taskData.data)) return [];
	const main = taskData.data.main;
	if (!Array.isArray(main)) return [];
	const items: unknown = main[outputIndex];
	if (!Array.isArray(items)) return [];
	return items.map((item: unknown) => (isRecord(item) ? item.json : undefined));
}

/** The error n8n recorded for the run (resultData.error), if any. */
export function runError(run: unknown): Record<string, unknown> | undefined {
	if (!isRecord(run) || !isRecord(run.data) || !isRecord(run.data.resultData)) return undefined;
	const error = run.data.resultData.error;
	return isRecord(error) ? error : undefined;
}

// ------------------------------------------------------------------------------------------------

const MAX_KEPT_LINES = 300;

/** Known harmless lines on this offline machine (see `filterNoise`). */
const NOISE: RegExp[] = [
	/There are deprecations related to your/,
	/Failed to start Python task runner/,
	/\[license SDK\]/,
	/ENOTFOUND [a-z.]*n8n\.(io|cloud)/,
	/Error fetching from Strapi API/,
	/Migrations in progress, please do NOT stop the process/,
	/Legacy aes-256-cbc encryption key not found/,
	/n8n Task Broker ready on/,
	/Registered runner "JS Task Runner"/,
];

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
	private server: ChildProcess | undefined;
	private serverExit: Promise<void> | undefined;
	private readonly recent: string[] = [];

	/** Like `new N8nHost(opts)` followed by `init()` (picks the free ports). */
	static async create(opts: N8nHostOptions): Promise<N8nHost> {
		const host = new N8nHost(opts);
		await host.init();
		return host;
	}

	constructor(opts: N8nHostOptions) {
		if (!HOST_VERSIONS.includes(opts.version))
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
		const is1 = this.version.startsWith('1.');
		const env: NodeJS.ProcessEnv = {};
		for (const [k, v] of Object.entries(process.env)) {
			if (v === undefined) continue;
			// Nothing of the caller's n8n/DB config, and no NODE_ENV=test from jest (n8n then skips
			// its process.exit after CLI commands and hangs) or NODE_OPTIONS (ts-node hooks etc.).
			if (
				/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_ENV$|NODE_OPTIONS$|NODES_|CODE_ENABLE_|JEST_WORKER_ID$)/.test(
					k,
				)
			)
				continue;
			env[k] = v;
		}
		const nodeDir = path.dirname(this.paths.nodeBin);
		Object.assign(env, {
			PATH: `${nodeDir}${path.delimiter}${process.env.PATH ?? ''}`,
			NO_COLOR: '1',
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: 'localhost',
			N8N_PROTOCOL: 'http',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_LOG_LEVEL: this.opts.logLevel ?? 'warn',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		} satisfies Record<string, string>);
		// 1.x: isolated-vm (the "vm" engine) has no binary for Node 20: without 'legacy' n8n 1.123 hangs at start.
		env.N8N_EXPRESSION_ENGINE = this.opts.expressionEngine ?? (is1 ? 'legacy' : 'vm');
		if (is1) {
			// Task runners are opt-in in 1.x; without them the Code node runs in-process (no broker, faster).
			env.N8N_RUNNERS_ENABLED = 'false';
		} else {
			// 2.x always runs task runners (internal mode: a `node` child process for the Code node);
			// the Python runner is not installed, n8n just notes it as unavailable.
			env.N8N_RUNNERS_MODE = 'internal';
			// With the (default) workflow publication service, workflows published from the CLI get
			// their webhooks registered asynchronously, ~0.5-1 s AFTER n8n says it is ready, so a test
			// calling a webhook right after start() sees 404. The classic path activates them before
			// "Editor is now accessible via" is logged.
			env.N8N_USE_WORKFLOW_PUBLICATION_SERVICE = 'false';
			// The MCP server registry fetches https://api.n8n.io at start: an error on this offline machine.
			env.N8N_DISABLED_MODULES = 'mcp-registry';
		}
		delete env.DB_SQLITE_POOL_SIZE;
		Object.assign(env, this.opts.env ?? {}, overrides);
		return env;
	}

	private emit(prefix: string, line: string, forward = true): void {
		this.recent.push(`${prefix} ${line}`);
		if (this.recent.length > MAX_KEPT_LINES)
			this.recent.splice(0, this.recent.length - MAX_KEPT_LINES);
		if (!forward || this.opts.log === undefined) return;
		if ((this.opts.filterNoise ?? true) && NOISE.some((re) => re.test(line))) return;
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
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(broker), ...(opts.env ?? {}) });
		const prefix = `[n8n ${this.version} ${args[0] ?? ''}]`;
		const timeoutMs = opts.timeoutMs ?? 180_000;
		return await new Promise<CliResult>((resolve, reject) => {
			const child = spawn(this.paths.nodeBin, [this.paths.n8nBin, ...args], {
				cwd: this.userFolder,
				env,
				detached: true,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			const echo = opts.echo ?? true;
			const outLines = lineSplitter((l) => this.emit(prefix, l, echo));
			const errLines = lineSplitter((l) => this.emit(prefix, l, echo));
			child.stdout?.setEncoding('utf8').on('data', (c: string) => {
				stdout += c;
				outLines.push(c);
			});
			child.stderr?.setEncoding('utf8').on('data', (c: string) => {
				stderr += c;
				errLines.push(c);
			});
			if (child.pid !== undefined) trackGroup(child.pid);
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
			}, timeoutMs);
			child.once('error', (err) => {
				clearTimeout(timer);
				reject(
					new Error(
						`n8nHost: cannot run ${this.paths.nodeBin} ${this.paths.n8nBin}: ${err.message}`,
					),
				);
			});
			child.once('close', (code, signal) => {
				clearTimeout(timer);
				outLines.flush();
				errLines.flush();
				if (child.pid !== undefined) {
					// n8n exits with process.exit(); make sure nothing it started lingers.
					killGroup(child.pid, 'SIGKILL');
					liveGroups.delete(child.pid);
				}
				if (timedOut) {
					reject(
						new Error(
							`n8nHost: \`n8n ${args.join(' ')}\` (${this.version}) timed out after ${timeoutMs} ms; last output:\n` +
								tail(stdout + stderr, 30),
						),
					);
					return;
				}
				resolve({
					code: code ?? 128 + (signal !== null ? (os.constants.signals[signal] ?? 0) : 1),
					signal,
					stdout,
					stderr,
				});
			});
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

	/** Writes `data` to a private temp file in the user folder for the duration of `fn`. */
	private async withTempJson<T>(data: unknown, fn: (file: string) => Promise<T>): Promise<T> {
		const file = path.join(
			this.userFolder,
			`.import-${process.pid}-${randomBytes(6).toString('hex')}.json`,
		);
		fs.writeFileSync(file, JSON.stringify(data, null, 2), { mode: 0o600 });
		try {
			return await fn(file);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/**
	 * `n8n import:credentials`. Each credential: `{ id, name, type, data: { ...plain fields } }`;
	 * plain `data` objects are encrypted on import with this host's key. Reference them from a
	 * node as `credentials: { <type>: { id, name } }`.
	 */
	async importCredentials(creds: object[]): Promise<void> {
		creds.forEach((c, i) => {
			const r: Record<string, unknown> = isRecord(c) ? c : {};
			// Without an id both versions fail with "NOT NULL constraint failed: credentials_entity.id".
			for (const key of ['id', 'name', 'type'] as const) {
				if (typeof r[key] !== 'string' || r[key] === '') {
					throw new Error(
						`n8nHost.importCredentials: credential #${i} needs a non-empty string \`${key}\``,
					);
				}
			}
			if (r.data === undefined)
				throw new Error(`n8nHost.importCredentials: credential #${i} needs \`data\``);
		});
		await this.withTempJson(creds, (file) => this.cliOk(['import:credentials', `--input=${file}`]));
	}

	/**
	 * `n8n import:workflow`. Give the workflow an explicit string `id` to address it later; it is
	 * always imported inactive (use `activate()` before `start()`).
	 */
	async importWorkflow(wf: object | object[]): Promise<void> {
		const list = Array.isArray(wf) ? wf : [wf];
		list.forEach((w: unknown, i) => {
			const r: Record<string, unknown> = isRecord(w) ? w : {};
			const label = `n8nHost.importWorkflow: workflow #${i}${typeof r.name === 'string' ? ` "${r.name}"` : ''}`;
			// 2.40 fails without an id ("NOT NULL constraint failed: workflow_entity.id"); 1.123 makes one up.
			if (typeof r.id !== 'string' || r.id === '')
				throw new Error(`${label} needs a non-empty string \`id\``);
			if (typeof r.name !== 'string') throw new Error(`${label} needs a \`name\``);
			if (!Array.isArray(r.nodes)) throw new Error(`${label} needs a \`nodes\` array`);
			// Both versions reject a workflow without `connections` ("File does not seem to contain valid workflows").
			if (!isRecord(r.connections))
				throw new Error(`${label} needs a \`connections\` object (may be {})`);
		});
		await this.withTempJson(wf, (file) => this.cliOk(['import:workflow', `--input=${file}`]));
	}

	/**
	 * `n8n execute --id=<id> --rawOutput` (runs at log level info: n8n prints the result through its
	 * logger). Resolves with the parsed run also when the workflow failed (`code` 1, see `runError`);
	 * rejects when no run could be found in the output.
	 */
	async execute(workflowId: string, opts: Omit<CliOptions, 'echo'> = {}): Promise<ExecuteResult> {
		const started = Date.now();
		const nodeOptions = [`--require "${this.stdoutBlockingPreload()}"`, opts.env?.NODE_OPTIONS]
			.filter(Boolean)
			.join(' ');
		const r = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
			timeoutMs: opts.timeoutMs,
			env: { N8N_LOG_LEVEL: 'info', ...(opts.env ?? {}), NODE_OPTIONS: nodeOptions },
			echo: false, // the run JSON is long; one summary line instead
		});
		const data = parseExecuteOutput(r.stdout);
		const status = isRecord(data) && typeof data.status === 'string' ? data.status : 'no run';
		const error = runError(data);
		const crashedAtExit = r.signal === 'SIGSEGV' && (status === 'success' || status === 'error');
		const code = crashedAtExit ? (status === 'success' ? 0 : 1) : r.code;
		this.emit(
			`[n8n ${this.version} execute]`,
			`workflow ${workflowId}: exit ${r.code}${r.signal !== null ? ` (${r.signal})` : ''}, ${status} in ${Date.now() - started} ms` +
				(error !== undefined ? ` (${String(error.message)})` : '') +
				(crashedAtExit
					? ` [n8n crashed while exiting after the run completed; treated as exit ${code}]`
					: ''),
		);
		if (data === undefined) {
			throw new Error(
				`n8nHost: \`n8n execute --id=${workflowId}\` (${this.version}) printed no run (exit code ${r.code}):\n` +
					tail(r.stdout + r.stderr, 30),
			);
		}
		return { ...r, code, crashedAtExit, data };
	}

	/**
	 * A preload (NODE_OPTIONS=--require) that makes `n8n execute`'s stdout blocking. n8n prints the
	 * run (about 2 MB for 1,000 items) and then calls process.exit(); a spawned child's stdout is a
	 * pipe that Node writes asynchronously, and process.exit() drops what is still queued (seen as
	 * "printed no run" in about half of such runs). Written as a file beside the user folder so it
	 * works the same from ts-jest and from the compiled tools.
	 */
	private stdoutBlockingPreload(): string {
		const file = path.join(this.userFolder, '.stdout-blocking.cjs');
		if (!fs.existsSync(file)) {
			fs.writeFileSync(
				file,
				'for (const s of [process.stdout, process.stderr]) { const h = s._handle; if (h && typeof h.setBlocking === "function") h.setBlocking(true); }\n',
			);
		}
		return file;
	}

	/** Raw text of `n8n export:workflow --id=<id>` (a JSON array with the one workflow, staticData included). */
	async exportWorkflow(id: string): Promise<string> {
		const file = path.join(
			this.userFolder,
			`.export-${process.pid}-${randomBytes(6).toString('hex')}.json`,
		);
		try {
			await this.cliOk(['export:workflow', `--id=${id}`, `--output=${file}`]);
			return fs.readFileSync(file, 'utf8');
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** Raw text of `n8n export:credentials --id=<id>` (encrypted `data` unless `decrypted`). */
	async exportCredentials(id: string, decrypted = false): Promise<string> {
		const file = path.join(
			this.userFolder,
			`.export-${process.pid}-${randomBytes(6).toString('hex')}.json`,
		);
		try {
			await this.cliOk([
				'export:credentials',
				`--id=${id}`,
				`--output=${file}`,
				...(decrypted ? ['--decrypted'] : []),
			]);
			return fs.readFileSync(file, 'utf8');
		} finally {
			fs.rmSync(file, { force: true });
		}
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
		const env = this.env({
			N8N_LOG_LEVEL: level === 'debug' ? 'debug' : 'info',
			N8N_LOG_FORMAT: 'json',
		});
		const prefix = `[n8n ${this.version} start]`;
		const child = spawn(this.paths.nodeBin, [this.paths.n8nBin, 'start'], {
			cwd: this.userFolder,
			env,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.server = child;
		if (child.pid !== undefined) trackGroup(child.pid);
		let ready = false;
		let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
		let spawnError: Error | undefined;
		const onLine = (line: string): void => {
			const parsed = parseJsonLogLine(line);
			if (parsed === undefined) {
				this.emit(prefix, line);
				return;
			}
			if (parsed.message.includes('Editor is now accessible via')) ready = true;
			this.emit(
				prefix,
				`${parsed.level}: ${parsed.message}`,
				levelRank(parsed.level) <= levelRank(level),
			);
		};
		const out = lineSplitter(onLine);
		const err = lineSplitter(onLine);
		child.stdout?.setEncoding('utf8').on('data', (c: string) => out.push(c));
		child.stderr?.setEncoding('utf8').on('data', (c: string) => err.push(c));
		this.serverExit = new Promise<void>((resolve) => {
			child.once('error', (e) => {
				spawnError = e;
				resolve();
			});
			child.once('close', (code, signal) => {
				out.flush();
				err.flush();
				exited = { code, signal };
				if (child.pid !== undefined) {
					killGroup(child.pid, 'SIGKILL'); // task runners etc.
					liveGroups.delete(child.pid);
				}
				resolve();
			});
		});

		const timeoutMs = this.opts.startTimeoutMs ?? 120_000;
		const started = Date.now();
		let healthy = false;
		while (Date.now() - started < timeoutMs) {
			if (spawnError !== undefined || exited !== undefined) break;
			if (!healthy) {
				try {
					const r = await this.request('GET', '/healthz', { timeoutMs: 2_000 });
					healthy = r.status === 200;
				} catch {
					// not listening yet
				}
			}
			if (healthy && ready) return;
			await delay(250);
		}
		const why =
			spawnError !== undefined
				? `could not be spawned: ${spawnError.message}`
				: exited !== undefined
					? `exited early (code ${String(exited.code)}, signal ${String(exited.signal)})`
					: `was not ready after ${timeoutMs} ms (healthz ${healthy ? 'ok' : 'not answering'}, ready line ${ready ? 'seen' : 'not seen'})`;
		await this.stop();
		throw new Error(
			`n8nHost: n8n ${this.version} start ${why}; last log lines:\n${this.recentLog(40)}`,
		);
	}

	/** SIGTERM to n8n's process group, SIGKILL after the grace period; waits until it is gone. */
	async stop(): Promise<void> {
		const child = this.server;
		if (child === undefined) return;
		const exit = this.serverExit ?? Promise.resolve();
		const pid = child.pid;
		if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
			killGroup(pid, 'SIGTERM');
			const grace = this.opts.stopGraceMs ?? 15_000;
			let timer: NodeJS.Timeout | undefined;
			const timedOut = await Promise.race([
				exit.then(() => false),
				new Promise<boolean>((resolve) => {
					timer = setTimeout(() => resolve(true), grace);
				}),
			]);
			clearTimeout(timer); // a pending timer would keep jest from exiting
			if (timedOut) killGroup(pid, 'SIGKILL');
		}
		await exit;
		if (pid !== undefined) {
			// Wait (briefly) until every process of the group is gone, so ports and the DB are free.
			const until = Date.now() + 5_000;
			while (groupAlive(pid) && Date.now() < until) {
				killGroup(pid, 'SIGKILL');
				await delay(50);
			}
			liveGroups.delete(pid);
		}
		this.server = undefined;
		this.serverExit = undefined;
	}

	/** `stop()`, then removes the user folder if this host created it. */
	async dispose(): Promise<void> {
		await this.stop();
		if (this.ownsUserFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}

	/**
	 * Creates the instance owner on the running server (POST /rest/owner/setup, accepted by 1.123
	 * and 2.40 alike: email, firstName, lastName, password of 8-64 chars with a digit and an upper-case
	 * letter). Resolves with the `n8n-auth` cookie (name=value) issued for the owner.
	 */
	async setupOwner(
		email: string,
		password: string,
		firstName: string,
		lastName: string,
	): Promise<string> {
		const r = await this.request('POST', '/rest/owner/setup', {
			body: { email, password, firstName, lastName },
		});
		if (r.status !== 200) {
			throw new Error(
				`n8nHost: owner setup on n8n ${this.version} answered ${r.status}: ${r.body.slice(0, 500)}`,
			);
		}
		return authCookie(r.headers);
	}

	/** POST /rest/login; resolves with the `n8n-auth` cookie (name=value). */
	async login(email: string, password: string): Promise<string> {
		// 1.123 and 2.40 both take `emailOrLdapLoginId`.
		const r = await this.request('POST', '/rest/login', {
			body: { emailOrLdapLoginId: email, password },
		});
		if (r.status !== 200) {
			throw new Error(
				`n8nHost: login on n8n ${this.version} answered ${r.status}: ${r.body.slice(0, 500)}`,
			);
		}
		return authCookie(r.headers);
	}

	/** An HTTP request to the running server (`urlPath` like `/webhook/foo`). */
	request(method: string, urlPath: string, opts: RequestOptions = {}): Promise<HttpResult> {
		const headers: Record<string, string> = { ...(opts.headers ?? {}) };
		let payload: string | undefined;
		if (opts.body !== undefined) {
			payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
			if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
				headers['Content-Type'] = typeof opts.body === 'string' ? 'text/plain' : 'application/json';
			}
			headers['Content-Length'] = String(Buffer.byteLength(payload));
		}
		return new Promise<HttpResult>((resolve, reject) => {
			const req = http.request(
				{
					host: '127.0.0.1',
					port: this.port,
					method,
					path: urlPath,
					headers,
					timeout: opts.timeoutMs ?? 30_000,
					agent: false, // no keep-alive sockets left open after the test
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () =>
						resolve({
							status: res.statusCode ?? 0,
							headers: res.headers,
							body: Buffer.concat(chunks).toString('utf8'),
						}),
					);
					res.on('error', reject);
				},
			);
			req.on('timeout', () =>
				req.destroy(
					new Error(`timeout after ${opts.timeoutMs ?? 30_000} ms: ${method} ${urlPath}`),
				),
			);
			req.on('error', reject);
			if (payload !== undefined) req.write(payload);
			req.end();
		});
	}
}

// ------------------------------------------------------------------------------------------------

function tail(text: string, lines: number): string {
	return text.split(/\r?\n/).slice(-lines).join('\n');
}

/** Where n8n looks for installed community packages, and our package linked there. */
function installPackage(userFolder: string, packageDir: string): void {
	const name = (
		JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
			name: string;
		}
	).name;
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(modules, { recursive: true });
	const link = path.join(modules, name);
	fs.rmSync(link, { recursive: true, force: true });
	fs.symlinkSync(packageDir, link, 'dir');
}

function readEncryptionKey(userFolder: string): string | undefined {
	try {
		const config: unknown = JSON.parse(
			fs.readFileSync(path.join(userFolder, '.n8n', 'config'), 'utf8'),
		);
		return isRecord(config) && typeof config.encryptionKey === 'string'
			? config.encryptionKey
			: undefined;
	} catch {
		return undefined;
	}
}

function authCookie(headers: http.IncomingHttpHeaders): string {
	const cookie = (headers['set-cookie'] ?? []).find((c) => c.startsWith('n8n-auth='));
	if (cookie === undefined) throw new Error('n8nHost: no n8n-auth cookie in the answer');
	return cookie.split(';')[0];
}

function levelRank(level: string): number {
	switch (level) {
		case 'silent':
			return -1;
		case 'error':
			return 0;
		case 'warn':
			return 1;
		case 'info':
			return 2;
		case 'debug':
			return 3;
		default:
			return 2;
	}
}

function parseJsonLogLine(line: string): { level: string; message: string } | undefined {
	const t = line.trim();
	if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
	try {
		const v: unknown = JSON.parse(t);
		if (isRecord(v) && typeof v.level === 'string' && typeof v.message === 'string') {
			return { level: v.level, message: v.message };
		}
	} catch {
		// not a log line
	}
	return undefined;
}
