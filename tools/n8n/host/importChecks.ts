/**
 * What `n8n import:credentials` and `import:workflow` need of each entry, checked before the CLI
 * runs: its own messages for a missing field are obscure, or it makes up what is missing.
 */
import { isRecord } from '../json';

export function checkCredentials(creds: object[]): void {
	creds.forEach((c, i) => {
		const r: Record<string, unknown> = isRecord(c) ? c : {};
		// Without an id both versions fail with "NOT NULL constraint failed: credentials_entity.id".
		for (const key of ['id', 'name', 'type'] as const) {
			if (typeof r[key] !== 'string' || r[key] === '') {
				throw new Error(
					`n8nHost.importCredentials: credential #${i} needs a non-empty string \`${key}\``,
				);
			}
		}
		if (r.data === undefined)
			throw new Error(`n8nHost.importCredentials: credential #${i} needs \`data\``);
	});
}

export function checkWorkflows(list: unknown[]): void {
	list.forEach((w: unknown, i) => {
		const r: Record<string, unknown> = isRecord(w) ? w : {};
		const label = `n8nHost.importWorkflow: workflow #${i}${typeof r.name === 'string' ? ` "${r.name}"` : ''}`;
		// 2.40 fails without an id ("NOT NULL constraint failed: workflow_entity.id"); 1.123 makes one up.
		if (typeof r.id !== 'string' || r.id === '')
			throw new Error(`${label} needs a non-empty string \`id\``);
		if (typeof r.name !== 'string') throw new Error(`${label} needs a \`name\``);
		if (!Array.isArray(r.nodes)) throw new Error(`${label} needs a \`nodes\` array`);
		// Both versions reject a workflow without `connections` ("File does not seem to contain valid workflows").
		if (!isRecord(r.connections))
			throw new Error(`${label} needs a \`connections\` object (may be {})`);
	});
}
