/**
 * /proc sampling for the queue benchmark: the peak PSS of process trees (so that pages shared
 * between n8n processes count once) and their CPU time over a wave.
 */
import * as fs from 'node:fs';

import type { ProcessFigures } from './types';

function childrenOf(pid: number): number[] {
	const result: number[] = [];
	try {
		for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
			const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
			for (const part of text.split(/\s+/)) if (/^\d+$/.test(part)) result.push(Number(part));
		}
	} catch {
		// gone
	}
	return result;
}

function tree(pid: number): number[] {
	const all: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		const current = queue.shift() as number;
		all.push(current);
		queue.push(...childrenOf(current));
	}
	return all;
}

function pssKb(pid: number): number {
	try {
		const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
		const match = /^Pss:\s+(\d+) kB/m.exec(text);
		return match === null ? 0 : Number(match[1]);
	} catch {
		return 0;
	}
}

const TICKS_PER_S = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime, stime, cutime, cstime (fields 14-17): children that exited count in cutime/cstime.
		return fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
	} catch {
		return 0;
	}
}

export class TreeSampler {
	private timer: NodeJS.Timeout | undefined;
	private readonly peakKb = new Map<string, number>();
	private readonly cpuStart = new Map<string, number>();
	private readonly cpuLast = new Map<string, number>();

	constructor(private readonly roots: Record<string, number | undefined>) {}

	private treeCpu(pid: number): number {
		return tree(pid).reduce((sum, each) => sum + cpuTicks(each), 0);
	}

	private sample(): void {
		for (const [name, pid] of Object.entries(this.roots)) {
			if (pid === undefined) continue;
			const kb = tree(pid).reduce((sum, each) => sum + pssKb(each), 0);
			this.peakKb.set(name, Math.max(this.peakKb.get(name) ?? 0, kb));
			// Backends and task runners come and go: keep the largest total seen.
			this.cpuLast.set(name, Math.max(this.cpuLast.get(name) ?? 0, this.treeCpu(pid)));
		}
	}

	start(): void {
		for (const [name, pid] of Object.entries(this.roots))
			if (pid !== undefined) this.cpuStart.set(name, this.treeCpu(pid));
		this.sample();
		this.timer = setInterval(() => this.sample(), 250);
	}

	stop(): Record<string, ProcessFigures> {
		if (this.timer !== undefined) clearInterval(this.timer);
		this.sample();
		const result: Record<string, ProcessFigures> = {};
		for (const name of Object.keys(this.roots)) {
			if (!this.cpuStart.has(name)) continue;
			result[name] = {
				peakMb: Math.round((this.peakKb.get(name) ?? 0) / 1024),
				cpuS:
					Math.round(
						(((this.cpuLast.get(name) ?? 0) - (this.cpuStart.get(name) ?? 0)) / TICKS_PER_S) * 10,
					) / 10,
			};
		}
		return result;
	}
}
