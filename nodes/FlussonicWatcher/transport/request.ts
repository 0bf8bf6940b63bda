import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { pacedExchange } from '../../shared/transport/paced';
import { answerError, notJsonError } from '../../shared/transport/request';
import type { WatcherConnection } from './session';

interface WatcherRequest {
	method: IHttpRequestMethods;
	/** Path below the server, starting with /vsaas/api/v2/. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** A user login the request is about; a 403 then may mean "no such user". */
	login?: string;
}

/** A Watcher API call that expects JSON; any other status or body is the matching error. */
export async function watcherApiRequest(
	session: WatcherConnection,
	request: WatcherRequest,
	itemIndex?: number,
): Promise<unknown> {
	const { node } = session;
	const call = {
		method: request.method,
		url: `${session.endpoint.baseUrl}${request.path}`,
		label: `${request.method} ${request.path}`,
		qs: request.qs,
		body: request.body,
		login: request.login,
	};
	const answer = await pacedExchange(node, session.endpoint, call, session.send, itemIndex);
	if (answer.statusCode < 200 || answer.statusCode >= 300) {
		throw answerError(node, session.endpoint, call, answer, itemIndex);
	}
	if (!answer.isJson) throw notJsonError(node, session.endpoint, call, answer, itemIndex);
	return answer.json;
}
