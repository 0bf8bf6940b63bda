/**
 * What Linux's /proc tells about processes we did not necessarily start ourselves: who works in a
 * folder, whether a pid is still the process it was, how much memory a process tree holds.
 */
import * as fs from 'node:fs';

/** The start time of `pid` (clock ticks since boot): a pid with another start time is another process. */
export function processStartTime(pid: number): string | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Field 22 (starttime) counts from after the command name, which may contain spaces.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

/** Pids whose working directory is inside `folder`. */
export function processesIn(folder: string): number[] {
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

/** SIGKILL to each pid, ignoring those already gone. */
export function killAll(pids: number[]): void {
	for (const pid of pids) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// already gone
		}
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
		queue.push(...childPids(current));
	}
	return { peakKb, rssKb };
}

function childPids(pid: number): number[] {
	const children: number[] = [];
	try {
		for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
			const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
			for (const child of text.split(/\s+/)) if (/^\d+$/.test(child)) children.push(Number(child));
		}
	} catch {
		// gone
	}
	return children;
}
