/** Reads n8n's SQLite database while n8n runs, with the host's own sqlite3 module (read only). */
import path from 'node:path';

import type { N8nHost } from '../../tools/n8n/n8nHost';

interface SqliteDatabase {
	all(sql: string, params: unknown[], done: (error: Error | null, rows: unknown[]) => void): void;
	close(done: (error: Error | null) => void): void;
}
interface Sqlite3 {
	OPEN_READONLY: number;
	Database: new (file: string, mode: number, done: (error: Error | null) => void) => SqliteDatabase;
}

/** The rows of one query; `Row` is what the caller knows the columns to be. */
export async function sqliteRows<Row = Record<string, unknown>>(
	host: N8nHost,
	sql: string,
	params: unknown[] = [],
): Promise<Row[]> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- the host's own sqlite3 driver, found at run time
	const sqlite3 = require(path.join(host.paths.dir, 'node_modules', 'sqlite3')) as Sqlite3;
	const file = path.join(host.userFolder, '.n8n', 'database.sqlite');
	const db = await new Promise<SqliteDatabase>((resolve, reject) => {
		const opened = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) =>
			error ? reject(error) : resolve(opened),
		);
	});
	try {
		return await new Promise<Row[]>((resolve, reject) =>
			db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as Row[]))),
		);
	} finally {
		await new Promise((resolve) => db.close(resolve));
	}
}
