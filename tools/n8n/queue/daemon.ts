/** The cluster's long-running processes (PostgreSQL, Redis, workers) and waiting for them to come up. */
import type { ChildProcess } from 'node:child_process';

import {
	delay,
	killGroup,
	readLines,
	reapGroup,
	signalThenKill,
	spawnGroupLeader,
	type GroupSpawnOptions,
} from '../../process';
import { trackClusterGroup, untrackClusterGroup } from './folder';

type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

const KEPT_LINES = 200;

/** A long-running child in its own process group, with its output lines and its exit awaited. */
export class Daemon {
	readonly child: ChildProcess;
	readonly exited: Promise<ExitInfo>;
	private exitInfo: ExitInfo | undefined;
	private readonly recent: string[] = [];

	constructor(
		readonly name: string,
		command: string,
		args: string[],
		options: GroupSpawnOptions,
		onLine: (line: string) => void,
	) {
		this.child = spawnGroupLeader(command, args, options);
		const pid = this.child.pid;
		if (pid !== undefined) trackClusterGroup(pid);
		const handle = (line: string): void => {
			this.recent.push(line);
			if (this.recent.length > KEPT_LINES) this.recent.splice(0, this.recent.length - KEPT_LINES);
			onLine(line);
		};
		const flushLines = readLines(this.child, handle);
		this.exited = new Promise((resolve) => {
			this.child.once('error', (error) => {
				handle(`[spawn error] ${error.message}`);
				this.exitInfo = { code: null, signal: null };
				resolve(this.exitInfo);
			});
			this.child.once('close', (code, signal) => {
				flushLines();
				this.exitInfo = { code, signal };
				if (pid !== undefined) {
					killGroup(pid, 'SIGKILL'); // children of the process (n8n's task runner)
					untrackClusterGroup(pid);
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
			await signalThenKill(pid, signal, graceMs, this.exited);
			await this.exited;
		}
		await reapGroup(pid);
		untrackClusterGroup(pid);
	}
}

/** Polls `check` until it says yes; rejects with `details()` after `timeoutMs`. */
export async function waitFor(
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
