import type { IncomingMessage, ServerResponse } from 'node:http';

import { NON_JSON_FAILURE_BODY } from './spec';
import type { FailureSpec } from './spec';
import { serveHugeBody, serveSlowBody, serveSlowHeaders, stall } from './streams';
import type { FaultContext } from './streams';
import { bodyBytes, head, openSink } from './wire';

/**
 * Answers a request with the fault. Returns the status sent (for the request log), or `undefined`
 * when no status line was sent (`reset`, `hang`).
 */
export function serveFault(
	spec: FailureSpec,
	req: IncomingMessage,
	res: ServerResponse,
	context: FaultContext,
): number | undefined {
	const mode = spec.mode ?? 'status';
	const socket = req.socket;
	switch (mode) {
		case 'reset':
			socket.destroy();
			return undefined;
		case 'hang':
			stall(mode, socket, context, () => undefined);
			return undefined;
		case 'slowBody':
			return serveSlowBody(spec, res, socket, context);
		case 'hugeBody':
			return serveHugeBody(spec, res, socket, context);
		case 'slowHeaders':
			return serveSlowHeaders(spec, socket, context);
		default: {
			const defaultStatus = mode === 'status' ? 500 : mode === 'redirect' ? 302 : 200;
			const answer = head(spec, mode, defaultStatus);
			const body =
				bodyBytes(spec) ??
				(mode === 'nonJson' || mode === 'html'
					? Buffer.from(NON_JSON_FAILURE_BODY)
					: Buffer.alloc(0));
			const sink = openSink(res, socket, answer, body.length, false);
			sink.write(body);
			sink.end();
			return answer.status;
		}
	}
}
