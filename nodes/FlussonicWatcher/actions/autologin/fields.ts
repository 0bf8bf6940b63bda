/** The fields the token and link operations share. */
import type { INodeProperties } from 'n8n-workflow';

import type { Show } from '../../../shared/operation';
import { concurrencyOption, pacingOption, timeoutOption } from '../../../shared/runOptions';

/** Deliberately loose: Watcher logins are email addresses, and quotes or "+" are legal in them. */
const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';

export function loginField(displayOptions: Show): INodeProperties {
	return {
		displayName: 'Login',
		name: 'login',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The Watcher user to log in: pick one from the list, or give their email (a Watcher login is an email address)',
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
				displayName: 'By Email',
				name: 'email',
				type: 'string',
				placeholder: 'user@example.com',
				validation: [
					{
						type: 'regex',
						properties: { regex: EMAIL_PATTERN, errorMessage: 'Not a valid email address' },
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
		pacingOption,
		{
			displayName: 'Session Lifetime (Minutes)',
			name: 'sessionLifetimeMinutes',
			type: 'number',
			default: 480,
			typeOptions: { minValue: 1 },
			description:
				"How long the person stays logged in to Watcher once the link or token has logged them in. Not set: Watcher's default.",
		},
		timeoutOption,
		{
			displayName: 'Token Valid for (Minutes)',
			name: 'validForMinutes',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 1 },
			description:
				'How long, from now, the Auto-Login token can log the person in. A link works only while its token does. Use this or Token Valid Till, not both.',
		},
		{
			displayName: 'Token Valid Till',
			name: 'validTill',
			type: 'dateTime',
			default: '',
			description:
				'The date and time until which the Auto-Login token can log the person in. A link works only while its token does. Use this or Token Valid for (Minutes), not both.',
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
