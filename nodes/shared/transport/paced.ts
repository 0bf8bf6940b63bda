/**
 * One request as the operations send it: through the server's shared pace (when the run paces
 * adaptively), tried again when the failure is transient (./retry), all within the item's time
 * limit. The place in the pace is held only while the request is under way, never while waiting to
 * retry, so a busy server's refusals slow the others down instead of blocking them.
 */
import type { INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { Answer, Call, Endpoint, Send } from './call';
import { failureCode } from './errors';
import { canceledError } from './limit';
import type { Outcome, Slot } from './pace/pace';
import { NoPlaceInTime } from './pace/pace';
import { exchange, headerText } from './request';
import type { TransientKind, TryRecord } from './retry';
import {
	MAX_TRIES,
	mayRetry,
	retryAfterMs,
	transientCode,
	transientStatus,
	waitBeforeTry,
	withTries,
} from './retry';

const REASONS: Record<TransientKind, string> = {
	busy: 'busy',
	gateway: 'gateway error',
	reset: 'connection reset',
	refused: 'connection refused',
};

/**
 * Resolves after `ms`, or at once when the execution is canceled (the next try then stops).
 * n8n-workflow's `sleepWithAbort` would do, but n8n 2.40 does not have it.
 */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (ms <= 0 || signal?.aborted) return;
	let onAbort = () => undefined as void;
	const aborted = new Promise<void>((resolve) => {
		onAbort = resolve;
		signal?.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms), aborted]);
	} finally {
		signal?.removeEventListener('abort', onAbort);
	}
}

/** A retry needs at least this much of the item's time limit left, or it is not made. */
const MIN_TRY_MS = 1_000;

/**
 * What a thrown error of one try says of the server, for the pace. A timeout of a retry, which had
 * only what was left of the item's time, says nothing of the server.
 */
function outcomeOfError(error: unknown, firstTry: boolean): Outcome {
	const code = failureCode(error);
	if (code === 'RESET' || code === 'ECONNREFUSED') return { kind: 'refused' };
	if (code === 'TIMEOUT' && firstTry) return { kind: 'refused' };
	return { kind: 'none' };
}

/**
 * A place in the pace: any time for the first try, only within the item's time for a retry.
 * Undefined when the run is not paced (no promise to wait for: a request costs one less turn).
 */
function place(endpoint: Endpoint, deadline: number | undefined): Promise<Slot> | undefined {
	const { pacing, cancelSignal } = endpoint;
	if (!pacing) return undefined;
	if (deadline === undefined) return pacing.pace.acquire(pacing.ceiling, cancelSignal);
	const expired = sleep(Math.max(0, deadline - MIN_TRY_MS - Date.now()));
	return pacing.pace.acquire(pacing.ceiling, cancelSignal, expired);
}

function outcomeOfAnswer(answer: Answer, slot: Slot): Outcome {
	if (transientStatus(answer.statusCode) !== undefined) return { kind: 'refused' };
	return { kind: 'answer', ms: Date.now() - slot.sentAt };
}

/**
 * Sends `call` and returns its answer (whatever its status, as `exchange` does), after retrying
 * transient failures while tries and the item's time limit last. A failure after the last try
 * carries the tries in its message.
 */
export async function pacedExchange(
	node: INode,
	endpoint: Endpoint,
	call: Call,
	send: Send,
	itemIndex?: number,
): Promise<Answer> {
	const { pacing, cancelSignal } = endpoint;
	const tries: TryRecord = { count: 0, reasons: [], startedAt: 0 };
	let deadline: number | undefined;
	let last: { answer: Answer } | { error: unknown } | undefined;
	for (;;) {
		let slot: Slot | undefined;
		try {
			const waiting = place(endpoint, deadline);
			if (waiting) slot = await waiting;
		} catch (error) {
			if (!(error instanceof NoPlaceInTime) || last === undefined) {
				// The only other way a wait for a place ends: the execution was canceled.
				throw canceledError(node, endpoint, 'waited for its turn', itemIndex);
			}
			tries.reasons.push('no place for another try within the time limit');
			if ('answer' in last) return { ...last.answer, tries };
			throw withTries(last.error as Error, tries);
		}
		const sentAt = Date.now();
		if (tries.count === 0) {
			tries.startedAt = sentAt;
			deadline = sentAt + endpoint.timeoutSeconds * 1000;
		}
		tries.count += 1;
		let answer: Answer;
		try {
			answer = await exchange(node, endpoint, call, send, itemIndex, deadline);
		} catch (error) {
			if (slot) pacing?.pace.release(slot, outcomeOfError(error, tries.count === 1));
			const kind = transientCode(failureCode(error));
			if (!endpoint.retries || kind === undefined || !mayRetry(kind, call.method, call.readOnly)) {
				throw withTries(error as Error, tries);
			}
			tries.reasons.push(REASONS[kind]);
			if (!(await waitedForRetry(tries, deadline, undefined, cancelSignal))) {
				throw withTries(error as Error, tries);
			}
			last = { error };
			continue;
		}
		if (slot) pacing?.pace.release(slot, outcomeOfAnswer(answer, slot));
		const kind = transientStatus(answer.statusCode);
		if (!endpoint.retries || kind === undefined || !mayRetry(kind, call.method, call.readOnly)) {
			return tries.count > 1 ? { ...answer, tries } : answer;
		}
		tries.reasons.push(`status ${answer.statusCode} (${REASONS[kind]})`);
		const asked = retryAfterMs(headerText(answer.headers, 'retry-after'), Date.now());
		if (!(await waitedForRetry(tries, deadline, asked, cancelSignal))) {
			return { ...answer, tries };
		}
		last = { answer };
	}
}

/**
 * Waits before the next try and says whether there is one: not after MAX_TRIES, not when the wait
 * would end past the item's time limit, not when the execution was canceled.
 */
async function waitedForRetry(
	tries: TryRecord,
	deadline: number | undefined,
	retryAfter: number | undefined,
	signal: AbortSignal | undefined,
): Promise<boolean> {
	if (tries.count >= MAX_TRIES || signal?.aborted) return false;
	const wait = waitBeforeTry(tries.count + 1, retryAfter);
	if (deadline !== undefined && Date.now() + wait + MIN_TRY_MS >= deadline) {
		tries.reasons.push('no time left for another try');
		return false;
	}
	await pause(wait, signal);
	return !signal?.aborted;
}
