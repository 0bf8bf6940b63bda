/**
 * n8n's logger writes node errors to the console by default. Tests send it to a file per test file
 * instead (the real logger, the real format), so suites can assert that no secret reaches a log
 * line, and the test output stays readable.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = path.join(tmpdir(), 'n8n-nodes-watcher-durst-logs');
mkdirSync(dir, { recursive: true });
process.env.N8N_LOG_OUTPUT = 'file';
process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_FILE_LOCATION = path.join(
	dir,
	`${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.log`,
);
