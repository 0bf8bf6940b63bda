/** The fields the token and link operations share. */
import type { INodeProperties } from 'n8n-workflow';

import type { Show } from '../../../shared/operation';
import { concurrencyOption, timeoutOption } from '../../../shared/runOptions';

/** Deliberately loose: Watcher logins are e-mail addresses, and quotes or "+" are legal in them. */
const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';

export function loginField(displayOptions: Show): INodeProperties {
	return {
		displayName: 'Login',
		name: 'login',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: "The Watcher user to sign in; a Watcher login is the user's e-mail address",
		displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a user...',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true },
			},
			{
				displayName: 'By E-Mail',
				name: 'email',
				type: 'string',
				placeholder: 'user@example.com',
				validation: [
					{
						type: 'regex',
						properties: { regex: EMAIL_PATTERN, errorMessage: 'Not a valid e-mail address' },
					},
				],
			},
		],
	};
}

export function tokenOptionsField(
	displayOptions: Show,
	extra: INodeProperties[] = [],
): INodeProperties {
	const options: INodeProperties[] = [
		concurrencyOption,
		{
			displayName: 'Session Lifetime (Minutes)',
			name: 'sessionLifetimeMinutes',
			type: 'number',
			default: 480,
			typeOptions: { minValue: 1 },
			description:
				"How long the Watcher session opened by the link lasts. Unset: Watcher's default.",
		},
		timeoutOption,
		{
			displayName: 'Valid for (Minutes)',
			name: 'validForMinutes',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 1 },
			description:
				'How long, from now, the token can be used to sign in. Use this or Valid Till, not both.',
		},
		{
			displayName: 'Valid Till',
			name: 'validTill',
			type: 'dateTime',
			default: '',
			description:
				'Until when the token can be used to sign in. Use this or Valid for (Minutes), not both.',
		},
	];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		// n8n's lint wants a collection's options in alphabetical order.
		options: [...options, ...extra].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
