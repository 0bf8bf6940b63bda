import { existsSync, readFileSync } from 'node:fs';

import type { RunResult } from './engine';

/** Everything of an error a user, a log or an execution record could see. */
export function errorSurface(error: unknown): string {
	if (!error || typeof error !== 'object') return String(error);
	const record = error as Record<string, unknown>;
	const seen = new WeakSet<object>();
	const json = JSON.stringify(record, (_key, value: unknown) => {
		if (value && typeof value === 'object') {
			if (seen.has(value)) return undefined;
			seen.add(value);
		}
		return value;
	});
	return [record.message, record.description, record.stack, json].map(String).join('\n');
}

/** Fails if any secret, raw or URL-encoded, appears in the run's error or output. */
export function expectNoSecrets(
	result: RunResult | { error: unknown; outputText?: string },
	secrets: string[],
): void {
	let text = errorSurface(result.error);
	if ('run' in result) text += JSON.stringify(result.run.data.resultData.runData);
	else if (result.outputText) text += result.outputText;
	for (const secret of secrets) {
		expect(text).not.toContain(secret);
		expect(text).not.toContain(encodeURIComponent(secret));
	}
}

export function errorOf(result: RunResult): { message: string; description: string } {
	const error = result.error as (Error & { description?: string | null }) | undefined;
	if (!error) throw new Error('expected the run to fail, but it succeeded');
	return { message: error.message, description: String(error.description ?? '') };
}

/** What n8n's logger wrote during this test file (see setupLogs.ts). */
export function n8nLogText(): string {
	const file = process.env.N8N_LOG_FILE_LOCATION;
	if (!file || !existsSync(file)) return '';
	return readFileSync(file, 'utf8');
}
