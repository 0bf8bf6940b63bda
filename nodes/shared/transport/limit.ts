/**
 * How long one exchange may take, and what a send or read that failed becomes: the time limit,
 * the execution's cancel signal, a too large answer and a network error each get a message that
 * names the server and the limit (n8n's own wrapping would name neither).
 */
import type { INode } from 'n8n-workflow';
import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { hostOf } from '../url';
import { deadline, onAbort } from './abort';
import { BodyTooLargeError } from './body';
import type { Call, Endpoint } from './call';
import { failure, networkError } from './errors';

/**
 * One exchange's time limit and the execution's cancel signal, as one signal and one race. Wired
 * by hand (./abort) rather than with `AbortSignal.any` and a timeout signal of its own, which cost
 * more than the rest of our code per request.
 */
export class Limit {
	readonly signal: AbortSignal;

	private readonly stopped: Promise<never>;

	private readonly stops: Array<() => void>;

	/** `ms`: what is left of the time limit of `seconds` (less than all of it on a retry). */
	constructor(
		readonly seconds: number,
		readonly cancel: AbortSignal | undefined,
		ms: number = seconds * 1000,
	) {
		const controller = new AbortController();
		this.signal = controller.signal;
		let stop: (error: Error) => void = () => undefined;
		this.stopped = new Promise<never>((_resolve, reject) => {
			stop = reject;
		});
		this.stopped.catch(() => undefined);
		const abort = () => {
			if (controller.signal.aborted) return;
			controller.abort();
			stop(new Error('stopped'));
		};
		this.stops = [onAbort(deadline(Math.ceil(ms)), abort)];
		if (cancel) this.stops.push(onAbort(cancel, abort));
	}

	async race<T>(work: Promise<T>): Promise<T> {
		if (this.signal.aborted) throw new Error('stopped');
		return await Promise.race([work, this.stopped]);
	}

	release(): void {
		for (const stop of this.stops) stop();
	}
}

/** The error of a request the execution's cancel stopped, `when` it was stopped (e.g. "under way"). */
export function canceledError(node: INode, endpoint: Endpoint, when: string, itemIndex?: number) {
	const host = hostOf(endpoint.baseUrl);
	const { product } = endpoint.vendor;
	return failure(
		node,
		host,
		'CANCELLED',
		{
			message: `The request to ${product} at ${host} was stopped: the execution was canceled`,
			description: `n8n canceled the execution while the request ${when}.`,
		},
		itemIndex,
	);
}

function stopError(node: INode, endpoint: Endpoint, limit: Limit, itemIndex?: number) {
	const host = hostOf(endpoint.baseUrl);
	const { product } = endpoint.vendor;
	if (limit.cancel?.aborted) return canceledError(node, endpoint, 'was under way', itemIndex);
	return failure(
		node,
		host,
		'TIMEOUT',
		{
			message: `${product} at ${host} did not answer within ${limit.seconds} s`,
			description:
				'The node stopped waiting at its "Timeout (Seconds)" limit. If the server is just slow, raise the limit in the node\'s options.',
		},
		itemIndex,
	);
}

/** What a failed send or read becomes (n8n's own wrapping is replaced: it would name neither host nor limit). */
export function transportError(
	node: INode,
	endpoint: Endpoint,
	call: Call,
	limit: Limit,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (limit.signal.aborted) return stopError(node, endpoint, limit, itemIndex);
	const host = hostOf(endpoint.baseUrl);
	const { product } = endpoint.vendor;
	if (error instanceof BodyTooLargeError) {
		return failure(
			node,
			host,
			'RESPONSE_TOO_LARGE',
			{
				message: `${product} at ${host} sent an answer larger than ${error.limit / 1024 / 1024} MiB to ${call.label}`,
				description:
					"The node stops reading there to protect n8n's memory. Ask for less at a time, e.g. a shorter period.",
			},
			itemIndex,
		);
	}
	return networkError(node, endpoint.vendor, host, error, itemIndex);
}
