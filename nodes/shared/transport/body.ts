/** The part of a Node.js readable stream this module uses (no import: node code may not load 'stream'). */
interface Readable {
	on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
	once(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
	once(event: 'end', listener: () => void): unknown;
	once(event: 'error', listener: (error: Error) => void): unknown;
	removeAllListeners(event: string): unknown;
	destroy(): unknown;
}

/** Above this an answer is refused: n8n would keep it whole in memory, and no answer of either API comes near it. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export class BodyTooLargeError extends Error {
	constructor(readonly limit: number) {
		super(`The answer is larger than ${limit} bytes`);
	}
}

function isReadable(value: unknown): value is Readable {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as Readable).on === 'function' &&
		typeof (value as Readable).destroy === 'function'
	);
}

/**
 * Lets go of a body we will not read. axios hands streamed bodies over wrapped in a Readable whose
 * generator lets go of the socket only once reading has begun: destroying it unread would leave
 * the connection (and a hostile server's endless answer) open, so it is destroyed at its first chunk.
 */
export function discard(body: unknown): void {
	if (!isReadable(body)) return;
	body.once('error', () => undefined);
	body.once('data', () => body.destroy());
}

/**
 * Reads an answer's body as text, up to `limit` bytes. n8n hands the body over as a stream (we ask
 * for one so that the limit holds while reading); older paths may give a Buffer, a string or
 * already-parsed JSON, which are measured the same way.
 */
export async function readText(body: unknown, limit: number, signal: AbortSignal): Promise<string> {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') {
		if (Buffer.byteLength(body) > limit) throw new BodyTooLargeError(limit);
		return body;
	}
	if (Buffer.isBuffer(body)) {
		if (body.length > limit) throw new BodyTooLargeError(limit);
		return body.toString('utf8');
	}
	if (!isReadable(body)) {
		const text = JSON.stringify(body) ?? '';
		if (text.length > limit) throw new BodyTooLargeError(limit);
		return text;
	}
	return await new Promise<string>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const finish = (error?: Error) => {
			signal.removeEventListener('abort', onAbort);
			body.removeAllListeners('data');
			if (error) {
				body.destroy();
				reject(error);
			} else {
				resolve(Buffer.concat(chunks).toString('utf8'));
			}
		};
		const onAbort = () => finish(new Error('aborted'));
		signal.addEventListener('abort', onAbort, { once: true });
		body.on('data', (chunk: Buffer | string) => {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += buffer.length;
			if (size > limit) {
				finish(new BodyTooLargeError(limit));
				return;
			}
			chunks.push(buffer);
		});
		body.once('end', () => finish());
		body.once('error', (error: Error) => finish(error));
		if (signal.aborted) onAbort();
	});
}

/** JSON when the server says so or the text looks like it; anything else stays text. */
export function parseJson(text: string, contentType: string): { isJson: boolean; json: unknown } {
	const trimmed = text.trimStart();
	const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
	if (!/json/i.test(contentType) && !looksJson) return { isJson: false, json: undefined };
	if (trimmed === '') return { isJson: false, json: undefined };
	try {
		return { isJson: true, json: JSON.parse(text) as unknown };
	} catch {
		return { isJson: false, json: undefined };
	}
}
