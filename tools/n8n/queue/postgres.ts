/**
 * The cluster's own PostgreSQL: a data directory in the cluster's folder (initdb, run as the
 * `postgres` user when this process is root: PostgreSQL refuses to run as root), on 127.0.0.1 only,
 * with n8n's database `n8n` owned by the superuser `n8n`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runFile } from '../../process';
import type { N8nLogLevel } from '../logs';
import { Daemon, waitFor } from './daemon';

export const PG_USER = 'n8n';
export const PG_DATABASE = 'n8n';

/** PostgreSQL's binaries: $PG_BIN_DIR, or the newest /usr/lib/postgresql/<major>/bin (Debian). */
export function postgresBinDir(): string {
	const fromEnv = process.env.PG_BIN_DIR;
	const candidates: string[] = [];
	if (fromEnv !== undefined && fromEnv !== '') candidates.push(fromEnv);
	try {
		const majors = fs
			.readdirSync('/usr/lib/postgresql')
			.filter((name) => /^\d+$/.test(name))
			.sort((a, b) => Number(b) - Number(a));
		for (const major of majors) candidates.push(path.join('/usr/lib/postgresql', major, 'bin'));
	} catch {
		// not Debian's layout
	}
	for (const dir of candidates) {
		if (
			['initdb', 'postgres', 'psql', 'pg_dump'].every((bin) => fs.existsSync(path.join(dir, bin)))
		)
			return dir;
	}
	throw new Error(
		'cluster: PostgreSQL is not installed (no initdb/postgres/psql/pg_dump in /usr/lib/postgresql/*/bin): run scripts/install-queue-deps.sh',
	);
}

/** uid/gid to run PostgreSQL as: ourselves, or the `postgres` user when we are root. */
function postgresIdentity(): { uid?: number; gid?: number } {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	const passwd = fs.readFileSync('/etc/passwd', 'utf8');
	const line = passwd.split('\n').find((entry) => entry.startsWith('postgres:'));
	if (line === undefined) {
		throw new Error(
			"cluster: running as root, and PostgreSQL refuses to run as root, but there is no `postgres` user (Debian's postgresql package creates it)",
		);
	}
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/** psql as the cluster's superuser over TCP to 127.0.0.1 (no ~/.psqlrc), with `args` after the connection. */
function psql(
	pgBin: string,
	port: number,
	database: string,
	args: string[],
	options: { env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
	return runFile(
		path.join(pgBin, 'psql'),
		['-X', '-h', '127.0.0.1', '-p', String(port), '-U', PG_USER, '-d', database, ...args],
		options,
	);
}

export interface PostgresOptions {
	pgBin: string;
	/** The cluster's folder; the data directory is its `postgres/`. */
	folder: string;
	port: number;
	/**
	 * Without fsync and synchronous commit (tests: nothing here has to survive a power cut, and the
	 * 2-core machine's disk is then not what is measured).
	 */
	fast: boolean;
	log: ((line: string) => void) | undefined;
	logLevel: N8nLogLevel;
}

export class Postgres {
	private constructor(
		readonly daemon: Daemon,
		readonly port: number,
		private readonly pgBin: string,
		private readonly folder: string,
		/** The environment of the server and of the psql that sets it up. */
		private readonly serverEnv: NodeJS.ProcessEnv,
	) {}

	/** Creates the data directory and starts the server; `ready()` waits for it. */
	static async spawn(options: PostgresOptions): Promise<Postgres> {
		const { pgBin, port, log, logLevel } = options;
		const identity = postgresIdentity();
		const pgData = path.join(options.folder, 'postgres');
		fs.mkdirSync(pgData, { mode: 0o700 });
		if (identity.uid !== undefined) fs.chownSync(pgData, identity.uid, identity.gid ?? -1);
		const env: NodeJS.ProcessEnv = {
			PATH: process.env.PATH,
			LANG: 'C',
			LC_ALL: 'C',
			TZ: 'UTC',
			HOME: pgData,
		};
		await runFile(
			path.join(pgBin, 'initdb'),
			['-D', pgData, '-U', PG_USER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
			{ env, ...identity, cwd: pgData },
		);
		const daemon = new Daemon(
			'postgres',
			path.join(pgBin, 'postgres'),
			[
				...['-D', pgData, '-p', String(port)],
				...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
				...['-c', 'max_connections=100'],
				...(options.fast
					? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
					: []),
			],
			{ cwd: pgData, env, ...identity },
			(line) => {
				if (log !== undefined && /FATAL|PANIC/.test(line) && logLevel !== 'silent')
					log(`[postgres] ${line}`);
			},
		);
		return new Postgres(daemon, port, pgBin, options.folder, env);
	}

	get pid(): number | undefined {
		return this.daemon.pid;
	}

	/** Waits until the server answers, then creates n8n's (empty) database. */
	async ready(): Promise<void> {
		const { daemon, pgBin, port, serverEnv: env } = this;
		await waitFor(
			'PostgreSQL',
			async () =>
				!daemon.hasExited &&
				(await psql(pgBin, port, 'postgres', ['-Atc', 'select 1'], {
					env,
					timeoutMs: 5_000,
				}).then(
					(out) => out.trim() === '1',
					() => false,
				)),
			30_000,
			() => `${daemon.describeExit()}\n${daemon.recentLog(20)}`,
		);
		await psql(pgBin, port, 'postgres', ['-c', `create database ${PG_DATABASE}`], { env });
	}

	private clientEnv(): NodeJS.ProcessEnv {
		return {
			PATH: process.env.PATH,
			LANG: 'C',
			LC_ALL: 'C',
			HOME: this.folder,
			PGCONNECT_TIMEOUT: '10',
		};
	}

	/** Runs SQL in n8n's database; returns the unaligned, tuples-only output (`|` between columns). */
	async sql(query: string): Promise<string> {
		return (
			await psql(
				this.pgBin,
				this.port,
				PG_DATABASE,
				['-v', 'ON_ERROR_STOP=1', '-At', '-c', query],
				{
					env: this.clientEnv(),
				},
			)
		).trimEnd();
	}

	/** `pg_dump` of n8n's whole database, as SQL text. */
	async dump(): Promise<string> {
		return await runFile(
			path.join(this.pgBin, 'pg_dump'),
			['-h', '127.0.0.1', '-p', String(this.port), '-U', PG_USER, '--no-owner', PG_DATABASE],
			{ env: this.clientEnv(), timeoutMs: 300_000 },
		);
	}

	/** SIGINT is PostgreSQL's "fast" shutdown. */
	async stop(): Promise<void> {
		await this.daemon.stop('SIGINT', 10_000);
	}
}
