/** The command line of `node .run/tools/bench/linkFlow.js`. */
import type { LinkFlowOptions } from './types';

const USAGE =
	'usage: linkFlow.js [--flows 200] [--warmup 20] [--latency 20] [--concurrency 1] [--gap 0] [--n8n-env NAME=VALUE]... [--verbose]';

export function parseLinkFlowArgs(argv: readonly string[]): LinkFlowOptions {
	const options: LinkFlowOptions = {
		flows: 200,
		warmup: 20,
		latencyMs: 20,
		concurrency: 1,
		gapMs: 0,
		verbose: false,
	};
	const number = (flag: string, text: string | undefined, min: number): number => {
		const value = Number(text);
		if (text === undefined || !Number.isInteger(value) || value < min)
			throw new Error(`${flag} needs a whole number >= ${min}, got ${String(text)}\n${USAGE}`);
		return value;
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		switch (flag) {
			case '--flows':
				options.flows = number(flag, argv[++i], 1);
				break;
			case '--warmup':
				options.warmup = number(flag, argv[++i], 0);
				break;
			case '--latency':
				options.latencyMs = number(flag, argv[++i], 0);
				break;
			case '--concurrency':
				options.concurrency = number(flag, argv[++i], 1);
				break;
			case '--gap':
				options.gapMs = number(flag, argv[++i], 0);
				break;
			case '--n8n-env': {
				const assignment = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(argv[++i] ?? '');
				if (assignment === null) throw new Error(`${flag} needs NAME=VALUE\n${USAGE}`);
				options.n8nEnv = { ...(options.n8nEnv ?? {}), [assignment[1]]: assignment[2] };
				break;
			}
			case '--verbose':
				options.verbose = true;
				break;
			default:
				throw new Error(`unknown argument ${flag}\n${USAGE}`);
		}
	}
	return options;
}
