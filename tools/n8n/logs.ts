/**
 * What n8n prints, and what of it the drivers pass on: n8n's JSON log lines (N8N_LOG_FORMAT=json,
 * so the lines that matter are seen whatever the level), log levels, and the lines that are known
 * to be harmless on this offline machine.
 */
import { isRecord } from './json';

export type N8nLogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** The fields of an n8n JSON log line; undefined for any other line. */
export function parseJsonLog(line: string): Record<string, unknown> | undefined {
	const t = line.trim();
	if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
	try {
		const value: unknown = JSON.parse(t);
		return isRecord(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

/** Level and message of an n8n JSON log line; undefined for any other line. */
export function parseLevelAndMessage(line: string): { level: string; message: string } | undefined {
	const entry = parseJsonLog(line);
	if (entry === undefined || typeof entry.level !== 'string' || typeof entry.message !== 'string')
		return undefined;
	return { level: entry.level, message: entry.message };
}

/** Lower is more severe; an unknown level counts as info. */
function levelRank(level: string): number {
	switch (level) {
		case 'silent':
			return -1;
		case 'error':
			return 0;
		case 'warn':
			return 1;
		case 'info':
			return 2;
		case 'debug':
			return 3;
		default:
			return 2;
	}
}

/** Whether a line logged at `level` is shown when the configured level is `shown`. */
export function levelShown(level: string, shown: N8nLogLevel): boolean {
	return levelRank(level) <= levelRank(shown);
}

/** Known harmless lines of `n8n start` and the CLI on this offline machine (see `filterNoise`). */
export const HOST_NOISE: RegExp[] = [
	/There are deprecations related to your/,
	/Failed to start Python task runner/,
	/\[license SDK\]/,
	/ENOTFOUND [a-z.]*n8n\.(io|cloud)/,
	/Error fetching from Strapi API/,
	/Migrations in progress, please do NOT stop the process/,
	/Legacy aes-256-cbc encryption key not found/,
	/n8n Task Broker ready on/,
	/Registered runner "JS Task Runner"/,
];

/** Known harmless lines of a worker on this offline machine. */
export const WORKER_NOISE: RegExp[] = [
	/There are deprecations related to your/,
	/Failed to start Python task runner/,
	/ENOTFOUND [a-z.]*n8n\.(io|cloud)/,
	/Concurrency is set to less than 5/,
];

/**
 * Lines every n8n process prints on this machine, or prints once per execution under load, that
 * say nothing about the run: passed on the first time only.
 */
const REPEATED_NOISE: RegExp[] = [
	/Postgres \d+ is not supported/,
	/DeprecationWarning: Calling client\.query\(\) when the client is already executing/,
	/Use `node --trace-(deprecation|warnings) \.\.\.`/,
	/MaxListenersExceededWarning/,
];

/** `log`, with each kind of repeated noise passed on once only. */
export function onceForNoise(log: (line: string) => void): (line: string) => void {
	const seen = new Set<string>();
	return (line) => {
		const noise = REPEATED_NOISE.find((re) => re.test(line));
		if (noise !== undefined) {
			if (seen.has(noise.source)) return;
			seen.add(noise.source);
		}
		log(line);
	};
}
