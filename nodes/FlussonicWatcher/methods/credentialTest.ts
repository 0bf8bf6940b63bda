import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { EDITOR_TIMEOUT_SECONDS } from '../../shared/runOptions';
import { credentialTestNode, legacySend, testFailure } from '../../shared/transport/credentialTest';
import type { WatcherConnection } from '../transport/session';
import { watcherApiRequest } from '../transport/request';
import { watcherEndpoint } from '../transport/session';
import { API_KEY_HEADER } from '../transport/vendor';

/** The Test button: lists one camera (not /settings: its answer holds the API key itself). */
export async function flussonicWatcherApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const node = credentialTestNode('n8n-nodes-watcher-durst.flussonicWatcher');
	try {
		const data = credential.data ?? {};
		const { endpoint, apiKey } = watcherEndpoint(node, data, EDITOR_TIMEOUT_SECONDS);
		const send = legacySend(this);
		const session: WatcherConnection = {
			node,
			endpoint,
			// What the credential's `authenticate` adds on a node's calls; the legacy helper does not apply it.
			send: async (options) =>
				await send({ ...options, headers: { ...options.headers, [API_KEY_HEADER]: apiKey } }),
		};
		await watcherApiRequest(session, {
			method: 'GET',
			path: '/vsaas/api/v2/cameras',
			qs: { limit: 1 },
		});
		return { status: 'OK', message: 'Connected to Flussonic Watcher; the API key was accepted' };
	} catch (error) {
		return testFailure(error);
	}
}
