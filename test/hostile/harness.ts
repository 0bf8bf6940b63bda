/**
 * The hostile suite's runner: a case names what runs (a node, a credential test or a picker), how the
 * server misbehaves, and the exact error the user must see. Every case is also checked for what must
 * hold whatever the error: no request reached a host but the credential's (the foreign server saw
 * nothing) and no secret, in any form or any 6-character piece, is in the error, the output items,
 * the saved static data or n8n's log lines written during the case.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeCredentialTestResult, INodeParameters } from 'n8n-workflow';

import { DurstAnalytics } from '../../nodes/DurstAnalytics/DurstAnalytics.node';
import { FlussonicWatcher } from '../../nodes/FlussonicWatcher/FlussonicWatcher.node';
import { expectNoSecretIn, n8nLogText } from '../harness/assertions';
import { runCredentialTest } from '../harness/credentialTest';
import type { RunResult } from '../harness/engine';
import { DURST_TYPE, listSearch, runNodes, WATCHER_TYPE } from '../harness/engine';
import { DurstSimulator } from '../../tools/simulators/durst';
import { ForeignServer } from '../../tools/simulators/foreign';
import { WatcherSimulator } from '../../tools/simulators/watcher';

/** Holds every character that URL, form and RFC 3986 encodings treat differently. */
export const DURST_USER = 'hostile-operator';
export const DURST_PASSWORD = "Pa!ss*w'rd(1) ~Zq";
export const WATCHER_API_KEY = 'wk-K3y(!)*~Tq8Xv';

/** A server that answers every request with 500 and its own request line: the worst echo of a URL. */
export class EchoServer {
	private constructor(
		private readonly server: Server,
		readonly url: string,
	) {}

