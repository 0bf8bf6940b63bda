/**
 * Credential tests run where n8n offers only its legacy request helper (no execution, no node).
 * They go through the same `exchange` as the nodes, so redirects, time limits and scrubbing hold
 * for the Test button too.
 */
import type {
	ICredentialTestFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import type { Send } from './call';

/** Stands in for a node in errors: a credential test has none. */
export function credentialTestNode(type: string): INode {
	return {
		id: 'credential-test',
		name: 'Credential Test',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

/** The legacy helper speaks the `request` library's options; this maps ours onto them. */
export function legacySend(ctx: ICredentialTestFunctions): Send {
	return async (options: IHttpRequestOptions) =>
		(await ctx.helpers.request({
			uri: options.url,
			method: options.method,
			qs: options.qs,
			headers: options.headers,
			body: options.body,
			json: false,
			useStream: true,
			resolveWithFullResponse: true,
			simple: false,
			followRedirect: false,
			followAllRedirects: false,
			timeout: options.timeout,
			rejectUnauthorized: options.skipSslCertificateValidation !== true,
		})) as unknown;
}

/** n8n shows `message` next to the Test button: the error's message and, when useful, its description. */
export function testFailure(error: unknown): INodeCredentialTestResult {
	const { message, description } = error as { message?: unknown; description?: unknown };
	const text = [message, description]
		.filter((part) => typeof part === 'string' && part !== '')
		.join('. ');
	return { status: 'Error', message: text || 'The test failed' };
}
