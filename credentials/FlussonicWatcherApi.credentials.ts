import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	Icon,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class FlussonicWatcherApi implements ICredentialType {
	name = 'flussonicWatcherApi';

	displayName = 'Flussonic Watcher API';

	icon: Icon = {
		light: 'file:../nodes/FlussonicWatcher/flussonicWatcher.svg',
		dark: 'file:../nodes/FlussonicWatcher/flussonicWatcher.dark.svg',
	};

	documentationUrl = 'https://github.com/watcher-durst/n8n-nodes-watcher-durst#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://watcher.example.com',
			description:
				"The address people open Flussonic Watcher at, e.g. https://watcher.example.com (a trailing /vsaas is fine). For private links, people's browsers must reach it too.",
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The system API key, from the Watcher web UI: Settings → API key',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the certificate cannot be verified. Only for an on-premises Watcher with a self-signed certificate.',
		},
	];

	// A function, not a generic `={{$credentials.apiKey}}` block: n8n evaluates a generic block's
	// expressions on every request (about 1.4 ms each on n8n 2.x), which dominated 1,000-link runs.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
		return { ...requestOptions, headers: { ...requestOptions.headers, 'X-Vsaas-Api-Key': apiKey } };
	}

	// No declarative `test`: the Test button runs the nodes' `flussonicWatcherApiTest` (testedBy), which goes
	// through the package's request layer, so it refuses cross-origin redirects and scrubs secrets too.
}
