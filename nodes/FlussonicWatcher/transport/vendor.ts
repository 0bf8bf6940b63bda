import type { StatusContext, StatusTable, Vendor } from '../../shared/transport/errors';

export const CREDENTIAL_TYPE = 'flussonicWatcherApi';
export const API_KEY_HEADER = 'X-Vsaas-Api-Key';
/** Longer is no auto-login token: Watcher's are a login, two numbers and a signature. */
export const MAX_AUTOLOGIN_TOKEN_LENGTH = 2048;

/** Watcher's 403 covers a wrong or expired key and an unknown login; its error codes tell which. */
function refusal({ status, codes, reason, login }: StatusContext) {
	const said = `${codes.join(' ')} ${reason}`;
	if (/apikey|api_key|api key/i.test(said)) {
		return {
			message: 'Flussonic Watcher refused the API key: it is wrong or has expired',
			description:
				'Copy the API key from the Flussonic Watcher web UI (Settings, API key) into the Flussonic Watcher credential.',
		};
	}
	if (login && /user|login|notfound|not found/i.test(said)) {
		return {
			message: `Flussonic Watcher does not know the login "${login}"`,
			description:
				'Pick the user from the list, or check the email address: it must be the login of an existing Flussonic Watcher user.',
		};
	}
	return {
		message: `Flussonic Watcher refused the request with status ${status}: ${reason}`,
		description: login
			? `Either the API key in the credential is wrong or expired, or "${login}" is not a Flussonic Watcher user.`
			: 'The API key in the credential is wrong or expired.',
	};
}

const statuses: StatusTable = {
	400: ({ reason }) => ({
		message: `Flussonic Watcher rejected the request: ${reason}`,
		description: 'Check the login and options of this item.',
	}),
	401: refusal,
	403: refusal,
	404: ({ host, call }) => ({
		message: 'No Flussonic Watcher API at this URL: check the Server URL',
		description: `${host} answered 404 for ${call}. The Server URL in the credential must be the address of the Flussonic Watcher web UI.`,
	}),
	'5xx': ({ status, reason }) => ({
		message: `Flussonic Watcher failed with a server error (status ${status})`,
		description: `Flussonic Watcher said: ${reason}. Try again later, or check the logs of the Flussonic Watcher server.`,
	}),
	default: ({ status, reason }) => ({
		message: `Flussonic Watcher answered with the unexpected status ${status}`,
		description: `Flussonic Watcher said: ${reason}`,
	}),
};

export const WATCHER: Vendor = {
	product: 'Flussonic Watcher',
	certificateOption: 'Ignore SSL Issues (Insecure)',
	statuses,
};
