import type { StatusTable, Vendor } from '../../shared/transport/errors';

export const CREDENTIAL_TYPE = 'durstAnalyticsApi';
export const TOKEN_HEADER = 'x-auth-token';

const statuses: StatusTable = {
	400: ({ reason, call }) => ({
		message: `Durst Analytics rejected the request: ${reason}`,
		description: `Check the parameters of ${call}.`,
	}),
	404: ({ call }) => ({
		message: `Durst Analytics found nothing at ${call} (status 404)`,
		description: 'The printer or job ID does not exist on this server, or the path is wrong.',
	}),
	'5xx': ({ status, reason }) => ({
		message: `Durst Analytics failed with a server error (status ${status})`,
		description: `Durst Analytics said: ${reason}. Try again later.`,
	}),
	default: ({ status, call, reason }) => ({
		message: `Durst Analytics answered ${call} with status ${status}`,
		description: `Durst Analytics said: ${reason}`,
	}),
};

export const DURST: Vendor = {
	product: 'Durst Analytics',
	certificateOption: 'Ignore SSL Issues (Insecure)',
	statuses,
};

/** The login call has its own meanings for the same statuses. */
export const LOGIN_STATUSES: StatusTable = {
	401: ({ login, status }) => ({
		message: 'Durst Analytics rejected the username or password',
		description: `The login of "${login ?? ''}" was refused with status ${status}. Check the username and password in the Durst Analytics credential.`,
	}),
	404: ({ host }) => ({
		message: 'No Durst Analytics API at this URL: check the Server URL',
		description: `${host} answered 404 for /api/v1/login. The Server URL must be the address of Durst Analytics (version 1.4 or later).`,
	}),
	default: ({ status, reason }) => ({
		message: `The Durst Analytics login failed with status ${status}`,
		description: `Durst Analytics said: ${reason}`,
	}),
};
LOGIN_STATUSES[403] = LOGIN_STATUSES[401];
