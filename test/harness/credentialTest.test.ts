/**
 * Self-test of runCredentialTest: a throwaway node whose credential test calls n8n-core's real legacy
 * request helper against the Durst simulator proves that the harness runs what n8n runs (real
 * context, real helper, real HTTP), before the package's nodes get their own credential tests.
 */
import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	ICredentialType,
	INodeCredentialTestResult,
	INodeType,
} from 'n8n-workflow';

import { DurstSimulator } from '../../tools/simulators/durst';
import { ForeignServer } from '../../tools/simulators/foreign';
import { n8nLogTextOnceItMatches } from './assertions';
import { credentialTestProblems, runCredentialTest } from './credentialTest';

const CREDENTIAL = 'selfTestApi';
const TEST = 'selfTestApiTest';
const USER = { username: 'operator', password: 's3cr3t&pa ss?' };

/** What the test function saw, for the assertions. */
let seen: { context: unknown; credential: ICredentialsDecrypted | undefined };

/** Logs in at `${baseUrl}/api/v1/login` with n8n's legacy request helper and reports the status. */
async function selfTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	seen = { context: this, credential };
	const data = credential.data ?? {};
	this.logger.debug(`self-test credential test for ${String(data.username)}`);
	const response = (await this.helpers.request({
		uri: `${String(data.baseUrl)}/api/v1/login`,
		qs: { username: data.username, password: data.password },
		headers: { 'x-auth-token': 'tok-self-test' },
		resolveWithFullResponse: true,
		simple: false,
		followRedirect: data.followRedirect === true,
		timeout: typeof data.timeoutMs === 'number' ? data.timeoutMs : undefined,
	})) as { statusCode: number; headers: Record<string, string> };
	if (response.statusCode === 200) return { status: 'OK', message: 'Connection successful' };
	const location = response.headers.location;
	return {
		status: 'Error',
		message: `HTTP ${response.statusCode}${location ? ` to ${location}` : ''}`,
	};
}

const node: INodeType = {
	description: {
		displayName: 'Self Test',
		name: 'selfTest',
		group: ['transform'],
		version: 1,
		description: 'Throwaway node of the harness self-test',
		defaults: { name: 'Self Test' },
		inputs: [],
		outputs: [],
		credentials: [{ name: CREDENTIAL, required: true, testedBy: TEST }],
		properties: [],
	},
	methods: { credentialTest: { [TEST]: selfTest } },
};

let sim: DurstSimulator;
let foreign: ForeignServer;

beforeAll(async () => {
	[sim, foreign] = await Promise.all([
		DurstSimulator.start({ users: [USER] }),
		ForeignServer.start(),
	]);
});

afterAll(async () => {
	await Promise.all([sim.stop(), foreign.stop()]);
});

beforeEach(() => {
	sim.clearFailures();
	sim.clearRequestLog();
	sim.resetCounters();
	foreign.clear();
});

const run = (data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> =>
	runCredentialTest(node, TEST, CREDENTIAL, { baseUrl: sim.url, ...USER, ...data });

it('calls the function with a real CredentialTestContext and the decrypted credential', async () => {
	const data = { baseUrl: sim.url, ...USER };
	expect(await runCredentialTest(node, TEST, CREDENTIAL, data)).toEqual({
		status: 'OK',
		message: 'Connection successful',
	});
	expect(seen.context).toBeInstanceOf(CredentialTestContext);
	expect(seen.credential).toEqual({
		id: 'cred-1',
		name: 'Test credential',
		type: CREDENTIAL,
		data,
	});
	expect(seen.credential?.data).not.toBe(data);
	// The request went through n8n's helper to the simulator, password encoded by n8n (qs).
	expect(sim.logins).toBe(1);
	expect(sim.loginFailures).toBe(0);
	expect(sim.requestLog[0]?.rawUrl).toBe(
		'/api/v1/login?username=operator&password=s3cr3t%26pa%20ss%3F',
	);
	expect(await n8nLogTextOnceItMatches('self-test')).toContain(
		'self-test credential test for operator',
	);
});

it('returns the function result for a rejected login', async () => {
	expect(await run({ password: 'wrong' })).toEqual({ status: 'Error', message: 'HTTP 401' });
});

it('n8n-core honours followRedirect: false, and follows a cross-origin redirect otherwise', async () => {
	const steal = `${foreign.url}/steal`;
	sim.failNext({ mode: 'redirect', status: 307, location: steal });
	expect(await run({})).toEqual({ status: 'Error', message: `HTTP 307 to ${steal}` });
	foreign.expectNoRequests();

	// Why the credential Test must not let n8n follow redirects: followed, the legacy helper takes the
	// custom auth header to the other host.
	sim.failNext({ mode: 'redirect', status: 302, location: steal });
	expect(await run({ followRedirect: true })).toEqual({
		status: 'OK',
		message: 'Connection successful',
	});
	expect(foreign.requests.map((request) => request.url)).toEqual(['/steal']);
	expect(foreign.requests[0]?.headers['x-auth-token']).toBe('tok-self-test');
});

it('passes a rejection of the helper on, e.g. a timeout on a server that never answers', async () => {
	sim.failNext({ mode: 'hang' });
	await expect(run({ timeoutMs: 200 })).rejects.toThrow(/timeout/i);
	await sim.waitForStalled(0);
});

it('names a missing test function', async () => {
	await expect(runCredentialTest(node, 'nope', CREDENTIAL, {})).rejects.toThrow(
		'node selfTest has no methods.credentialTest.nope (it has: selfTestApiTest)',
	);
});

it('credentialTestProblems says whether n8n would run the function', () => {
	const credential = { name: CREDENTIAL, displayName: 'Self Test API', properties: [] };
	expect(credentialTestProblems(node, CREDENTIAL, TEST, credential as ICredentialType)).toEqual([]);
	expect(
		credentialTestProblems(node, CREDENTIAL, TEST, {
			...credential,
			test: { request: { url: '/x' } },
		}),
	).toEqual([
		'credential selfTestApi has its own "test" request, which n8n runs instead of selfTestApiTest',
	]);
	expect(credentialTestProblems(node, 'otherApi', 'otherTest')).toEqual([
		'node selfTest does not list credential otherApi',
		'node selfTest has no methods.credentialTest.otherTest',
	]);
	const untested = {
		...node,
		description: { ...node.description, credentials: [{ name: CREDENTIAL }] },
	};
	expect(credentialTestProblems(untested, CREDENTIAL, TEST)).toEqual([
		'credential selfTestApi of node selfTest has testedBy undefined, not "selfTestApiTest"',
	]);
});
