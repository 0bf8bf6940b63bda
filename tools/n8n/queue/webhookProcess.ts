/**
 * One `n8n webhook` process of the cluster: it serves production webhooks (`/webhook/...`) only,
 * runs each webhook node's `webhook()` itself (the Login Page's too) and hands executions to the
 * workers through Redis. Same queue environment, key and package as main and workers; its own user
 * folder and N8N_PORT. Works on n8n 1.123.81 and 2.40.7 (both refuse to start outside queue mode).
 */
import { HOST_NOISE } from '../logs';
import { N8nQueueProcess, type N8nProcessKind } from './n8nProcess';

export class N8nWebhookProcess extends N8nQueueProcess {
	/** As the proxy names it in `x-answered-by`. */
	get name(): string {
		return `webhook-${this.index}`;
	}

	get port(): number {
		return this.host.port;
	}

	protected kind(): N8nProcessKind {
		return {
			args: ['webhook'],
			env: {},
			// Logged once the process listens (both versions).
			readyLine: 'Webhook listener waiting for requests',
			noise: HOST_NOISE,
			health: { port: this.port, path: '/healthz' },
		};
	}
}
