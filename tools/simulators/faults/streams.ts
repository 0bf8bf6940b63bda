/**
 * Fault answers that outlive the dispatch (hang, slow body, slow headers, huge body): each is
 * tracked until its socket closes, so a test can count them and the simulator can end them on stop.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { DEFAULT_CHUNK_INTERVAL_MS, DEFAULT_HUGE_BODY_BYTES, DEFAULT_SLOW_CHUNK } from './spec';
import type { FailureSpec, StalledMode } from './spec';
import { bodyBytes, head, openSink } from './wire';

/** A fault answer still in progress (hang, slow body, huge body); `end` stops it and drops the socket. */
export interface StalledResponse {
	readonly mode: StalledMode;
	readonly socket: Socket;
	end(): void;
}

export interface FaultContext {
	/** Called once per stalled answer; the entry must be dropped when the socket closes. */
	track(stalled: StalledResponse): void;
	untrack(stalled: StalledResponse): void;
}

/** Tracks a stalled answer until its socket closes; `cleanup` stops its timers. */
export function stall(
	mode: StalledMode,
	socket: Socket,
	context: FaultContext,
	cleanup: () => void,
): StalledResponse {
	let ended = false;
	const stalled: StalledResponse = {
		mode,
		socket,
		end: () => {
			if (ended) return;
			ended = true;
			cleanup();
			context.untrack(stalled);
			socket.destroy();
		},
	};
	const finish = (): void => {
		if (ended) return;
		ended = true;
		cleanup();
		context.untrack(stalled);
	};
	socket.once('close', finish);
	context.track(stalled);
	return stalled;
}

export function serveSlowBody(
	spec: FailureSpec,
	res: ServerResponse,
	socket: Socket,
	context: FaultContext,
): number {
	const answer = head(spec, 'slowBody', 200);
	const sink = openSink(res, socket, answer, undefined, true);
	const prefix = bodyBytes(spec);
	if (prefix !== undefined && prefix.length > 0) sink.write(prefix);
	const chunk = Buffer.from(spec.chunk ?? DEFAULT_SLOW_CHUNK, 'utf8');
	const timer = setInterval(() => {
		if (!sink.closed) sink.write(chunk);
	}, spec.chunkIntervalMs ?? DEFAULT_CHUNK_INTERVAL_MS);
	let deadline: NodeJS.Timeout | undefined;
	const stalled = stall('slowBody', socket, context, () => {
		clearInterval(timer);
		clearTimeout(deadline);
	});
	if (spec.durationMs !== undefined) {
		deadline = setTimeout(() => {
			clearInterval(timer);
			context.untrack(stalled);
			if (!sink.closed) sink.end();
		}, spec.durationMs);
	}
	return answer.status;
}

export function serveSlowHeaders(spec: FailureSpec, socket: Socket, context: FaultContext): number {
	const status = spec.status ?? 200;
	socket.write(`HTTP/1.1 ${status} OK\r\nx-trickle: `);
	const timer = setInterval(() => {
		if (!socket.destroyed) socket.write('a');
	}, spec.chunkIntervalMs ?? DEFAULT_CHUNK_INTERVAL_MS);
	stall('slowHeaders', socket, context, () => clearInterval(timer));
	return status;
}

const PIECE_BYTES = 64 * 1024;
/** One element of the generated JSON array; its exact content does not matter, its size is fixed. */
const JSON_ELEMENT = `{"id":1,"name":"item","text":"${'x'.repeat(96)}"}`;
const TEXT_LINE = 'The quick brown fox jumps over the lazy dog. 0123456789\n';

/** Exactly `bytes` bytes: a valid JSON array padded with whitespace (bytes >= 2), in pieces. */
function* jsonArrayPieces(bytes: number): Generator<Buffer> {
	if (bytes < 2) {
		if (bytes === 1) yield Buffer.from('[');
		return;
	}
	const width = JSON_ELEMENT.length + 1;
	const elements = Math.floor((bytes - 2 + 1) / width);
	const padding = bytes - 2 - (elements > 0 ? elements * width - 1 : 0);
	yield Buffer.from(elements > 0 ? `[${JSON_ELEMENT}` : '[');
	const perPiece = Math.max(1, Math.floor(PIECE_BYTES / width));
	const piece = Buffer.from(`,${JSON_ELEMENT}`.repeat(perPiece));
	for (let left = elements - 1; left > 0; left -= perPiece)
		yield left >= perPiece ? piece : piece.subarray(0, left * width);
	if (padding > 0) yield Buffer.alloc(padding, ' ');
	yield Buffer.from(']');
}

function* textPieces(bytes: number): Generator<Buffer> {
	const piece = Buffer.from(TEXT_LINE.repeat(Math.ceil(PIECE_BYTES / TEXT_LINE.length)));
	for (let left = bytes; left > 0; left -= piece.length)
		yield left >= piece.length ? piece : piece.subarray(0, left);
}

export function serveHugeBody(
	spec: FailureSpec,
	res: ServerResponse,
	socket: Socket,
	context: FaultContext,
): number {
	const bytes = spec.bytes ?? DEFAULT_HUGE_BODY_BYTES;
	const answer = head(spec, 'hugeBody', 200);
	const sink = openSink(res, socket, answer, spec.chunked === true ? undefined : bytes, true);
	const pieces = spec.fill === 'text' ? textPieces(bytes) : jsonArrayPieces(bytes);
	let stopped = false;
	const stalled = stall('hugeBody', socket, context, () => {
		stopped = true;
	});
	const pump = (): void => {
		while (!stopped && !sink.closed) {
			const next = pieces.next();
			if (next.done === true) {
				context.untrack(stalled);
				sink.end();
				return;
			}
			if (!sink.write(next.value)) {
				sink.onDrain(pump);
				return;
			}
		}
	};
	pump();
	return answer.status;
}
