import type { IAuthenticateGeneric, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class DurstAnalyticsApi implements ICredentialType {
	name = 'durstAnalyticsApi';

	displayName = 'Durst Analytics API';

	icon: Icon = {
		light: 'file:../nodes/DurstAnalytics/durstAnalytics.svg',
		dark: 'file:../nodes/DurstAnalytics/durstAnalytics.dark.svg',
	};

	documentationUrl = 'https://en.help.durst-group.com/';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://analytics.example.com',
			description: 'Address of Durst Analytics, without /api/v1',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
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
				'Whether to connect even if the TLS certificate cannot be verified (self-signed certificates on-premises)',
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
