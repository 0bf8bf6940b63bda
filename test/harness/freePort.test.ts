/**
 * The n8n drivers pick every port before the process that listens on it starts (tools/n8n). The
 * kernel offers a probed port again as soon as the probe closes, so without a memory of what was
 * handed out two processes of one set-up could be given the same port and one of them die of
 * EADDRINUSE at start: the durable e2e's queue mode failed to start once in CI that way (suspected).
 */
import * as net from 'node:net';

import { freePort } from '../../tools/process';

test('1,500 ports in a row are all different (the kernel alone repeats some among ~14,000)', async () => {
	const ports: number[] = [];
	for (let i = 0; i < 1_500; i++) ports.push(await freePort());
	expect(new Set(ports).size).toBe(ports.length);
});

test('a port handed out is free: something can listen on it', async () => {
	const port = await freePort();
	const server = net.createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen({ port, host: '127.0.0.1', exclusive: true }, resolve);
	});
	await new Promise<void>((resolve) => server.close(() => resolve()));
});
