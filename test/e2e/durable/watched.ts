/**
 * One set-up of the durable e2e test with what it watches: its own Durst simulator (so logins and
 * polls are its own), the sink its alerts reach, and waits phrased in polls.
 */
import { CREDENTIAL_IDS, loadCredentials, loadWorkflows } from '../../../tools/n8n/examples';
import type { HostVersion } from '../../../tools/n8n/n8nHost';
import { DURST_ENDPOINTS, DurstSimulator } from '../../../tools/simulators/durst';
import { AlertSink, alertWorkflow, waitFor, WORKFLOW_ID } from './alerts';
import type { Stack, StackKind } from './stacks';
import { createStack } from './stacks';

export const DURST_PASSWORD = 's3cr3t&pa ss?';
/** Long enough for a poll on a 2-core machine shared with other n8n processes. */
const POLL_WAIT_MS = 60_000;

export class Watched {
	constructor(
		readonly kind: StackKind,
		readonly stack: Stack,
		readonly durst: DurstSimulator,
		readonly sink: AlertSink,
	) {}

	polls(): number {
		return this.durst.requestLog.filter((entry) => entry.endpoint === DURST_ENDPOINTS.printers)
			.length;
	}

	private state(): string {
		return `${this.kind}: alerts ${JSON.stringify(this.sink.printers())}, polls ${this.polls()}, logins ${this.durst.logins}\n${this.stack.recentLog()}`;
	}

	/** Waits until a poll committed the trigger's first state to `poller_state`. */
	async baseline(): Promise<void> {
		await waitFor(
			`${this.kind}: the baseline in poller_state`,
			async () =>
				(await this.stack.cursorRows(WORKFLOW_ID))[0]?.cursor.includes('printerStatusChanged') ===
				true,
			120_000,
			() => this.state(),
		);
	}

	async alerts(count: number): Promise<void> {
		await waitFor(
			`${this.kind}: alert ${count}`,
			() => this.sink.alerts.length >= count,
			POLL_WAIT_MS,
			() => this.state(),
		);
	}

	/** Some more polls, then time for the last one's execution to reach the sink. */
	async quietPolls(count: number): Promise<void> {
		const from = this.polls();
		await waitFor(
			`${this.kind}: ${count} more polls`,
			() => this.polls() >= from + count,
			POLL_WAIT_MS,
			() => this.state(),
		);
		await new Promise((resolve) => setTimeout(resolve, 3_000));
	}

	private disposed = false;

	async dispose(): Promise<void> {
		if (this.disposed) return;
		this.disposed = true;
		await this.stack.dispose();
		await this.sink.stop();
		await this.durst.stop();
	}
}

/** A set-up with example 5 imported, published and running. */
export async function startWatched(
	kind: StackKind,
	version: HostVersion,
	packageDir: string,
	/** Gets the set-up before n8n starts: whatever happens next, the caller can dispose of it. */
	created: (run: Watched) => void,
): Promise<Watched> {
	const began = Date.now();
	const durst = await DurstSimulator.start();
	const sink = await AlertSink.start();
	let stack: Stack;
	try {
		stack = await createStack(kind, version, packageDir, (line) =>
			console.log(`[${kind}] ${line}`),
		);
	} catch (error) {
		await sink.stop();
		await durst.stop();
		throw error;
	}
	const run = new Watched(kind, stack, durst, sink);
	created(run);
	try {
		const targets = {
			n8nUrl: stack.n8n.baseUrl,
			watcherUrl: 'http://127.0.0.1:9',
			durstUrl: durst.url,
		};
		await stack.n8n.importCredentials(
			loadCredentials(targets).filter((credential) => credential.id === CREDENTIAL_IDS.durst),
		);
		await stack.n8n.importWorkflow(alertWorkflow(loadWorkflows(targets), sink.url));
		await stack.n8n.activate(WORKFLOW_ID);
		await stack.start();
	} catch (error) {
		// The reason again after the logs: CI shows the head and the tail of a long failure only.
		const reason = `${kind}: ${String(error).split('\n')[0]}`;
		throw new Error(`${kind}: ${String(error)}\n${stack.recentLog()}\n=> ${reason}`);
	}
	console.log(`durable e2e ${kind}: n8n up in ${((Date.now() - began) / 1000).toFixed(1)} s`);
	return run;
}

/**
 * Runs `check` on every set-up at once and waits for all; fails with the first failure, named by
 * its set-up, after the others ended (none is left running into the next test).
 */
export async function eachAtOnce(
	runs: Watched[],
	check: (run: Watched) => Promise<void>,
): Promise<void> {
	if (runs.length === 0) throw new Error('no set-up is running');
	const results = await Promise.allSettled(runs.map((run) => check(run)));
	const failures = results.flatMap((result, i) =>
		result.status === 'rejected' ? [`${runs[i].kind}: ${String(result.reason)}`] : [],
	);
	if (failures.length > 0) throw new Error(failures.join('\n\n'));
}
