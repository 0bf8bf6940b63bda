import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	cancelSignalOf,
	DEFAULT_CONCURRENCY,
	isExecution,
	pacingOf,
	readTimeoutSeconds,
} from '../../shared/runOptions';
import { paceFor } from '../../shared/transport/pace/registry';
import type { Endpoint, Send } from '../../shared/transport/call';
import { SecretSet } from '../../shared/transport/secrets';
import { hasControlCharacters } from '../../shared/text';
import { normalizeServerUrl } from '../../shared/url';
import type { StaticDataLike } from '../tokenCache/staticEntries';
import { DurstTokenCache } from '../tokenCache/cache';
import { login } from './login';
import { CREDENTIAL_TYPE, DURST } from './vendor';

export type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface DurstSession {
	node: INode;
	endpoint: Endpoint;
	username: string;
	cache: DurstTokenCache;
	/** n8n's request helper without the credential: data calls carry the token, not the password. */
	send: Send;
	/** Resolves when the token cache's writes to static data are done: before the node returns. */
	settle(): Promise<void>;
}

interface DurstAccountData {
	baseUrl: string;
	username: string;
	password: string;
	ignoreSslIssues: boolean;
}

/** Reads and checks the credential's fields before anything is sent. */
export function readAccount(node: INode, data: ICredentialDataDecryptedObject): DurstAccountData {
	const baseUrl = normalizeServerUrl(data.baseUrl, ['/api/v1']);
	if (!baseUrl) {
		throw new NodeOperationError(
			node,
			'The Server URL in the Durst Analytics credential is not a valid http(s) URL',
			{ description: 'Enter the address of Durst Analytics, e.g. https://analytics.example.com' },
		);
	}
	const username = typeof data.username === 'string' ? data.username.trim() : '';
	const password = typeof data.password === 'string' ? data.password : '';
	if (!username || !password) {
		throw new NodeOperationError(
			node,
			'The Durst Analytics credential has no username or password',
			{
				description: 'Fill in both in the credential.',
			},
		);
	}
	if (username.length > 256 || hasControlCharacters(username)) {
		throw new NodeOperationError(
			node,
			'The Username in the Durst Analytics credential is not valid',
			{
				description: 'It is longer than 256 characters or holds a line break or control character.',
			},
		);
	}
	if (password.length > 1024 || hasControlCharacters(password)) {
		throw new NodeOperationError(
			node,
			'The Password in the Durst Analytics credential is not valid',
			{
				description:
					'It is longer than 1024 characters or holds a line break or control character.',
			},
		);
	}
	return { baseUrl, username, password, ignoreSslIssues: data.ignoreSslIssues === true };
}

function staticDataOf(ctx: Context): StaticDataLike {
	// Pickers in the editor have no workflow static data; the process-memory layer still serves them.
	if ('getWorkflowStaticData' in ctx && typeof ctx.getWorkflowStaticData === 'function') {
		return ctx.getWorkflowStaticData('global') as StaticDataLike;
	}
	return {};
}

/** The credential's server as the request layer needs it; the node and the credential Test share it. */
export function durstEndpoint(
	account: DurstAccountData,
	timeoutSeconds: number,
	cancelSignal?: AbortSignal,
): Endpoint {
	return {
		vendor: DURST,
		baseUrl: account.baseUrl,
		ignoreSslIssues: account.ignoreSslIssues,
		timeoutSeconds,
		secrets: new SecretSet([account.password]),
		cancelSignal,
	};
}

/** The pace's key for this credential: its id where n8n gives one, and the user it logs in as. */
function credentialKey(node: INode, account: DurstAccountData): string {
	const reference = node.credentials?.[CREDENTIAL_TYPE];
	return `${reference?.id ?? reference?.name ?? ''}\n${account.username}`;
}

export async function openDurstSession(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
): Promise<DurstSession> {
	const node = ctx.getNode();
	const account = readAccount(node, await ctx.getCredentials(CREDENTIAL_TYPE));
	const endpoint = durstEndpoint(account, readTimeoutSeconds(ctx), cancelSignalOf(ctx));
	const execution = isExecution(ctx);
	// Pickers have no options: a person is waiting, retries are enough.
	Object.assign(
		endpoint,
		execution
			? pacingOf(ctx, DURST.product, account.baseUrl, credentialKey(node, account))
			: { retries: true },
	);
	// An execution's items need not wait for the token's sealing: route() settles before returning.
	return sessionOn(ctx, account, endpoint, execution);
}

/** A poll has no per-item options and no cancel signal: the trigger gives its time limit. */
export async function openPollSession(
	ctx: IPollFunctions,
	timeoutSeconds: number,
): Promise<DurstSession> {
	const node = ctx.getNode();
	const account = readAccount(node, await ctx.getCredentials(CREDENTIAL_TYPE));
	const endpoint = durstEndpoint(account, timeoutSeconds);
	// The trigger asks printer by printer; sharing the pace keeps it from adding to a busy server.
	const pace = paceFor(DURST.product, account.baseUrl, credentialKey(node, account));
	endpoint.pacing = { pace, ceiling: DEFAULT_CONCURRENCY };
	endpoint.retries = true;
	return sessionOn(ctx, account, endpoint);
}

function sessionOn(
	ctx: Context,
	account: DurstAccountData,
	endpoint: Endpoint,
	deferWrites = false,
): DurstSession {
	const node = ctx.getNode();
	const withCredential: Send = async (options: IHttpRequestOptions) =>
		await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options);
	const cache = new DurstTokenCache({
		staticData: staticDataOf(ctx),
		account,
		login: async () => await login(node, endpoint, account.username, withCredential),
		deferWrites,
	});
	return {
		node,
		endpoint,
		username: account.username,
		cache,
		send: async (options: IHttpRequestOptions) => await ctx.helpers.httpRequest(options),
		settle: async () => await cache.settled(),
	};
}
