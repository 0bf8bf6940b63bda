/**
 * Parameters the Flussonic Watcher node refuses with an exact message before it sends anything, so
 * no autologin token is issued for a wrong workflow and the API key goes nowhere.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { errorOf, expectNoSecrets } from '../harness/assertions';
import {
	API_KEY,
	byEmail,
	expectLogsWithoutSecrets,
	run,
	sim,
	useWatcherSimulator,
} from './support';

useWatcherSimulator();

interface Refusal {
	name: string;
	/** Resource Autologin; the operation and the rest. */
	parameters: INodeParameters;
	/** The input items, when the bad value comes from an expression over them. */
	items?: IDataObject[];
	/** Credential fields that differ from the working ones. */
	credentials?: IDataObject;
	message: string;
}

const generateToken = (parameters: INodeParameters): INodeParameters => ({
	operation: 'generateToken',
	...parameters,
});
const demo = byEmail('demo@example.com');
const future = new Date(Date.now() + 86_400_000).toISOString();
const positiveMinutes = 'a positive number of minutes, at most 5270400 (ten years)';
const notAToken =
	'The "Token" is not valid: the token does not look like a Flussonic Watcher Auto-Login token';

/** A token for Render Login Page from an expression, as behind a Webhook: n8n's own required-field check cannot see it. */
const renderLoginPage = (name: string, token: string, message: string): Refusal => ({
	name: `Render Login Page with a token that is ${name}`,
	parameters: { operation: 'renderLoginPage', token: '={{ $json.token }}' },
	items: [{ token }],
	message,
});

const refusals: Refusal[] = [
	// Logins come from expressions here: n8n's own checks refuse literal empty or invalid values before the node runs.
	{
		name: 'an empty login',
		parameters: generateToken({ login: byEmail('={{ $json.email }}') }),
		items: [{ email: '' }],
		message: 'The "Login" is empty',
	},
	{
		name: 'a blank login',
		parameters: generateToken({ login: byEmail('={{ "  " }}') }),
		message: 'The "Login" is empty',
	},
	{
		name: 'a login that is not an e-mail',
		parameters: generateToken({ login: byEmail('={{ "demo" }}') }),
		message: 'The "Login" "demo" is not an email address',
	},
	{
		name: 'Valid Till in the past',
		parameters: generateToken({ login: demo, options: { validTill: '2001-01-01T00:00:00Z' } }),
		message: '"Token Valid Till" (2001-01-01T00:00:00.000Z) is in the past',
	},
	{
		name: 'Valid Till not a date',
		parameters: generateToken({ login: demo, options: { validTill: 'tomorrow-ish' } }),
		message:
			'"Token Valid Till" is not a date: "tomorrow-ish" is not an ISO 8601 date such as 2030-01-31T12:00:00Z',
	},
	{
		name: 'both validity options',
		parameters: generateToken({
			login: demo,
			options: { validTill: future, validForMinutes: 5 },
		}),
		message: 'Set either "Token Valid Till" or "Token Valid for (Minutes)", not both',
	},
	{
		name: 'zero minutes',
		parameters: generateToken({ login: demo, options: { validForMinutes: 0 } }),
		message: `"Token Valid for (Minutes)" must be ${positiveMinutes}`,
	},
	{
		name: 'a negative session lifetime',
		parameters: generateToken({ login: demo, options: { sessionLifetimeMinutes: -5 } }),
		message: `"Session Lifetime (Minutes)" must be ${positiveMinutes}`,
	},
	{
		name: 'a session lifetime in words',
		parameters: generateToken({
			login: demo,
			options: { sessionLifetimeMinutes: '={{ "soon" }}' },
		}),
		message: `"Session Lifetime (Minutes)" must be ${positiveMinutes}`,
	},
	{
		name: 'a Link Base URL that is not http(s)',
		parameters: {
			operation: 'generateLink',
			login: demo,
			linkBaseUrl: 'webhook/watcher-login',
		},
		message:
			'"Link Base URL" "webhook/watcher-login" is not an http(s) URL of at most 2048 characters',
	},
	renderLoginPage('empty', '', 'The "Token" is not valid: the token is empty'),
	renderLoginPage('not a token', 'hello', notAToken),
	renderLoginPage('markup', '"><script>alert(1)</script>', notAToken),
	{
		name: 'a Server URL that is not a URL',
		parameters: generateToken({ login: demo }),
		credentials: { baseUrl: 'watcher.example.com' },
		message: 'The Server URL in the Flussonic Watcher credential is not a valid http(s) URL',
	},
];

test.each(refusals)(
	'$name: "$message", and no request',
	async ({ parameters, items, credentials, message }) => {
		const result = await run(parameters, { items, credentials });
		expect(errorOf(result).message).toBe(message);
		expect(sim.totalCalls).toBe(0);
		expectNoSecrets(result, [API_KEY]);
	},
);

expectLogsWithoutSecrets();
