/**
 * The cluster's n8n processes before they start: the queue-mode environment they share, the main
 * (an N8nHost, whose CLI uses the cluster's database), the workers and the webhook processes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { HostVersion } from '../host/install';
import type { N8nLogLevel } from '../logs';
import { N8nHost } from '../n8nHost';
import type { ClusterOptions } from './options';
import { PG_DATABASE, PG_USER } from './postgres';
import { N8nWebhookProcess } from './webhookProcess';
import { N8nWorker } from './worker';

/** What of ClusterOptions the n8n processes need. */
export type N8nProcessOptions = Pick<
	ClusterOptions,
	| 'workers'
	| 'workerConcurrency'
	| 'webhookProcesses'
	| 'keepFinishedJobs'
	| 'env'
	| 'mainEnv'
	| 'workerEnv'
	| 'webhookEnv'
	| 'mainPort'
	| 'onExecution'
>;

/** The environment that puts every n8n process of the cluster in queue mode on its database. */
export function queueEnv(
	options: N8nProcessOptions,
	postgresPort: number,
	redisPort: number,
	proxyUrl: string | undefined,
): Record<string, string> {
	const keep = String(options.keepFinishedJobs ?? 1000);
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgresPort),
		DB_POSTGRESDB_USER: PG_USER,
		DB_POSTGRESDB_PASSWORD: '',
		DB_POSTGRESDB_DATABASE: PG_DATABASE,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: keep,
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: keep,
		// Behind the load balancer every process must build webhook URLs (and nodes their links,
		// the Login Page its own page path) with the address people use, not its own port.
		...(proxyUrl === undefined ? {} : { WEBHOOK_URL: `${proxyUrl}/` }),
		...(options.env ?? {}),
	};
}

/** What `create()` has ready (folder, package snapshot, key, database and queue) for the n8n processes. */
export interface N8nSetup {
	folder: string;
	version: HostVersion;
	packageDir: string;
	encryptionKey: string;
	shared: Record<string, string>;
	port: () => Promise<number>;
	logLevel: N8nLogLevel;
	log: ((line: string) => void) | undefined;
}

export interface N8nProcesses {
	main: N8nHost;
	workers: N8nWorker[];
	webhookProcesses: N8nWebhookProcess[];
}

function hostOf(setup: N8nSetup, name: string, env: Record<string, string>): Promise<N8nHost> {
	return N8nHost.create({
		version: setup.version,
		packageDir: setup.packageDir,
		userFolder: path.join(setup.folder, 'n8n', name),
		encryptionKey: setup.encryptionKey,
		env,
		logLevel: setup.logLevel,
	});
}

/** The main, the workers and the webhook processes, none started. */
export async function prepareN8n(
	options: N8nProcessOptions,
	setup: N8nSetup,
): Promise<N8nProcesses> {
	const { version, packageDir, encryptionKey, shared, logLevel, log } = setup;
	fs.mkdirSync(path.join(setup.folder, 'n8n'));
	const webhookCount = options.webhookProcesses ?? 0;
	const main = await N8nHost.create({
		version,
		packageDir,
		userFolder: path.join(setup.folder, 'n8n', 'main'),
		port: options.mainPort,
		encryptionKey,
		env: {
			...shared,
			// n8n's scaling guide: with webhook processes, main serves no production webhook.
			...(webhookCount > 0 ? { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } : {}),
			...(options.mainEnv ?? {}),
		},
		logLevel,
		log: log === undefined ? undefined : (line) => log(line.replace(' start]', ' main]')),
	});
	const workers: N8nWorker[] = [];
	for (let i = 1; i <= (options.workers ?? 2); i++) {
		workers.push(
			new N8nWorker(
				i,
				await hostOf(setup, `worker-${i}`, shared),
				await setup.port(),
				options.workerConcurrency ?? 10,
				options.workerEnv ?? {},
				logLevel,
				log,
				options.onExecution,
			),
		);
	}
	const webhookProcesses: N8nWebhookProcess[] = [];
	for (let i = 1; i <= webhookCount; i++) {
		webhookProcesses.push(
			new N8nWebhookProcess(
				i,
				await hostOf(setup, `webhook-${i}`, shared),
				options.webhookEnv ?? {},
				logLevel,
				log,
			),
		);
	}
	return { main, workers, webhookProcesses };
}
