/**
 * The three ways n8n 2.x runs the durable scheduler here: one `n8n start` on SQLite, one on
 * PostgreSQL, and queue mode (main + a worker on PostgreSQL and Redis). Each is seen through the
 * same few reads of n8n's own tables, so the test asks each the same questions.
 */

import { N8nCluster } from '../../../tools/n8n/cluster';
import type { HostVersion, N8nHost } from '../../../tools/n8n/n8nHost';
import { N8nHost as Host } from '../../../tools/n8n/n8nHost';
import { sqliteRows } from '../sqlite';

/**
 * The durable scheduler with poll triggers and their cursors in `poller_state`. n8n keeps the
 * cursors off unless all three are set and the workflow publication service is on (our hosts turn
 * that off by default, see tools/n8n/host/env.ts). The scheduler's loops run every second or two
 * instead of every 5-10 s so a poll every few seconds is claimed on time.
 */
export const DURABLE_ENV: Record<string, string> = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
	N8N_SCHEDULER_EXECUTOR_INTERVAL: '1',
	N8N_SCHEDULER_MATERIALIZATION_INTERVAL: '2',
};

export type StackKind = 'SQLite' | 'PostgreSQL' | 'queue mode';
export const STACK_KINDS: StackKind[] = ['SQLite', 'PostgreSQL', 'queue mode'];

/** A poll node's row of `poller_state`, as the database holds it. */
export interface CursorRow {
	/** The whole row as text (every column), to look for secrets in. */
	row: string;
	/** The `cursor` column as stored. */
	cursor: string;
	/** Its size in bytes in the database (SQLite: the stored text; PostgreSQL: `pg_column_size`). */
	bytes: number;
}

export interface Stack {
	kind: StackKind;
	/** Imports, publishes and holds the server (the main process in queue mode). */
	n8n: N8nHost;
	start(): Promise<void>;
	stop(): Promise<void>;
	dispose(): Promise<void>;
	cursorRows(workflowId: string): Promise<CursorRow[]>;
	/** `workflow_entity.staticData` as stored (text). */
	staticData(workflowId: string): Promise<string>;
	/** Saved executions of the workflow, whatever their status. */
	executions(workflowId: string): Promise<number>;
	recentLog(): string;
}

function sqliteStack(host: N8nHost): Stack {
	return {
		kind: 'SQLite',
		n8n: host,
		start: () => host.start(),
		stop: () => host.stop(),
		dispose: () => host.dispose(),
		cursorRows: async (workflowId) =>
			(
				await sqliteRows(
					host,
					'SELECT *, length(CAST("cursor" AS BLOB)) AS "cursorBytes" FROM poller_state WHERE "workflowId" = ?',
					[workflowId],
				)
			).map(({ cursorBytes, ...row }) => ({
				row: JSON.stringify(row),
				cursor: String(row.cursor),
				bytes: Number(cursorBytes),
			})),
		staticData: async (workflowId) => {
			const rows = await sqliteRows(host, 'SELECT "staticData" FROM workflow_entity WHERE id = ?', [
				workflowId,
			]);
			return String(rows[0]?.staticData ?? '');
		},
		executions: async (workflowId) => {
			const rows = await sqliteRows(
				host,
				'SELECT count(*) AS n FROM execution_entity WHERE "workflowId" = ?',
				[workflowId],
			);
			return Number(rows[0]?.n);
		},
		recentLog: () => host.recentLog(40),
	};
}

/** Text safe inside a PostgreSQL string literal: the ids are ours, this only keeps it honest. */
function literal(text: string): string {
	if (!/^[A-Za-z0-9-]+$/.test(text)) throw new Error(`not an id: ${text}`);
	return `'${text}'`;
}

function postgresStack(kind: StackKind, cluster: N8nCluster): Stack {
	const lines = async (query: string): Promise<string[]> =>
		(await cluster.sql(query)).split('\n').filter((line) => line !== '');
	return {
		kind,
		n8n: cluster.main,
		start: () => cluster.start(),
		stop: () => cluster.stopN8n(),
		dispose: () => cluster.dispose(),
		cursorRows: async (workflowId) =>
			(
				await lines(
					`select json_build_object('row', row_to_json(p)::text, 'cursor', p."cursor"::text, 'bytes', pg_column_size(p."cursor"))::text from poller_state p where p."workflowId" = ${literal(workflowId)}`,
				)
			).map((line) => JSON.parse(line) as CursorRow),
		staticData: async (workflowId) =>
			(
				await lines(
					`select coalesce("staticData"::text, '') from workflow_entity where id = ${literal(workflowId)}`,
				)
			).join('\n'),
		executions: async (workflowId) =>
			Number(
				(
					await lines(
						`select count(*) from execution_entity where "workflowId" = ${literal(workflowId)}`,
					)
				)[0],
			),
		recentLog: () => cluster.recentLogs(20),
	};
}

export async function createStack(
	kind: StackKind,
	version: HostVersion,
	packageDir: string,
	log: (line: string) => void,
): Promise<Stack> {
	if (kind === 'SQLite') {
		return sqliteStack(
			await Host.create({ version, packageDir, env: DURABLE_ENV, log, startTimeoutMs: 300_000 }),
		);
	}
	const cluster = await N8nCluster.create({
		version,
		packageDir,
		workers: kind === 'queue mode' ? 1 : 0,
		// One `n8n start` on PostgreSQL: the cluster's database without its queue.
		env: kind === 'queue mode' ? DURABLE_ENV : { ...DURABLE_ENV, EXECUTIONS_MODE: 'regular' },
		log,
	});
	return postgresStack(kind, cluster);
}
