/**
 * The workflows of the webhook-process test: one that makes many private links in one execution
 * (each item its own login and Link Base URL), and two Login Pages with the same credential, one
 * per setting of Several Webhook Processes.
 */
import { CREDENTIAL_IDS } from '../../../tools/n8n/examples';

export const LINK_MAKER_ID = 'WhpLinkMaker0001';
export const LINK_MAKER_PATH = 'whp-links';

export interface LoginPageConfig {
	/** Shown in the figures. */
	label: 'option off' | 'option on';
	workflowId: string;
	/** The node's Path: also the key of its record in static data. */
	path: string;
	severalWebhookProcesses: boolean;
}

export const LOGIN_PAGES: LoginPageConfig[] = [
	{
		label: 'option off',
		workflowId: 'WhpLoginPageOff1',
		path: 'whp-login-off',
		severalWebhookProcesses: false,
	},
	{
		label: 'option on',
		workflowId: 'WhpLoginPageOn01',
		path: 'whp-login-on',
		severalWebhookProcesses: true,
	},
];

const WATCHER_CREDENTIAL = {
	flussonicWatcherApi: { id: CREDENTIAL_IDS.watcher, name: 'Flussonic Watcher (simulator)' },
};

/** POST {links: [{email, base}]} -> one private link per entry, answered as a JSON array. */
export function linkMakerWorkflow(): object {
	return {
		id: LINK_MAKER_ID,
		name: 'Webhook processes: make links',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a1f0c2d4-0000-4000-8000-000000000001',
				name: 'Links Request',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'a1f0c2d4-0000-4000-8000-0000000000a1',
				parameters: {
					httpMethod: 'POST',
					path: LINK_MAKER_PATH,
					responseMode: 'responseNode',
					options: {},
				},
			},
			{
				id: 'a1f0c2d4-0000-4000-8000-000000000002',
				name: 'One Item Per Link',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.links', options: {} },
			},
			{
				id: 'a1f0c2d4-0000-4000-8000-000000000003',
				name: 'Generate Link',
				type: 'n8n-nodes-watcher-durst.flussonicWatcher',
				typeVersion: 2,
				position: [440, 0],
				parameters: {
					resource: 'autologin',
					operation: 'generateLink',
					linkType: 'private',
					login: { __rl: true, mode: 'email', value: '={{ $json.email }}' },
					linkBaseUrl: '={{ $json.base }}',
					options: { linkValidityMinutes: 30, sessionLifetimeMinutes: 60 },
				},
				credentials: WATCHER_CREDENTIAL,
			},
			{
				id: 'a1f0c2d4-0000-4000-8000-000000000004',
				name: 'Reply',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [660, 0],
				parameters: { respondWith: 'allIncomingItems', options: {} },
			},
		],
		connections: {
			'Links Request': { main: [[{ node: 'One Item Per Link', type: 'main', index: 0 }]] },
			'One Item Per Link': { main: [[{ node: 'Generate Link', type: 'main', index: 0 }]] },
			'Generate Link': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * A one-node Login Page. Output Each Visit off: no execution per visit (the 2-core machine runs
 * thousands of visits here); the used marks are saved with each answer either way.
 */
export function loginPageWorkflow(config: LoginPageConfig, index: number): object {
	return {
		id: config.workflowId,
		name: `Webhook processes: login page, ${config.label}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `b2e1d3c5-0000-4000-8000-00000000000${index}`,
				name: 'Watcher Login Page',
				type: 'n8n-nodes-watcher-durst.flussonicWatcherLoginPage',
				typeVersion: 1,
				position: [0, 0],
				webhookId: `b2e1d3c5-0000-4000-8000-0000000000b${index}`,
				parameters: {
					path: config.path,
					options: {
						outputEachVisit: false,
						...(config.severalWebhookProcesses ? { severalWebhookProcesses: true } : {}),
					},
				},
				credentials: WATCHER_CREDENTIAL,
			},
		],
		connections: {},
	};
}
