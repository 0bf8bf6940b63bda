/** The failures queued on a simulator, and its fault answers still in progress. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { serveFault } from './serve';
import type { FailureSpec, StalledMode } from './spec';
import type { FaultContext, StalledResponse } from './streams';

interface ActiveFailure {
	spec: FailureSpec;
	remaining: number;
}

function failureMatches(
	failure: ActiveFailure,
	path: string,
	endpoint: string,
	method: string,
): boolean {
	const target = failure.spec.path;
	if (target === undefined) return true;
	if (target.endsWith('*')) return path.startsWith(target.slice(0, -1));
	return target === path || target === endpoint || target === `${method} ${path}`;
}

export class FaultQueue {
	private readonly failures: ActiveFailure[] = [];
	/** Ended (sockets destroyed) on stop and by `destroyStalled`. */
	private readonly stalled = new Set<StalledResponse>();
	private readonly context: FaultContext = {
		track: (stalled: StalledResponse): void => void this.stalled.add(stalled),
		untrack: (stalled: StalledResponse): void => void this.stalled.delete(stalled),
	};

	/** The spec must be valid (`validateFailureSpec`). */
	add(spec: FailureSpec): void {
		this.failures.push({ spec: { ...spec }, remaining: spec.count ?? 1 });
	}

	clear(): void {
		this.failures.length = 0;
	}

	/** Sum of the remaining counts. */
	get pending(): number {
		return this.failures.reduce((sum, failure) => sum + failure.remaining, 0);
	}

	/** The first queued failure this request matches, counted down; `undefined` when none does. */
	take(path: string, endpoint: string, method: string): FailureSpec | undefined {
		const index = this.failures.findIndex((failure) =>
			failureMatches(failure, path, endpoint, method),
		);
		if (index < 0) return undefined;
		const failure = this.failures[index];
		if (failure === undefined) return undefined;
		failure.remaining -= 1;
		if (failure.remaining <= 0) this.failures.splice(index, 1);
		return failure.spec;
	}

	/** Returns the status sent, or `undefined` when no status line was sent. */
	serve(spec: FailureSpec, req: IncomingMessage, res: ServerResponse): number | undefined {
		return serveFault(spec, req, res, this.context);
	}

	get stalledCount(): number {
		return this.stalled.size;
	}

	stalledCountOf(mode: StalledMode): number {
		let count = 0;
		for (const stalled of this.stalled) if (stalled.mode === mode) count += 1;
		return count;
	}

	/** Ends every stalled fault answer by destroying its socket; returns how many there were. */
	destroyStalled(): number {
		const all = [...this.stalled];
		for (const stalled of all) stalled.end();
		this.stalled.clear();
		return all.length;
	}
}
