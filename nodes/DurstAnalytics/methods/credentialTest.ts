import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { EDITOR_TIMEOUT_SECONDS } from '../../shared/runOptions';
import { credentialTestNode, legacySend, testFailure } from '../../shared/transport/credentialTest';
import type { Send } from '../../shared/transport/request';
import { SecretSet } from '../../shared/transport/secrets';
import { login } from '../transport/login';
import { readAccount } from '../transport/session';
import { DURST } from '../transport/vendor';

/** The Test button: one login, through the same request layer as the node. */
export async function durstAnalyticsApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const node = credentialTestNode('n8n-nodes-watcher-durst.durstAnalytics');
	try {
		const account = readAccount(node, credential.data ?? {});
		const endpoint = {
			vendor: DURST,
			baseUrl: account.baseUrl,
			ignoreSslIssues: account.ignoreSslIssues,
			timeoutSeconds: EDITOR_TIMEOUT_SECONDS,
			secrets: new SecretSet([account.password]),
		};
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
