/**
 * Redirects, followed by hand: the secret-bearing request never leaves the credential's origin
 * nor its Server URL's path, and a server that sends it round in circles is stopped.
 */
import type { IDataObject, IHttpRequestMethods, INode } from 'n8n-workflow';

import { originOf, outsideBase } from './baseUrl';
import type { Endpoint } from './call';
import { originHost } from './call';
import { failure } from './errors';

const MAX_REDIRECTS = 5;

/** What one hop sends; a redirect changes it. */
export interface Hop {
	method: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	body?: unknown;
}

export function isRedirect(status: number): boolean {
	return [301, 302, 303, 307, 308].includes(status);
}

/**
 * The hop a redirect asks for, after `hops` redirects so far. One to another origin, outside the
 * Server URL's path or past MAX_REDIRECTS is an error naming where it pointed.
 */
export function redirectHop(
	node: INode,
	endpoint: Endpoint,
	from: Hop,
	redirect: { status: number; location: string; hops: number },
	itemIndex?: number,
): Hop {
	const host = originHost(endpoint);
	const { product } = endpoint.vendor;
	let target: URL;
	try {
		target = new URL(redirect.location, from.url);
	} catch {
		throw failure(
			node,
			host,
			'BAD_REDIRECT',
			{
				message: `${product} at ${host} redirected the request to an address that is not a URL`,
				description: 'The redirect was not followed. Check the Server URL in the credential.',
			},
			itemIndex,
		);
	}
	if (target.origin !== originOf(endpoint.baseUrl)) {
		const where = endpoint.secrets.scrubForeign(`${target.protocol}//${target.host}`);
		throw failure(
			node,
			host,
			'CROSS_ORIGIN_REDIRECT',
			{
				message: `${product} at ${host} redirected the request to another server, ${where}; it was not followed`,
				description:
					"The credential's secrets are only ever sent to the server of the credential. If the server has moved, enter its new address as the credential's Server URL.",
			},
			itemIndex,
		);
	}
	const away = outsideBase(endpoint.baseUrl, target);
	if (away !== undefined) {
		throw failure(
			node,
			host,
			'REDIRECT_OUTSIDE_BASE_URL',
			{
				message: `${product} at ${host} redirected the request outside the credential's Server URL (${away}); it was not followed`,
				description:
					"The credential's secrets are only ever sent below the credential's Server URL. If the server has moved, enter its new address as the credential's Server URL.",
			},
			itemIndex,
		);
	}
	if (redirect.hops >= MAX_REDIRECTS) {
		throw failure(
			node,
			host,
			'TOO_MANY_REDIRECTS',
			{
				message: `${product} at ${host} redirected the request more than ${MAX_REDIRECTS} times`,
				description:
					'The server sends the request around in circles; check the Server URL in the credential.',
			},
			itemIndex,
		);
	}
	// As browsers do: a 303, and a 301 or 302 of a POST, continue as a GET without the body.
	const toGet =
		redirect.status === 303 ||
		((redirect.status === 301 || redirect.status === 302) && from.method === 'POST');
	return {
		method: toGet ? 'GET' : from.method,
		url: target.toString(),
		qs: undefined,
		body: toGet ? undefined : from.body,
	};
}
