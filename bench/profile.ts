/**
 * Reads the V8 CPU profiles `n8n execute` wrote (`npm run bench -- --cpu-prof DIR`) and says how much
 * of the CPU was spent in our package's own code (dist/nodes, dist/credentials), per item.
 *
 *   node .run/tools/bench/profile.js DIR [--n N] [--package DIR]   (one folder per execution)
 *
 * `npm run bench -- --cpu-prof DIR` puts the same figure into its table; this prints the functions.
 *
 * Self time only: time inside n8n's request helper that our code called counts as n8n's, which is
 * what we can change and what we cannot told apart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples?: number[];
	timeDeltas?: number[];
}

export interface ProfileSummary {
	/** Every sampled microsecond of the process (idle included). */
	totalMs: number;
	/** Sampled time outside V8's idle and GC pseudo-frames. */
	busyMs: number;
	/** Self time in our package's files. */
	oursMs: number;
	/** Our functions by self time, the largest first: "name (file:line)". */
	topOurs: Array<{ frame: string; ms: number }>;
}

/** V8's pseudo-frames for a process that waits, not one that works. */
const IDLE = new Set(['(idle)', '(program)']);

function isProfile(value: unknown): value is CpuProfile {
	if (typeof value !== 'object' || value === null) return false;
	const profile = value as Partial<CpuProfile>;
	return Array.isArray(profile.nodes) && typeof profile.startTime === 'number';
}

/** Whether a script URL is one of the package's built files (n8n loads them through a symlink, resolved). */
function isOurs(url: string, packageDir: string): boolean {
	const file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
	const dist = path.join(packageDir, 'dist') + path.sep;
	return file.startsWith(dist);
}

/**
 * Self time per frame over one or more profiles, by counting samples: each busy sample of a profile
 * stands for the same share of that profile's busy time.
 *
 * Weighing each sample by the time to the next one, as the profile's deltas invite, put half of our
 * self time on fewer than 1% of the samples: on 2 cores the sampler thread is sometimes not run for
 * 5-15 ms, and that whole gap went to whichever function was sampled last (a token cache `store`
 * got 15 ms of one run that way). Counting spreads such gaps over what the process was doing: three
 * profiles of one build read 0.123-0.144 ms/item instead of 0.162-0.179 (docs/benchmark.md, run O).
 */
export function summarize(profiles: CpuProfile[], packageDir: string, top = 8): ProfileSummary {
	let totalUs = 0;
	let busyUs = 0;
	let oursUs = 0;
	const perFrame = new Map<string, number>();
	for (const profile of profiles) {
		const byId = new Map(profile.nodes.map((node) => [node.id, node]));
		const samples = profile.samples ?? [];
		const deltas = profile.timeDeltas ?? [];
		const frames = samples.map((id) => byId.get(id)?.callFrame);
		const busy = frames.map((frame) => frame !== undefined && !IDLE.has(frame.functionName));
		let profileUs = 0;
		let profileBusyUs = 0;
		let busySamples = 0;
		for (let i = 0; i < samples.length; i++) {
			// timeDeltas[i] is the time before sample i.
			const us = deltas[i + 1] ?? 0;
			profileUs += us;
			if (!busy[i]) continue;
			profileBusyUs += us;
			busySamples += 1;
		}
		totalUs += profileUs;
		busyUs += profileBusyUs;
		const perSample = busySamples > 0 ? profileBusyUs / busySamples : 0;
		for (const frame of frames) {
			if (frame === undefined || IDLE.has(frame.functionName) || !isOurs(frame.url, packageDir))
				continue;
			oursUs += perSample;
			const key = `${frame.functionName || '(anonymous)'} (${path.basename(frame.url)}:${frame.lineNumber + 1})`;
			perFrame.set(key, (perFrame.get(key) ?? 0) + perSample);
		}
	}
	return {
		totalMs: totalUs / 1000,
		busyMs: busyUs / 1000,
		oursMs: oursUs / 1000,
		topOurs: [...perFrame.entries()]
			.sort((x, y) => y[1] - x[1])
			.slice(0, top)
			.map(([frame, us]) => ({ frame, ms: Math.round(us / 100) / 10 })),
	};
}

/** The profiles in one folder (an execution's main process and any child it started). */
export function readProfiles(dir: string): CpuProfile[] {
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.cpuprofile'))
		.map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as unknown)
		.filter(isProfile);
}

function main(): void {
	const args = process.argv.slice(2);
	const dir = args[0];
	const flag = (name: string): string | undefined => {
		const index = args.indexOf(name);
		return index >= 0 ? args[index + 1] : undefined;
	};
	const n = Number(flag('--n'));
	if (dir === undefined || !fs.existsSync(dir)) {
		process.stderr.write('usage: profile.js DIR [--n N] [--package DIR]\n');
		process.exit(2);
	}
	// The checkout whose dist/ n8n loaded (`--package` of the benchmark), by default this one.
	const packageDir = path.resolve(flag('--package') ?? path.join(__dirname, '..', '..', '..'));
	const folders = fs
		.readdirSync(dir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory())
		.map((entry) => path.join(dir, entry.name));
	for (const folder of folders.length > 0 ? folders : [dir]) {
		const summary = summarize(readProfiles(folder), packageDir);
		const perItem = Number.isFinite(n) ? ` = ${(summary.oursMs / n).toFixed(3)} ms/item` : '';
		process.stdout.write(
			`${path.basename(folder)}: ours ${summary.oursMs.toFixed(1)} ms${perItem} of ${summary.busyMs.toFixed(0)} ms busy\n`,
		);
		for (const { frame, ms } of summary.topOurs) process.stdout.write(`    ${ms} ms  ${frame}\n`);
	}
}

if (require.main === module) main();
