/** What every call to a vendor is made of: the server it goes to, the call itself and its answer. */
import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { originOf } from './baseUrl';
import type { Vendor } from './errors';
import type { Pace } from './pace/pace';
import type { TryRecord } from './retry';
import type { SecretSet } from './secrets';

/** n8n's request helper, bound to its context (with or without the credential applied). */
export type Send = (options: IHttpRequestOptions) => Promise<unknown>;

export interface Endpoint {
	vendor: Vendor;
	/** The credential's server: origin plus any path prefix, no trailing slash. */
	baseUrl: string;
	ignoreSslIssues: boolean;
	timeoutSeconds: number;
	secrets: SecretSet;
	/** The execution's cancel signal; pickers and credential tests have none. */
	cancelSignal?: AbortSignal;
	/**
	 * The server's shared pace and this run's ceiling (Max Concurrent Requests), when requests are
	 * paced adaptively; without it they go out as the item loop starts them.
	 */
	pacing?: { pace: Pace; ceiling: number };
	/** Whether transient failures are tried again (not for a login or a credential test). */
	retries?: boolean;
}

export interface Call {
	method: IHttpRequestMethods;
	/** Absolute URL on the endpoint's origin. */
	url: string;
	/** How the call is named in messages, e.g. "GET /api/v1/printers" (never with a query). */
	label: string;
	qs?: IDataObject;
	headers?: Record<string, string>;
	/** Sent as JSON. */
	body?: unknown;
	/** A user the call is about; vendors' messages may name it. */
	login?: string;
	/** Only reads, whatever its method (e.g. a query sent as POST): a repeat after a reset is harmless. */
	readOnly?: boolean;
}

export interface Answer {
	statusCode: number;
	headers: Record<string, unknown>;
	contentType: string;
	text: string;
	isJson: boolean;
	/** The parsed body when it is JSON. */
	json: unknown;
	/** When the answer came after retries: how many tries and why (for the error, if it is one). */
	tries?: TryRecord;
}

/** The host of the endpoint's origin, as messages name the server. */
export function originHost(endpoint: Endpoint): string {
	const origin = originOf(endpoint.baseUrl);
	return origin.slice(origin.indexOf('//') + 2);
}
