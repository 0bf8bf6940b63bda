/** Node parameters the hostile cases share. */
import type { INodeParameters } from 'n8n-workflow';

import type { Env, Target } from './harness';
import { hostOf } from './harness';

export const byEmail = (value: string) => ({ __rl: true, mode: 'email', value });
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

export function durstNode(parameters: INodeParameters, extra: Partial<Target> = {}): Target {
	return { node: 'durst', parameters, ...extra };
}

export function watcherNode(parameters: INodeParameters, extra: Partial<Target> = {}): Target {
	return { node: 'watcher', parameters, ...extra };
}

export const printers = (options: INodeParameters = {}) =>
	durstNode({ resource: 'printer', operation: 'getAll', returnAll: true, options });

export const printer = (id: string, options: INodeParameters = {}) =>
	durstNode({ resource: 'printer', operation: 'get', printerId: byId(id), options });

export const printerErrors = (parameters: INodeParameters = {}) =>
	durstNode({
		resource: 'printer',
		operation: 'getErrors',
		printerId: byId('P-1001'),
		startDate: '2026-01-01T00:00:00Z',
		endDate: '2026-01-02T00:00:00Z',
		returnAll: true,
		...parameters,
	});

export const job = (printerId: string, jobId: string) =>
	durstNode({ resource: 'job', operation: 'get', printerId: byId(printerId), jobId });

export const logIn = (options: INodeParameters = {}) =>
	durstNode({ resource: 'auth', operation: 'login', options });

export const customCall = (parameters: INodeParameters) =>
	durstNode({ resource: 'request', operation: 'send', method: 'GET', ...parameters });

export const watcherToken = (login = 'demo@example.com', options: INodeParameters = {}) =>
	watcherNode({
		resource: 'autologin',
		operation: 'generateToken',
		login: byEmail(login),
		options,
	});

export const TOKEN_PATH = '/vsaas/api/v2/auth/generate-autologin-token';
export const LOGIN_PATH = '/api/v1/login';

export const durstHost = (env: Env) => hostOf(env.durst.url);
export const watcherHost = (env: Env) => hostOf(env.watcher.url);
