import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { cancelSignalOf, isExecution, pacingOf, readTimeoutSeconds } from '../../shared/runOptions';
import type { Endpoint, Send } from '../../shared/transport/call';
import { SecretSet } from '../../shared/transport/secrets';
import { normalizeServerUrl } from '../../shared/url';
import type { TicketKey } from '../privateLinks/tickets';
import { ticketKey } from '../privateLinks/tickets';
import { CREDENTIAL_TYPE, WATCHER } from './vendor';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

/** What a request needs: the node's and the credential Test's calls share it. */
export interface WatcherConnection {
	node: INode;
	endpoint: Endpoint;
	/** n8n's request helper with the credential applied (its `authenticate` adds the API key). */
	send: Send;
}

export interface WatcherSession extends WatcherConnection {
	/** Seals private links: derived with scrypt on first use, once per process and API key. */
	ticketKey: TicketKey;
}

export function serverUrlOf(node: INode, raw: unknown): string {
	const baseUrl = normalizeServerUrl(raw, ['/vsaas']);
	if (!baseUrl) {
		throw new NodeOperationError(
			node,
			'The Server URL in the Flussonic Watcher credential is not a valid http(s) URL',
			{
				description:
					'Enter the address of the Flussonic Watcher web UI, e.g. https://watcher.example.com',
			},
		);
	}
	return baseUrl;
}

/**
 * The API key as the credential's `authenticate` sends it (trimmed), checked first: a key with a
 * line break or a character outside Latin-1 cannot be a header value, and Node.js would refuse it
 * with an error that names neither the field nor the cause.
 */
export function apiKeyOf(node: INode, raw: unknown): string {
	const apiKey = typeof raw === 'string' ? raw.trim() : '';
	if (!apiKey) {
		throw new NodeOperationError(node, 'The Flussonic Watcher credential has no API key', {
			description:
				'Copy the API key from the Flussonic Watcher web UI (Settings, API key) into the credential.',
		});
	}
	if (apiKey.length > 1024 || !/^[\u0020-\u007e\u0080-\u00ff]+$/.test(apiKey)) {
		throw new NodeOperationError(
			node,
			'The API Key in the Flussonic Watcher credential is not valid',
			{
				description:
					'It is longer than 1024 characters or holds a line break, a control character or a character outside Latin-1, which no HTTP header can carry. Copy it again from the Flussonic Watcher web UI.',
			},
		);
	}
	return apiKey;
}

/** The credential's server as the request layer needs it; the node and the credential Test share it. */
export function watcherEndpoint(
	node: INode,
	data: ICredentialDataDecryptedObject,
	timeoutSeconds: number,
	cancelSignal?: AbortSignal,
): { endpoint: Endpoint; apiKey: string } {
	const apiKey = apiKeyOf(node, data.apiKey);
	const endpoint: Endpoint = {
		vendor: WATCHER,
		baseUrl: serverUrlOf(node, data.baseUrl),
		ignoreSslIssues: data.ignoreSslIssues === true,
		timeoutSeconds,
		secrets: new SecretSet([apiKey]),
		cancelSignal,
	};
	return { endpoint, apiKey };
}

export async function openWatcherSession(ctx: Context): Promise<WatcherSession> {
	const node = ctx.getNode();
	const data = await ctx.getCredentials(CREDENTIAL_TYPE);
	const reference = node.credentials?.[CREDENTIAL_TYPE];
	// Read once per execution and handed to n8n, which would otherwise load and decrypt it per item.
	const credential: ICredentialsDecrypted = {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: CREDENTIAL_TYPE,
		data,
	};
	const { endpoint, apiKey } = watcherEndpoint(
		node,
		data,
		readTimeoutSeconds(ctx),
		cancelSignalOf(ctx),
	);
	// Pickers have no options: a person is waiting, retries are enough.
	Object.assign(
		endpoint,
		isExecution(ctx)
			? pacingOf(ctx, WATCHER.product, endpoint.baseUrl, credential.id || credential.name)
			: { retries: true },
	);
	const send: Send = async (options: IHttpRequestOptions) =>
		await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options, {
			credentialsDecrypted: credential,
		});
	return { node, endpoint, send, ticketKey: ticketKey(apiKey, new URL(endpoint.baseUrl).origin) };
}

export function autologinUrl(session: WatcherConnection): string {
	return autologinUrlOf(session.endpoint.baseUrl);
}

/** Where Watcher takes the token: only by a form POST. */
export function autologinUrlOf(baseUrl: string): string {
	return `${baseUrl}/vsaas/autologin`;
}
