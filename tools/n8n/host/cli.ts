/** One n8n CLI command (import, execute, export, ...) run to completion in its own process group. */
import * as os from 'node:os';

import { killGroup, readLines, spawnGroupLeader, trackGroup, untrackGroup } from '../../process';
import type { HostPaths, HostVersion } from './install';

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

export interface CliCommand {
	version: HostVersion;
	paths: HostPaths;
	/** The user folder. */
	cwd: string;
	env: NodeJS.ProcessEnv;
	args: string[];
	timeoutMs: number;
	onLine: (line: string) => void;
}

/** Never rejects for a non-zero exit code; rejects on timeout after killing the process group. */
export function runCli(command: CliCommand): Promise<CliResult> {
	const { version, paths, args, timeoutMs } = command;
	return new Promise<CliResult>((resolve, reject) => {
		const child = spawnGroupLeader(paths.nodeBin, [paths.n8nBin, ...args], {
			cwd: command.cwd,
			env: command.env,
		});
		let stdout = '';
		let stderr = '';
		const flushLines = readLines(child, command.onLine);
		child.stdout?.on('data', (c: string) => (stdout += c));
		child.stderr?.on('data', (c: string) => (stderr += c));
		if (child.pid !== undefined) trackGroup(child.pid);
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
		}, timeoutMs);
		child.once('error', (err) => {
			clearTimeout(timer);
			reject(new Error(`n8nHost: cannot run ${paths.nodeBin} ${paths.n8nBin}: ${err.message}`));
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			flushLines();
			if (child.pid !== undefined) {
				// n8n exits with process.exit(); make sure nothing it started lingers.
				killGroup(child.pid, 'SIGKILL');
				untrackGroup(child.pid);
			}
			if (timedOut) {
				reject(
					new Error(
						`n8nHost: \`n8n ${args.join(' ')}\` (${version}) timed out after ${timeoutMs} ms; last output:\n` +
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

export function tail(text: string, lines: number): string {
	return text.split(/\r?\n/).slice(-lines).join('\n');
}
