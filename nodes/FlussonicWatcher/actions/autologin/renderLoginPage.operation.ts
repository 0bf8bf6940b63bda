import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildAutologinPage, buildInvalidLinkPage, tokenProblem } from '../../loginPage';
import type { WatcherServer } from '../../transport';
import { autologinUrl } from '../../transport';

const showFor = { show: { resource: ['autologin'], operation: ['renderLoginPage'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '={{ $json.query.token }}',
		required: true,
		description:
			'The autologin token. Behind a Webhook it is the "token" query parameter of the link.',
		displayOptions: showFor,
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	server: WatcherServer,
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
	return { html: buildAutologinPage(autologinUrl(server), token as string) };
}

/** With continueOnFail the person still gets a page: one that says the link is invalid and posts nothing. */
export function failurePage(error: Error): IDataObject {
	return { error: error.message, html: buildInvalidLinkPage() };
}
