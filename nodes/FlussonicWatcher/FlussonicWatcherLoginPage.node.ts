import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { flussonicWatcherApiTest } from './methods/credentialTest';
import { loginPageWebhook } from './privateLinks/webhook';
import { apiKeyOf, serverUrlOf } from './transport/session';
import { CREDENTIAL_TYPE } from './transport/vendor';

export class FlussonicWatcherLoginPage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flussonic Watcher Login Page',
		name: 'flussonicWatcherLoginPage',
		icon: { light: 'file:flussonicWatcher.svg', dark: 'file:flussonicWatcher.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"/webhook/" + $parameter["path"]}}',
		description:
			'The page a private link opens: it logs the person into Flussonic Watcher, once per link',
		defaults: { name: 'Flussonic Watcher Login Page' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'flussonicWatcherApi', required: true, testedBy: 'flussonicWatcherApiTest' },
		],
		webhooks: [
			{
				name: 'setup',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
			},
		],
		properties: [
			{
				displayName:
					"Publish (activate) this workflow, then paste this node's Production URL into Link Base URL of Generate Link. Each visit of a link gives one item (time, outcome, login, user agent) unless Output Each Visit is off.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'watcher-login',
				required: true,
				placeholder: 'watcher-login',
				description: "The page's path: its Production URL is &lt;n8n URL&gt;/webhook/&lt;path&gt;",
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Require a Click',
						name: 'requireClick',
						type: 'boolean',
						default: false,
						description:
							"Whether the page shows who the link logs in and waits for the person's click. Turn on for links sent by email: mail scanners open links and run their scripts.",
					},
					{
						displayName: 'Several Webhook Processes',
						name: 'severalWebhookProcesses',
						type: 'boolean',
						default: false,
						description:
							'Whether n8n serves this page from several processes (queue mode with webhook processes behind a load balancer). Turn on there: each login then waits about 2 seconds while the page checks that the link was saved as used, so no process can open it again.',
					},
					{
						displayName: 'Output Each Visit',
						name: 'outputEachVisit',
						type: 'boolean',
						default: true,
						description:
							'Whether each visit of a link starts an execution with one item (time, outcome, login, user agent). Turn off for a busy page: n8n saves each execution with a copy of the workflow. Used links stay used either way.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: { flussonicWatcherApiTest },
	};

	/**
	 * Nothing is registered outside n8n: the page is n8n's own webhook. Activation still checks the
	 * credential, so a page that could open no ticket fails to activate instead of failing visitors.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const data = await this.getCredentials(CREDENTIAL_TYPE);
				serverUrlOf(this.getNode(), data.baseUrl);
				apiKeyOf(this.getNode(), data.apiKey);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await loginPageWebhook(this);
	}
}
