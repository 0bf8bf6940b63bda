/** The environment of every n8n process of a host: its own folder, ports and key, nothing of ours. */
import * as path from 'node:path';

import type { N8nLogLevel } from '../logs';
import type { HostVersion } from './install';

export interface HostEnvSettings {
	version: HostVersion;
	nodeBin: string;
	userFolder: string;
	port: number;
	brokerPort: number;
	encryptionKey: string;
	logLevel?: N8nLogLevel;
	expressionEngine?: 'vm' | 'legacy';
	/** Applied after everything else but `overrides`. */
	env?: Record<string, string>;
}

/**
 * Nothing of the caller's n8n/DB config, and no NODE_ENV=test from jest (n8n then skips its
 * process.exit after CLI commands and hangs) or NODE_OPTIONS (ts-node hooks etc.).
 */
const NOT_INHERITED =
	/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_ENV$|NODE_OPTIONS$|NODES_|CODE_ENABLE_|JEST_WORKER_ID$)/;

export function hostEnv(
	settings: HostEnvSettings,
	overrides: Record<string, string> = {},
): NodeJS.ProcessEnv {
	const is1 = settings.version.startsWith('1.');
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (v === undefined) continue;
		if (NOT_INHERITED.test(k)) continue;
		env[k] = v;
	}
	const nodeDir = path.dirname(settings.nodeBin);
	Object.assign(env, {
		PATH: `${nodeDir}${path.delimiter}${process.env.PATH ?? ''}`,
		NO_COLOR: '1',
		N8N_USER_FOLDER: settings.userFolder,
		N8N_PORT: String(settings.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_RUNNERS_BROKER_PORT: String(settings.brokerPort),
		N8N_ENCRYPTION_KEY: settings.encryptionKey,
		N8N_LOG_LEVEL: settings.logLevel ?? 'warn',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
	} satisfies Record<string, string>);
	// 1.x: isolated-vm (the "vm" engine) has no binary for Node 20: without 'legacy' n8n 1.123 hangs at start.
	env.N8N_EXPRESSION_ENGINE = settings.expressionEngine ?? (is1 ? 'legacy' : 'vm');
	if (is1) {
		// Task runners are opt-in in 1.x; without them the Code node runs in-process (no broker, faster).
		env.N8N_RUNNERS_ENABLED = 'false';
	} else {
		// 2.x always runs task runners (internal mode: a `node` child process for the Code node);
		// the Python runner is not installed, n8n just notes it as unavailable.
		env.N8N_RUNNERS_MODE = 'internal';
		// With the (default) workflow publication service, workflows published from the CLI get
		// their webhooks registered asynchronously, ~0.5-1 s AFTER n8n says it is ready, so a test
		// calling a webhook right after start() sees 404. The classic path activates them before
		// "Editor is now accessible via" is logged.
		env.N8N_USE_WORKFLOW_PUBLICATION_SERVICE = 'false';
		// The MCP server registry fetches https://api.n8n.io at start: an error on this offline machine.
		env.N8N_DISABLED_MODULES = 'mcp-registry';
	}
	delete env.DB_SQLITE_POOL_SIZE;
	Object.assign(env, settings.env ?? {}, overrides);
	return env;
}
