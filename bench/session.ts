/**
 * What a benchmark run has started (n8n, the simulators, the running `n8n execute`), so that a
 * signal or an error stops all of it and leaves no process or user folder behind.
 */
import type { DurstSimulator } from '../tools/simulators/durst';
import type { WatcherSimulator } from '../tools/simulators/watcher';
import type { N8nHost } from '../tools/n8n/n8nHost';
import { log } from './log';
import type { ProcessTreeSampler } from './procmem';

interface Session {
	host?: N8nHost;
	durst?: DurstSimulator;
	watcher?: WatcherSimulator;
	/** Follows the running `n8n execute`: its pid is what a signal must kill. */
	sampler?: ProcessTreeSampler;
	interrupted: boolean;
}

export const session: Session = { interrupted: false };

export async function cleanup(): Promise<void> {
	const { host, durst, watcher, sampler } = session;
	session.host = undefined;
	session.durst = undefined;
	session.watcher = undefined;
	const pid = sampler?.mainPid;
	if (pid !== undefined) {
		// The running `n8n execute` was started detached (its own process group) by N8nHost.
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	await Promise.allSettled([host?.dispose(), durst?.stop(), watcher?.stop()]);
}

export function installSignalHandlers(): void {
	const onSignal = (signal: NodeJS.Signals): void => {
		if (session.interrupted) return;
		session.interrupted = true;
		log(`${signal}: stopping n8n and the simulators`);
		void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
}
