import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildAutologinPage } from '../../autologinPage';
import { buildInvalidLinkPage, tokenProblem } from '../../legacyLoginPage';
import { showFor } from '../../../shared/operation';
import type { WatcherSession } from '../../transport/session';
import { autologinUrl } from '../../transport/session';

const show = showFor('autologin', 'renderLoginPage');

export const option = {
	name: 'Render Login Page (Legacy)',
	value: 'renderLoginPage',
	action: 'Render the login page of an older link',
	description:
		'The page for Token in Query (Legacy) links, for existing workflows; new ones use private links',
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '={{ $json.query.token }}',
		required: true,
		description:
			'The Auto-Login token. Behind a Webhook it is the "token" query parameter of the link.',
		displayOptions: show,
	},
];

/** No request is made: pages are built one by one, in order. */
export const concurrency = 'oneByOne';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: WatcherSession,
): Promise<IDataObject> {
	const token = this.getNodeParameter('token', itemIndex, '');
	const problem = tokenProblem(token);
	if (problem) {
		throw new NodeOperationError(this.getNode(), `The "Token" is not valid: ${problem}`, {
			description:
				'The link that led here is incomplete or altered, or the Token field does not point at the token (usually {{ $json.query.token }}).',
			itemIndex,
		});
	}
	return { html: buildAutologinPage(autologinUrl(session), token as string) };
}

/** With continueOnFail the person still gets a page: one that says the link is invalid and posts nothing. */
export function onFailure(error: Error): IDataObject {
	return { error: error.message, html: buildInvalidLinkPage() };
}
