/**
 * Child processes as the n8n drivers run them: each one leads its own process group (so n8n's task
 * runners and PostgreSQL's backends go with it), its output read line by line, and free loopback
 * ports for it to listen on. Only Node built-ins are used.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Ports `freePort()` handed out, newest last. The kernel may offer a port again as soon as the
 * probe closes it, and a port is only taken once its process listens, seconds later (n8n's main,
 * its task broker, a worker's health port are chosen before any of them starts): without this
 * memory two of them could get the same port and one would die of EADDRINUSE at start.
 */
const handedOut = new Set<number>();
/** Far more than one test file uses at once, far fewer than the ~14,000 ports `listen(0)` picks from. */
const REMEMBERED_PORTS = 2_000;

function probePort(): Promise<number> {
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

/** A TCP port that is free on 127.0.0.1 right now and that this process has not handed out lately. */
export async function freePort(): Promise<number> {
	let port = await probePort();
	while (handedOut.has(port)) port = await probePort();
	handedOut.add(port);
	if (handedOut.size > REMEMBERED_PORTS) {
		const oldest = handedOut.values().next().value;
		if (oldest !== undefined) handedOut.delete(oldest);
	}
	return port;
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

/** Process groups we started and have not seen exit; killed if this process exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackGroup(pid: number): void {
	liveGroups.add(pid);
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', () => {
			for (const group of liveGroups) killGroup(group, 'SIGKILL');
		});
	}
}

export function untrackGroup(pid: number): void {
	liveGroups.delete(pid);
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

export interface GroupSpawnOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	uid?: number;
	gid?: number;
}

/** Spawns `command` as the leader of a new process group, its stdout and stderr piped. */
export function spawnGroupLeader(
	command: string,
	args: string[],
	options: GroupSpawnOptions,
): ChildProcess {
	return spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		uid: options.uid,
		gid: options.gid,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}

/**
 * Passes every line of the child's stdout and stderr to `onLine`; call the returned function once
 * the child closed, for a last line without a newline.
 */
export function readLines(child: ChildProcess, onLine: (line: string) => void): () => void {
	const out = lineSplitter(onLine);
	const err = lineSplitter(onLine);
	child.stdout?.setEncoding('utf8').on('data', (c: string) => out.push(c));
	child.stderr?.setEncoding('utf8').on('data', (c: string) => err.push(c));
	return () => {
		out.flush();
		err.flush();
	};
}

/** `signal` to the process group, SIGKILL if `exited` has not settled after `graceMs`. */
export async function signalThenKill(
	pid: number,
	signal: NodeJS.Signals,
	graceMs: number,
	exited: Promise<unknown>,
): Promise<void> {
	killGroup(pid, signal);
	let timer: NodeJS.Timeout | undefined;
	const timedOut = await Promise.race([
		exited.then(() => false),
		new Promise<boolean>((resolve) => {
			timer = setTimeout(() => resolve(true), graceMs);
		}),
	]);
	clearTimeout(timer); // a pending timer would keep jest from exiting
	if (timedOut) killGroup(pid, 'SIGKILL');
}

/** Waits (briefly) until every process of the group is gone, so its ports and files are free. */
export async function reapGroup(pid: number): Promise<void> {
	const until = Date.now() + 5_000;
	while (groupAlive(pid) && Date.now() < until) {
		killGroup(pid, 'SIGKILL');
		await delay(50);
	}
}

export interface RunFileOptions {
	env?: NodeJS.ProcessEnv;
	uid?: number;
	gid?: number;
	cwd?: string;
	timeoutMs?: number;
}

/** Runs `command` to completion; resolves with its stdout, rejects with the tail of its stderr. */
export function runFile(
	command: string,
	args: string[],
	options: RunFileOptions = {},
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
