/** The background `n8n start` of a host: its process group, its log lines, when it is ready. */
import type { ChildProcess } from 'node:child_process';

import {
	delay,
	killGroup,
	readLines,
	reapGroup,
	signalThenKill,
	spawnGroupLeader,
	trackGroup,
	untrackGroup,
} from '../../process';
import { levelShown, parseLevelAndMessage, type N8nLogLevel } from '../logs';
import type { HostPaths } from './install';

export interface ServerLaunch {
	paths: HostPaths;
	userFolder: string;
	/** Must set N8N_LOG_FORMAT=json and a level that shows the ready line (info). */
	env: NodeJS.ProcessEnv;
	/** Lines below this level are passed to `emit` with `forward` false. */
	logLevel: N8nLogLevel;
	emit: (line: string, forward: boolean) => void;
}

/** Printed after the active workflows' webhooks are registered; /healthz alone answers earlier. */
const READY_LINE = 'Editor is now accessible via';

export class ServerProcess {
	private readonly child: ChildProcess;
	private readonly exit: Promise<void>;
	private ready = false;
	private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
	private spawnError: Error | undefined;

	constructor(launch: ServerLaunch) {
		const { paths } = launch;
		const child = spawnGroupLeader(paths.nodeBin, [paths.n8nBin, 'start'], {
			cwd: launch.userFolder,
			env: launch.env,
		});
		this.child = child;
		if (child.pid !== undefined) trackGroup(child.pid);
		const flushLines = readLines(child, (line) => {
			const parsed = parseLevelAndMessage(line);
			if (parsed === undefined) {
				launch.emit(line, true);
				return;
			}
			if (parsed.message.includes(READY_LINE)) this.ready = true;
			launch.emit(`${parsed.level}: ${parsed.message}`, levelShown(parsed.level, launch.logLevel));
		});
		this.exit = new Promise<void>((resolve) => {
			child.once('error', (e) => {
				this.spawnError = e;
				resolve();
			});
			child.once('close', (code, signal) => {
				flushLines();
				this.exited = { code, signal };
				if (child.pid !== undefined) {
					killGroup(child.pid, 'SIGKILL'); // task runners etc.
					untrackGroup(child.pid);
				}
				resolve();
			});
		});
	}

	/**
	 * Waits until `healthz()` said yes once AND n8n logged its ready line. Resolves with why not
	 * when the process ended or `timeoutMs` passed first, with undefined when it is ready.
	 */
	async waitUntilReady(
		timeoutMs: number,
		healthz: () => Promise<boolean>,
	): Promise<string | undefined> {
		const started = Date.now();
		let healthy = false;
		while (Date.now() - started < timeoutMs) {
			if (this.spawnError !== undefined || this.exited !== undefined) break;
			if (!healthy) {
				try {
					healthy = await healthz();
				} catch {
					// not listening yet
				}
			}
			if (healthy && this.ready) return undefined;
			await delay(250);
		}
		if (this.spawnError !== undefined) return `could not be spawned: ${this.spawnError.message}`;
		if (this.exited !== undefined)
			return `exited early (code ${String(this.exited.code)}, signal ${String(this.exited.signal)})`;
		return `was not ready after ${timeoutMs} ms (healthz ${healthy ? 'ok' : 'not answering'}, ready line ${this.ready ? 'seen' : 'not seen'})`;
	}

	/** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once every process is gone. */
	async stop(graceMs: number): Promise<void> {
		const { child } = this;
		const pid = child.pid;
		if (pid !== undefined && child.exitCode === null && child.signalCode === null)
			await signalThenKill(pid, 'SIGTERM', graceMs, this.exit);
		await this.exit;
		if (pid !== undefined) {
			await reapGroup(pid);
			untrackGroup(pid);
		}
	}
}
