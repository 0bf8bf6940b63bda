/**
 * Runs a node's credential test (`methods.credentialTest[name]`) the way n8n's CLI does when a user
 * clicks "Test" on a credential: n8n's CredentialsTester builds a real `CredentialTestContext` from
 * n8n-core and calls the function with `this` = that context and the decrypted credential
 * `{ id, name, type, data }`. So the real legacy request helper (`this.helpers.request`, n8n-core's
 * axios adapter) and the real logger run here; nothing is mocked.
 *
 * Like the CLI (credentials-tester.service.ts), the context gets no additionalData; n8n-core's DI
 * container builds what the helper needs on first use, as it does for `runNodes` in engine.ts.
 */
import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialType,
	INodeCredentialTestResult,
	INodeType,
} from 'n8n-workflow';

/** Id and name of the credential handed to the test, as n8n would read them from its database. */
export const TEST_CREDENTIAL_ID = 'cred-1';
export const TEST_CREDENTIAL_NAME = 'Test credential';

/**
 * Calls `nodeType.methods.credentialTest[testName]` as n8n does and returns its result. A rejection
 * is passed on unchanged: in n8n the editor then shows the thrown error's message instead of a result.
 * `data` is copied, so the test cannot change the caller's object.
 */
export async function runCredentialTest(
	nodeType: INodeType,
	testName: string,
	credentialType: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const test = nodeType.methods?.credentialTest?.[testName];
	if (test === undefined) {
		const known = Object.keys(nodeType.methods?.credentialTest ?? {});
		throw new Error(
			`node ${nodeType.description.name} has no methods.credentialTest.${testName}` +
				` (it has: ${known.length > 0 ? known.join(', ') : 'none'})`,
		);
	}
	const credential: ICredentialsDecrypted = {
		id: TEST_CREDENTIAL_ID,
		name: TEST_CREDENTIAL_NAME,
		type: credentialType,
		data: structuredClone(data),
	};
	return await test.call(new CredentialTestContext(), credential);
}

/**
 * Why n8n would not run `testName` for `credentialType`, or `[]` when it would. n8n's
 * CredentialsTester looks for a node whose `description.credentials` entry for the type names the
 * function in `testedBy`, and uses the credential type's own `test` request instead whenever there
 * is one: a node's function is then never called.
 */
export function credentialTestProblems(
	nodeType: INodeType,
	credentialType: string,
	testName: string,
	credential?: ICredentialType,
): string[] {
	const problems: string[] = [];
	const entry = nodeType.description.credentials?.find((item) => item.name === credentialType);
	if (entry === undefined)
		problems.push(`node ${nodeType.description.name} does not list credential ${credentialType}`);
	else if (entry.testedBy !== testName)
		problems.push(
			`credential ${credentialType} of node ${nodeType.description.name} has testedBy ` +
				`${JSON.stringify(entry.testedBy)}, not "${testName}"`,
		);
	if (nodeType.methods?.credentialTest?.[testName] === undefined)
		problems.push(`node ${nodeType.description.name} has no methods.credentialTest.${testName}`);
	if (credential !== undefined && credential.name !== credentialType)
		problems.push(`credential class is ${credential.name}, not ${credentialType}`);
	if (credential?.test !== undefined)
		problems.push(
			`credential ${credentialType} has its own "test" request, which n8n runs instead of ${testName}`,
		);
	return problems;
}
