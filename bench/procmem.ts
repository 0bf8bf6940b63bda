/**
 * Peak memory of an `n8n execute` process, read from /proc while it runs (Linux only).
 *
 * N8nHost.execute() does not expose the child's pid, so the sampler finds it as the child of this
 * process whose command line matches, then follows its descendants (n8n 2.x may start a task
 * runner). VmHWM is the kernel's own high-water mark of the process's resident set, so a sample
 * taken late in the run already holds the peak reached before it; only growth in the last sampling
 * interval before exit can be missed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface MemoryPeak {
	/** pid of the `n8n execute` process, when it was seen. */
	pid: number | undefined;
	/** Max VmHWM (kernel peak RSS) of that process, in KiB. */
	mainPeakKb: number;
	/** Max over samples of the summed VmRSS of that process and its descendants, in KiB. */
	treePeakKb: number;
	/** Distinct processes seen in the tree. */
	processes: number;
	samples: number;
}

function readText(file: string): string | undefined {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		// The process may have exited between listing and reading: not an error for a sampler.
		return undefined;
	}
}

function childrenOf(pid: number): number[] {
	let tasks: string[];
	try {
		tasks = fs.readdirSync(`/proc/${pid}/task`);
	} catch {
		return [];
	}
	const result: number[] = [];
	// A child belongs to the thread that forked it, and libuv may spawn from any thread.
	for (const tid of tasks) {
		const text = readText(`/proc/${pid}/task/${tid}/children`);
		if (text === undefined) continue;
		for (const part of text.split(/\s+/)) if (/^\d+$/.test(part)) result.push(Number(part));
	}
	return result;
}

function statusKb(pid: number): { hwm: number; rss: number } | undefined {
	const text = readText(`/proc/${pid}/status`);
	if (text === undefined) return undefined;
	const field = (name: string): number => {
		const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
		return match === null ? 0 : Number(match[1]);
	};
	return { hwm: field('VmHWM'), rss: field('VmRSS') };
}

function cmdline(pid: number): string[] {
	return (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').filter((part) => part !== '');
}

export class ProcessTreeSampler {
	private timer: NodeJS.Timeout | undefined;
	private pid: number | undefined;
	private readonly seen = new Set<number>();
	private mainPeakKb = 0;
	private treePeakKb = 0;
	private samples = 0;

	/**
	 * @param match picks the process to follow among this process's children, by its argv.
	 * @param intervalMs 20 ms: cheap (a few small /proc reads) next to n8n's own work on two cores.
	 */
	constructor(
		private readonly match: (argv: string[]) => boolean,
		private readonly intervalMs = 20,
	) {}

	start(): void {
		this.sample();
		this.timer = setInterval(() => this.sample(), this.intervalMs);
	}

	/** The pid once the process was seen (for killing it on SIGINT). */
	get mainPid(): number | undefined {
		return this.pid;
	}

	stop(): MemoryPeak {
		if (this.timer !== undefined) clearInterval(this.timer);
		this.timer = undefined;
		this.sample();
		return {
			pid: this.pid,
			mainPeakKb: this.mainPeakKb,
			treePeakKb: this.treePeakKb,
			processes: this.seen.size,
			samples: this.samples,
		};
	}

	private sample(): void {
		if (this.pid === undefined) {
			this.pid = childrenOf(process.pid).find((child) => this.match(cmdline(child)));
			if (this.pid === undefined) return;
		}
		const main = statusKb(this.pid);
		if (main === undefined) return;
		this.samples += 1;
		this.mainPeakKb = Math.max(this.mainPeakKb, main.hwm);
		let tree = main.rss;
		this.seen.add(this.pid);
		const queue = childrenOf(this.pid);
		while (queue.length > 0) {
			const pid = queue.shift() as number;
			const status = statusKb(pid);
			if (status === undefined) continue;
			this.seen.add(pid);
			tree += status.rss;
			queue.push(...childrenOf(pid));
		}
		this.treePeakKb = Math.max(this.treePeakKb, tree);
	}
}

export interface MachineInfo {
	cpuModel: string;
	cores: number;
	memTotalMb: number;
	kernel: string;
	loadAverage: number[];
}

export function machineInfo(): MachineInfo {
	const cpuinfo = readText('/proc/cpuinfo') ?? '';
	const model =
		/^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
	const meminfo = readText('/proc/meminfo') ?? '';
	const memKb = Number(
		/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? Math.round(os.totalmem() / 1024),
	);
	return {
		cpuModel: model,
		cores: os.cpus().length,
		memTotalMb: Math.round(memKb / 1024),
		kernel: `${os.type()} ${os.release()}`,
		loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
	};
}