	static async start(): Promise<EchoServer> {
		const server = createServer((req, res) => {
			res.writeHead(500, { 'content-type': 'text/plain' });
			res.end(`Internal error while handling ${req.method} ${req.url} from ${req.headers.host}`);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return new EchoServer(server, `http://127.0.0.1:${port}`);
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

export interface Env {
	durst: DurstSimulator;
	watcher: WatcherSimulator;
	foreign: ForeignServer;
	echo: EchoServer;
}

export type Target =
	| {
			node: 'durst' | 'watcher';
			parameters: INodeParameters;
			items?: IDataObject[];
			continueOnFail?: boolean;
			staticData?: IDataObject;
	  }
	| { credentialTest: 'durst' | 'watcher' }
	| { picker: 'durst' | 'watcher' };

type ByEnv<T> = T | ((env: Env) => T);

export interface HostileCase {
	name: string;
	target: Target;
	/** Credential fields over the defaults (the simulators' URLs, the secrets above, TLS checks on). */
	credential?: ByEnv<IDataObject>;
	/** Makes the server misbehave before the run. */
	arrange?: (env: Env) => void | Promise<void>;
	/** The error the user sees: the node error's message (or a continueOnFail item's `error`). */
	message: ByEnv<string>;
	/** The node error's description, when the case pins it. */
	description?: ByEnv<string | RegExp>;
	/** Further values no output may show, e.g. a token a hostile server sent. */
	secrets?: string[];
	/** Checks of the servers after the run (login counts, what reached them). */
	check?: (env: Env, outcome: Outcome) => void;
}

export interface Outcome {
	message: string;
	description: string;
	/** Everything the run saved or showed: output items, errors, static data. */
	visible: string;
	result?: RunResult;
}

function resolve<T>(value: ByEnv<T>, env: Env): T {
	return typeof value === 'function' ? (value as (env: Env) => T)(env) : value;
}

export function hostOf(url: string): string {
	return new URL(url).host;
}

export async function startEnv(): Promise<Env> {
	const [durst, watcher, foreign, echo] = await Promise.all([
		DurstSimulator.start(),
		WatcherSimulator.start({ apiKey: WATCHER_API_KEY }),
		ForeignServer.start(),
		EchoServer.start(),
	]);
	return { durst, watcher, foreign, echo };
}

export async function stopEnv(env: Env): Promise<void> {
	await Promise.all([env.durst.stop(), env.watcher.stop(), env.foreign.stop(), env.echo.stop()]);
}

/** Starts the servers once for a test file and stops them after it; `env()` is valid inside tests. */
export function useServers(): () => Env {
	let env: Env | undefined;
	beforeAll(async () => {
		env = await startEnv();
	});
	afterAll(async () => {
		if (env) await stopEnv(env);
	});
	return () => {
		if (!env) throw new Error('the servers are not started yet');
		return env;
	};
}

/** Every case starts from well-behaved servers and an empty record of what reached them. */
export function resetEnv(env: Env): void {
	for (const sim of [env.durst, env.watcher]) {
		sim.clearFailures();
		sim.destroyStalled();
		sim.resetCounters();
		sim.clearRequestLog();
		sim.latencyMs = 0;
	}
	env.durst.setUsers([{ username: DURST_USER, password: DURST_PASSWORD }]);
	env.foreign.clear();
}

function credentials(env: Env, test: HostileCase) {
	const extra = test.credential ? resolve(test.credential, env) : {};
	return {
		durstAnalyticsApi: {
			baseUrl: env.durst.url,
			username: DURST_USER,
			password: DURST_PASSWORD,
			ignoreSslIssues: false,
			...extra,
		},
		flussonicWatcherApi: {
			baseUrl: env.watcher.url,
			apiKey: WATCHER_API_KEY,
			ignoreSslIssues: false,
			...extra,
		},
	};
}

function failureText(error: unknown): { message: string; description: string } {
	const { message, description } = (error ?? {}) as { message?: unknown; description?: unknown };
	return {
		message: typeof message === 'string' ? message : String(error),
		description: typeof description === 'string' ? description : '',
	};
}

async function runTarget(env: Env, test: HostileCase): Promise<Outcome> {
	const creds = credentials(env, test);
	const { target } = test;
	if ('credentialTest' in target) {
		const durst = target.credentialTest === 'durst';
		const result: INodeCredentialTestResult = await runCredentialTest(
			durst ? new DurstAnalytics() : new FlussonicWatcher(),
			durst ? 'durstAnalyticsApiTest' : 'flussonicWatcherApiTest',
			durst ? 'durstAnalyticsApi' : 'flussonicWatcherApi',
			durst ? creds.durstAnalyticsApi : creds.flussonicWatcherApi,
		);
		if (result.status !== 'Error') throw new Error(`the credential test passed: ${result.message}`);
		return { message: result.message, description: '', visible: JSON.stringify(result) };
	}
	if ('picker' in target) {
		const durst = target.picker === 'durst';
		try {
			const found = await listSearch(
				{ type: durst ? DURST_TYPE : WATCHER_TYPE, parameters: {} },
				creds,
				durst ? 'searchPrinters' : 'searchUsers',
			);
			throw new Error(`the picker succeeded: ${JSON.stringify(found).slice(0, 200)}`);
		} catch (error) {
			const text = failureText(error);
			return { ...text, visible: JSON.stringify(text) };
		}
	}
	const result = await runNodes({
		nodes: [
			{
				type: target.node === 'durst' ? DURST_TYPE : WATCHER_TYPE,
				parameters: target.parameters,
				continueOnFail: target.continueOnFail,
			},
		],
		items: target.items ?? [{}],
		credentials: creds,
		staticData: target.staticData,
	});
	const visible =
		JSON.stringify(result.run.data.resultData) + JSON.stringify(result.savedStaticData);
	if (target.continueOnFail) {
		const failed = result.output().find((item) => item.json.error !== undefined);
		if (!failed) throw new Error('no item failed');
		return { message: String(failed.json.error), description: '', visible, result };
	}
	if (!result.error) throw new Error('the run succeeded');
	return { ...failureText(result.error), visible, result };
}

/** Runs one case and checks everything it promises. */
export async function runCase(env: Env, test: HostileCase): Promise<Outcome> {
	resetEnv(env);
	if (test.arrange) await test.arrange(env);
	const logBefore = n8nLogText().length;
	const outcome = await runTarget(env, test);
	expect(outcome.message).toBe(resolve(test.message, env));
	if (test.description !== undefined) {
		const description = resolve(test.description, env);
		if (typeof description === 'string') expect(outcome.description).toBe(description);
		else expect(outcome.description).toMatch(description);
	}
	expect(env.foreign.requests).toEqual([]);
	const tokens = env.durst.requestLog
		.map((entry) => entry.headers['x-auth-token'])
		.filter((token): token is string => typeof token === 'string');
	const secrets = [DURST_PASSWORD, WATCHER_API_KEY, ...tokens, ...(test.secrets ?? [])];
	const surface = [
		outcome.message,
		outcome.description,
		outcome.visible,
		n8nLogText().slice(logBefore),
	];
	expectNoSecretIn(surface.join('\n'), secrets);
	test.check?.(env, outcome);
	return outcome;
}
