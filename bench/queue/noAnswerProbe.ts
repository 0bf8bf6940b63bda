/**
 * `npm run bench -- --queue --no-answer-probe`: reproduces webhook calls in queue mode that never
 * get an answer, with a workflow that holds none of this package's nodes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { N8nCluster } from '../../tools/n8n/cluster';
import { loadFixtures } from '../../tools/n8n/examples';
import { runLoad } from '../../tools/n8n/load';
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { log } from './setups';
import type { QueueBenchOptions } from './types';

const PLAIN_WORKFLOW = 'QueuePlainLast01';

interface ProbeRun {
	version: HostVersion;
	keep: number;
	label: string;
}

const RUNS: ProbeRun[] = [
	{ version: '1.123.81', keep: 0, label: 'removes every finished job (no setting)' },
	{ version: '2.40.7', keep: 0, label: "n8n's default: finished jobs removed at once" },
	{ version: '2.40.7', keep: 1000, label: 'N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED=1000' },
];

/** One cluster of one n8n version and job retention under the load; its table row. */
async function probeOne(
	root: string,
	options: QueueBenchOptions,
	total: number,
	{ version, keep, label }: ProbeRun,
): Promise<string> {
	let cancelled = 0;
	let timedOut = false;
	const cluster = await N8nCluster.create({
		version,
		packageDir: root,
		workers: options.workers,
		keepFinishedJobs: keep,
		log: (line) => {
			if (/cancelled because the system is shutting down/.test(line)) cancelled += 1;
			if (/Shutdown timed out/.test(line)) timedOut = true;
			if (options.verbose) process.stderr.write(`${line}\n`);
		},
	});
	try {
		await cluster.main.importWorkflow(
			loadFixtures({ n8nUrl: '', watcherUrl: '', durstUrl: '' }, ['queue-plain-last-node.json']),
		);
		await cluster.main.activate(PLAIN_WORKFLOW);
		await cluster.start();
		const pid = cluster.mainPid();
		if (pid !== undefined) os.setPriority(pid, 19);
		const result = await runLoad({
			port: cluster.main.port,
			path: '/webhook/plain-last-node',
			total,
			concurrency: options.concurrency,
			body: (index) => ({ request: index }),
		});
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		const counts = await cluster.executionCounts();
		await cluster.stopN8n();
		const answered = result.calls.filter((call) => call.status === 200).length;
		const unanswered = result.unanswered.map((call) => call.index).join(', ');
		const waiting = cancelled > 0 ? String(cancelled) : timedOut ? 'yes (shutdown timed out)' : '0';
		log(
			`${version}, ${label}: ${answered} of ${total} answered, ${result.unanswered.length} without answer (calls ${unanswered}), ` +
				`database ${JSON.stringify(counts)}, main still waiting at shutdown: ${waiting}`,
		);
		const database = Object.entries(counts)
			.map(([status, count]) => `${count} ${status}`)
			.join(', ');
		return `| ${version} | ${label} | ${total} | ${answered} | ${result.unanswered.length} | ${database} | ${waiting} |`;
	} finally {
		await cluster.dispose();
	}
}

/**
 * Why some webhook calls in queue mode never get an answer: 900 calls of a workflow without our
 * nodes that answers when its last node finishes, on 1.123.81, on 2.40.7 with n8n's default job
 * retention and with finished jobs kept, the main process at nice 19 (it then reaches Bull's
 * job.finished() later than the worker finishes the job, as on a busy machine).
 */
export async function noAnswerProbe(root: string, options: QueueBenchOptions): Promise<void> {
	const total = options.total === 300 ? 900 : options.total;
	const lines = [
		"# Webhook calls without an answer in queue mode (none of this package's nodes)",
		'',
		`- Date: ${new Date().toISOString()}; ${total} calls, ${options.concurrency} at a time, of Webhook (answer: when last node finishes) -> Set; main + ${options.workers} workers; the main process at nice 19; load average before ${os
			.loadavg()
			.map((value) => value.toFixed(2))
			.join(' / ')}`,
		'',
		'| n8n | Job retention | Calls | Answered | No answer within 60 s | Executions in the database | Main still waiting for ended executions at shutdown |',
		'|---|---|---:|---:|---:|---|---:|',
	];
	for (const run of RUNS) lines.push(await probeOne(root, options, total, run));
	lines.push('');
	const text = lines.join('\n');
	const dir = path.join(root, 'bench', 'results');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'queue-no-answer-latest.md'), text);
	process.stdout.write(text);
}
