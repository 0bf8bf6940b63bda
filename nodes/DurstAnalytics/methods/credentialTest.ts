import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { EDITOR_TIMEOUT_SECONDS } from '../../shared/runOptions';
import { credentialTestNode, legacySend, testFailure } from '../../shared/transport/credentialTest';
import type { Send } from '../../shared/transport/call';
import { login } from '../transport/login';
import { durstEndpoint, readAccount } from '../transport/session';

/** The Test button: one login, through the same request layer as the node. */
export async function durstAnalyticsApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const node = credentialTestNode('n8n-nodes-watcher-durst.durstAnalytics');
	try {
		const account = readAccount(node, credential.data ?? {});
		const endpoint = durstEndpoint(account, EDITOR_TIMEOUT_SECONDS);
		const send = legacySend(this);
		// What the credential's `authenticate` adds on a node's login; the legacy helper does not apply it.
		const withCredential: Send = async (options) =>
			await send({
				...options,
				qs: { ...options.qs, username: account.username, password: account.password },
			});
		const result = await login(node, endpoint, account.username, withCredential);
		return { status: 'OK', message: `Logged in to Durst Analytics as "${result.userName}"` };
	} catch (error) {
		return testFailure(error);
	}
}
