/** What n8n's SQLite database says of executions, read while n8n runs. */
import type { N8nHost } from '../../../tools/n8n/n8nHost';
import { sqliteRows } from '../sqlite';

/** The status of each saved execution of `workflowId` (`success`, `error`, `running`, ...), oldest first. */
export async function executionStates(host: N8nHost, workflowId: string): Promise<string[]> {
	const rows = await sqliteRows(
		host,
		'SELECT status FROM execution_entity WHERE workflowId = ? ORDER BY id',
		[workflowId],
	);
	return rows.map((row) => String((row as { status: unknown }).status));
}
