/**
 * The chat-bot link flow as users build it today from n8n's own nodes, for bench/linkFlow.ts: a
 * Webhook that asks Watcher for a token with an HTTP Request node and answers a token-in-query link,
 * and a Webhook whose Respond to Webhook node answers the page that posts that token to Watcher.
 * Built in code so that the simulator's and n8n's addresses are those of the run.
 */
import type { Workflow, WorkflowNode } from '../workflow';
import { HTTP_REQUEST_VERSION, chain, uuid } from '../workflow';

/** Node type versions present in n8n 2.40.7's n8n-nodes-base (checked in .hosts). */
const WEBHOOK_VERSION = 2;
const RESPOND_TO_WEBHOOK_VERSION = 1.1;

export const HTTP_LINK_WORKFLOW_ID = 'BenchLinkHttp001';
export const HTTP_PAGE_WORKFLOW_ID = 'BenchLinkHttpPg1';
export const HTTP_LINK_PATH = 'watcher-link-http';
export const HTTP_PAGE_PATH = 'watcher-login-http';

/** The Watcher simulator's default API key, pasted into the HTTP Request node as users do. */
const HTTP_WATCHER_API_KEY = 'test-api-key';

type Node = WorkflowNode;

function workflow(id: string, name: string, nodes: Node[]): Workflow {
	nodes.forEach((node, index) => {
		node.position = [index * 220, 0];
	});
	return {
		id,
		name,
		active: false,
		versionId: uuid(`${id}|version`),
		settings: { executionOrder: 'v1' },
		nodes,
		connections: chain(nodes.map((node) => node.name)),
	};
}

function webhook(seed: string, method: 'GET' | 'POST', path: string): Node {
	return {
		id: uuid(`${seed}|webhook`),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: WEBHOOK_VERSION,
		position: [0, 0],
		webhookId: uuid(`${seed}|webhookId`),
		parameters: { httpMethod: method, path, responseMode: 'responseNode', options: {} },
	};
}

function respond(seed: string, parameters: Record<string, unknown>): Node {
	return {
		id: uuid(`${seed}|respond`),
		name: 'Respond',
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: RESPOND_TO_WEBHOOK_VERSION,
		position: [0, 0],
		parameters,
	};
}

/** POST /webhook/watcher-link-http {email} -> { link: <n8n>/webhook/watcher-login-http?token=<token> } */
export function httpLinkWorkflow(n8nUrl: string, watcherUrl: string): Workflow {
	const seed = HTTP_LINK_WORKFLOW_ID;
	const pageUrl = `${n8nUrl}/webhook/${HTTP_PAGE_PATH}?token=`;
	return workflow(seed, 'bench link flow: HTTP Request version, link', [
		webhook(seed, 'POST', HTTP_LINK_PATH),
		{
			id: uuid(`${seed}|token`),
			name: 'Generate Token',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: HTTP_REQUEST_VERSION,
			position: [0, 0],
			parameters: {
				authentication: 'none',
				method: 'POST',
				url: `${watcherUrl}/vsaas/api/v2/auth/generate-autologin-token`,
				sendHeaders: true,
				specifyHeaders: 'keypair',
				headerParameters: {
					parameters: [{ name: 'X-Vsaas-Api-Key', value: HTTP_WATCHER_API_KEY }],
				},
				sendBody: true,
				contentType: 'json',
				specifyBody: 'keypair',
				bodyParameters: { parameters: [{ name: 'login', value: '={{ $json.body.email }}' }] },
				options: {},
			},
		},
		respond(seed, {
			respondWith: 'json',
			responseBody: `={{ { link: '${pageUrl}' + encodeURIComponent($json.autologin_token) } }}`,
			options: {},
		}),
	]);
}

/**
 * GET /webhook/watcher-login-http?token=<token> -> a page that posts the token to Watcher at once:
 * the same form as the Watcher node's Render Login Page (action, field name, escaped value, the
 * submitting script), with its headers, so both versions send a comparable page.
 */
export function httpPageWorkflow(watcherUrl: string): Workflow {
	const seed = HTTP_PAGE_WORKFLOW_ID;
	// Escaped as Render Login Page does, so a login with quotes cannot break out of the attribute.
	const token =
		"String($json.query.token ?? '').replaceAll('&', '&amp;').replaceAll('\"', '&quot;')" +
		".replaceAll('<', '&lt;').replaceAll('>', '&gt;')";
	const before =
		'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
		'<meta name="referrer" content="no-referrer"><title>Logging in to Flussonic Watcher</title></head><body>' +
		`<form id="autologin" method="POST" action="${watcherUrl}/vsaas/autologin">` +
		'<input type="hidden" name="autologin_token" value="';
	const after =
		'"><p>Signing you in to Flussonic Watcher…</p>' +
		'<button type="submit">Continue to Flussonic Watcher</button></form>' +
		'<script>document.getElementById("autologin").submit();</script></body></html>';
	return workflow(seed, 'bench link flow: HTTP Request version, login page', [
		webhook(seed, 'GET', HTTP_PAGE_PATH),
		respond(seed, {
			respondWith: 'text',
			responseBody: `={{ '${before}' + ${token} + '${after}' }}`,
			options: {
				responseHeaders: {
					entries: [
						{ name: 'Content-Type', value: 'text/html; charset=utf-8' },
						{ name: 'Cache-Control', value: 'no-store' },
						{ name: 'Referrer-Policy', value: 'no-referrer' },
					],
				},
			},
		}),
	]);
}
