import type { IAuthenticateGeneric, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class DurstAnalyticsApi implements ICredentialType {
	name = 'durstAnalyticsApi';

	displayName = 'Durst Analytics API';

	icon: Icon = {
		light: 'file:../nodes/DurstAnalytics/durstAnalytics.svg',
		dark: 'file:../nodes/DurstAnalytics/durstAnalytics.dark.svg',
	};

	documentationUrl = 'https://github.com/watcher-durst/n8n-nodes-watcher-durst#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://analytics.example.com',
			description:
				'The address of Durst Analytics (1.4 or later), e.g. https://analytics.example.com, without /api/v1',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'An Analytics user that may read the printers you want',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the certificate cannot be verified. Only for a self-signed certificate.',
		},
	];

	/**
	 * Durst Analytics takes the username and password only on its login call, in the query string.
	 * The node sends this credential on that call alone; data calls carry the cached x-auth-token.
	 */
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			qs: {
				username: '={{$credentials.username}}',
				password: '={{$credentials.password}}',
			},
		},
	};

	// No declarative `test`: the Test button runs the nodes' `durstAnalyticsApiTest` (testedBy), which goes
	// through the package's request layer, so it refuses cross-origin redirects and scrubs secrets too.
}
