/**
 * Starts both simulators for manual runs and the demo:
 *   --watcher-port 5601 --durst-port 5602 [--latency-ms 0]
 * Port 0 picks a free port. Stops cleanly on SIGINT/SIGTERM.
 */
import { DurstSimulator } from './durst';
import type { DurstSimulatorOptions } from './durst';
import { WatcherSimulator } from './watcher';
import type { WatcherSimulatorOptions } from './watcher';

export const DEFAULT_WATCHER_PORT = 5601;
export const DEFAULT_DURST_PORT = 5602;

export interface StartSimulatorsOptions {
	watcherPort?: number;
	durstPort?: number;
	latencyMs?: number;
	watcher?: Omit<WatcherSimulatorOptions, 'port'>;
	durst?: Omit<DurstSimulatorOptions, 'port'>;
}

export interface RunningSimulators {
	watcher: WatcherSimulator;
	durst: DurstSimulator;
	stop: () => Promise<void>;
}

export async function startSimulators(
	options: StartSimulatorsOptions = {},
): Promise<RunningSimulators> {
	const latency = options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs };
	const watcher = new WatcherSimulator({
		...latency,
		...options.watcher,
		port: options.watcherPort ?? DEFAULT_WATCHER_PORT,
	});
	const durst = new DurstSimulator({
		...latency,
		...options.durst,
		port: options.durstPort ?? DEFAULT_DURST_PORT,
	});
	await watcher.start();
	try {
		await durst.start();
	} catch (error) {
		// Do not leave the first server holding its port when the second cannot start.
		await watcher.stop();
		throw error;
	}
	return {
		watcher,
		durst,
		stop: async () => {
			await Promise.all([watcher.stop(), durst.stop()]);
		},
	};
}

export interface CliArgs {
	watcherPort: number;
	durstPort: number;
	latencyMs: number | undefined;
}

function parsePort(name: string, value: string | undefined): number {
	const port = Number(value);
	if (value === undefined || !/^\d+$/.test(value) || port > 65535)
		throw new Error(`${name} needs a port number (0-65535), got ${String(value)}`);
	return port;
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
	const args: CliArgs = {
		watcherPort: DEFAULT_WATCHER_PORT,
		durstPort: DEFAULT_DURST_PORT,
		latencyMs: undefined,
	};
	for (let i = 0; i < argv.length; i += 1) {
		const arg = argv[i] ?? '';
		const [flag, inline] = arg.includes('=')
			? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
			: [arg, undefined];
		const value = (): string | undefined => inline ?? argv[++i];
		switch (flag) {
			case '--watcher-port':
				args.watcherPort = parsePort(flag, value());
				break;
			case '--durst-port':
				args.durstPort = parsePort(flag, value());
				break;
			case '--latency-ms': {
				const text = value();
				const ms = Number(text);
				if (text === undefined || !Number.isFinite(ms) || ms < 0)
					throw new Error(`--latency-ms needs a non-negative number, got ${String(text)}`);
				args.latencyMs = ms;
				break;
			}
			default:
				throw new Error(
					`unknown argument ${arg}; usage: --watcher-port N --durst-port N [--latency-ms N]`,
				);
		}
	}
	return args;
}

async function main(): Promise<void> {
	const args = parseCliArgs(process.argv.slice(2));
	const options: StartSimulatorsOptions = {
		watcherPort: args.watcherPort,
		durstPort: args.durstPort,
	};
	if (args.latencyMs !== undefined) options.latencyMs = args.latencyMs;
	const running = await startSimulators(options);
	const { watcher, durst } = running;
	process.stdout.write(
		[
			`Flussonic Watcher simulator: ${watcher.url}  (X-Vsaas-Api-Key: ${watcher.apiKey}; users: ${watcher.users.map((user) => user.login).join(', ')})`,
			`Durst Analytics simulator:   ${durst.url}  (users: ${durst.users.map((user) => JSON.stringify(user.username)).join(', ')})`,
			`Admin: GET <url>/__sim/stats, POST <url>/__sim/reset-counters, /__sim/latency?ms=N, /__sim/restart`,
			'Press Ctrl+C to stop.',
			'',
		].join('\n'),
	);
	let stopping = false;
	const shutdown = (): void => {
		if (stopping) return;
		stopping = true;
		running.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}
