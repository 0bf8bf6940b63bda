/** The cluster's own Redis: no persistence, on 127.0.0.1 only, working in the cluster's folder. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import type { N8nLogLevel } from '../logs';
import { Daemon, waitFor } from './daemon';

export function redisServerBin(): string {
	for (const dir of (process.env.PATH ?? '')
		.split(path.delimiter)
		.concat(['/usr/bin', '/usr/sbin'])) {
		if (dir === '') continue;
		const file = path.join(dir, 'redis-server');
		if (fs.existsSync(file)) return file;
	}
	throw new Error('cluster: redis-server is not installed: run scripts/install-queue-deps.sh');
}

export interface RedisOptions {
	redisBin: string;
	/** The cluster's folder; Redis works in its `redis/`. */
	folder: string;
	port: number;
	log: ((line: string) => void) | undefined;
	logLevel: N8nLogLevel;
}

/** Starts Redis; `redisReady()` waits for it. */
export function spawnRedis(options: RedisOptions): Daemon {
	const { log, logLevel } = options;
	const redisDir = path.join(options.folder, 'redis');
	fs.mkdirSync(redisDir);
	return new Daemon(
		'redis',
		options.redisBin,
		[
			...['--port', String(options.port), '--bind', '127.0.0.1', '--protected-mode', 'yes'],
			...['--save', '', '--appendonly', 'no'],
			...['--dir', redisDir, '--loglevel', 'warning'],
		],
		{ cwd: redisDir, env: { PATH: process.env.PATH } },
		(line) => {
			if (log !== undefined && /#/.test(line) && logLevel === 'debug') log(`[redis] ${line}`);
		},
	);
}

export async function redisReady(redis: Daemon, port: number): Promise<void> {
	await waitFor(
		'Redis',
		async () => !redis.hasExited && (await redisPing(port)),
		15_000,
		() => `${redis.describeExit()}\n${redis.recentLog(20)}`,
	);
}

function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok: boolean): void => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}
