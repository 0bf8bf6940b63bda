/**
 * The pace's discrete-event model (tools/pacing/model.ts) from the command line: try a change to
 * the pace here (a second) before a benchmark run (ten minutes).
 *
 *   node .run/tools/bench/paceModel.js [--k 4] [--service 20] [--net 20] [--cpu 1] [--n 1000] [--workers 100] [--trace]
 *
 * Against the benchmark's queueing server (K 4, 20 ms) `--net 20 --cpu 1 --trace` swings the limit
 * between 11 and 26 every ~300 ms, as a traced real run did (11-25): docs/benchmark.md, run J.
 */
import type { ModelOptions } from '../tools/pacing/model';
import { DEFAULT_MODEL, runModel } from '../tools/pacing/model';

function parse(argv: string[]): ModelOptions {
	const options: ModelOptions = { ...DEFAULT_MODEL };
	const numbers: Record<string, keyof ModelOptions> = {
		'--k': 'k',
		'--service': 'serviceMs',
		'--net': 'netMs',
		'--cpu': 'cpuMs',
		'--n': 'n',
		'--workers': 'workers',
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--trace') {
			options.trace = true;
			continue;
		}
		const key = numbers[flag];
		const value = Number(argv[i + 1]);
		if (key === undefined || !Number.isFinite(value) || value < 0)
			throw new Error(`paceModel: unknown flag or bad value: ${flag} ${String(argv[i + 1])}`);
		(options[key] as number) = value;
		i++;
	}
	return options;
}

async function main(): Promise<void> {
	const options = parse(process.argv.slice(2));
	const result = await runModel(options);
	console.log(
		`K=${options.k} service ${options.serviceMs} ms, net ${options.netMs} ms, CPU ${options.cpuMs} ms x2, N=${options.n}: ${result.ms} ms, peak at the server ${result.peak}`,
	);
	if (options.trace) console.log(result.trace.join(' '));
}

void main().catch((error: unknown) => {
	console.error(String(error));
	process.exitCode = 1;
});
